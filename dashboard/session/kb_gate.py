"""The door of every page: the knowledge base loads whole, or nothing is evaluated.

A broken knowledge base (any ``ContentError``) draws one page listing every problem
with its file and rule id, as plain text, and stops the script: no half-loaded rules,
no traceback. ``python -m dashboard.health`` is the matching probe for a supervisor.
"""

from __future__ import annotations

import streamlit as st

from dashboard.session.state import content_dir, get_kb
from engine import ContentError, KnowledgeBase

__all__ = ["require_kb"]


def require_kb() -> KnowledgeBase:
    """The loaded knowledge base; on a broken one, the problem page and ``st.stop()``."""
    try:
        return get_kb()
    except ContentError as err:
        st.title("Radix cannot start: the knowledge base is broken")
        n = len(err.problems)
        st.error(f"{n} problem{'s' if n != 1 else ''} found in the knowledge base. No case is evaluated until "
                 "they are fixed; reload this page after fixing them (`python -m engine lint` lists the same).")
        st.caption(f"Knowledge base folder: {content_dir().name}/")
        st.code("\n".join(f"- {p.format()}" for p in err.problems), language=None, wrap_lines=True)
        st.stop()
