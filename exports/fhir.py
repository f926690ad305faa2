"""FHIR export and import: a case and its result as a Bundle; a Bundle or an intake
QuestionnaireResponse back into findings.

Validated with fhir.resources' ``R4B`` models (FHIR 4.3, the library's maintained R4-line
release; the resources used here — Bundle, Observation, Condition, RiskAssessment,
QuestionnaireResponse — have the same shape in R4 4.0.1).

* **Observations**, one per finding, asked or not: "not asked" is the HL7
  ``data-absent-reason`` code ``not-asked``, so a round trip keeps unknown apart from absent.
  Booleans are ``valueBoolean``, whole numbers ``valueInteger``, numbers ``valueQuantity``,
  vocabulary words ``valueCodeableConcept``; a set has one component per vocabulary word
  (``valueBoolean`` true when present), so an empty set is known and different from unknown.
  Codes are Radix's own; a SNOMED CT coding is added only where the content records a
  verified one (none does yet: no SNOMED code in content/ has been verified).
* **Conditions** for the leading causes, ``verificationStatus`` = differential, with the
  ICD-10-CM code from content/codes.yaml (the first verified one) beside Radix's id.
* **RiskAssessment** for STarT Back when every item is known.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from engine import CaseError, FindingDef, KnowledgeBase, Problem, Result, instrument_line

__all__ = [
    "FINDING_SYSTEM",
    "bundle_from_case",
    "bundle_json",
    "findings_from_bundle",
    "findings_from_fhir_json",
    "findings_from_questionnaire_response",
    "questionnaire_response",
]

FINDING_SYSTEM = "urn:x-radix:finding"
CONDITION_SYSTEM = "urn:x-radix:condition"
VOCAB_SYSTEM = "urn:x-radix:vocabulary:"
QUESTIONNAIRE = "urn:x-radix:questionnaire:intake"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
SNOMED = "http://snomed.info/sct"
ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
RISK = "http://terminology.hl7.org/CodeSystem/risk-probability"
_RISK_BAND = {"low": "low", "medium": "moderate", "high": "high"}


def _urn() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


def _finding_code(f: FindingDef) -> dict[str, Any]:
    codings = [{"system": FINDING_SYSTEM, "code": f.id, "display": f.label}]
    snomed = getattr(f, "snomed", None)  # only verified codes would be recorded in content
    if snomed and getattr(f, "snomed_verified", False):
        codings.append({"system": SNOMED, "code": str(snomed)})
    return {"coding": codings, "text": f.label}


def _word(kb: KnowledgeBase, f: FindingDef, word: str) -> dict[str, Any]:
    return {"system": VOCAB_SYSTEM + (f.vocabulary or f.id), "code": word, "display": word.replace("_", " ")}


def _observation(kb: KnowledgeBase, f: FindingDef, value: Any, made: str) -> dict[str, Any]:
    obs: dict[str, Any] = {"resourceType": "Observation", "status": "final", "code": _finding_code(f),
                           "effectiveDateTime": made}
    if value is None:
        obs["dataAbsentReason"] = {"coding": [{"system": ABSENT, "code": "not-asked", "display": "Not Asked"}]}
    elif f.type == "bool":
        obs["valueBoolean"] = bool(value)
    elif f.type == "int":
        obs["valueInteger"] = int(value)
    elif f.type == "number":
        obs["valueQuantity"] = {"value": float(value)}
    elif f.type == "enum":
        obs["valueCodeableConcept"] = {"coding": [_word(kb, f, str(value))]}
    else:
        present = set(value)
        obs["component"] = [{"code": {"coding": [_word(kb, f, w)]}, "valueBoolean": w in present}
                            for w in kb.vocabularies[f.vocabulary or ""]]
    return obs


def _icd(kb: KnowledgeBase, condition: str) -> list[dict[str, Any]]:
    code = next((c for c in kb.codes.get(condition, ()) if c.get("verified")), None)
    return [] if code is None else [{"system": ICD10CM, "code": code["code"], "display": code["label"]}]


def _conditions(result: Result, kb: KnowledgeBase, made: str, top_n: int) -> list[dict[str, Any]]:
    leading = [d for d in result.differential if d.must_not_miss] + [d for d in result.differential[:top_n]]
    seen: dict[str, Any] = {d.id: d for d in leading}
    return [{
        "resourceType": "Condition",
        "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]},
        "verificationStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status",
                                           "code": "differential"}]},
        "code": {"coding": [{"system": CONDITION_SYSTEM, "code": d.id, "display": d.label}, *_icd(kb, d.id)], "text": d.label},
        "recordedDate": made,
        "note": [{"text": f"Radix decision support: probability {d.score:.3f} (prior {d.prior:.3g})"
                          + ("; must not miss (red flag)" if d.must_not_miss else "") + ". Not a diagnosis."}],
    } for d in seen.values()]


def _start_back(result: Result, kb: KnowledgeBase, obs_urls: Mapping[str, str], made: str) -> list[dict[str, Any]]:
    sb = result.instruments.get("start_back")
    if sb is None:
        return []
    basis = [{"reference": url} for fid, url in sorted(obs_urls.items()) if fid.startswith("start_back_")]
    return [{
        "resourceType": "RiskAssessment", "status": "final", "occurrenceDateTime": made,
        "method": {"coding": [{"system": "urn:x-radix:instrument", "code": "start_back", "display": "STarT Back Screening Tool"}],
                   "text": "STarT Back Screening Tool (Hill 2008)"},
        "basis": basis,
        "prediction": [{"outcome": {"text": "Risk of persistent disabling back pain"},
                        "qualitativeRisk": {"coding": [{"system": RISK, "code": _RISK_BAND[sb.band]}], "text": sb.band}}],
        "note": [{"text": instrument_line(kb.instruments["start_back"], sb) + "."}],
    }]


def bundle_from_case(findings: Mapping[str, Any], result: Result, kb: KnowledgeBase, made: datetime,
                     case_id: str | None = None, top_n: int = 3) -> Bundle:
    """The case and its result as a validated R4(B) collection Bundle."""
    stamp = made.isoformat()
    # Condition and RiskAssessment need a subject: an anonymous Patient with no name,
    # birth date or identifier (a case needs no identifying field).
    patient = _urn()
    entries: list[dict[str, Any]] = [{"fullUrl": patient, "resource": {"resourceType": "Patient", "active": True}}]
    obs_urls: dict[str, str] = {}
    for fid, f in kb.findings.items():
        url = obs_urls[fid] = _urn()
        entries.append({"fullUrl": url, "resource": _observation(kb, f, findings.get(fid), stamp)})
    for res in _conditions(result, kb, stamp, top_n) + _start_back(result, kb, obs_urls, stamp):
        entries.append({"fullUrl": _urn(), "resource": res})
    for e in entries[1:]:
        e["resource"]["subject"] = {"reference": patient}
    doc: dict[str, Any] = {"resourceType": "Bundle", "type": "collection", "timestamp": stamp, "entry": entries}
    if case_id:
        doc["identifier"] = {"system": "urn:x-radix:case", "value": case_id}
    return Bundle.model_validate(doc)


def bundle_json(bundle: Bundle | QuestionnaireResponse) -> str:
    return bundle.model_dump_json(exclude_none=True, indent=2)


def _code(concept: Any, system_prefix: str) -> str | None:
    for c in (concept.coding or []) if concept else []:
        if c.system and c.system.startswith(system_prefix):
            return c.code
    return None


def _value(f: FindingDef, obs: Any) -> Any:
    if obs.dataAbsentReason is not None:
        return None
    if f.type == "bool":
        return obs.valueBoolean
    if f.type == "int":
        return obs.valueInteger
    if f.type == "number":
        return None if obs.valueQuantity is None else float(obs.valueQuantity.value)
    if f.type == "enum":
        return _code(obs.valueCodeableConcept, VOCAB_SYSTEM)
    return [_code(c.code, VOCAB_SYSTEM) for c in obs.component or [] if c.valueBoolean]


def findings_from_bundle(bundle: Bundle, kb: KnowledgeBase) -> dict[str, Any]:
    """Findings from a Bundle's Observations (Radix-coded ones); not asked ones left out."""
    out: dict[str, Any] = {}
    for entry in bundle.entry or []:
        res = entry.resource
        if res is None or res.get_resource_type() != "Observation":
            continue
        fid = _code(res.code, FINDING_SYSTEM)
        if fid is None:
            continue
        if fid not in kb.findings:
            raise CaseError(Problem(fid, "not a Radix finding (Observation code)"))
        value = _value(kb.findings[fid], res)
        if value is not None:
            out[fid] = value
    return out


