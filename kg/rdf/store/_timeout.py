"""Run a query in a worker thread that the caller can stop waiting for.

Neither pyoxigraph nor rdflib can interrupt a running query, but both produce results
lazily. The worker pulls rows one at a time and checks a stop flag between rows, so a
query that streams (a runaway cross join) stops at its next row once abandoned. A query
that computes for a long time before its first row (a big ORDER BY or COUNT) keeps its
worker busy until then; the caller gets its QueryError on time either way, and at most
``MAX_ABANDONED`` such workers may linger before new queries are refused.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import TypeVar

from kg.errors import QueryError

__all__ = ["collect", "MAX_ABANDONED", "QueryTimeout"]

log = logging.getLogger(__name__)


class QueryTimeout(QueryError):
    """A query ran past its time limit and was abandoned."""


T = TypeVar("T")
MAX_ABANDONED = 4
_lock = threading.Lock()
_lingering = 0


def collect(produce: Callable[[], Iterable[T]], timeout: float | None,
            limit: int | None = None) -> list[T]:
    """Materialise ``produce()`` (at most ``limit`` items) within ``timeout`` seconds."""
    global _lingering
    if timeout is None:
        return _take(produce(), limit, None)
    if timeout <= 0:
        raise QueryError("query timeout must be a positive number of seconds")
    with _lock:
        if _lingering >= MAX_ABANDONED:
            raise QueryTimeout("too many timed-out queries are still winding down; "
                             "try again in a moment")
    stop = threading.Event()
    box: dict[str, object] = {}

    def work() -> None:
        global _lingering
        try:
            # Results of pyoxigraph must also be freed on this thread: close the
            # iterator here and hand over exceptions without their frames.
            items = produce()
            try:
                box["rows"] = _take(items, limit, stop)
            finally:
                close = getattr(items, "close", None)
                if close is not None:
                    close()
                del items
        except _Stopped:
            pass
        except BaseException as e:  # handed to the caller below
            box["error"] = e.with_traceback(None)
        finally:
            with _lock:
                box["done"] = True
                if box.get("abandoned"):
                    _lingering -= 1

    worker = threading.Thread(target=work, name="kg-query", daemon=True)
    worker.start()
    worker.join(timeout)
    with _lock:
        if not box.get("done"):
            box["abandoned"] = True
            _lingering += 1
    if box.get("abandoned"):
        stop.set()
        log.warning("query abandoned after %.3gs", timeout)
        raise QueryTimeout(f"query took longer than {timeout:g} s and was stopped; "
                         "narrow it down (LIMIT, more specific patterns) or raise the timeout")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["rows"]  # type: ignore[return-value]


class _Stopped(Exception):
    pass


def _take(items: Iterable[T], limit: int | None, stop: threading.Event | None) -> list[T]:
    out: list[T] = []
    for item in items:
        if stop is not None and stop.is_set():
            raise _Stopped
        out.append(item)
        if limit is not None and len(out) >= limit:
            break
    return out
