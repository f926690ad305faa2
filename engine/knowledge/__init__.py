"""Knowledge: ``content/`` files to frozen records, compiled once at load.

``load.read_content`` validates every record (``records``, ``premises``); ``base.compile_content``
adds the rule network (``network``), the case model's validator (``case_model``) and the likelihood table
(``table``); ``body_map`` checks the drawing against the content's region and root ids.
Nothing here imports the reasoning, teaching or tools layers.
"""
