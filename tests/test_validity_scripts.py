"""The measuring scripts the README quotes: benchmarks/validity.py and benchmarks/spectrum.py."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import spectrum  # noqa: E402
import validity  # noqa: E402

from engine.tools.validity import Outcome, evaluate_cases  # noqa: E402

CASES = sorted((ROOT / "content" / "cases").glob("*.yaml"))


@pytest.fixture
def two_cases(tmp_path: Path) -> Path:
    # a typical disc herniation (first) and a sparse hip osteoarthritis the table cannot name first
    for name in ("01-", "57-"):
        shutil.copy(next(p for p in CASES if p.name.startswith(name)), tmp_path)
    return tmp_path


def test_validity_prints_one_line_per_case_and_the_figures(two_cases: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert validity.main(["--cases", str(two_cases)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("ok  #1  01-") and "expected lumbar_disc_herniation; got lumbar_disc_herniation" in lines[0]
    assert lines[1].startswith("miss") and "expected hip_osteoarthritis" in lines[1]
    assert "2 cited cases" in out and "top-1 1/2 (50%)" in out


def test_validity_refuses_an_empty_folder_and_unknown_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert validity.main([str(tmp_path)]) == 2
    assert "no case files" in capsys.readouterr().out
    assert validity.main(["--help"]) == 2
    assert "validity.py [--cases] [FOLDER]" in capsys.readouterr().out


def test_spectrum_flattens_the_priors_and_puts_them_back(two_cases: Path, capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import engine

    kb = engine.load_kb()
    shipped = kb.table.log_prior
    seen: list[tuple[float, ...]] = []

    def recording(folder: Path, kb_: engine.KnowledgeBase) -> list[Outcome]:
        seen.append(kb_.table.log_prior)
        return evaluate_cases(folder, kb_)

    monkeypatch.setattr(spectrum, "evaluate_cases", recording)
    monkeypatch.setattr(spectrum.engine, "load_kb", lambda: kb)
    assert spectrum.main([str(two_cases)]) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines() if line[:6].strip().replace(".", "").isdigit()]
    assert [r[0] for r in rows] == ["1.0", "0.8", "0.6", "0.4", "0.2", "0.0"]
    assert seen[0] == shipped and all(v == 0 for v in seen[-1])  # as shipped, then no prior at all
    assert kb.table.log_prior == shipped  # the knowledge base is left as it was
