"""``kg serve``: a SPARQL 1.1 Protocol endpoint over a kg store, on the standard library.

``http.server.ThreadingHTTPServer`` is enough for a local or small-team endpoint and
adds no dependency. Routes: ``/sparql`` (GET ?query=, POST form query=/update=,
application/sparql-query, application/sparql-update), ``/`` (query page), ``/app.js``,
``/queries.json`` (the named queries), ``/graph`` (the graph page, when one was given).

Safety: read-only unless started with ``allow_update=True`` and a token, which clients send
as ``Authorization: Bearer TOKEN`` (wrong or missing: 403, nothing changes); every query
runs under a time limit and a row cap; bodies over ``MAX_BODY`` bytes are refused.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import threading
from functools import cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from kg.errors import ConfigError, QueryError, StoreError
from kg.rdf.store import QueryTimeout, Store
from kg.server.page import APP_JS, CSP, INDEX_HTML
from kg.server.results import negotiate, serialise

__all__ = ["SparqlServer", "make_server", "serve", "named_examples", "MAX_BODY"]

log = logging.getLogger(__name__)
MAX_BODY = 10 * 1024 * 1024
_HEADER_RE = re.compile(r"^#\s*(name|description|param):\s*(.*)$")


class _RWLock:
    """Many concurrent queries, or one update: rdflib's memory store is not thread-safe."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False

    def read(self) -> _Held:
        return _Held(self, write=False)

    def write(self) -> _Held:
        return _Held(self, write=True)


class _Held:
    def __init__(self, lock: _RWLock, write: bool) -> None:
        self.lock, self.write = lock, write

    def __enter__(self) -> None:
        c = self.lock._cond
        with c:
            if self.write:
                c.wait_for(lambda: not self.lock._writing and self.lock._readers == 0)
                self.lock._writing = True
            else:
                c.wait_for(lambda: not self.lock._writing)
                self.lock._readers += 1

    def __exit__(self, *exc: object) -> None:
        c = self.lock._cond
        with c:
            if self.write:
                self.lock._writing = False
            else:
                self.lock._readers -= 1
            c.notify_all()


