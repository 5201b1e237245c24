"""Add a release: paste or upload its text, review the candidate claims, grade them and save."""

import hashlib
from datetime import date

import streamlit as st

from crisisboard import schema
from crisisboard.app_state import page_footer, page_frame
from crisisboard.extract import extract_candidates, parse_release, quality_flags
from crisisboard.intake import (EDITOR_COLUMNS, MAX_UPLOAD_BYTES, UPLOAD_TYPES, IntakeError, accepted_claims,
                                candidates_frame, check_pasted, read_upload, source_row)
from crisisboard.store import SaveError, append_release

frame = page_frame("Add a release")
st.markdown("Paste a release's text or upload it; crisisboard proposes every figure it finds. Tick the ones to keep, "
            "correct them, grade them, and save: the data is validated, a backup is kept, nothing is overwritten.")
pasted, uploaded = st.tabs(["Paste text", "Upload a file"])
with pasted:
    text = st.text_area("Release text", height=220, key="release_text",
                        placeholder="URL: …\nTITLE: …\nPUBLISHER: …\nDATE: YYYY-MM-DD\n\nThe text of the release…")
    try:
        text = check_pasted(text or "")
    except IntakeError as error:
        st.error(str(error))
        text = ""
with uploaded:
    upload = st.file_uploader(f"A .txt or .html file (at most {MAX_UPLOAD_BYTES // 1_000_000} MB)",
                              type=list(UPLOAD_TYPES), key="release_file")
    if upload is not None:
        try:
            text, warnings = read_upload(upload.name, upload.getvalue())
            for warning in warnings:
                st.warning(warning)
        except IntakeError as error:
            st.error(str(error))
            text = ""
if not text or not text.strip():
    st.info("Paste or upload a release to begin.")
else:
    release = parse_release(text)
    st.subheader("1. The release")
    left, right = st.columns(2)
    url = left.text_input("URL (http or https)", value=release.url, key="meta_url")
    publisher = left.text_input("Publisher", value=release.publisher, key="meta_publisher")
    publisher_type = left.selectbox("Publisher type", schema.PUBLISHER_TYPES, key="meta_publisher_type")
    title = right.text_input("Title as printed", value=release.title, key="meta_title")
    published = right.date_input("Published", value=release.published or date(2010, 6, 15), key="meta_published",
                                 min_value=date(2010, 1, 1), max_value=date.today())
    precision = right.selectbox("Publication date is", ("exact", "inferred"), key="meta_precision",
                                help="inferred: not printed on the page; say how in the notes")
    language = left.text_input("Language (ISO 639-1)", value="en", key="meta_language")
    notes = right.text_input("Notes (partial copy, how the date was inferred…)", key="meta_notes")

    flags = quality_flags(release.text)
    st.subheader("2. Text-quality flags")
    if flags:
        for flag in flags:
            st.warning(f"**{flag.kind}**: {flag.message} — “{flag.excerpt}”")
    else:
        st.caption("No scraping artefacts, truncation, mixed languages or contradictions found.")

    st.subheader("3. Candidate claims")
    candidates, warnings = extract_candidates(release.text, published, frame.dataset.places)
    for warning in warnings:
        st.warning(warning)
    digest = hashlib.sha256(release.text.encode("utf-8", "replace")).hexdigest()[:12]
    edited = st.data_editor(
        candidates_frame(candidates), key=f"candidates_{digest}", num_rows="dynamic", hide_index=True,
        column_order=EDITOR_COLUMNS, disabled=["why"],
        column_config={
            "accept": st.column_config.CheckboxColumn("keep", help="Tick every claim to save"),
            "metric": st.column_config.SelectboxColumn(options=schema.METRICS),
            "population": st.column_config.SelectboxColumn(options=schema.POPULATIONS),
            "qualifier": st.column_config.SelectboxColumn(options=schema.QUALIFIERS),
            "vague_term": st.column_config.SelectboxColumn(options=("",) + schema.VAGUE_TERMS),
            "as_of_precision": st.column_config.SelectboxColumn(options=schema.AS_OF_PRECISION),
            "place_id": st.column_config.SelectboxColumn(options=[""] + list(frame.dataset.places["place_id"])),
            "claimant_type": st.column_config.SelectboxColumn(options=schema.CLAIMANT_TYPES),
            "status_in_text": st.column_config.SelectboxColumn(options=schema.STATUSES),
            "claim_kind": st.column_config.SelectboxColumn(options=schema.CLAIM_KINDS),
            "source_reliability": st.column_config.SelectboxColumn("reliability", options=schema.RELIABILITY),
            "info_credibility": st.column_config.SelectboxColumn("credibility", options=schema.CREDIBILITY),
            "why": st.column_config.TextColumn("rule that found it"),
        })
    st.caption(f"{len(candidates)} candidates. Grades start at F6 (cannot be judged) until you grade them; "
               "the grading guide is in data/README.md.")

    st.subheader("4. Save")
    if st.button("Validate and save the ticked claims", type="primary", key="save_release"):
        chosen = accepted_claims(edited)
        if not chosen:
            st.warning("Tick at least one claim to save.")
        else:
            source = source_row(url, publisher, publisher_type, title, published, precision, language, notes)
            try:
                report = append_release(frame.dataset.data_dir, source, chosen)
            except SaveError as error:
                st.error(str(error).split("\n")[0].capitalize() + ":")
                st.code("\n".join(str(p) for p in error.problems), language=None)
            else:
                st.success(report.sentence())
page_footer(frame)
