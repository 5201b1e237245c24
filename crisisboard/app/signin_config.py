"""The sign-in settings a server starts with (issue #30): a secrets file is read and checked BEFORE the server
starts, and a file that is missing, unreadable, not TOML, or whose ``[auth]`` lacks a key stops the server
with an error naming the file and the key. Nothing ever falls back to local mode.

``[auth]`` needs the keys of Streamlit's default OpenID Connect provider (deploy/README.md):
redirect_uri, cookie_secret (32 characters or more), client_id, client_secret, server_metadata_url.
A secrets file without ``[auth]`` is allowed: the server then has no sign-in, and is read-only unless it was
started in local mode.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from crisisboard.app.publish_config import publish_problems
from crisisboard.data.sessions import SignInSettings

AUTH_KEYS = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")
URL_KEYS = ("redirect_uri", "server_metadata_url")
MIN_COOKIE_SECRET = 32


class SigninConfigError(Exception):
    """The secrets file cannot be used; the message names the file and, where there is one, the key."""


def read_secrets(path: Path) -> dict:
    """The secrets of `path` (TOML), or SigninConfigError saying why they cannot be read."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise SigninConfigError(f"{path}: the secrets file does not exist") from None
    except OSError as error:
        raise SigninConfigError(f"{path}: the secrets file cannot be read ({error.strerror})") from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise SigninConfigError(f"{path}: the secrets file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise SigninConfigError(f"{path}: not valid TOML: {error}") from None


def auth_problems(secrets: dict) -> list[str]:
    """What is wrong with the ``[auth]`` section (empty when it is absent or complete), each naming the key."""
    if "auth" not in secrets:
        return []
    auth = secrets["auth"]
    if not isinstance(auth, dict):
        return ["[auth] must be a section (a table), not a single value"]
    problems = []
    for key in AUTH_KEYS:
        value = auth.get(key)
        if value is None:
            problems.append(f"[auth] {key} is missing")
        elif not isinstance(value, str) or not value.strip():
            problems.append(f"[auth] {key} must be a non-empty text")
    for key in URL_KEYS:
        value = auth.get(key)
        if isinstance(value, str) and value.strip() and not value.startswith(("http://", "https://")):
            problems.append(f"[auth] {key} must be an http:// or https:// address")
    secret = auth.get("cookie_secret")
    if isinstance(secret, str) and secret.strip() and len(secret) < MIN_COOKIE_SECRET:
        problems.append(f"[auth] cookie_secret must be {MIN_COOKIE_SECRET} characters or more (a random text)")
    return problems


def settings_problems(secrets: dict) -> list[str]:
    """What is wrong with the ``[crisisboard]`` section: trusted issuers, session_hours (crisisboard.data.sessions),
    publish_dir and publish_url (crisisboard.app.publish_config)."""
    try:
        SignInSettings.from_mapping(secrets.get("crisisboard", {}))
    except ValueError as error:
        return [str(error)]
    return publish_problems(secrets)


def checked_signin(path: Path | None) -> bool:
    """Whether the server signs people in: False without a secrets file or without ``[auth]``, True with a
    complete ``[auth]``; SigninConfigError for anything else (the server must not start)."""
    if path is None:
        return False
    secrets = read_secrets(path)
    problems = auth_problems(secrets) + settings_problems(secrets)
    if problems:
        raise SigninConfigError(f"{path}: " + "; ".join(problems))
    return "auth" in secrets


def default_secrets_file(folder: Path) -> Path | None:
    """The secrets file Streamlit would read by default from `folder` (.streamlit/secrets.toml), when one is
    there (a broken one is still returned: it must stop the server, not be skipped)."""
    path = Path(folder) / ".streamlit" / "secrets.toml"
    return path if path.exists() or path.is_symlink() else None
