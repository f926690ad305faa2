"""Tools: the engine's shells and checks. The CLI, the content linter (``check_content``),
the one case-file reader, the text report, batch and Dask runs, and case sampling.
"""
