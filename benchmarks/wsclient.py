"""A minimal headless Streamlit client: the browser's websocket protocol, without the browser.

It speaks what the Streamlit frontend speaks on ``/_stcore/stream`` (Streamlit 1.67, Starlette server):

- the socket is opened with the subprotocol list ``["streamlit"]`` (the browser puts its XSRF token and
  the previous session id in the 2nd and 3rd entries; the server only uses the token to read a login
  cookie, so no token and no cookie are needed), and without an ``Origin`` header, which the server
  accepts (with one, it must match the ``Host`` header or ``server.corsAllowedOrigins``);
- every message from the client is a ``BackMsg`` protobuf, every message from the server a ``ForwardMsg``
  (``streamlit.proto``), one per binary frame;
- a script run is asked for with ``BackMsg.rerun_script`` (a ``ClientState``): the query string, the page
  (``page_name`` = its URL path on first load, then the ``page_script_hash`` that the last ``navigation``
  message named, as the browser does: with st.navigation the hash of ``new_session`` is the main
  script's, and rerunning with it would switch to the default page) and the state of every widget
  on the page. We send no ``cached_message_hashes``, so the server sends every element in full, never a
  ``ref_hash`` to fetch over HTTP;
- a run starts with ``new_session`` and ends with ``script_finished`` (0 = finished, 1 = compile error,
  2 = stopped early for a rerun, which is followed by another run);
- a widget change is a rerun whose ``widget_states`` carry the new value under the widget's id
  (``$$ID-<hash>-<key>``). The value encodings used here are the server's serdes:
  multiselect, segmented control (button group) and date input send ``string_array_value``
  (the *formatted* option labels, ISO dates), selectbox ``string_value`` (formatted label),
  checkbox/toggle ``bool_value``, number input ``double_value``, text area ``string_value``.

Only ``websockets`` (a dependency of Streamlit itself) and the standard library are used. Every wait has
a timeout: nothing here can hang.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any, Self
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
FINISHED_OK, FINISHED_COMPILE_ERROR, FINISHED_EARLY_FOR_RERUN, FINISHED_FRAGMENT = 0, 1, 2, 3
WIDGET_TYPES = ("multiselect", "selectbox", "checkbox", "date_input", "button_group", "number_input", "text_area")


class StreamlitClientError(RuntimeError):
    """The server closed the socket, sent an exception, or a run did not finish in time."""


def require_local(url: str) -> str:
    """The URL, if it points at this machine; ValueError otherwise (the load test never leaves 127.0.0.1)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "ws") or parts.hostname not in LOCAL_HOSTS:
        raise ValueError(f"only http://127.0.0.1 or http://localhost URLs are allowed, not {url!r}")
    return url


@dataclass
class Widget:
    id: str
    kind: str  # multiselect, selectbox, ...
    label: str
    options: list[str]
    value: Any  # in wire form: list[str], str, bool, float
    pushed: Any = None  # the value the server sent with the element in the last run (set_value), else None

    @property
    def key(self) -> str:
        """The user key given in the script (the part after the id hash), or ''."""
        return self.id.rsplit("-", 1)[-1] if self.id.startswith("$$ID-") else ""


@dataclass
class RunResult:
    """What one script run drew."""

    status: int = -1
    widgets: dict[str, Widget] = field(default_factory=dict)  # by id, in drawing order
    charts: list[dict] = field(default_factory=list)  # plotly figure specs (parsed JSON)
    texts: list[str] = field(default_factory=list)  # markdown, captions, headings, alerts
    exceptions: list[str] = field(default_factory=list)
    query_string: str = ""
    messages: int = 0
    bytes: int = 0

    def widget_by_key(self, key: str) -> Widget | None:
        return next((w for w in self.widgets.values() if w.key == key), None)

    def widget_by_label(self, label: str) -> Widget | None:
        return next((w for w in self.widgets.values() if w.label == label), None)


def _initial_value(kind: str, proto: Any) -> Any:
    """A widget's value as the browser holds it after drawing this element: the value the server pushed
    (``set_value``), else the default."""
    if kind == "multiselect":
        return list(proto.raw_values) if proto.set_value else [proto.options[i] for i in proto.default]
    if kind == "selectbox":
        if proto.set_value:
            return proto.raw_value
        return proto.options[proto.default] if proto.HasField("default") and proto.options else ""
    if kind == "checkbox":
        return bool(proto.value if proto.set_value else proto.default)
    if kind == "date_input":
        return list(proto.value if proto.set_value else proto.default)
    if kind == "button_group":
        if proto.set_value:
            return list(proto.raw_values)
        return [proto.options[i].content for i in proto.default]
    if kind == "number_input":
        return float(proto.value if proto.set_value else proto.default)
    if kind == "text_area":
        return str(proto.value if proto.set_value else proto.default)
    raise ValueError(kind)


