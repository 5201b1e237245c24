"""The server's door (issue #30): every page request and every websocket must name this server as its Host,
and a browser's Origin must be that same Host, else the request is refused with 403 before Streamlit sees it.

Why: a page on another site can point its own name at 127.0.0.1 (DNS rebinding) and then open the local
server's websocket as a same-origin page of its own; Streamlit accepts any Host by default, and any
``http://localhost:<port>`` Origin. With the guard, a request reaches the app only when

- its Host is one of the names the server was started for (``--allowed-host``; in local mode only
  ``127.0.0.1``/``localhost``/``[::1]`` on the server's own port),
- its Origin, when a browser sends one, is ``http(s)://`` + exactly that Host (a page of this server), and
- in local mode, it carries no proxy header (a local-mode server serves the person at this machine, never
  through a proxy).

The guard also drops the websocket messages only a developer needs ("clear cache", "debug shutdown", ...):
an anonymous visitor could otherwise empty every cache of the server, the last good data version included.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

LOG = logging.getLogger("crisisboard.guard")

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
PROXY_HEADERS = ("x-forwarded-for", "forwarded", "x-real-ip", "x-forwarded-host", "x-forwarded-proto")
# BackMsg types a browser of this app never needs; the rest (rerun, stop, heartbeat, file URLs) pass.
DEVELOPER_MESSAGES = frozenset({"clear_cache", "set_run_on_save", "debug_disconnect_websocket",
                                "debug_shutdown_runtime", "load_git_info"})
REFUSED_PAGE = b"This server does not answer to that address.\n"
PROXIED_PAGE = (b"This server runs in local mode, for the person at this machine only; it does not serve "
                b"through a proxy.\n")


@dataclass(frozen=True)
class Door:
    """What the guard lets in: the host names (lower case), the server's own port (local mode: the only port a
    Host may name), and whether the server is in local mode."""

    hosts: tuple[str, ...]
    port: int
    local: bool

    @classmethod
    def for_launch(cls, hosts: Iterable[str], port: int, local: bool) -> Door:
        names = LOOPBACK_NAMES if local else tuple(hosts) or LOOPBACK_NAMES
        return cls(tuple(sorted({name.strip().lower().strip("[]").rstrip(".") for name in names})), port, local)


def _host_and_port(netloc: str) -> tuple[str, int | None] | None:
    """("example.org", 443) of "example.org:443", or None when `netloc` is not a bare host[:port]."""
    try:
        parts = urlsplit(f"//{netloc}")
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname or parts.username or parts.password or parts.path or parts.query or parts.fragment:
        return None
    return parts.hostname.lower().rstrip("."), port


def refusal(door: Door, headers: Mapping[str, str]) -> str | None:
    """Why a request with these (lower-case) headers is refused, or None when it may pass."""
    host = headers.get("host", "")
    parsed = _host_and_port(host)
    if parsed is None or parsed[0] not in door.hosts:
        return f"Host {host!r} is not this server's"
    if door.local and parsed[1] != door.port:
        return f"Host {host!r} names another port than this local server's {door.port}"
    origin = headers.get("origin")
    if origin is not None:
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or parts.netloc.lower() != host.lower() or parts.path:
            return f"Origin {origin!r} is not a page of this server ({host!r})"
    if door.local:
        proxied = [name for name in PROXY_HEADERS if name in headers]
        if proxied:
            return f"a proxy header ({', '.join(proxied)}) reached a local-mode server"
    return None


def developer_message(payload: bytes) -> str | None:
    """The type of a websocket BackMsg that only a developer sends, or None (any other message, or bytes that
    are not a BackMsg, which Streamlit itself then refuses)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: PLC0415 - the glue's one protobuf import

    message = BackMsg()
    try:
        message.ParseFromString(payload)
    except Exception:  # noqa: BLE001 - not ours to judge: Streamlit answers malformed messages itself
        return None
    kind = message.WhichOneof("type")
    return kind if kind in DEVELOPER_MESSAGES else None


class RequestGuard:
    """ASGI middleware: refuse what `refusal` refuses (403, logged), drop developer websocket messages."""

    def __init__(self, app, door: Door) -> None:  # noqa: ANN001 - any ASGI app
        self.app = app
        self.door = door

    async def __call__(self, scope, receive, send) -> None:  # noqa: ANN001 - the ASGI signature
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = {key.decode("latin-1").lower(): value.decode("latin-1") for key, value in scope["headers"]}
        why = refusal(self.door, headers)
        if why is not None:
            LOG.warning("refused %s %s: %s", scope["type"], scope.get("path", ""), why)
            proxied = why.startswith("a proxy header")
            return await self._refuse(scope, send, PROXIED_PAGE if proxied else REFUSED_PAGE)
        if scope["type"] == "websocket":
            return await self.app(scope, self._filtered(receive), send)
        return await self.app(scope, receive, send)

    @staticmethod
    def _filtered(receive):  # noqa: ANN001, ANN205
        async def next_message():  # noqa: ANN202
            while True:
                message = await receive()
                payload = message.get("bytes") if message.get("type") == "websocket.receive" else None
                kind = developer_message(payload) if payload else None
                if kind is None:
                    return message
                LOG.warning("dropped a %r message from a browser", kind)

        return next_message

    @staticmethod
    async def _refuse(scope, send, body: bytes) -> None:  # noqa: ANN001
        headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
        if scope["type"] == "websocket":  # refused before the handshake: the client sees HTTP 403
            if "websocket.http.response" not in scope.get("extensions", {}):
                await send({"type": "websocket.close", "code": 1008})
                return
            await send({"type": "websocket.http.response.start", "status": 403, "headers": headers})
            await send({"type": "websocket.http.response.body", "body": body})
            return
        await send({"type": "http.response.start", "status": 403, "headers": headers})
        await send({"type": "http.response.body", "body": body})
