"""The measuring scripts the README quotes: benchmarks/validity.py, spectrum.py and ceiling.py."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import ceiling  # noqa: E402
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


def test_ceiling_refits_cells_and_priors_to_the_cases_it_is_given(tmp_path: Path) -> None:
    import engine

    kb = engine.load_kb()
    cases = [("hip_osteoarthritis", (("lik.groin_pain", True),)), ("hip_osteoarthritis", (("lik.groin_pain", False),)),
             ("lumbar_disc_herniation", (("lik.groin_pain", False),))]
    before = (ROOT / "content" / "likelihoods.yaml").read_text()
    fitted = ceiling.refit(ROOT / "content", cases, 1.0, tmp_path / "fit")
    assert (ROOT / "content" / "likelihoods.yaml").read_text() == before  # content/ untouched
    row = next(r for r in __import__("yaml").safe_load((tmp_path / "fit" / "likelihoods.yaml").read_text())["rows"]
               if r["id"] == "lik.groin_pain")
    shipped = next(r for r in __import__("yaml").safe_load(before)["rows"] if r["id"] == "lik.groin_pain")
    # (present + A x shipped) / (observed + A): one of two hip cases had groin pain, the disc case none
    assert row["p"]["hip_osteoarthritis"] == round((1 + shipped["p"]["hip_osteoarthritis"]) / 3, 4)
    assert row["p"]["lumbar_disc_herniation"] == round(max(shipped["p"].get("lumbar_disc_herniation", shipped["default"]) / 2,
                                                           shipped.get("background", 0.0), 0.001), 4)
    names = list(fitted.table.causes)
    prior = dict(zip(names, fitted.table.log_prior, strict=True))
    # the priors follow the cases' own cause counts (2 hip, 1 disc, the rest none)
    assert prior["hip_osteoarthritis"] > prior["lumbar_disc_herniation"] > prior["meralgia_paresthetica"]
    assert kb.table.log_prior != fitted.table.log_prior


def test_ceiling_prints_shipped_in_sample_and_held_out_rows(two_cases: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(next(p for p in CASES if p.name.startswith("27-")), other)
    blind = tmp_path / "blind"
    blind.mkdir()
    (blind / "README.md").write_text("First run: not yet.\n")
    assert ceiling._blind(blind) and ceiling._blind(other) and not ceiling._blind(ROOT / "benchmarks" / "holdout")
    assert ceiling.main([str(two_cases), str(other)]) == 0
    out = capsys.readouterr().out
    assert "all (3 cases)" in out
    shipped, insample, loso = (line for line in out.splitlines()[:8] if line.strip().startswith(("Radix", "refit")))
    # Radix as shipped puts the disc first and neither hip case; fitted to the answers, all three are first
    assert shipped.split()[3] == "1" and insample.split()[5] == "3"
    assert "leave-one-set-out" in loso
    assert "reports by clinical findings recorded" in out and ", 6+: " in out
    assert ceiling.main([str(blind)]) == 2


def test_the_scripts_name_a_case_file_they_cannot_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(CASES[0], tmp_path)
    (tmp_path / "02-bad.yaml").write_text("findings: {age: -3}\n")
    for main in (validity.main, ceiling.main):
        assert main([str(tmp_path)]) == 2  # a message, not a traceback
        assert "02-bad.yaml: age: invalid value (got -3)" in capsys.readouterr().out
