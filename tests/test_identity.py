"""Roles go only to verified identities, under one spelling of their email, and a sign-out ends a sign-in on the
server (issue #30, Deliver 3 and 4): crisisboard.data.identity and crisisboard.data.sessions, with both stores
(CSV and a real PostgreSQL) and the real ``python -m crisisboard users`` command. The same in the browser,
with a real OpenID Connect provider: tests/test_login.py."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import PROJECT, VALID
from test_store_contract import pg_admin, pg_url, store  # noqa: F401 - fixtures (both backends)

from crisisboard.app.signin_config import SigninConfigError, checked_signin
from crisisboard.data.backends import CsvStore, Store
from crisisboard.data.identity import normalise_email, skeleton, verified_email
from crisisboard.data.sessions import (
    EXPIRED,
    SIGNED_OUT,
    SIGNOUTS_FILE,
    SignInSettings,
    parse_signouts,
    session_end,
    signed_in_actor,
)
from crisisboard.data.store import SaveError
from crisisboard.data.users import LOCAL_ADMIN, Actor

KELVIN = "\u212a"  # KELVIN SIGN: looks like K, folds into k
CYRILLIC_A, CYRILLIC_ES, CYRILLIC_IE = "\u0430", "\u0441", "\u0435"  # а, с, е: look like a, c, e
NOW = datetime(2026, 12, 7, 12, 0, tzinfo=timezone.utc)
ENTRA = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0"


# --- one spelling: NFKC, case-folded; what folds into another's address is refused ---------------------------------

@pytest.mark.parametrize("raw", ["Ana@Example.org", "ANA@EXAMPLE.ORG", "  ana@example.org ", "ana@EXAMPLE.org"])
def test_plain_case_differences_are_one_address(raw: str) -> None:
    assert normalise_email(raw) == "ana@example.org"


@pytest.mark.parametrize("raw, named", [
    (f"{KELVIN}ate@example.org", "KELVIN SIGN"),
    ("\uff41na@example.org", "FULLWIDTH LATIN SMALL LETTER A"),
    ("ana@example.\u2170o", "SMALL ROMAN NUMERAL ONE"),
    ("an\ufb01@example.org", "LATIN SMALL LIGATURE FI"),
])
def test_a_character_that_folds_into_another_is_refused(raw: str, named: str) -> None:
    with pytest.raises(SaveError, match=f"{named}.*ordinary letters"):
        normalise_email(raw)


@pytest.mark.parametrize("raw, rule", [
    (f"{CYRILLIC_A}dmin@example.org", "mixes Cyrillic and Latin letters"),
    ("adm\u03bfn@example.org", "mixes Greek and Latin letters"),  # Greek omicron
    ("ad\u200bmin@example.org", "invisible or control character"),
    ("ad\u202emin@example.org", "invisible or control character"),
    ("admin@example", "not an email address"),
])
def test_look_alike_and_invisible_characters_are_refused(raw: str, rule: str) -> None:
    with pytest.raises(SaveError, match=rule):
        normalise_email(raw)


@pytest.mark.parametrize("raw, spelled", [
    ("T\u0101ro@example.jp", "t\u0101ro@example.jp"),  # Latin with a macron: one script
    ("\u5c71\u7530@example.jp", "\u5c71\u7530@example.jp"),  # Han
    ("ivan@\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444", "ivan@\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444"),
    ("Stra\u00dfe@example.de", "strasse@example.de"),  # case-folded, as the issue asks
])
def test_addresses_in_one_script_a_part_are_kept(raw: str, spelled: str) -> None:
    assert normalise_email(raw) == spelled


@pytest.mark.parametrize("one, other", [
    ("ace@example.org", f"{CYRILLIC_A}{CYRILLIC_ES}{CYRILLIC_IE}@example.org"),
    ("bill@example.org", "bi11@example.org"),
    ("arnold@example.org", "amold@example.org"),
])
def test_confusable_addresses_share_a_skeleton(one: str, other: str) -> None:
    assert skeleton(one) == skeleton(other)
    assert skeleton(one) != skeleton("bob@example.org")


# --- users add: the same rule in both stores and on the command line -----------------------------------------------

def test_users_add_normalises_case_and_refuses_kelvin_and_look_alikes(store: Store) -> None:
    store.set_role("Admin@Example.org", "admin", LOCAL_ADMIN, "runs the desk")
    store.set_role("ADMIN@example.ORG", "reviewer", LOCAL_ADMIN, "the same person, typed otherwise")
    assert store.users() == {"admin@example.org": "reviewer"}
    for impostor, rule in [(f"{KELVIN}ate@example.org", "KELVIN SIGN"),
                           (f"{CYRILLIC_A}dmin@example.org", "mixes Cyrillic and Latin"),
                           ("adrnin@example.org", "looks like 'admin@example.org'")]:
        with pytest.raises(SaveError, match=rule):
            store.set_role(impostor, "admin", LOCAL_ADMIN, "an impostor")
    assert store.users() == {"admin@example.org": "reviewer"}
    assert [c.new for c in store.history("admin@example.org")] == ["admin", "reviewer"]
    store.set_role("ace@example.org", "analyst", LOCAL_ADMIN, "joined")
    with pytest.raises(SaveError, match="looks like 'ace@example.org'"):  # all Cyrillic: one script, same look
        store.set_role(f"{CYRILLIC_A}{CYRILLIC_ES}{CYRILLIC_IE}@example.org", "analyst", LOCAL_ADMIN, "impostor")
    store.set_role(f"{CYRILLIC_A}{CYRILLIC_ES}{CYRILLIC_IE}@example.org", None, LOCAL_ADMIN, "no such user")
    store.set_role("ACE@example.org", None, LOCAL_ADMIN, "left")  # removed under any spelling of it
    assert store.users() == {"admin@example.org": "reviewer"}


def _users_cli(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CRISISBOARD_DATABASE_URL"}
    return subprocess.run([sys.executable, "-m", "crisisboard", "users", *args, "--data-dir", str(folder)],
                          cwd=PROJECT, capture_output=True, text=True, timeout=120, check=False, env=env)


def test_users_add_on_the_command_line(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(VALID, folder)
    assert _users_cli(folder, "add", "Admin@Example.ORG", "--role", "admin").returncode == 0
    refused = _users_cli(folder, "add", f"{KELVIN}ate@example.org", "--role", "analyst")
    assert refused.returncode == 1 and "KELVIN SIGN" in refused.stderr
    refused = _users_cli(folder, "add", f"{CYRILLIC_A}dmin@example.org", "--role", "analyst")
    assert refused.returncode == 1 and "mixes Cyrillic and Latin letters" in refused.stderr
    listed = _users_cli(folder, "list")
    assert listed.stdout == "admin@example.org\tadmin\tall crises\n"  # no --crisis: a role on all


# --- verified emails ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("claims, trusted, email", [
    ({"email": "Ana@Example.org", "email_verified": True}, (), "ana@example.org"),
    ({"email": "ana@example.org"}, (), None),  # no claim: not verified
    ({"email": "ana@example.org", "email_verified": "false"}, (), None),
    ({"email": "ana@example.org", "email_verified": "true"}, (), None),  # a string, not the boolean
    ({"email": "ana@example.org", "email_verified": 1}, (), None),
    ({"email": "ana@example.org", "email_verified": False}, (), None),
    ({"email": "ana@example.org", "iss": ENTRA}, (ENTRA,), "ana@example.org"),  # a trusted issuer
    ({"email": "ana@example.org", "iss": "https://evil.example/v2.0"}, (ENTRA,), None),
    ({"email": "ana@example.org", "iss": ENTRA, "email_verified": False}, (ENTRA,), None),  # said: not verified
    ({"email": "ana@example.org", "iss": ENTRA, "email_verified": "true"}, (ENTRA,), None),
    ({"email": f"{KELVIN}ate@example.org", "email_verified": True}, (), None),  # would fold into kate@
    ({"email_verified": True}, (), None),
    ({"email": ["ana@example.org"], "email_verified": True}, (), None),
])
def test_an_email_is_verified_only_by_the_boolean_or_a_trusted_issuer(claims: dict, trusted: tuple,
                                                                      email: str | None) -> None:
    assert verified_email(claims, trusted) == email


# --- sign-ins the server ends ------------------------------------------------------------------------------------

def _iat(hours_ago: float) -> int:
    return int((NOW - timedelta(hours=hours_ago)).timestamp())


@pytest.mark.parametrize("iat, signed_out, ended", [
    (_iat(1), None, ""),
    (_iat(1), NOW - timedelta(hours=2), ""),  # signed out before this sign-in
    (_iat(1), NOW - timedelta(minutes=30), SIGNED_OUT),  # this sign-in was issued before the sign-out
    (_iat(1), datetime.fromtimestamp(_iat(1), timezone.utc), SIGNED_OUT),  # the same second: not after it
    (_iat(13), None, EXPIRED),  # older than 12 hours
    (None, None, EXPIRED),  # no issue time: fail closed
    ("1765000000", None, EXPIRED),
    (True, None, EXPIRED),
    (_iat(-1), None, EXPIRED),  # issued an hour from now
])
def test_a_sign_in_ends_at_sign_out_and_after_its_longest_life(iat: object, signed_out: datetime | None,
                                                               ended: str) -> None:
    claims = {"email": "ana@example.org", "email_verified": True} | ({"iat": iat} if iat is not None else {})
    assert session_end(claims, signed_out, timedelta(hours=12), NOW) == ended


@pytest.mark.parametrize("section, settings", [
    ({}, SignInSettings((), 12.0)),
    ({"email_verified_issuers": [ENTRA], "session_hours": 8}, SignInSettings((ENTRA,), 8.0)),
])
def test_sign_in_settings(section: dict, settings: SignInSettings) -> None:
    assert SignInSettings.from_mapping(section) == settings


@pytest.mark.parametrize("section, key", [
    ({"email_verified_issuers": ENTRA}, "email_verified_issuers"),  # a string, not a list
    ({"email_verified_issuers": [""]}, "email_verified_issuers"),
    ({"session_hours": 0}, "session_hours"),
    ({"session_hours": "12"}, "session_hours"),
    ({"session_hours": float("inf")}, "session_hours"),
])
def test_sign_in_settings_that_do_not_load_name_their_key(section: dict, key: str) -> None:
    with pytest.raises(ValueError, match=rf"\[crisisboard\] {key} must be"):
        SignInSettings.from_mapping(section)


def test_a_sign_out_ends_every_earlier_sign_in_of_that_email_and_a_removed_role_is_gone_at_once(store: Store
                                                                                                ) -> None:
    store.set_role("ana@example.org", "analyst", LOCAL_ADMIN, "joined")
    settings = SignInSettings()
    ana = {"email": "ana@example.org", "email_verified": True, "iat": _iat(2)}
    assert signed_in_actor(ana, store, settings, NOW) == Actor("ana@example.org", "analyst")
    store.sign_out("ana@example.org", NOW - timedelta(hours=1), settings.longest)
    ended = signed_in_actor(ana, store, settings, NOW)
    assert (ended.email, ended.role, ended.ended) == ("ana@example.org", "viewer", SIGNED_OUT)
    store.sign_out("ana@example.org", NOW - timedelta(hours=3), settings.longest)  # an older one changes nothing
    assert signed_in_actor(ana, store, settings, NOW).ended == SIGNED_OUT
    again = ana | {"iat": _iat(0.5)}  # signed in again after signing out
    assert signed_in_actor(again, store, settings, NOW) == Actor("ana@example.org", "analyst")
    store.set_role("ana@example.org", None, LOCAL_ADMIN, "left the desk")
    assert signed_in_actor(again, store, settings, NOW) == Actor("ana@example.org", "viewer")
    assert [c.field for c in store.history("ana@example.org")] == ["role", "role"]  # sign-outs are not data


def test_unverified_identities_get_no_role_from_the_store(store: Store) -> None:
    store.set_role("ana@example.org", "admin", LOCAL_ADMIN, "runs the desk")
    for claims in ({"email": "ana@example.org", "iat": _iat(1)},
                   {"email": "ana@example.org", "email_verified": "false", "iat": _iat(1)},
                   {"email": "ANA@example.org", "email_verified": "true", "iat": _iat(1)}):
        assert signed_in_actor(claims, store, SignInSettings(), NOW).role == "viewer"
    trusted = SignInSettings(email_verified_issuers=(ENTRA,))
    entra = {"email": "ana@example.org", "iss": ENTRA, "iat": _iat(1)}
    assert signed_in_actor(entra, store, trusted, NOW).role == "admin"
    assert signed_in_actor(entra | {"iat": _iat(13)}, store, trusted, NOW).ended == EXPIRED


def test_the_csv_store_keeps_sign_outs_beside_the_data_and_drops_old_ones(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(VALID, folder)
    store = CsvStore(folder)
    store.sign_out("old@example.org", NOW - timedelta(hours=20), timedelta(hours=12))
    store.sign_out("ana@example.org", NOW, timedelta(hours=12))
    assert (folder / SIGNOUTS_FILE).read_text(encoding="utf-8") == (
        "email,signed_out_at\nana@example.org,2026-12-07T12:00:00+00:00\n")  # old@ is past any live sign-in
    assert store.signed_out_at("ana@example.org") == NOW and store.signed_out_at("ben@example.org") is None
    assert not list(folder.glob(f".{SIGNOUTS_FILE}.*"))  # replaced atomically: no temporary file left


def test_a_sign_out_time_that_cannot_be_read_ends_that_email_for_good() -> None:
    signouts = parse_signouts("email,signed_out_at\nana@example.org,yesterday\nben@example.org,2026-12-07T11:00:00\n")
    assert session_end({"iat": _iat(0.1)}, signouts["ana@example.org"], timedelta(hours=12), NOW) == SIGNED_OUT
    assert signouts["ben@example.org"] == NOW - timedelta(hours=1)  # a time without a zone is UTC


def test_a_crisisboard_section_that_does_not_load_stops_the_server(tmp_path: Path) -> None:
    auth = ('[auth]\nredirect_uri = "https://x.example.org/oauth2callback"\ncookie_secret = "' + "s" * 40 + '"\n'
            'client_id = "c"\nclient_secret = "s"\nserver_metadata_url = "https://id.example.org/.well-known/x"\n')
    for section, named in [('[crisisboard]\nsession_hours = "12"\n', "[crisisboard] session_hours must be"),
                           (f'[crisisboard]\nemail_verified_issuers = "{ENTRA}"\n', "email_verified_issuers must be"),
                           ('crisisboard = 12\n', "[crisisboard] must be a section")]:
        secrets = tmp_path / "secrets.toml"
        secrets.write_text(section + auth if not section.startswith("[") else auth + section, encoding="utf-8")
        with pytest.raises(SigninConfigError, match=re.escape(named)):
            checked_signin(secrets)
    secrets.write_text(auth + f'[crisisboard]\nemail_verified_issuers = ["{ENTRA}"]\nsession_hours = 8\n',
                       encoding="utf-8")
    assert checked_signin(secrets) is True
