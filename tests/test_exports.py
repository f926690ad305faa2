"""Consultation report, patient handout and the CLI's report command."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime

import pytest

import engine
from exports.build import build
from exports.handout import advice_rows, handout_text, patient_handout
from exports.markdown import to_markdown
from exports.pdf import to_pdf
from exports.report import DISCLAIMER, consultation_report, evidence_rows
from store import versions
from tests.support import CASES, ROOT, kb, load_case, run

NOW = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
SEEDS = ROOT.parent / "shared" / "seeds"


def _case(n: int) -> tuple[dict, engine.Result]:
    raw, case = load_case(CASES[n])
    return raw, engine.infer(case, kb())


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", pdf))


def test_the_markdown_report_holds_every_section_a_colleague_needs() -> None:
    raw, result = _case(0)
    md = to_markdown(consultation_report(result, kb(), raw["findings"], versions(), NOW, None, raw["id"]))
    assert DISCLAIMER in md
    assert "Urgency: ROUTINE" in md and "No red flag raised." in md
    assert result.differential[0].label in md and "Evidence: " + result.differential[0].label in md
    assert "| for |" in md
    for fid, f in kb().findings.items():  # every finding is listed, known or not asked
        assert f.label.replace("|", "\\|") in md, fid
    assert "\n### Not asked\n" in md
    for firing in result.trace:
        assert f"| {firing.order} | {firing.rule} |" in md
    assert kb().sources["deville2000"].citation in md
    assert versions()["content"] in md and "2026-11-30 09:30 UTC" in md


def test_a_red_flag_case_puts_urgency_and_the_flag_first() -> None:
    raw, result = _case(5)  # cauda equina with urinary retention
    md = to_markdown(consultation_report(result, kb(), raw["findings"], versions(), NOW))
    head = md.split("## Differential")[0]
    assert "Urgency: EMERGENCY" in head and result.red_flags[0].label in head and result.red_flags[0].action in head


def test_the_pdf_report_renders_to_several_pages(tmp_path) -> None:
    raw, result = _case(0)
    pdf = to_pdf(consultation_report(result, kb(), raw["findings"], versions(), NOW, None, raw["id"]))
    assert pdf.startswith(b"%PDF") and _pages(pdf) >= 3
    if shutil.which("pdftoppm"):  # poppler reads it back, page by page
        (tmp_path / "r.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "20", "-png", str(tmp_path / "r.pdf"), str(tmp_path / "p")], check=True)
        assert len(list(tmp_path.glob("p-*.png"))) == _pages(pdf)


@pytest.mark.skipif(not shutil.which("chromium"), reason="Chromium draws the report figures (apt-get install chromium)")
def test_the_report_embeds_the_dermatome_map_and_the_ladder_as_png() -> None:
    raw, result = _case(0)
    md = build("report", "md", raw["findings"], result, kb(), raw["id"]).decode()
    images = re.findall(r"!\[([^\]]*)\]\(data:image/png;base64,", md)
    assert len(images) == 2 and images[0].startswith("Dermatome map") and images[1].startswith("Treatment ladder")
    assert "Figures not included" not in md


def test_evidence_rows_are_the_results_own_counted_evidence_in_words() -> None:
    result = run(age=35, slr="positive", crossed_slr="positive", pain_regions=["buttock", "posterior_thigh", "heel_sole"])
    ranked = next(d for d in result.differential if d.id == "lumbar_disc_herniation")
    counted = [e for e in ranked.evidence if e.counted]
    rows = evidence_rows(result, kb(), "lumbar_disc_herniation")
    assert len(rows) == len(counted) > 0
    slr = next(r for r, e in zip(rows, counted, strict=True) if e.row == next(e.row for e in counted if "slr" in e.findings))
    assert slr[0] == "for" and slr[1].endswith(": present") and slr[2].startswith("LR ") and float(slr[2].split()[1]) > 1
    assert all(r[1] and r[3] for r in rows)  # every row names its evidence and its source


@pytest.mark.parametrize("path", CASES, ids=[p.stem[:40] for p in CASES])
def test_the_patient_handout_fits_on_one_page(path) -> None:
    raw, case = load_case(path)
    pdf = to_pdf(patient_handout(engine.infer(case, kb()), kb(), NOW), margin_mm=12)
    assert _pages(pdf) == 1


def test_the_handout_for_an_emergency_starts_with_go_to_a_and_e() -> None:
    _, result = _case(5)
    md = to_markdown(patient_handout(result, kb(), NOW))
    assert md.index("Go to A&E now") < md.index("What we think is going on")
    assert "bundle of nerves" in md


def test_every_piece_of_advice_quotes_a_seed_article_verbatim() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS}")
    texts = {p.name[:3]: " ".join(p.read_text(encoding="utf-8").split()) for p in SEEDS.glob("0*.txt")}
    topics = {a["id"] for a in handout_text()["advice"]}
    assert {"stay_active", "heat_cold", "healthy_weight", "core_exercise", "sitting_breaks", "lifting", "workplace"} <= topics
    for item in handout_text()["advice"]:
        for seed in item["seeds"]:
            note = kb().sources[seed["source"]].note or ""
            number = re.search(r"Seed (\d{3})", note).group(1)
            assert " ".join(seed["quote"].split()) in texts[number], (item["id"], seed["quote"])


def test_nice_positions_come_from_the_ladder_content() -> None:
    rows = {r[0]: r[2] for r in advice_rows(kb())}
    stay = next(v for k, v in rows.items() if k.startswith("Keep moving"))
    nice = next(p for p in kb().treatments["activity_modification"].positions if p.source == "nice_ng59")
    assert nice.text in stay and stay.startswith("NICE NG59 recommends")
    assert all(v.startswith("NICE NG59") for v in rows.values())


def test_every_condition_has_lay_words() -> None:
    assert set(handout_text()["lay"]) == set(kb().conditions)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "engine", *args], cwd=ROOT, capture_output=True, text=True)


def test_the_cli_writes_markdown_pdf_and_fhir(tmp_path) -> None:
    case = str(CASES[0])
    for name, extra in (("r.md", ["--no-images"]), ("h.pdf", ["--kind", "handout"]), ("b.json", [])):
        out = _cli("report", case, "--out", str(tmp_path / name), *extra)
        assert out.returncode == 0, out.stderr
        assert out.stdout.startswith(f"wrote {tmp_path / name}")
    assert (tmp_path / "r.md").read_text().startswith("# Radix consultation report")
    assert (tmp_path / "h.pdf").read_bytes().startswith(b"%PDF")
    assert '"resourceType": "Bundle"' in (tmp_path / "b.json").read_text()


def test_the_cli_refuses_an_unknown_extension_with_status_2_and_nothing_on_stdout(tmp_path) -> None:
    out = _cli("report", str(CASES[0]), "--out", str(tmp_path / "r.txt"))
    assert out.returncode == 2 and out.stdout == "" and "written as .pdf, .md" in out.stderr


def test_the_reports_dermatome_map_marks_only_the_leg_the_clinician_marked(monkeypatch: pytest.MonkeyPatch) -> None:
    import exports.images as images

    drawn = []
    monkeypatch.setattr(images, "_browser", lambda: "chromium")
    monkeypatch.setattr(images, "figure_png", lambda fig, w, h: drawn.append(fig) or b"png")
    findings = {"pain_regions": ["lateral_shin"], "pain_sides": ["left_lateral_shin"]}
    body = engine.load_body_map(ROOT / "content" / "body_map.yaml", kb())
    images.chart_images(run(**findings), kb(), body, findings)
    pain = [t.meta["sides"] for t in drawn[0].data if isinstance(t.meta, dict) and t.meta.get("kind") == "pain"]
    assert pain == [["left"]]
