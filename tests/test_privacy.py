"""Privacy: no usage statistics, no patient data in logs or error messages."""

from __future__ import annotations

import logging
import tomllib

import pytest

import store
from tests.support import ROOT, run


def test_streamlit_usage_statistics_are_off() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["browser"]["gatherUsageStats"] is False


def test_saving_and_failing_to_save_log_no_patient_data(store_url: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    cases = store.CaseStore(store_url)
    findings = {"age": 87, "pain_regions": ["saddle_perineum"]}
    cases.save(store.case_input(findings, run(**findings), label="ref-zq81", note="note-qx42"))
    cases.save_draft("d1", {"age": 87})
    with pytest.raises(store.StoreError):
        cases.save(store.case_input(findings, run(**findings), note="note-qx42" * 1000))
    cases.close()
    text = caplog.text
    for secret in ("note-qx42", "ref-zq81", "saddle_perineum"):
        assert secret not in text
