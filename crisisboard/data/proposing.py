"""The proposing half of both stores (crisisboard.data.backends): a proposal is built from the claim as the
store holds it, then kept and decided by the store's own ``_propose`` and ``_decide``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from crisisboard.data.review import PERMISSION_OF, Outcome, apply, claim_proposal, release_proposal
from crisisboard.data.store import SaveError
from crisisboard.data.users import Actor, require


class Proposing:
    """The proposing half of both stores: a proposal is built from the claim as the store holds it."""

    def propose_release(self, source: dict[str, str], claims: list[dict[str, str]], actor: Actor, reason: str,
                        today: date | None = None) -> Outcome:
        return self._propose(release_proposal(source, claims, actor, reason), today)

    def propose_edit(self, claim_id: str, fields: dict[str, str], actor: Actor, reason: str,
                     expected_version: int | None) -> Outcome:
        return self._claim("edit", claim_id, fields, actor, reason, expected_version)

    def propose_retract(self, claim_id: str, actor: Actor, reason: str, expected_version: int | None) -> Outcome:
        return self._claim("retract", claim_id, {}, actor, reason, expected_version)

    def propose_restore(self, claim_id: str, actor: Actor, reason: str, expected_version: int | None) -> Outcome:
        return self._claim("restore", claim_id, {}, actor, reason, expected_version)

    def _claim(self, kind: str, claim_id: str, fields: dict[str, str], actor: Actor, reason: str,
               expected_version: int | None) -> Outcome:
        require(actor, PERMISSION_OF[kind])
        row = self.claim_row(claim_id)
        if row is None:
            raise SaveError(f"nothing was proposed: the data has no claim {claim_id}")
        return self._propose(claim_proposal(kind, claim_id, row, fields, actor, reason, expected_version))

    def approve(self, proposal_id: str, actor: Actor, reason: str, today: date | None = None) -> Outcome:
        return self._decide(proposal_id, "approved", actor, reason, today)

    def reject(self, proposal_id: str, actor: Actor, reason: str) -> Outcome:
        return self._decide(proposal_id, "rejected", actor, reason)

    def withdraw(self, proposal_id: str, actor: Actor, reason: str) -> Outcome:
        return self._decide(proposal_id, "withdrawn", actor, reason)

    def preview(self, proposal_id: str, folder: Path) -> Outcome:
        """Write the data as it would be with the proposal approved into `folder` (to show its proposer or a
        reviewer; nothing is published)."""
        found = [p for p in self.proposals() if p.proposal_id == proposal_id]
        if not found:
            raise SaveError(f"there is no proposal {proposal_id}")
        self.export(folder)
        return apply(Path(folder), found[0], check=False)
