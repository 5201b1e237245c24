"""Sign-in with a real OpenID Connect provider (issue #19): oidc-provider-mock runs as its own process on
127.0.0.1, the app signs in through Streamlit's st.login, and the role of the verified email decides what the
pages offer; and without [auth], a server listening beyond loopback offers no write control at all.
`pytest -k "login or oidc"` selects these tests."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest
from conftest import VALID
from test_app import RELEASE
from test_browser import CHROMIUM, _free_port, running_app

from crisisboard.data.backends import CsvStore
from crisisboard.data.history import read_history
from crisisboard.data.review import read_proposals
from crisisboard.data.users import LOCAL_ADMIN, Actor, PermissionDenied

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (make test installs it)")]
USERS = [{"sub": "ana", "email": "ana@example.org", "email_verified": True},
         {"sub": "rev", "email": "rev@example.org", "email_verified": True},
         {"sub": "eve", "email": "eve@example.org", "email_verified": False},
         {"sub": "nov", "email": "nov@example.org"},  # no email_verified at all (as Microsoft Entra ID)
         {"sub": "str", "email": "str@example.org", "email_verified": "false"}]  # a string, not the boolean


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """oidc-provider-mock on a free port of 127.0.0.1: its issuer URL."""
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "oidc_provider_mock", "-p", str(port),
                                *[arg for user in USERS for arg in ("--user-claims", json.dumps(user))]],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=2).close()
            break
        except OSError:
            assert time.monotonic() < deadline and process.poll() is None, "the mock provider did not start"
            time.sleep(0.2)
    yield issuer
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture()
def signed_in_app(provider: str, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The app with [auth] pointing at the provider, on a copy of the fixture data where ana is an analyst
    and rev a reviewer (and the unverified nov, str and eve analysts, were they verified)."""
    with _app_signing_in_at(provider, tmp_path) as running:
        yield running


@contextlib.contextmanager
def _app_signing_in_at(provider: str, tmp_path: Path, settings: str = "") -> Iterator[tuple[str, Path]]:
    folder = tmp_path / "data"
    shutil.copytree(VALID, folder)
    store = CsvStore(folder)
    store.set_role("ana@example.org", "analyst", LOCAL_ADMIN, "test desk")
    store.set_role("rev@example.org", "reviewer", LOCAL_ADMIN, "test desk")
    for unverified in ("nov", "str", "eve"):
        store.set_role(f"{unverified}@example.org", "analyst", LOCAL_ADMIN, "test desk")
    port = _free_port()
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f"""[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "a-cookie-secret-for-the-login-tests-0123456789"
client_id = "crisisboard-test"
client_secret = "a-client-secret"
server_metadata_url = "{provider}/.well-known/openid-configuration"
{settings}""", encoding="utf-8")
    with running_app(folder, port=port, args=("--secrets", str(secrets))) as base:
        yield base, folder


def _signed_in(name: str, role: str) -> re.Pattern:
    """The sidebar's line (an email is drawn with a word joiner before its @, so that it is never a link)."""
    return re.compile(rf"Signed in as {name}\W?@example\.org \({role}\)")


def _sign_in(page, base: str, sub: str) -> None:  # noqa: ANN001
    page.goto(base, wait_until="domcontentloaded")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name=sub, exact=True).click()  # the provider's predefined user
    page.get_by_text("Signed in as").first.wait_for(timeout=60_000)


def test_oidc_login_gives_the_role_of_the_verified_email_and_sign_out_takes_it(signed_in_app, page) -> None:  # noqa: ANN001
    base, folder = signed_in_app
    page.goto(base, wait_until="domcontentloaded")
    page.get_by_text("Reading needs no account").first.wait_for(timeout=60_000)  # anonymous: a viewer
    _sign_in(page, base, "ana")
    assert page.get_by_text(_signed_in("ana", "analyst")).count()
    assert _card_offers(page, base) == "Propose an edit"  # an analyst proposes edits, not retractions
    _sign_out(page)
    _sign_in(page, base, "rev")
    assert page.get_by_text(_signed_in("rev", "reviewer")).count()
    assert _card_offers(page, base) == "Propose an edit or a retraction"
    page.get_by_role("tab", name="Edit").click()
    page.get_by_label("notes", exact=True).fill("Checked by the reviewer.")
    page.get_by_label("Why (required: goes into the claim's history)").fill("read the wire again")
    page.get_by_role("button", name="Propose the edit").click()
    page.get_by_text("1 change(s) of fx-04. Nothing is published").first.wait_for(timeout=30_000)
    [proposal] = read_proposals(folder)
    assert proposal.proposed_by == "rev@example.org"  # the verified email, not "local"
    assert "Checked by the reviewer." not in (folder / "claims.csv").read_text(encoding="utf-8")


