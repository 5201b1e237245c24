"""Every bound on what the review store accepts, in one place (issue #30).

Before these bounds a reason, a release or a proposal could be of any size, and one field over the csv
module's 131,072 characters made proposals.csv or history.csv unreadable for everyone. Now each is bounded
here, refused over its bound with a message that names the field and the limit (:class:`TooLong`, a
SaveError: nothing is written, and the page keeps what was typed), and every reader of the store's files
reads any field length anyway (crisisboard.data.csvtext).

The figures, and why:

- A release of 250 figures, all ticked on the Add a release page, makes a proposal of about 157,000
  characters (measured by benchmarks/bench_review.py: 157,225, 628 characters a claim); with every field of
  every claim at its longest (the lengths below) a claim is about 4,700 characters. So a release may hold
  :data:`MAX_RELEASE_CLAIMS` = 500 claims, and a proposal's payload :data:`MAX_PROPOSAL_CHARS` = 3,000,000
  characters: 500 claims at their longest fit, and so does any real release.
- A reason ("Why"), a rejection's reason, and the reason of a setting or role change: one paragraph,
  :data:`MAX_REASON_CHARS` = 2,000 characters (a line is expected; a paragraph is allowed).
- A claim's quote, notes and the other text fields: the data model's lengths (schema.MAX_CHARS: a quote 600
  characters, notes 2,000, a line 600, a title 500, a URL 2,000, an id 64); a proposal is validated with
  them when made and again when approved.
- An upload or a pasted release: :data:`MAX_UPLOAD_BYTES` = 2,000,000 bytes (crisisboard.ingest.intake).
"""

from __future__ import annotations

from crisisboard.data.schema import MAX_CHARS
from crisisboard.data.store import SaveError

MAX_REASON_CHARS = 2_000
MAX_RELEASE_CLAIMS = 500
MAX_PROPOSAL_CHARS = 3_000_000
MAX_UPLOAD_BYTES = 2_000_000
MAX_QUOTE_CHARS = MAX_CHARS["quote"]
MAX_NOTES_CHARS = MAX_CHARS["notes"]


class TooLong(SaveError):
    """Something is over its bound: nothing was saved; the message names the field and the limit."""


def check_length(what: str, value: str, limit: int) -> str:
    """`value` when it has at most `limit` characters; TooLong naming `what` and the limit otherwise."""
    if len(value) > limit:
        raise TooLong(f"nothing was saved: {what} is {len(value):,} characters long; the limit is {limit:,}. "
                      "Shorten it and try again (what you typed is still there)")
    return value


def check_release_size(claims: list) -> None:
    """TooLong when a release holds more claims than a proposal may."""
    if len(claims) > MAX_RELEASE_CLAIMS:
        raise TooLong(f"nothing was proposed: the release has {len(claims):,} ticked claims; the limit is "
                      f"{MAX_RELEASE_CLAIMS:,} in one proposal. Propose them in two or more parts")


def check_payload(payload: str) -> str:
    """The proposal's payload (its JSON) when within MAX_PROPOSAL_CHARS; TooLong otherwise."""
    if len(payload) > MAX_PROPOSAL_CHARS:
        raise TooLong(f"nothing was proposed: the proposal is {len(payload):,} characters long; the limit is "
                      f"{MAX_PROPOSAL_CHARS:,}. Propose the release in two or more parts, or shorten its notes")
    return payload
