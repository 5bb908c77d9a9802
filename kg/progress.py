"""A small progress display for long runs: count, percentage, rate and custom counters.

Building a graph from thousands of articles takes minutes, and a silent terminal looks
hung. On a terminal the line is redrawn in place (at most every ``refresh`` seconds); when
stderr is a file or a CI log, where carriage returns make a mess, one plain line is written
every ``log_every`` seconds instead. ``quiet=True`` turns it off. The clock and the stream
are parameters so rendering can be tested without waiting or a real terminal.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import TextIO

__all__ = ["Progress", "format_duration"]


def format_duration(seconds: float) -> str:
    """``75.4`` -> ``1:15``; ``3725`` -> ``1:02:05``."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class Progress:
    """Counts work done and shows it on ``stream`` (stderr by default).

    Use as a context manager::

        with Progress(total=len(paths), unit="articles") as bar:
            for article in articles:
                bar.advance(1, events=len(found))

    ``advance`` adds to the main count and to any named counters (shown in the order first
    seen). ``tty`` defaults to ``stream.isatty()``.
    """

    def __init__(
        self,
        total: int | None = None,
        unit: str = "articles",
        *,
        quiet: bool = False,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
        tty: bool | None = None,
        refresh: float = 0.1,
        log_every: float = 10.0,
        width: int = 24,
    ) -> None:
        self.total = total
        self.unit = unit
        self.quiet = quiet
        self.stream = stream if stream is not None else sys.stderr
        self.clock = clock
        if tty is None:
            isatty = getattr(self.stream, "isatty", None)
            tty = bool(isatty()) if callable(isatty) else False
        self.tty = tty
        self.refresh = refresh
        self.log_every = log_every
        self.width = width
        self.done = 0
        self.counters: dict[str, int] = {}
        self._start = clock()
        self._last_draw: float | None = None
        self._last_len = 0
        self._closed = False

    @property
    def elapsed(self) -> float:
        return max(0.0, self.clock() - self._start)

    @property
    def rate(self) -> float | None:
        """Units per second so far, or None before any time has passed."""
        elapsed = self.elapsed
        return self.done / elapsed if elapsed > 0 else None

    def render(self, bar: bool | None = None) -> str:
        """The status line, e.g. ``[######------]  50/100 articles  50%  12.5 articles/s
        events: 7  0:04``; the bar is drawn only on a terminal with a known total."""
        bar = self.tty if bar is None else bar
        parts: list[str] = []
        if self.total:
            fraction = min(1.0, self.done / self.total)
            if bar:
                filled = int(round(fraction * self.width))
                parts.append("[" + "#" * filled + "-" * (self.width - filled) + "]")
            parts.append(f"{self.done}/{self.total} {self.unit}")
            parts.append(f"{fraction * 100:.0f}%")
        else:
            parts.append(f"{self.done} {self.unit}")
        rate = self.rate
        if rate is not None:
            parts.append(f"{rate:.1f} {self.unit}/s")
        parts.extend(f"{name}: {value}" for name, value in self.counters.items())
        elapsed = self.elapsed
        if self.total and rate and self.done < self.total:
            parts.append(f"ETA {format_duration((self.total - self.done) / rate)}")
        else:
            parts.append(format_duration(elapsed))
        return "  ".join(parts)

    def advance(self, n: int = 1, **counters: int) -> None:
        """Count ``n`` more units and add ``counters`` (e.g. ``events=3``) to their totals."""
        self.done += n
        for name, value in counters.items():
            self.counters[name] = self.counters.get(name, 0) + value
        self._maybe_draw()

    def _maybe_draw(self) -> None:
        if self.quiet or self._closed:
            return
        now = self.clock()
        if self.tty:
            if self._last_draw is None or now - self._last_draw >= self.refresh:
                self._draw(now)
        elif now - (self._last_draw if self._last_draw is not None else self._start) >= (
            self.log_every
        ):
            self._draw(now)

    def _draw(self, now: float) -> None:
        line = self.render()
        if self.tty:
            pad = max(0, self._last_len - len(line))
            self.stream.write("\r" + line + " " * pad)
            self._last_len = len(line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
        self._last_draw = now

    def close(self) -> None:
        """Draw the final state (and end the terminal line); later calls do nothing."""
        if self._closed:
            return
        if not self.quiet and (self.tty or self.done or self.counters):
            self._draw(self.clock())
            if self.tty:
                self.stream.write("\n")
                self.stream.flush()
        self._closed = True

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
