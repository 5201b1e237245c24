"""Whose email a signed-in identity is, and one spelling of every address (issue #30).

- ``normalise_email``: one spelling for an address, the same at ``users add``, in the store and at sign-in:
  Unicode NFKC, then case-folded. Plain case differences map to one address (``Ana@X.org`` is
  ``ana@x.org``); an address is refused when one of its characters is itself changed by NFKC (the Kelvin sign
  ``K`` would fold into ``k``, fullwidth ``ａ`` into ``a``: another person's address), when it holds invisible
  or control characters, or when one of its parts mixes scripts (a Cyrillic ``а`` among Latin letters).
- ``skeleton`` and ``lookalike``: what an address looks like (Unicode's confusable characters, from the
  confusable-homoglyphs package: ``0``/``O``, ``rn``/``m``, Cyrillic ``а``/Latin ``a``). Giving a role to an
  address that looks like another address with a role is refused.
- ``verified_email``: the normalised email of an ID token's claims, only when the provider says it verified it
  (``email_verified`` is the boolean ``true``), or when the token has no such claim and its issuer is one the
  deployment trusts for its emails (``[crisisboard] email_verified_issuers``, for providers such as Microsoft
  Entra ID that never send the claim). Anything else (the string ``"true"``, ``1``, a missing claim from
  another issuer, ``false`` from any issuer) is not verified.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Collection, Mapping
from functools import lru_cache

from confusable_homoglyphs import categories, confusables

from crisisboard.data.store import SaveError

LOG = logging.getLogger(__name__)
EMAIL_RE = re.compile(r"^[^@\s,]+@[^@\s,]+\.[^@\s,]+$")
NEUTRAL_SCRIPTS = {"COMMON", "INHERITED"}  # digits, punctuation, combining marks: part of any script
# scripts written together (Unicode TS #39, "highly restrictive"): Japanese, Chinese, Korean with Latin
MIXABLE = ({"LATIN", "HAN", "HIRAGANA", "KATAKANA"}, {"LATIN", "HAN", "BOPOMOFO"}, {"LATIN", "HAN", "HANGUL"})
INVISIBLE = "\u200e\u200f"  # the confusables data wraps right-to-left glyphs in these marks


def fold_email(raw: str) -> str:
    """NFKC, then case-folded, without its surrounding blanks: the key an address is stored and looked up by."""
    return unicodedata.normalize("NFKC", str(raw)).casefold().strip()


def normalise_email(raw: str) -> str:
    """The one spelling of an address (see the module's docstring), or SaveError saying what is wrong."""
    raw = str(raw).strip()
    for char in raw:
        if unicodedata.normalize("NFKC", char) != char:
            raise SaveError(f"not an address that can be given a role: {raw!r} has the character {_named(char)}, "
                            f"which stands for {unicodedata.normalize('NFKC', char)!r}; type the address "
                            "with ordinary letters")
        if unicodedata.category(char)[0] in "CZ":
            raise SaveError(f"not an address that can be given a role: {raw!r} holds an invisible or control "
                            f"character ({_named(char)})")
    email = fold_email(raw)
    if not EMAIL_RE.match(email):
        raise SaveError(f"not an email address: {raw!r}")
    for part in re.split(r"[@.]", email):
        scripts = {categories.alias(char) for char in part} - NEUTRAL_SCRIPTS
        if len(scripts) > 1 and not any(scripts <= allowed for allowed in MIXABLE):
            raise SaveError(f"not an address that can be given a role: {raw!r} mixes "
                            f"{' and '.join(sorted(s.title() for s in scripts))} letters in {part!r}, which makes "
                            "it look like another address; each part of an address must be in one script")
    return email


def _named(char: str) -> str:
    return f"{char!r} ({unicodedata.name(char, f'U+{ord(char):04X}')})"


@lru_cache(maxsize=1)
def _prototypes() -> dict[str, str]:
    """Each confusable character mapped to one member of its class of look-alikes (Unicode's confusables, as
    the confusable-homoglyphs package lists them): ASCII first, the longest (``m`` is ``rn``), then the
    first in code point order (``l``, ``I`` and ``1`` are ``1``)."""
    parent: dict[str, str] = {}

    def root(item: str) -> str:
        while parent.setdefault(item, item) != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for char, homoglyphs in confusables.confusables_data.items():
        for glyph in homoglyphs:
            parent[root(glyph["c"].strip(INVISIBLE))] = root(char)
    classes: dict[str, list[str]] = {}
    for item in list(parent):
        classes.setdefault(root(item), []).append(item)
    prototype = {}
    for members in classes.values():
        chosen = min((m for m in members if m), key=lambda m: (not m.isascii(), -len(m), m))
        prototype.update({member: chosen for member in members if len(member) == 1 and member != chosen})
    return prototype


def skeleton(email: str) -> str:
    """What an address looks like: each confusable character replaced by its class's prototype (Unicode TS
    #39's skeleton: decomposed, mapped, decomposed again; mapped until nothing changes, as a prototype of
    several characters may hold one that maps further)."""
    prototype = _prototypes()
    text = unicodedata.normalize("NFD", email)
    for _ in range(4):
        mapped = unicodedata.normalize("NFD", "".join(prototype.get(char, char) for char in text))
        if mapped == text:
            break
        text = mapped
    return text


def lookalike(email: str, others: Collection[str]) -> str | None:
    """Another address among `others` that looks like `email` (the same skeleton), if any."""
    mine = skeleton(email)
    return next((other for other in sorted(others) if other != email and skeleton(other) == mine), None)


def check_distinct(email: str, others: Collection[str]) -> None:
    """SaveError when `email` looks like another address in `others`."""
    other = lookalike(email, others)
    if other is not None:
        raise SaveError(f"nothing was saved: {email!r} looks like {other!r}, which already has a role; two "
                        "addresses that look alike cannot both have one (the second is likely an impostor)")


def verified_email(claims: Mapping, trusted_issuers: Collection[str] = ()) -> str | None:
    """The normalised email of a signed-in identity's claims when it is verified (see the module's docstring),
    else None; why not goes to the log."""
    raw = claims.get("email")
    if not isinstance(raw, str) or not raw.strip():
        return None
    verified = claims.get("email_verified") is True
    trusted = ("email_verified" not in claims and isinstance(claims.get("iss"), str)
               and claims["iss"] in set(trusted_issuers))  # a claim sent, even by a trusted issuer, must be true
    if not (verified or trusted):
        LOG.warning("sign-in of %r without a verified email (email_verified=%r, iss=%r): no role", raw,
                    claims.get("email_verified"), claims.get("iss"))
        return None
    try:
        return normalise_email(raw)
    except SaveError as error:
        LOG.warning("sign-in of %r refused: %s", raw, error)
        return None