def _options(kind: str, proto: Any) -> list[str]:
    if kind in ("multiselect", "selectbox"):
        return list(proto.options)
    if kind == "button_group":
        return [option.content for option in proto.options]
    return []


def _set_state(state: Any, kind: str, value: Any) -> None:
    """Write a widget value into a WidgetState protobuf in the encoding the server's serde expects."""
    if kind in ("multiselect", "date_input", "button_group"):
        state.string_array_value.data[:] = [str(v) for v in value]
    elif kind in ("selectbox", "text_area"):
        state.string_value = str(value)
    elif kind == "checkbox":
        state.bool_value = bool(value)
    elif kind == "number_input":
        state.double_value = float(value)
    else:
        raise ValueError(f"cannot encode a {kind} widget")


class StreamlitSession:
    """One browser tab: an HTTP page load (for cookies), then the websocket and its script runs.

    Use as ``async with StreamlitSession(url, "timeline", "metric=killed") as s: first = await s.open()``.
    """

    def __init__(self, base_url: str, page: str = "", query_string: str = "", timeout: float = 60.0,
                 headers: dict[str, str] | None = None, load_page: bool = True) -> None:
        self.base_url = require_local(base_url).rstrip("/")
        self.page = page.strip("/")
        self.query_string = query_string.lstrip("?")
        self.timeout = timeout
        self.headers = dict(headers or {})
        self.load_page = load_page
        self.cookies: dict[str, str] = {}
        self.http_upstreams: list[str] = []  # X-Crisisboard-Upstream of each HTTP response (behind deploy/nginx)
        self.ws_upstream: str | None = None  # the same header on the websocket handshake
        self.page_script_hash = ""
        self.widgets: dict[str, Widget] = {}  # the browser's widget state: what the next rerun sends
        self.buttons: dict[str, str] = {}  # the buttons of the last run drawn: id -> label
        self.last: RunResult | None = None
        self._ws: Any = None

    # ----- connection -------------------------------------------------------------------------------------
    def _http_get(self, path: str) -> bytes:
        request = urllib.request.Request(self.base_url + path, headers=self._request_headers())
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            body = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                jar = SimpleCookie()
                jar.load(header)
                self.cookies.update({name: morsel.value for name, morsel in jar.items()})
            upstream = response.headers.get("X-Crisisboard-Upstream")
            if upstream:
                self.http_upstreams.append(upstream)
        return body

    def _request_headers(self) -> dict[str, str]:
        headers = dict(self.headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    async def _load_page(self) -> None:
        """What a browser fetches before it opens the socket: the page, the health check and host config."""
        path = "/" + self.page + (f"?{self.query_string}" if self.query_string else "")
        for url in (path, "/_stcore/health", "/_stcore/host-config"):
            await asyncio.wait_for(asyncio.to_thread(self._http_get, url), self.timeout)

    async def __aenter__(self) -> Self:
        if self.load_page:
            await self._load_page()
        ws_url = "ws" + self.base_url[len("http"):] + "/_stcore/stream"
        self._ws = await asyncio.wait_for(
            connect(ws_url, subprotocols=["streamlit"], additional_headers=self._request_headers(),
                    max_size=None, open_timeout=self.timeout, close_timeout=5, ping_interval=20,
                    ping_timeout=self.timeout),
            self.timeout)
        response = getattr(self._ws, "response", None)
        if response is not None:
            self.ws_upstream = response.headers.get("X-Crisisboard-Upstream")
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self._ws is not None:
            ws, self._ws = self._ws, None
            with contextlib.suppress(Exception):  # best effort: the server drops the session anyway
                await asyncio.wait_for(ws.close(), 10)

    # ----- runs -------------------------------------------------------------------------------------------
    async def open(self) -> RunResult:
        """The first run of the page, as on a page load: the query string and the page's URL path."""
        msg = BackMsg()
        msg.rerun_script.query_string = self.query_string
        msg.rerun_script.page_name = self.page
        return await self._run(msg)

    async def click(self, key: str) -> tuple[RunResult, float]:
        """Press the button with this user key (a ``trigger_value`` beside the other widgets' states) and wait
        for the rerun; returns the run and its latency (s)."""
        button = next((b for b in self.buttons if b.rsplit("-", 1)[-1] == key), None)
        if button is None:
            raise KeyError(f"no button {key!r} on the page")
        msg = self._rerun_with_widgets()
        pressed = msg.rerun_script.widget_states.widgets.add()
        pressed.id = button
        pressed.trigger_value = True
        started = time.perf_counter()
        result = await self._run(msg)
        return result, time.perf_counter() - started

    async def set_widget(self, widget_id_or_key: str, value: Any) -> tuple[RunResult, float]:
        """Change one widget as a user would and wait for the rerun; returns the run and its latency (s):
        from sending the change to ``script_finished``."""
        widget = self.widgets.get(widget_id_or_key) or next(
            (w for w in self.widgets.values() if w.key == widget_id_or_key), None)
        if widget is None:
            raise KeyError(f"no widget {widget_id_or_key!r} on the page; have {[w.key or w.id for w in self.widgets.values()]}")
        widget.value = value
        msg = self._rerun_with_widgets()
        started = time.perf_counter()
        result = await self._run(msg)
        return result, time.perf_counter() - started

    def _rerun_with_widgets(self) -> BackMsg:
        """A rerun of this page carrying every widget's current state, as the browser sends it."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query_string
        state.page_script_hash = self.page_script_hash
        for w in self.widgets.values():
            ws = state.widget_states.widgets.add()
            ws.id = w.id
            _set_state(ws, w.kind, w.value)
        return msg

    async def _run(self, msg: BackMsg) -> RunResult:
        if self._ws is None:
            raise StreamlitClientError("the session is not connected")
        await asyncio.wait_for(self._ws.send(msg.SerializeToString()), self.timeout)
        deadline = time.monotonic() + self.timeout
        result = RunResult()
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise StreamlitClientError(f"no script_finished within {self.timeout:.0f} s")
            try:
                data = await asyncio.wait_for(self._ws.recv(), remaining)
            except TimeoutError:
                raise StreamlitClientError(f"no script_finished within {self.timeout:.0f} s") from None
            except Exception as error:  # ConnectionClosed and friends
                raise StreamlitClientError(f"socket closed: {error}") from error
            if isinstance(data, str):
                raise StreamlitClientError("the server sent a text frame")
            result.messages += 1
            result.bytes += len(data)
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                result = RunResult(messages=result.messages, bytes=result.bytes)  # a run starts: forget the last
                self.buttons = {}
                self.page_script_hash = fwd.new_session.page_script_hash or self.page_script_hash
            elif kind == "navigation":  # st.navigation names the page that runs: reruns must ask for it
                self.page_script_hash = fwd.navigation.page_script_hash or self.page_script_hash
            elif kind == "page_info_changed":
                self.query_string = fwd.page_info_changed.query_string
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                self._take_element(fwd.delta.new_element, result)
            elif kind == "script_finished":
                result.status = fwd.script_finished
                if result.status in (FINISHED_EARLY_FOR_RERUN,):
                    continue  # st.rerun(): another run follows
                result.query_string = self.query_string
                # like the browser, forget the widgets the last run did not draw
                self.widgets = {wid: w for wid, w in self.widgets.items() if wid in result.widgets}
                self.last = result
                if result.status == FINISHED_COMPILE_ERROR:
                    raise StreamlitClientError("the script did not compile")
                return result

    def _take_element(self, element: Any, result: RunResult) -> None:
        kind = element.WhichOneof("type")
        if kind in WIDGET_TYPES:
            proto = getattr(element, kind)
            known = self.widgets.get(proto.id)
            if known is None or proto.set_value:
                known = Widget(proto.id, kind, proto.label, _options(kind, proto), _initial_value(kind, proto))
                self.widgets[proto.id] = known
            else:
                known.options, known.label = _options(kind, proto), proto.label
            known.pushed = _initial_value(kind, proto) if proto.set_value else None
            result.widgets[proto.id] = known
        elif kind in ("button", "download_button"):
            proto = getattr(element, kind)
            self.buttons[proto.id] = proto.label
        elif kind == "plotly_chart":
            result.charts.append(json.loads(element.plotly_chart.spec))
        elif kind == "markdown":
            result.texts.append(element.markdown.body)
        elif kind == "heading":
            result.texts.append(element.heading.body)
        elif kind == "alert":
            result.texts.append(element.alert.body)
        elif kind == "exception":
            result.exceptions.append(f"{element.exception.type}: {element.exception.message}")


def strings_in(value: Any) -> list[str]:
    """Every string anywhere in a JSON value (to find claim ids in a figure's customdata, hover text...)."""
    found: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


async def _demo(url: str, page: str, query: str) -> None:  # pragma: no cover - manual use
    async with StreamlitSession(url, page, query) as session:
        first = await session.open()
        print(f"run finished ({first.messages} messages, {first.bytes:,} bytes), query ?{first.query_string}")
        for w in first.widgets.values():
            print(f"  widget {w.kind:12} {w.label!r:40} = {w.value!r}   [{w.id}]")
        for chart in first.charts:
            print("  chart:", str(chart.get("layout", {}).get("title", {}).get("text", ""))[:100])
        for text in first.texts[:6]:
            print("  text:", text[:100].replace("\n", " "))


if __name__ == "__main__":  # pragma: no cover
    import argparse

    parser = argparse.ArgumentParser(description="Open one headless Streamlit session and print what it drew.")
    parser.add_argument("--url", default="http://127.0.0.1:8501")
    parser.add_argument("--page", default="")
    parser.add_argument("--query", default="")
    args = parser.parse_args()
    asyncio.run(_demo(args.url, args.page, args.query))
