"""Saved cases: search, open (a link with the case id), duplicate, delete; import FHIR.

Opening goes through the URL (``?case=<id>``), so the same link reopens the case later.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import streamlit as st

from dashboard.session.persist import case_store, import_fhir_draft
from dashboard.session.state import get_kb
from engine import URGENCIES, CaseError
from store import CaseRecord, CaseStore, StoreError, data_dir

CONSULTATION = "views/consultation.py"
URGENCY = tuple(reversed(URGENCIES))  # most urgent first
MESSAGE = "radix.cases.message"


def _filters(kb_labels: dict[str, str]) -> dict:
    text, urg, cause, dates = st.columns([3, 2, 3, 3], vertical_alignment="bottom")
    picked = dates.date_input("Saved between", value=(), key="radix.cases.dates")
    since = until = None
    if len(picked) == 2:  # both ends chosen; the end day counts in full
        since = datetime.combine(picked[0], time.min, UTC)
        until = datetime.combine(picked[1], time.min, UTC) + timedelta(days=1)
    return {
        "text": text.text_input("Search id, reference, note or cause", key="radix.cases.text"),
        "urgency": urg.selectbox("Urgency", URGENCY, index=None, placeholder="any", key="radix.cases.urgency"),
        "top_cause": cause.selectbox("Top cause", list(kb_labels), index=None, placeholder="any",
                                     format_func=kb_labels.get, key="radix.cases.cause"),
        "since": since, "until": until,
    }


def _act(store: CaseStore, action: str, rec: CaseRecord) -> None:
    try:
        if action == "duplicate":
            copy = store.duplicate(rec.id)
            st.session_state[MESSAGE] = ("success", f"Duplicated as {copy.id[:8]}.")
        else:
            store.delete(rec.id)
            st.session_state[MESSAGE] = ("success", f"Deleted {rec.label or rec.id[:8]}.")
    except StoreError as err:
        st.session_state[MESSAGE] = ("error", f"Could not {action}: {err.reason}")


def _row(store: CaseStore, rec: CaseRecord, labels: dict[str, str]) -> None:
    with st.container(border=True):
        info, acts = st.columns([7, 3], vertical_alignment="center")
        cause = labels.get(rec.top_cause or "", rec.top_cause or "-")
        info.markdown(f"**{rec.label or 'No reference'}** · `{rec.id[:8]}` · {rec.urgency.upper()} · {cause}  \n"
                      f"{rec.updated_at:%Y-%m-%d %H:%M} UTC · {len(rec.findings)} findings · "
                      f"engine {rec.engine_version} · content {rec.content_version}")
        if rec.note:
            info.caption(rec.note[:300])
        o, d, x = acts.columns(3)
        o.page_link(CONSULTATION, label="Open", icon=":material/open_in_new:", query_params={"case": rec.id})
        d.button("Copy", key=f"radix.cases.dup.{rec.id}", on_click=_act, args=(store, "duplicate", rec),
                 help="Duplicate this case")
        x.button("Delete", key=f"radix.cases.del.{rec.id}", on_click=_act, args=(store, "delete", rec), type="tertiary")


def _import(store: CaseStore) -> None:
    """A FHIR Bundle or QuestionnaireResponse becomes a draft, opened in the consultation."""
    with st.expander("Import FHIR (Bundle or QuestionnaireResponse)"):
        file = st.file_uploader("FHIR R4 JSON", type=["json"], key="radix.cases.fhir")
        if file is None or not st.button("Open as a new case", key="radix.cases.fhir.open"):
            return
        try:
            cid = import_fhir_draft(store, file.getvalue().decode("utf-8", errors="replace"), get_kb(), file.name)
        except CaseError as err:
            st.error("**Could not import:**\n" + "\n".join(f"- {p.format(markdown=True)}" for p in err.problems))
            return
        except StoreError as err:
            st.error(f"Could not import: {err.reason}")
            return
        st.switch_page(CONSULTATION, query_params={"case": cid})


def main() -> None:
    st.title("Saved cases", anchor=False)
    store = case_store()
    if store is None:
        st.error(f"The case store cannot be opened: {st.session_state.get('radix.store_error')}")
        return
    kb = get_kb()
    labels = {cid: c.label for cid, c in kb.conditions.items()}
    msg = st.session_state.pop(MESSAGE, None)
    if msg:
        (st.success if msg[0] == "success" else st.error)(msg[1])
    found = store.search(**_filters(labels))
    st.caption(f"{len(found)} saved case{'s' if len(found) != 1 else ''} · store: {store.where}")
    for rec in found[:100]:
        _row(store, rec, labels)
    _import(store)
    if store.url.startswith("sqlite:///") and str(data_dir()) in store.url:
        st.caption(f"Data folder: `{data_dir()}`. Delete a case here, or delete the folder to remove everything.")


main()
