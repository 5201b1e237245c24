"""Where the app publishes editions (issue #32): the ``[crisisboard]`` section of the secrets file, keys
``publish_dir`` (the folder that holds the editions, an absolute path) and ``publish_url`` (the public address
that folder is served at, http:// or https://). In local mode (``serve --local``, what ``make run`` does)
publish_dir defaults to ``public/`` of the checkout, what ``make publish`` writes. A bad value stops the server
(crisisboard.app.signin_config) and, read while it runs, turns publishing off: it never falls back to a default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from crisisboard.claims.markup import safe_url
from crisisboard.data import PROJECT_ROOT

LOCAL_PUBLISH_DIR = PROJECT_ROOT / "public"


@dataclass(frozen=True)
class PublishSettings:
    """`folder`: where editions go (None: publishing is off on this server); `url`: where it is served ("":
    not said, so the app shows an edition's number and date with no link)."""

    folder: Path | None = None
    url: str = ""


def publish_settings(section: object, local: bool) -> PublishSettings:
    """The publish settings of a ``[crisisboard]`` section; ValueError naming the key and what it must be."""
    if not isinstance(section, Mapping):
        raise ValueError("[crisisboard] must be a section (a table), not a single value")
    folder = section.get("publish_dir")
    if folder is not None and (not isinstance(folder, str) or not folder.strip()
                               or not Path(folder.strip()).expanduser().is_absolute() or "\x00" in folder):
        raise ValueError("[crisisboard] publish_dir must be the absolute path of a folder, such as "
                         '"/srv/crisisboard/public"')
    url = section.get("publish_url", "")
    if url != "" and (not isinstance(url, str) or safe_url(url.strip()) is None
                      or urlsplit(url.strip()).query or urlsplit(url.strip()).fragment):
        raise ValueError("[crisisboard] publish_url must be the http:// or https:// address the publish folder "
                         'is served at, with no query, such as "https://data.example.org/crisisboard"')
    if folder is not None:
        chosen = Path(folder.strip()).expanduser()
    else:
        chosen = LOCAL_PUBLISH_DIR if local else None
    return PublishSettings(chosen, url.strip().rstrip("/"))


def publish_problems(secrets: Mapping) -> list[str]:
    """What is wrong with the publish keys of the secrets' ``[crisisboard]`` section (empty: nothing)."""
    try:
        publish_settings(secrets.get("crisisboard", {}), local=False)
    except ValueError as error:
        return [str(error)]
    return []
