"""Add a release: paste or upload its text, review the candidate claims, grade them and propose them."""

import hashlib
from datetime import date

import streamlit as st

from crisisboard.app import render
from crisisboard.app.auth import allowed
from crisisboard.app.editing import refused
from crisisboard.app.frame import end_page, start_page
from crisisboard.app.releases import NEEDS, candidate_columns, extraction, who_may_add
from crisisboard.claims.markup import literal, md, text
from crisisboard.data import schema
from crisisboard.data.store import SaveError
from crisisboard.ingest.extract import parse_release
from crisisboard.ingest.intake import (
    EDITOR_COLUMNS,
    UPLOAD_TYPES,
    IntakeError,
    accepted_claims,
    candidates_frame,
    check_pasted,
    read_upload,
    source_row,
)
from crisisboard.ingest.limits import MAX_UPLOAD_BYTES

page = start_page("Add a release")
render.markdown(literal("Paste a release's text or upload it; crisisboard proposes every figure it finds. Tick, "
                        "correct and grade them, and propose them: the proposal is validated at once, and a "
                        "reviewer publishes it from the Review page (nothing reaches the charts before)."))
actor, store = who_may_add(page)  # first: for a visitor without the role, nothing below is drawn or read
pasted, uploaded = st.tabs(["Paste text", "Upload a file"])
with pasted:
    release_text = st.text_area("Release text", height=220, key="release_text", placeholder=(
        "URL: …\nTITLE: …\nPUBLISHER: …\nDATE: YYYY-MM-DD\n\nThe text of the release…"))
    try:
        release_body = check_pasted(release_text or "")
    except IntakeError as error:
        render.error(text(str(error)))
        release_body = ""
with uploaded:
    upload = st.file_uploader(f"A .txt or .html file (at most {MAX_UPLOAD_BYTES // 1_000_000} MB)",
                              type=list(UPLOAD_TYPES), key="release_file")
    if upload is not None:
        try:
            release_body, warnings = read_upload(upload.name, upload.getvalue())
            for warning in warnings:
                render.warning(text(warning))
        except IntakeError as error:
            render.error(text(str(error)))
            release_body = ""
if not release_body or not release_body.strip():
    render.info(literal("Paste or upload a release to begin."))
else:
    release = parse_release(release_body)
    render.subheader(literal("1. The release"))
    left, right = st.columns(2)
    url = left.text_input("URL (http or https)", value=release.url, key="meta_url")
    publisher = left.text_input("Publisher", value=release.publisher, key="meta_publisher")
    publisher_type = left.selectbox("Publisher type", schema.PUBLISHER_TYPES, key="meta_publisher_type")
    title = right.text_input("Title as printed", value=release.title, key="meta_title")
    crisis, today = page.dataset.crisis, date.today()
    earliest = crisis.earliest_date
    given = release.published
    if given is not None and not earliest <= given <= today:
        render.warning(md("The DATE line says {given}, outside {earliest} – {today}: pick the publication date "
                          "below.", given=given.isoformat(), earliest=earliest.isoformat(), today=today.isoformat()))
        given = None
    published = right.date_input("Published", value=given or min(crisis.defaults.published, today), key="meta_published",
                                 min_value=earliest, max_value=today)
    precision = right.selectbox("Publication date is", ("exact", "inferred"), key="meta_precision",
                                help="inferred: not printed on the page; say how in the notes")
    language = left.text_input("Language (ISO 639-1)", value="en", key="meta_language")
    notes = right.text_input("Notes (partial copy, how the date was inferred…)", key="meta_notes")

    found = extraction(page, release.text, published)  # in a worker process, kept per text; or a message
    render.subheader(literal("2. Text-quality flags"))
    if found.flags:
        for flag in found.flags:
            render.warning(md("**{kind}**: {message} — “{excerpt}”", kind=flag.kind, message=flag.message,
                              excerpt=flag.excerpt))
    else:
        render.caption(literal("No scraping artefacts, truncation, mixed languages or contradictions found."))

    render.subheader(literal("3. Candidate claims"))
    candidates = list(found.candidates)
    for warning in found.warnings:
        render.warning(text(warning))
    digest = hashlib.sha256(release.text.encode("utf-8", "replace")).hexdigest()[:12]
    edited = st.data_editor(
        candidates_frame(candidates), key=f"candidates_{digest}", num_rows="dynamic", hide_index=True,
        column_order=EDITOR_COLUMNS, disabled=["why"],
        column_config=candidate_columns(page))
    render.caption(md("{n} candidates. Grades start at F6 (cannot be judged) until you grade them; "
                      "the grading guide is in data/README.md.", n=len(candidates)))

    render.subheader(literal("4. Propose for review"))
    if st.button("Propose the ticked claims for review", type="primary", key="save_release",
                 disabled=not allowed(actor, "propose", NEEDS)):
        chosen = accepted_claims(edited)
        if not chosen:
            render.warning(literal("Tick at least one claim to save."))
        else:
            source = source_row(url, publisher, publisher_type, title, published, precision, language, notes)
            try:
                outcome = store.propose_release(source, chosen, actor, reason="added on the Add a release page")
                render.success(text(outcome.proposed_sentence()))
            except SaveError as error:
                refused(error)
end_page(page)
