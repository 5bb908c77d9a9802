"""Progress rendering with an injected clock and stream: exact output, no waiting."""

from __future__ import annotations

import io

import pytest

from kg.progress import Progress, format_duration


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class TTYStream(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_format_duration() -> None:
    assert [format_duration(s) for s in (0, 9.9, 75.4, 3725)] == ["0:00", "0:09", "1:15", "1:02:05"]


def test_render_with_total_and_counters() -> None:
    clock = Clock()
    bar = Progress(total=10, stream=io.StringIO(), clock=clock, tty=True, width=10)
    clock.now += 2.0
    bar.advance(4, events=3)
    bar.advance(1, events=2, problems=1)
    assert bar.render() == (
        "[#####-----]  5/10 articles  50%  2.5 articles/s  events: 5  problems: 1  ETA 0:02"
    )
    assert bar.render(bar=False) == (
        "5/10 articles  50%  2.5 articles/s  events: 5  problems: 1  ETA 0:02"
    )


def test_render_without_total() -> None:
    clock = Clock()
    bar = Progress(unit="files", stream=io.StringIO(), clock=clock, tty=True)
    assert bar.render() == "0 files  0:00"  # no time passed: no rate yet
    clock.now += 4.0
    bar.advance(10)
    assert bar.render() == "10 files  2.5 files/s  0:04"


def test_tty_redraws_in_place_and_ends_the_line() -> None:
    clock = Clock()
    stream = TTYStream()
    with Progress(total=3, stream=stream, clock=clock, width=3, refresh=0.5) as bar:
        assert bar.tty is True
        clock.now += 1.0
        bar.advance(1, events=10)
        clock.now += 0.1
        bar.advance(1)  # within the refresh interval: not drawn
        clock.now += 0.9
        bar.advance(1)
    assert stream.getvalue() == (
        "\r[#--]  1/3 articles  33%  1.0 articles/s  events: 10  ETA 0:02"
        "\r[###]  3/3 articles  100%  1.5 articles/s  events: 10  0:02   "
        "\r[###]  3/3 articles  100%  1.5 articles/s  events: 10  0:02\n"
    )


def test_non_tty_writes_a_line_every_interval() -> None:
    clock = Clock()
    stream = io.StringIO()
    with Progress(stream=stream, clock=clock, log_every=10) as bar:
        assert bar.tty is False
        for _ in range(25):
            clock.now += 1.0
            bar.advance(1, events=2)
    assert stream.getvalue().splitlines() == [
        "10 articles  1.0 articles/s  events: 20  0:10",
        "20 articles  1.0 articles/s  events: 40  0:20",
        "25 articles  1.0 articles/s  events: 50  0:25",
    ]


def test_quiet_writes_nothing() -> None:
    clock = Clock()
    stream = TTYStream()
    with Progress(total=2, quiet=True, stream=stream, clock=clock) as bar:
        clock.now += 1
        bar.advance(2, events=1)
    assert stream.getvalue() == ""
    assert (bar.done, bar.counters) == (2, {"events": 1})


def test_closed_on_error_so_the_message_starts_a_new_line() -> None:
    stream = TTYStream()
    clock = Clock()
    with pytest.raises(RuntimeError), Progress(total=5, stream=stream, clock=clock, width=5):
        raise RuntimeError("boom")
    assert stream.getvalue() == "\r[-----]  0/5 articles  0%  0:00\n"


def test_non_tty_without_work_writes_nothing() -> None:
    stream = io.StringIO()
    with Progress(stream=stream, clock=Clock()):
        pass
    assert stream.getvalue() == ""
