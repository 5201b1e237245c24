"""Fail closed (issue #30): a missing, unreadable or incomplete secrets file stops the server and the cluster,
naming the file and the key; a cluster without [auth] (or with it) lets no anonymous visitor write; local
mode is never what a server behind nginx gives. Real servers: `python -m crisisboard serve`, nginx through
deploy/cluster.py, Chromium."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import PROJECT, VALID
from test_browser import _free_port

sys.path.insert(0, str(PROJECT / "deploy"))
import cluster as deploy  # noqa: E402

from crisisboard.app.signin_config import SigninConfigError, auth_problems, checked_signin  # noqa: E402
from crisisboard.data.history import read_history  # noqa: E402

COMPLETE = {"redirect_uri": "http://127.0.0.1:8600/oauth2callback",
            "cookie_secret": "a-cookie-secret-for-the-fail-closed-tests-0123",
            "client_id": "crisisboard", "client_secret": "a-client-secret",
            "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
needs_nginx = pytest.mark.skipif(not deploy.NGINX.exists(), reason=f"{deploy.NGINX} is missing (make nginx)")


def _auth_file(path: Path, drop: str | None = None) -> Path:
    lines = [f'{key} = "{value}"' for key, value in COMPLETE.items() if key != drop]
    path.write_text("[auth]\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("key", list(COMPLETE))
def test_an_auth_section_missing_any_key_is_named(key: str) -> None:
    incomplete = {name: value for name, value in COMPLETE.items() if name != key}
    assert auth_problems({"auth": incomplete}) == [f"[auth] {key} is missing"]
    assert auth_problems({"auth": COMPLETE}) == []
    assert auth_problems({}) == []  # no [auth]: a server without sign-in (read-only unless --local)


def test_a_short_cookie_secret_a_bad_address_and_a_lone_value_are_refused() -> None:
    assert auth_problems({"auth": {**COMPLETE, "cookie_secret": "short"}}) == [
        "[auth] cookie_secret must be 32 characters or more (a random text)"]
    assert auth_problems({"auth": {**COMPLETE, "server_metadata_url": "file:///etc/passwd"}}) == [
        "[auth] server_metadata_url must be an http:// or https:// address"]
    assert auth_problems({"auth": "yes"}) == ["[auth] must be a section (a table), not a single value"]


def _serve(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crisisboard", "serve", "--port", str(_free_port()), *args],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False)


def _broken_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """Each broken secrets file and what the error must name."""
    missing = tmp_path / "nowhere" / "secrets.toml"
    unreadable = tmp_path / "a-folder.toml"
    unreadable.mkdir()  # unreadable even for root (CI), unlike a file with mode 000
    not_toml = tmp_path / "not-toml.toml"
    not_toml.write_text("[auth\nredirect_uri = ", encoding="utf-8")
    incomplete = _auth_file(tmp_path / "incomplete.toml", drop="client_secret")
    return {"missing": (missing, "does not exist"), "unreadable": (unreadable, "cannot be read"),
            "not TOML": (not_toml, "not valid TOML"), "incomplete": (incomplete, "[auth] client_secret is missing")}


def test_serve_stops_on_a_missing_unreadable_broken_or_incomplete_secrets_file(tmp_path: Path) -> None:
    for name, (path, says) in _broken_files(tmp_path).items():
        for local in ((), ("--local",)):  # never a fall back to local mode, even when it was asked for
            done = _serve(tmp_path, "--secrets", str(path), *local)
            assert done.returncode == 2, (name, done.stderr)
            assert str(path) in done.stderr and says in done.stderr, (name, done.stderr)
            assert "serving" not in done.stderr


def test_a_broken_default_secrets_file_stops_the_server_too(tmp_path: Path) -> None:
    (tmp_path / ".streamlit").mkdir()
    default = _auth_file(tmp_path / ".streamlit" / "secrets.toml", drop="cookie_secret")
    done = _serve(tmp_path, "--local")
    assert done.returncode == 2 and str(default) in done.stderr and "[auth] cookie_secret is missing" in done.stderr


def test_local_mode_only_on_loopback(tmp_path: Path) -> None:
    done = _serve(tmp_path, "--local", "--address", "0.0.0.0")
    assert done.returncode == 2 and "--local listens on this machine only" in done.stderr


def test_make_run_asks_for_local_mode_on_loopback() -> None:
    recipe = (PROJECT / "Makefile").read_text(encoding="utf-8").split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "-m crisisboard serve --local" in recipe and "--address 127.0.0.1" in recipe


@needs_nginx
def test_the_cluster_does_not_start_with_a_broken_secrets_file(tmp_path: Path) -> None:
    for name, (path, says) in _broken_files(tmp_path).items():
        with pytest.raises(SigninConfigError, match="does not exist|cannot be read|TOML|client_secret"):
            deploy.Cluster(VALID, backends=1, secrets_file=path).start()
        done = subprocess.run([sys.executable, str(PROJECT / "deploy" / "cluster.py"), "--secrets", str(path),
                               "--port", str(_free_port()), "--backends", "1"],
                              capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 2 and says in done.stderr, (name, done.stderr)
    assert checked_signin(_auth_file(tmp_path / "good.toml")) is True


@needs_nginx
@pytest.mark.parametrize("signin", [False, True], ids=["without-auth", "with-auth"])
def test_an_anonymous_visitor_through_the_cluster_cannot_write(tmp_path: Path, page, signin: bool) -> None:  # noqa: ANN001
    folder = tmp_path / "data"
    shutil.copytree(VALID, folder)
    workdir = tmp_path / "not" / "yet" / "there"  # --workdir that does not exist yet is created
    secrets = _auth_file(tmp_path / "secrets.toml") if signin else None
    with deploy.Cluster(folder, backends=2, workdir=workdir, secrets_file=secrets) as running:
        page.goto(f"{running.url}/add_release", wait_until="domcontentloaded")
        page.get_by_text("Sign in" if signin else "Editing is off").first.wait_for(timeout=90_000)
        assert not page.get_by_text("Local mode: this app was started").count()
        assert not page.get_by_role("button", name="Propose").count()
        assert not page.get_by_label("Release text").count()
        page.goto(f"{running.url}/review", wait_until="domcontentloaded")
        page.get_by_text("Sign in" if signin else "Editing is off").first.wait_for(timeout=90_000)
        assert not page.get_by_role("button", name="Approve").count()
        assert not page.get_by_text("Two-person rule").count() or not page.get_by_role("checkbox").count()
    assert workdir.is_dir()
    assert read_history(folder) == []
    assert not (folder / "proposals.csv").exists()


@needs_nginx
def test_nginx_logs_no_query_string_of_the_sign_in_callback(tmp_path: Path) -> None:
    with deploy.Cluster(VALID, backends=1, workdir=tmp_path / "work") as running:
        for url in (f"{running.url}/oauth2callback?code=SECRET-CODE-123&state=SECRET-STATE",
                    f"{running.url}/overview?metric=killed"):
            try:
                urllib.request.urlopen(url, timeout=30).close()
            except OSError:
                pass  # the callback without a session answers an error: what is logged is what matters
        deadline = time.monotonic() + 60  # nginx writes a line when the request ends, the upstream's answer too
        while running.access_log().count("\n") < 2 and time.monotonic() < deadline:
            time.sleep(0.5)
        logs = running.access_log() + (tmp_path / "work" / "nginx" / "error.log").read_text(errors="replace")
    assert "SECRET-CODE-123" not in logs and "SECRET-STATE" not in logs
    assert "/oauth2callback?(not logged)" in logs
    assert "/overview?metric=killed" in logs  # other requests are logged as before