def questionnaire_response(findings: Mapping[str, Any], kb: KnowledgeBase, made: datetime) -> QuestionnaireResponse:
    """The intake as a QuestionnaireResponse: one item per finding, no answer when not asked."""
    items = []
    for fid, f in kb.findings.items():
        value, item = findings.get(fid), {"linkId": fid, "text": f.label}
        if value is not None:
            if f.type == "bool":
                item["answer"] = [{"valueBoolean": bool(value)}]
            elif f.type == "int":
                item["answer"] = [{"valueInteger": int(value)}]
            elif f.type == "number":
                item["answer"] = [{"valueDecimal": float(value)}]
            elif f.type == "enum":
                item["answer"] = [{"valueCoding": _word(kb, f, str(value))}]
            else:  # a set: one answer per word; an empty set is the explicit "none" answer
                words = [w for w in kb.vocabularies[f.vocabulary or ""] if w in set(value)]
                item["answer"] = [{"valueCoding": _word(kb, f, w)} for w in words] or [
                    {"valueCoding": {"system": VOCAB_SYSTEM + "none", "code": "none"}}]
        items.append(item)
    return QuestionnaireResponse.model_validate({"resourceType": "QuestionnaireResponse", "status": "completed",
                                                 "questionnaire": QUESTIONNAIRE, "authored": made.isoformat(),
                                                 "item": items})


