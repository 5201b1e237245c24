"""The multi-process deployment: two Streamlit processes behind Debian's nginx with sticky sessions.

Needs /usr/sbin/nginx (`make nginx`, or apt-get install nginx); runs everything on 127.0.0.1 in a temporary
prefix (deploy/cluster.py). Asserts routing and correctness, never timings.
"""

from __future__ import annotations

import re
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import PROJECT, run_async

sys.path.insert(0, str(PROJECT / "benchmarks"))
sys.path.insert(0, str(PROJECT / "deploy"))

import cluster as deploy
from loadtest import Checker, run_load

from crisisboard.data.load import load_dataset

pytestmark = pytest.mark.skipif(not deploy.NGINX.exists(),
                                reason=f"{deploy.NGINX} is missing: Debian's nginx is not installed (make nginx)")
DATA = PROJECT / "data"


@pytest.fixture(scope="module")
def cluster() -> Iterator[deploy.Cluster]:
    with deploy.Cluster(DATA, backends=2) as running:
        yield running


def _get(url: str, cookie: str | None = None) -> tuple[str, str]:
    """(the upstream that served, the sticky cookie set) for one GET through nginx."""
    request = urllib.request.Request(url, headers={"Cookie": f"{deploy.COOKIE}={cookie}"} if cookie else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        cookies = " ".join(response.headers.get_all("Set-Cookie") or [])
        found = re.search(rf"{deploy.COOKIE}=(\w+)", cookies)
        return response.headers[deploy.UPSTREAM_HEADER], found.group(1) if found else ""


def test_the_rendered_config_proxies_websockets_and_sticks_by_cookie(tmp_path: Path) -> None:
    text = deploy.render_config(8600, [8601, 8602], tmp_path)
    assert "listen 127.0.0.1:8600;" in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text and "$connection_upgrade" in text
    assert "proxy_read_timeout 1d;" in text
    assert "b1 crisisboard_b1;" in text and "b2 crisisboard_b2;" in text
    assert "ip_hash" not in text.replace("ip_hash is useless", "")
    assert "@@" not in text


def test_a_new_visitor_gets_a_cookie_and_keeps_its_backend(cluster: deploy.Cluster) -> None:
    backends = {url.removeprefix("http://"): f"b{i + 1}" for i, url in enumerate(cluster.backend_urls)}
    served, cookie = _get(cluster.url + "/")
    assert served in backends and cookie == backends[served]
    for _ in range(4):
        again, cookie_again = _get(cluster.url + "/_stcore/health", cookie)
        assert (again, cookie_again) == (served, cookie)
    for address, name in backends.items():  # the cookie, not chance, picks the backend
        assert _get(cluster.url + "/_stcore/host-config", name)[0] == address
    fresh, reset = _get(cluster.url + "/", "nonsense")  # an unknown value: a new visitor, cookie rewritten
    assert fresh in backends and reset == backends[fresh]


def test_sessions_through_nginx_stay_on_one_backend_and_change_filters(cluster: deploy.Cluster) -> None:
    checker = Checker(load_dataset(DATA))
    report = run_async(run_load(cluster.url, checker, sessions=6, changes=2, max_seconds=90, pids=cluster.pids,
                                  pages=("", "timeline"), warmup=False, timeout=60))
    assert report["error_messages"] == [] and report["violation_messages"] == []
    assert report["errors"] == 0 and report["changes_done"] == 12 and report["changes_with_chart"] == 12
    backends = {url.removeprefix("http://") for url in cluster.backend_urls}
    used = []
    for record in report["records"]:
        seen = set(record["http_upstreams"]) | {record["ws_upstream"]}
        assert len(record["http_upstreams"]) == 3 and record["ws_upstream"], record
        assert len(seen) == 1 and seen <= backends, f"session {record['index']} moved between backends: {seen}"
        used.append(record["ws_upstream"])
    assert set(used) == backends, f"only {set(used)} got sessions"
    # nginx's own log agrees: every request that carried a cookie went to the backend it names
    names = {f"b{i + 1}": url.removeprefix("http://") for i, url in enumerate(cluster.backend_urls)}
    lines = [m for m in re.finditer(r"upstream=(\S+) cookie=(\S+)", cluster.access_log()) if m.group(2) != "-"]
    assert any("/_stcore/stream" in line for line in cluster.access_log().splitlines())
    assert lines and all(m.group(1).rstrip(",") == names[m.group(2)] for m in lines if m.group(2) in names)


def test_a_viewer_whose_backend_is_down_moves_to_another(tmp_path: Path) -> None:
    """The `backup` servers of each pool: stop b1, and a viewer pinned to b1 is served by b2 and re-pinned."""
    with deploy.Cluster(DATA, backends=2, workdir=tmp_path) as running:
        first, second = (url.removeprefix("http://") for url in running.backend_urls)
        assert _get(running.url + "/_stcore/health", "b1") == (first, "b1")
        running.backends[0].terminate()
        running.backends[0].wait(timeout=20)
        served, cookie = _get(running.url + "/_stcore/health", "b1")
        assert served.split(", ")[-1] == second and cookie == "b2"
        assert _get(running.url + "/_stcore/health", cookie) == (second, "b2")


def _websocket_opens(url: str, host: str) -> bool:
    """Whether Streamlit's WebSocket at `url` accepts an opening handshake whose Host header is `host` (101
    Switching Protocols), sent by hand: a client library sets the Host from the URL."""
    import base64
    import http.client
    import os

    address, port = url.removeprefix("http://").rsplit(":", 1)
    connection = http.client.HTTPConnection(address, int(port), timeout=20)
    try:
        connection.putrequest("GET", "/_stcore/stream", skip_host=True, skip_accept_encoding=True)
        for name, value in (("Host", host), ("Upgrade", "websocket"), ("Connection", "Upgrade"),
                            ("Sec-WebSocket-Key", base64.b64encode(os.urandom(16)).decode()),
                            ("Sec-WebSocket-Version", "13"), ("Sec-WebSocket-Protocol", "streamlit")):
            connection.putheader(name, value)
        connection.endheaders()
        return connection.getresponse().status == 101
    finally:
        connection.close()


def test_the_cluster_refuses_a_websocket_for_a_host_it_does_not_serve(cluster: deploy.Cluster) -> None:
    """server.allowedHosts in the recipe (issue #19's hardening): a page fetched through a rebinding DNS name
    cannot open the app's WebSocket; the names the cluster is served by can."""
    for url in (cluster.url, *cluster.backend_urls):
        port = url.rsplit(":", 1)[1]
        assert _websocket_opens(url, f"127.0.0.1:{port}")
        assert _websocket_opens(url, f"localhost:{port}")
        assert not _websocket_opens(url, f"attacker.example.org:{port}")


def test_every_backend_gets_the_same_secrets_and_allowed_hosts_and_never_local_mode(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    commands = [deploy.streamlit_command("python", port, (*deploy.ALLOWED_HOSTS, "crisis.example.org"), secrets)
                for port in (8601, 8602)]
    for command in commands:
        options = list(zip(command, command[1:]))
        assert command[1:4] == ["-m", "crisisboard", "serve"]
        assert ("--address", "127.0.0.1") in options
        assert "--local" not in command  # behind nginx, local mode would make every visitor the admin
        assert [v for k, v in options if k == "--allowed-host"] == ["127.0.0.1", "localhost", "crisis.example.org"]
        assert ("--secrets", str(secrets)) in options