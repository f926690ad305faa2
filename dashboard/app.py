"""Radix dashboard entry point: page config and navigation, nothing else.

Run with ``streamlit run dashboard/app.py`` from the repository root.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

# `streamlit run` puts dashboard/ on the path, not the repository root the pages import from.
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

st.set_page_config(page_title="Radix — back and leg pain", page_icon=":material/accessibility_new:", layout="wide")
HERE = Path(__file__).parent / "views"
st.navigation(
    [
        st.Page(HERE / "consultation.py", title="Consultation", icon=":material/stethoscope:", default=True),
        st.Page(HERE / "cases.py", title="Saved cases", icon=":material/folder_open:"),
        st.Page(HERE / "teaching.py", title="Teaching", icon=":material/school:"),
        st.Page(HERE / "case_library.py", title="Case library", icon=":material/library_books:"),
        st.Page(HERE / "knowledge_base.py", title="Knowledge base", icon=":material/menu_book:"),
        st.Page(HERE / "about.py", title="About", icon=":material/info:"),
    ],
    position="top",
).run()
