"""Radix dashboard entry point: page config and navigation, nothing else.

Run with ``streamlit run dashboard/app.py`` from the repository root.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas  # noqa: F401 - see below
import streamlit as st

# pandas is imported here, in full, before any page runs: plotly's validators use pandas
# only if it is already in sys.modules, so when two sessions start at once on a cold
# server one could see another's half-imported pandas (AttributeError: pandas.Series).

# `streamlit run` puts dashboard/ on the path, not the repository root the pages import from.
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dashboard.session.kb_gate import require_kb  # noqa: E402 - needs the path above

# A bundled icon: a ":material/...:" page icon is fetched from fonts.gstatic.com, and a
# clinic may be offline (nav icons use the font Streamlit ships, so they stay).
ICON = Path(__file__).parent / "assets" / "radix-icon.svg"
st.set_page_config(page_title="Radix — back and leg pain", page_icon=str(ICON), layout="wide")
require_kb()  # a broken knowledge base: one page listing its problems, and nothing else
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
