"""Documents out of a case and its result: consultation report, patient handout, FHIR.

Outside the pure engine (this package reads content files, draws images and writes bytes).
A report or handout is first built as a small document model (``document.py``), then
rendered to Markdown (``markdown.py``) or PDF (``pdf.py``), so both formats say the same.
"""
