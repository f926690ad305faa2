"""Memoised figures and counterfactuals, keyed on the case's findings.

A result is a pure function of the findings and the (frozen) knowledge base, so any
figure drawn from it can be reused when the same findings come back: a rerun caused by
a view control (a tab, the "why not" choice, the marking mode) then redraws nothing.
Cached figures are shared and must not be mutated after they are built.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Hashable, Mapping
from typing import Any, TypeVar

import streamlit as st

__all__ = ["case_key", "freeze_startup_heap", "memo"]

T = TypeVar("T")


def case_key(findings: Mapping[str, Any]) -> tuple[tuple[str, Hashable], ...]:
    """A hashable, order-free key for a findings mapping (sets as sorted tuples)."""
    return tuple(sorted(
        (fid, tuple(sorted(v)) if isinstance(v, (set, frozenset, list, tuple)) else v)
        for fid, v in findings.items()
    ))


@st.cache_resource(max_entries=256, show_spinner=False)
def _memo(name: str, key: Hashable, _build: Callable[[], Any]) -> Any:
    return _build()


def memo(name: str, key: Hashable, build: Callable[[], T]) -> T:
    """``build()``, or the value it returned before for the same ``name`` and ``key``."""
    return _memo(name, key, build)


@st.cache_resource(show_spinner=False)
def _freeze() -> bool:
    gc.collect()
    gc.freeze()
    return True


def freeze_startup_heap() -> None:
    """Once per process, after the first full page: move what is alive then (modules, the
    knowledge base, plotly's validators) out of the garbage collector's reach, so that
    Python's full collections, which now and then fall inside a click's rerun, scan only
    what later reruns allocate. (The forced collection after every rerun is off:
    ``runner.postScriptGC`` in .streamlit/config.toml.)"""
    _freeze()