def _sign_out(page) -> None:  # noqa: ANN001
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="End session").click()  # the provider's end-session page, back to the app
    page.get_by_role("button", name="Sign in").wait_for(timeout=60_000)


def _propose_the_release(page, base: str) -> None:  # noqa: ANN001
    """On Add a release: paste a release, tick its first candidate (the killed figure) and propose it."""
    page.set_viewport_size({"width": 1600, "height": 1000})
    page.goto(f"{base}/add_release", wait_until="domcontentloaded")
    area = page.get_by_label("Release text")
    area.fill(RELEASE)
    area.press("Control+Enter")
    page.get_by_text("candidates. Grades start").first.wait_for(timeout=60_000)
    grid = page.locator("[data-testid=stDataFrame]").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 69, box["y"] + 53)  # the "keep" box of the first row (after the row marker)
    page.wait_for_timeout(1500)  # the editor sends the tick, and the app reruns, before the button is pressed
    page.get_by_role("button", name="Propose the ticked claims for review").click()


def test_oidc_an_analyst_proposes_a_claim_and_another_reviewer_approves_it_onto_the_timeline(
        signed_in_app, page) -> None:  # noqa: ANN001
    base, folder = signed_in_app
    before = (folder / "claims.csv").read_bytes()
    _sign_in(page, base, "ana")
    _propose_the_release(page, base)
    page.get_by_text("1 claim(s) for source").first.wait_for(timeout=30_000)
    [proposal] = read_proposals(folder)
    assert (proposal.kind, proposal.proposed_by, proposal.status) == ("release", "ana@example.org", "pending")
    assert (folder / "claims.csv").read_bytes() == before  # a draft: not published
    page.goto(f"{base}/timeline", wait_until="domcontentloaded")
    page.get_by_text("Showing 6 of 6 claims").first.wait_for(timeout=60_000)  # the draft is not on the charts
    page.goto(f"{base}/review", wait_until="domcontentloaded")
    page.get_by_text("Waiting for review (1)").first.wait_for(timeout=60_000)
    page.get_by_role("button", name="Withdraw").wait_for(timeout=30_000)  # her own, she may withdraw it
    assert page.get_by_role("button", name="Approve and publish").count() == 0  # an analyst cannot approve
    with pytest.raises(PermissionDenied):  # nor through the store
        CsvStore(folder).approve(proposal.proposal_id, Actor("ana@example.org", "analyst"), "mine")
    _sign_out(page)
    _sign_in(page, base, "rev")
    page.goto(f"{base}/review", wait_until="domcontentloaded")
    page.get_by_role("button", name="Approve and publish").wait_for(timeout=60_000)
    assert page.get_by_text("Waiting for review (1)").count()
    assert page.get_by_text("at least 40 people were killed").count()  # the diff: the claim it would add
    page.get_by_label("Why (required: goes into the history)").fill("the wire says so, checked")
    page.get_by_role("button", name="Approve and publish").click()
    page.get_by_text(f"Proposal {proposal.proposal_id} approved and published").first.wait_for(timeout=30_000)
    page.goto(f"{base}/timeline", wait_until="domcontentloaded")
    page.get_by_text("Showing 7 of 7 claims").first.wait_for(timeout=60_000)  # published: on the Timeline
    [decided] = read_proposals(folder)
    assert (decided.status, decided.decided_by) == ("approved", "rev@example.org")
    added = [c for c in read_history(folder) if c.action == "add_claim"]
    assert [c.who for c in added][-1:] == ["ana@example.org"]


def test_oidc_a_reviewer_cannot_approve_their_own_proposal(signed_in_app, page) -> None:  # noqa: ANN001
    base, folder = signed_in_app
    _sign_in(page, base, "rev")
    _propose_the_release(page, base)
    page.get_by_text("1 claim(s) for source").first.wait_for(timeout=30_000)
    page.goto(f"{base}/review", wait_until="domcontentloaded")
    page.get_by_role("button", name="Preview on the Timeline").wait_for(timeout=60_000)
    assert page.get_by_role("button", name="Approve and publish").is_disabled()
    assert page.get_by_text("under the two-person rule another reviewer decides it").count()
    [proposal] = read_proposals(folder)
    with pytest.raises(PermissionDenied, match="two-person rule"):
        CsvStore(folder).approve(proposal.proposal_id, Actor("rev@example.org", "reviewer"), "mine")
    assert read_proposals(folder)[0].status == "pending"


def test_oidc_login_with_an_unverified_email_stays_a_viewer(signed_in_app, page) -> None:  # noqa: ANN001
    """email_verified false, missing, or the string "false": no role, though the store gives the email one."""
    base, _ = signed_in_app
    _sign_in(page, base, "eve")
    assert page.get_by_text(_signed_in("eve", "viewer")).count()
    assert _card_offers(page, base) == ""
    for sub in ("nov", "str"):
        page.get_by_role("button", name="Sign out").click()
        page.get_by_role("button", name="End session").click()
        page.get_by_role("button", name="Sign in").wait_for(timeout=60_000)
        _sign_in(page, base, sub)
        assert page.get_by_text(_signed_in(sub, "viewer")).count(), sub


