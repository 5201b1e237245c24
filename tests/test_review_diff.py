"""The reviewer sees every change (issue #30): the Review page's diff lists every field a proposal changes, old
and new, for a release's claims and its source as for an edit. The test walks every field of the schema
(crisisboard.data.schema): a field added to the data model and left out of the diff fails here."""

from __future__ import annotations

import pytest
from test_store import SOURCE, claim
from test_store_contract import ANA

from crisisboard.claims.proposals import proposal_diff
from crisisboard.data import schema
from crisisboard.data.review import claim_proposal, release_proposal

# every field of a claim but its identity, which the store gives, with the optional destination (issue #31): what
# an edit may change and a release may set
CLAIM_FIELDS = tuple(c for c in schema.CLAIM_COLUMNS if c not in ("claim_id", "source_id")) + ("destination",)
RELEASE_CLAIM_FIELDS = CLAIM_FIELDS

CURRENT = {**claim("the ministry said 40 people were killed", "40", "40"), "claim_id": "fx-01", "source_id": "fx-ngo-1",
           "relayed_by": "Fixture NGO", "notes": "old note"}


def _cells(frame) -> list[str]:  # noqa: ANN001 - a DataFrame
    return [str(v) for row in frame.itertuples(index=False) for v in row]


def test_the_schema_names_the_editable_fields_and_retracted_is_not_one() -> None:
    from crisisboard.data.review_checks import RELEASE_CLAIM_FIELDS as checked

    assert schema.EDITABLE == CLAIM_FIELDS == checked and "retracted" not in schema.EDITABLE
    from crisisboard.app.editing import EDITABLE as on_the_card
    from crisisboard.app.editing import REFUGEE_EDITABLE as on_a_refugee_card

    assert set(on_the_card) <= set(schema.EDITABLE)  # the card's form proposes only what the store accepts
    assert set(on_a_refugee_card) - set(on_the_card) == {"destination"} <= set(schema.EDITABLE)


@pytest.mark.parametrize("field", CLAIM_FIELDS)
def test_an_edit_of_any_editable_field_shows_it_old_and_new(field: str) -> None:
    new = f"NEW-{field}"
    proposal = claim_proposal("edit", "fx-01", CURRENT, {field: new}, ANA, "why", None)
    diff = proposal_diff(proposal, CURRENT)
    row = diff.set_index("field").loc[field]
    assert (row["now"], row["proposed"]) == (CURRENT.get(field, ""), new)


@pytest.mark.parametrize("field", RELEASE_CLAIM_FIELDS)
def test_a_release_shows_every_field_its_claims_set(field: str) -> None:
    value = f"SET-{field}"
    other = claim("and 400 were hurt", "400", "400", "injured")
    mine = {k: v for k, v in CURRENT.items() if k in RELEASE_CLAIM_FIELDS}
    proposal = release_proposal(SOURCE, [{**mine, field: value}, other], ANA, "why")
    assert proposal.data["claims"][0][field] == value
    diff = proposal_diff(proposal, None)
    first, second = diff.iloc[0], diff.iloc[1]
    assert any(value in str(cell) for cell in first), (field, list(diff.columns))
    assert not any(value in str(cell) for cell in second)


def test_a_release_diff_has_a_column_for_every_field_it_sets_and_none_it_does_not() -> None:
    full = {f: f"v-{f}" for f in RELEASE_CLAIM_FIELDS}
    diff = proposal_diff(release_proposal(SOURCE, [full], ANA, "why"), None)
    assert sorted(_cells(diff)) == sorted([*(v for f, v in full.items() if f not in (
        "source_reliability", "info_credibility")), "v-source_reliabilityv-info_credibility"])
    sparse = {**{f: "" for f in RELEASE_CLAIM_FIELDS}, "quote": "q", "figure_text": "1"}
    assert "notes" not in proposal_diff(release_proposal(SOURCE, [sparse], ANA, "why"), None).columns


@pytest.mark.parametrize("field", schema.SOURCE_COLUMNS)
def test_a_release_shows_every_field_of_its_source_now_and_proposed(field: str) -> None:
    from crisisboard.claims.proposals import source_diff

    stored = {f: f"stored-{f}" for f in schema.SOURCE_COLUMNS}
    proposal = release_proposal({**SOURCE, field: f"new-{field}"}, [claim("q 1", "1", "1")], ANA, "why")
    new_source = source_diff(proposal, None).set_index("field")
    assert new_source.loc[field, "proposed"] == f"new-{field}" and new_source.loc[field, "now"] == ""
    against = source_diff(proposal, stored).set_index("field")
    assert (against.loc[field, "now"], against.loc[field, "proposed"]) == (f"stored-{field}", f"new-{field}")
    assert set(against.index) == set(schema.SOURCE_COLUMNS)
