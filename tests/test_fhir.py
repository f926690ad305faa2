"""FHIR export and import: every teaching case survives a round trip, "not asked" included."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from fhir.resources.R4B.bundle import Bundle

import engine
from exports import fhir
from tests.support import CASES, kb, load_case

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _plain(findings: dict) -> dict:
    return {k: sorted(v) if isinstance(v, (list, set, frozenset, tuple)) else v for k, v in findings.items()}


def _bundle(raw: dict, case: engine.Case) -> Bundle:
    return fhir.bundle_from_case(raw["findings"], engine.infer(case, kb()), kb(), NOW, raw.get("id"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem[:40] for p in CASES])
def test_every_teaching_case_round_trips_through_a_bundle_and_a_questionnaire_response(path) -> None:
    raw, case = load_case(path)
    text = fhir.bundle_json(_bundle(raw, case))
    back = fhir.findings_from_fhir_json(text, kb())
    assert _plain(back) == _plain(dict(case.findings))
    assert engine.parse_findings(back, kb()) == case.findings
    qr = fhir.bundle_json(fhir.questionnaire_response(raw["findings"], kb(), NOW))
    assert _plain(fhir.findings_from_fhir_json(qr, kb())) == _plain(dict(case.findings))


def test_not_asked_is_a_data_absent_reason_and_an_empty_set_stays_known() -> None:
    findings = {"age": 50, "weakness": [], "slr": "negative", "duration_weeks": 2.5}
    result = engine.infer(engine.parse_findings(findings, kb()), kb())
    doc = json.loads(fhir.bundle_json(fhir.bundle_from_case(findings, result, kb(), NOW)))
    obs = {e["resource"]["code"]["coding"][0]["code"]: e["resource"] for e in doc["entry"]
           if e["resource"]["resourceType"] == "Observation"}
    assert len(obs) == len(kb().findings)
    assert obs["fever"]["dataAbsentReason"]["coding"][0]["code"] == "not-asked"
    assert all(c["valueBoolean"] is False for c in obs["weakness"]["component"])
    assert obs["duration_weeks"]["valueQuantity"]["value"] == 2.5
    assert fhir.findings_from_fhir_json(json.dumps(doc), kb()) == findings


def test_conditions_carry_verified_icd10cm_codes_and_start_back_is_a_risk_assessment() -> None:
    raw, case = load_case(CASES[0])
    findings = {**raw["findings"], **{f"start_back_{i}": True for i in range(1, 9)}, "start_back_9": "extremely"}
    result = engine.infer(engine.parse_findings(findings, kb()), kb())
    doc = json.loads(fhir.bundle_json(fhir.bundle_from_case(findings, result, kb(), NOW, "tc01")))
    conds = [e["resource"] for e in doc["entry"] if e["resource"]["resourceType"] == "Condition"]
    disc = next(c for c in conds if c["code"]["coding"][0]["code"] == "lumbar_disc_herniation")
    icd = [c for c in disc["code"]["coding"] if c["system"] == fhir.ICD10CM]
    assert icd and icd[0]["code"] in {c["code"] for c in kb().codes["lumbar_disc_herniation"] if c["verified"]}
    assert all(c["verificationStatus"]["coding"][0]["code"] == "differential" for c in conds)
    risk = [e["resource"] for e in doc["entry"] if e["resource"]["resourceType"] == "RiskAssessment"]
    assert len(risk) == 1 and risk[0]["prediction"][0]["qualitativeRisk"]["coding"][0]["code"] == "high"
    assert len(risk[0]["basis"]) == 9
    assert doc["identifier"]["value"] == "tc01"
    patient = next(e["resource"] for e in doc["entry"] if e["resource"]["resourceType"] == "Patient")
    assert set(patient) == {"resourceType", "active"}, "no identifying field leaves Radix"


def test_no_snomed_code_is_invented() -> None:
    raw, case = load_case(CASES[0])
    assert fhir.SNOMED not in fhir.bundle_json(_bundle(raw, case))


@pytest.mark.parametrize("text, message", [
    ("{", "not valid JSON"),
    ('{"resourceType": "Patient"}', "expected a FHIR Bundle or QuestionnaireResponse"),
    ('{"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {"resourceType": "Observation"}}]}',
     "not a valid FHIR R4 Bundle"),
    ('{"resourceType": "QuestionnaireResponse", "status": "completed", "item": [{"linkId": "agee"}]}', "not a Radix finding"),
])
def test_bad_fhir_input_is_a_case_error(text: str, message: str) -> None:
    with pytest.raises(engine.CaseError, match=message):
        fhir.findings_from_fhir_json(text, kb())


def test_a_bad_value_in_a_bundle_is_caught_by_the_case_model() -> None:
    doc = {"resourceType": "QuestionnaireResponse", "status": "completed",
           "item": [{"linkId": "age", "answer": [{"valueInteger": 300}]}]}
    findings = fhir.findings_from_fhir_json(json.dumps(doc), kb())
    with pytest.raises(engine.CaseError):
        engine.parse_findings(findings, kb())
