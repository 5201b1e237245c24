"""How this server process was started (issue #30), set once by ``python -m crisisboard serve`` before
Streamlit starts, and read by the sign-in code on every run.

Local mode (everyone at the keyboard is the admin) is on only when the launcher was asked for it
(``serve --local``, which ``make run`` passes) and listens on loopback; the guard (crisisboard.app.guard)
then lets in only requests whose Host and Origin are this machine's own, with no proxy header. Nothing a
request carries can turn it on. Tests that run the app in their own process (Streamlit's AppTest) set it as
``make run`` would, with ``set_launch``.
"""

from __future__ import annotations

from dataclasses import dataclass

from crisisboard.app.guard import Door


@dataclass(frozen=True)
class Launch:
    """local: local mode was asked for; door: what the guard lets in (None: not started by ``serve``)."""

    local: bool = False
    door: Door | None = None


_launch = Launch()


def set_launch(launch: Launch) -> None:
    global _launch  # noqa: PLW0603 - one launch per process, set before the server starts
    _launch = launch


def current_launch() -> Launch:
    return _launch
