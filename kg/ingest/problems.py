"""Problems met while reading inputs, collected instead of raised.

A corpus of thousands of files always holds a few bad ones (an empty file, a broken JSON
line, a feed that is not well-formed). Stopping the whole run for one of them helps nobody,
so readers record a :class:`Problem` and go on; the CLI prints the count and the first few
at the end of the run, and every problem is logged at WARNING when it happens.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["Problem", "Problems"]

log = logging.getLogger("kg.ingest")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input: where (path, optional 1-based line) and what."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path} line {self.line}"
        return f"{where}: {self.message}"


class Problems:
    """An ordered collector of :class:`Problem` records; each is logged when added."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, path: str, message: str, line: int | None = None) -> Problem:
        problem = Problem(str(path), line, message)
        self.items.append(problem)
        log.warning("%s", problem)
        return problem

    @property
    def count(self) -> int:
        return len(self.items)

    def first(self, n: int = 10) -> list[str]:
        """The first ``n`` problems as one-line messages, in the order they happened."""
        return [str(p) for p in self.items[:n]]

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)