def _answer(f: FindingDef, answers: list[Any]) -> Any:
    if not answers:
        return None
    a = answers[0]
    if f.type == "bool":
        return a.valueBoolean
    if f.type == "int":
        return a.valueInteger
    if f.type == "number":
        return None if a.valueDecimal is None else float(a.valueDecimal)
    if f.type == "enum":
        return a.valueCoding.code if a.valueCoding else None
    return [x.valueCoding.code for x in answers if x.valueCoding and x.valueCoding.code != "none"]


def findings_from_questionnaire_response(qr: QuestionnaireResponse, kb: KnowledgeBase) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in qr.item or []:
        if item.linkId not in kb.findings:
            raise CaseError(Problem(item.linkId, "not a Radix finding (QuestionnaireResponse linkId)"))
        value = _answer(kb.findings[item.linkId], list(item.answer or []))
        if value is not None:
            out[item.linkId] = value
    return out


def findings_from_fhir_json(text: str, kb: KnowledgeBase, name: str = "FHIR file") -> dict[str, Any]:
    """Findings from a Bundle or QuestionnaireResponse in JSON; ``CaseError`` if it is neither or invalid."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CaseError(Problem(name, f"not valid JSON ({exc.msg})")) from exc
    kind = doc.get("resourceType") if isinstance(doc, dict) else None
    try:
        if kind == "Bundle":
            return findings_from_bundle(Bundle.model_validate(doc), kb)
        if kind == "QuestionnaireResponse":
            return findings_from_questionnaire_response(QuestionnaireResponse.model_validate(doc), kb)
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        raise CaseError(Problem(name, f"not a valid FHIR R4 {kind}: {str(exc).splitlines()[0]}")) from exc
    raise CaseError(Problem(name, f"expected a FHIR Bundle or QuestionnaireResponse, got {kind!r}"))