def test_oidc_a_trusted_issuer_verifies_an_email_sent_without_the_claim(provider: str, tmp_path: Path,
                                                                        page) -> None:  # noqa: ANN001
    """[crisisboard] email_verified_issuers names the provider: its emails without email_verified count (as
    Microsoft Entra ID's), and one it says is not verified still does not."""
    settings = f'[crisisboard]\nemail_verified_issuers = ["{provider}"]\n'
    with _app_signing_in_at(provider, tmp_path, settings) as (base, _):
        _sign_in(page, base, "nov")
        assert page.get_by_text(_signed_in("nov", "analyst")).count()
        _sign_out(page)
        _sign_in(page, base, "eve")  # email_verified false, from the trusted issuer
        assert page.get_by_text(_signed_in("eve", "viewer")).count()


def test_oidc_a_cookie_copied_before_sign_out_gives_no_role_after_it(signed_in_app, browser, page) -> None:  # noqa: ANN001
    base, folder = signed_in_app
    _sign_in(page, base, "ana")
    copied = [c for c in page.context.cookies() if c["name"].startswith("_streamlit_user")]
    assert copied, page.context.cookies()
    thief = browser.new_context()
    try:
        stolen = thief.new_page()
        thief.add_cookies(copied)
        stolen.goto(base, wait_until="domcontentloaded")
        stolen.get_by_text(_signed_in("ana", "analyst")).first.wait_for(timeout=60_000)  # the copy works...
        _sign_out(page)
        stolen.reload(wait_until="domcontentloaded")
        stolen.get_by_text("You were signed out.").first.wait_for(timeout=60_000)  # ...until she signs out
        stolen.get_by_role("button", name="Sign in").wait_for(timeout=30_000)
        assert _card_offers(stolen, base) == ""
    finally:
        thief.close()
    assert "ana@example.org" in (folder / "signouts.csv").read_text(encoding="utf-8")
    _sign_in(page, base, "ana")  # signing in again gives her role back
    assert page.get_by_text(_signed_in("ana", "analyst")).count()


def test_oidc_removing_a_role_takes_effect_on_the_next_rerun(signed_in_app, page) -> None:  # noqa: ANN001
    base, folder = signed_in_app
    _sign_in(page, base, "ana")
    assert page.get_by_text(_signed_in("ana", "analyst")).count()
    CsvStore(folder).set_role("ana@example.org", None, LOCAL_ADMIN, "left the desk")
    page.get_by_role("link", name="Sources").click()  # the next rerun of the same session: no new sign-in
    page.get_by_text(_signed_in("ana", "viewer")).first.wait_for(timeout=60_000)
    assert _card_offers(page, base) == ""  # and nothing to propose


def _card_offers(page, base: str) -> str:  # noqa: ANN001
    """Open fx-04's card on the Timeline; what it offers to propose ("" when nothing), opened."""
    page.set_viewport_size({"width": 1600, "height": 1000})
    page.goto(f"{base}/timeline?chart=refugees_crossed&incidents=0", wait_until="domcontentloaded")
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .scatterlayer path').length > 0",
                           timeout=30_000)
    bar = page.locator(".js-plotly-plot .scatterlayer .trace path.js-line").first
    box = bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.get_by_role("link", name="Open the release at the quote").wait_for(timeout=20_000)
    page.wait_for_timeout(500)
    for offer in ("Propose an edit or a retraction", "Propose an edit"):
        if page.get_by_text(offer, exact=True).count():
            page.get_by_text(offer, exact=True).click()
            return offer
    return ""


def test_login_a_server_beyond_loopback_without_sign_in_offers_no_write_control(tmp_path: Path, page) -> None:  # noqa: ANN001
    """login: without [auth] and listening on 0.0.0.0, nothing can be written, and the pages say so."""
    folder = tmp_path / "data"
    shutil.copytree(VALID, folder)
    with running_app(folder, address="0.0.0.0", local=False) as base:
        assert _card_offers(page, base) == ""
        assert page.get_by_text("Editing is off").count()
        page.goto(f"{base}/add_release", wait_until="domcontentloaded")
        page.get_by_text("Editing is off").first.wait_for(timeout=60_000)
    assert read_history(folder) == []


def test_login_local_mode_on_loopback_says_so(tmp_path: Path, page) -> None:  # noqa: ANN001
    folder = tmp_path / "data"
    shutil.copytree(VALID, folder)
    with running_app(folder) as base:
        page.goto(base, wait_until="domcontentloaded")
        page.get_by_text("Local mode: this app was started on this machine for you").first.wait_for(timeout=60_000)
        assert _card_offers(page, base) == "Propose an edit or a retraction"