@cache
def named_examples() -> list[dict[str, str]]:
    """The shipped named queries (``kg.query.named/*.rq``): name, description, text."""
    out = []
    try:
        files = sorted((f for f in resources.files("kg.query.named").iterdir()
                        if f.name.endswith(".rq")), key=lambda f: f.name)
    except (ModuleNotFoundError, OSError) as e:
        log.warning("no named queries to show: %s", e)
        return []
    for f in files:
        text = f.read_text(encoding="utf-8")
        info = {"name": f.name[:-3], "description": "", "text": text}
        params = []
        last = None
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            m = _HEADER_RE.match(line)
            if m:
                last = m.group(1)
                if last == "param":
                    params.append(m.group(2).strip())
                else:
                    info[last] = m.group(2).strip()
            elif last == "description" and line.startswith("#  "):
                info["description"] += " " + line.lstrip("# ").strip()
        if params:
            info["description"] += " Parameters: " + "; ".join(params)
        out.append(info)
    return out


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server; its settings live here for the request handler to read."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], store: Store, *, allow_update: bool,
                 token: str | None, timeout: float, max_rows: int,
                 graph_html: Path | None) -> None:
        super().__init__(address, _Handler)
        self.store = store
        self.allow_update = allow_update
        self.token = token
        self.query_timeout = timeout
        self.max_rows = max_rows
        self.graph_html = graph_html
        self.lock = _RWLock()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "kg-sparql"
    protocol_version = "HTTP/1.1"

    # -- plumbing ------------------------------------------------------------------------
    def log_message(self, format: str, *args: object) -> None:
        log.info("%s %s", self.address_string(), format % args)

    def _send(self, status: int, body: bytes, ctype: str,
              extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Expose-Headers", "X-KG-Truncated")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Vary", "Accept")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def _body(self) -> bytes | None:
        length = self.headers.get("Content-Length")
        if length is None:
            if self.headers.get("Transfer-Encoding"):
                self._error(HTTPStatus.LENGTH_REQUIRED, "send a Content-Length")
                return None
            return b""
        try:
            n = int(length)
        except ValueError:
            self._error(HTTPStatus.BAD_REQUEST, "bad Content-Length")
            return None
        if n > MAX_BODY:
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                        f"request body over {MAX_BODY} bytes; split the update")
            self.close_connection = True
            return None
        return self.rfile.read(n)

    # -- verbs ---------------------------------------------------------------------------
    def do_OPTIONS(self) -> None:  # noqa: N802 - http.server naming
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept, Authorization")
        self.send_header("Access-Control-Max-Age", "86400")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self) -> None:  # noqa: N802
        self.do_GET()

    def do_GET(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        if url.path == "/sparql":
            params = parse_qs(url.query, keep_blank_values=True)
            if "update" in params:
                self._error(HTTPStatus.METHOD_NOT_ALLOWED, "updates must be POSTed")
                return
            if "query" not in params:
                self._error(HTTPStatus.BAD_REQUEST, "pass the SPARQL query as ?query=...")
                return
            self._query(params)
        elif url.path in ("/", "/index.html"):
            self._send(200, INDEX_HTML.encode("utf-8"), "text/html; charset=utf-8",
                       {"Content-Security-Policy": CSP})
        elif url.path == "/app.js":
            self._send(200, APP_JS.encode("utf-8"), "text/javascript; charset=utf-8")
        elif url.path == "/queries.json":
            self._send(200, json.dumps(named_examples()).encode("utf-8"), "application/json")
        elif url.path == "/graph":
            self._graph()
        else:
            self._error(HTTPStatus.NOT_FOUND, "not found; the SPARQL endpoint is /sparql")

    def do_POST(self) -> None:  # noqa: N802
        if urlsplit(self.path).path != "/sparql":
            self._error(HTTPStatus.NOT_FOUND, "not found; the SPARQL endpoint is /sparql")
            return
        body = self._body()
        if body is None:
            return
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            self._error(HTTPStatus.BAD_REQUEST, "the request body is not UTF-8")
            return
        if ctype == "application/sparql-query":
            self._query({"query": [text]})
        elif ctype == "application/sparql-update":
            self._update(text)
        elif ctype in ("application/x-www-form-urlencoded", ""):
            params = parse_qs(text, keep_blank_values=True)
            if "update" in params:
                self._update(params["update"][0])
            elif "query" in params:
                self._query(params)
            else:
                self._error(HTTPStatus.BAD_REQUEST, "send query= or update=")
        else:
            self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                        f"unsupported Content-Type {ctype}; use application/sparql-query, "
                        "application/sparql-update or a form")

    # -- handlers -----------------------------------------------------------------------
    def _query(self, params: dict[str, list[str]]) -> None:
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            self._error(HTTPStatus.BAD_REQUEST, "default-graph-uri/named-graph-uri are not "
                        "supported: the default graph is the union of all graphs; use GRAPH")
            return
        srv = self.server
        try:
            with srv.lock.read():
                result = srv.store.query(params["query"][0], timeout=srv.query_timeout,
                                         max_rows=srv.max_rows)
        except QueryTimeout as e:
            self._error(HTTPStatus.SERVICE_UNAVAILABLE, f"query timed out: {e}")
            return
        except QueryError as e:
            self._error(HTTPStatus.BAD_REQUEST, str(e))
            return
        except StoreError as e:
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, str(e))
            return
        media = negotiate(self.headers.get("Accept"), result.kind)
        body = serialise(result, media)
        extra = {"X-KG-Truncated": "true"} if result.truncated else {}
        self._send(200, body, f"{media}; charset=utf-8", extra)

    def _update(self, sparql: str) -> None:
        srv = self.server
        if not srv.allow_update:
            self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only; start kg serve "
                        "with --allow-update and a token to accept updates")
            return
        auth = self.headers.get("Authorization") or ""
        scheme, _, given = auth.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
                given.strip().encode("utf-8"), (srv.token or "").encode("utf-8")):
            self._error(HTTPStatus.FORBIDDEN, "updates need the header "
                        "'Authorization: Bearer TOKEN' with this server's token")
            return
        try:
            with srv.lock.write():
                srv.store.update(sparql)
        except QueryError as e:
            self._error(HTTPStatus.BAD_REQUEST, str(e))
            return
        except StoreError as e:
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, str(e))
            return
        self._send(HTTPStatus.NO_CONTENT, b"", "text/plain")

    def _graph(self) -> None:
        page = self.server.graph_html
        if page is None:
            self._error(HTTPStatus.NOT_FOUND, "no graph page: start kg serve with a graph "
                        "HTML file (e.g. one written by kg viz)")
            return
        try:
            body = page.read_bytes()
        except OSError as e:
            self._error(HTTPStatus.NOT_FOUND, f"graph page {page} cannot be read: {e}")
            return
        self._send(200, body, "text/html; charset=utf-8")


def make_server(store: Store, host: str = "127.0.0.1", port: int = 8000, *,
                allow_update: bool = False, token: str | None = None, timeout: float = 30.0,
                max_rows: int = 10_000, graph_html: Path | str | None = None) -> SparqlServer:
    """A ready, not yet running server (``port=0`` picks a free port; see ``.url``).

    Run it with ``serve_forever()`` (e.g. in a thread) and stop it with ``shutdown()``.
    """
    if allow_update and not token:
        raise ConfigError("allow_update needs a token (clients send "
                          "'Authorization: Bearer TOKEN'); set KG_SERVE_TOKEN")
    if timeout <= 0 or max_rows <= 0:
        raise ConfigError("timeout and max_rows must be positive")
    html = Path(graph_html) if graph_html else None
    if html is not None and not html.is_file():
        raise ConfigError(f"graph page {html} does not exist; write one with kg viz first")
    try:
        return SparqlServer((host, port), store, allow_update=allow_update, token=token,
                            timeout=timeout, max_rows=max_rows, graph_html=html)
    except OSError as e:
        raise ConfigError(f"cannot listen on {host}:{port}: {e.strerror or e}; "
                          "pick another --port") from None


def serve(store: Store, host: str = "127.0.0.1", port: int = 8000, allow_update: bool = False,
          token: str | None = None, timeout: float = 30.0, max_rows: int = 10_000,
          graph_html: Path | str | None = None) -> None:
    """Serve ``store`` at http://HOST:PORT/sparql until interrupted (blocking)."""
    server = make_server(store, host, port, allow_update=allow_update, token=token,
                         timeout=timeout, max_rows=max_rows, graph_html=graph_html)
    log.info("SPARQL endpoint at %s/sparql (%s)", server.url,
             "updates allowed with token" if allow_update else "read-only")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        log.info("stopping")
    finally:
        server.server_close()
