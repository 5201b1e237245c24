"""The server's door (issue #30): a real `python -m crisisboard serve --local` (what `make run` starts) refuses
every page request and websocket whose Host or Origin is not its own, and any proxy header; raw handshakes
here set the Host and Origin by hand, as a DNS-rebinding page or another local site would."""

from __future__ import annotations

import base64
import http.client
import os
from collections.abc import Iterator

import pytest
from conftest import VALID
from test_browser import _free_port, running_app

from crisisboard.app.guard import Door, developer_message, refusal

LOCAL = Door.for_launch((), 8501, local=True)
PUBLIC = Door.for_launch(("127.0.0.1", "localhost", "crisis.example.org"), 8601, local=False)


@pytest.mark.parametrize(("door", "headers", "passes"), [
    (LOCAL, {"host": "127.0.0.1:8501"}, True),
    (LOCAL, {"host": "localhost:8501", "origin": "http://localhost:8501"}, True),
    (LOCAL, {"host": "[::1]:8501", "origin": "http://[::1]:8501"}, True),
    (LOCAL, {"host": "attacker.example:8501"}, False),  # DNS rebinding: the attacker's name, our address
    (LOCAL, {"host": "attacker.example:8501", "origin": "http://attacker.example:8501"}, False),
    (LOCAL, {"host": "localhost:9999"}, False),  # another port of this machine
    (LOCAL, {"host": "localhost:8501", "origin": "http://localhost:9999"}, False),  # another local site
    (LOCAL, {"host": "localhost:8501", "origin": "null"}, False),  # a sandboxed frame or a file:// page
    (LOCAL, {"host": "localhost:8501", "x-forwarded-for": "203.0.113.9"}, False),  # through a proxy
    (LOCAL, {"host": "localhost:8501", "forwarded": "for=203.0.113.9"}, False),
    (LOCAL, {}, False),  # no Host at all
    (LOCAL, {"host": "user@localhost:8501"}, False),
    (PUBLIC, {"host": "crisis.example.org", "origin": "https://crisis.example.org"}, True),
    (PUBLIC, {"host": "127.0.0.1:8600", "x-forwarded-for": "203.0.113.9"}, True),  # nginx in front: fine
    (PUBLIC, {"host": "crisis.example.org", "origin": "https://evil.example.org"}, False),
    (PUBLIC, {"host": "evil.example.org"}, False),
])
def test_the_door_lets_in_only_the_servers_own_host_and_origin(door: Door, headers: dict, passes: bool) -> None:
    assert (refusal(door, headers) is None) is passes


def test_developer_messages_are_recognised_and_ordinary_ones_pass() -> None:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    assert developer_message(BackMsg(clear_cache=True).SerializeToString()) == "clear_cache"
    assert developer_message(BackMsg(debug_shutdown_runtime=True).SerializeToString()) == "debug_shutdown_runtime"
    rerun = BackMsg()
    rerun.rerun_script.query_string = "metric=killed"
    assert developer_message(rerun.SerializeToString()) is None
    assert developer_message(b"\xff\xfe not a message") is None


def _handshake(port: int, host: str, origin: str | None = None, path: str = "/_stcore/stream",
               extra: tuple[tuple[str, str], ...] = ()) -> int:
    """The status a websocket opening handshake (or, for another path, a page request) gets, its Host and
    Origin set by hand (a client library would set them from the URL)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        headers = [("Host", host), *extra]
        if origin is not None:
            headers.append(("Origin", origin))
        if path == "/_stcore/stream":
            headers += [("Upgrade", "websocket"), ("Connection", "Upgrade"),
                        ("Sec-WebSocket-Key", base64.b64encode(os.urandom(16)).decode()),
                        ("Sec-WebSocket-Version", "13"), ("Sec-WebSocket-Protocol", "streamlit")]
        for name, value in headers:
            connection.putheader(name, value)
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


@pytest.fixture(scope="module")
def local_server() -> Iterator[int]:
    port = _free_port()
    with running_app(VALID, port=port):
        yield port


def test_make_runs_server_opens_its_websocket_to_its_own_page(local_server: int) -> None:
    own = f"127.0.0.1:{local_server}"
    assert _handshake(local_server, own, f"http://{own}") == 101
    assert _handshake(local_server, f"localhost:{local_server}", f"http://localhost:{local_server}") == 101
    assert _handshake(local_server, own, path="/") == 200


def test_a_rebinding_host_is_refused_for_the_websocket_and_the_page(local_server: int) -> None:
    rebound = f"attacker.example.org:{local_server}"
    assert _handshake(local_server, rebound, f"http://{rebound}") == 403
    assert _handshake(local_server, rebound) == 403
    assert _handshake(local_server, rebound, path="/") == 403
    assert _handshake(local_server, rebound, path="/_stcore/health") == 403


def test_another_local_sites_origin_and_a_proxied_request_are_refused(local_server: int) -> None:
    own = f"localhost:{local_server}"
    assert _handshake(local_server, own, "http://localhost:3000") == 403
    assert _handshake(local_server, own, "http://127.0.0.1:3000") == 403
    assert _handshake(local_server, own, f"http://{own}", extra=(("X-Forwarded-For", "203.0.113.9"),)) == 403
    assert _handshake(local_server, own, path="/", extra=(("X-Real-IP", "203.0.113.9"),)) == 403
