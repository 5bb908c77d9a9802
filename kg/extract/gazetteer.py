"""The AI-industry gazetteer: known organisations, investors, people and products.

Domain knowledge lives in data, not code: ``kg/extract/data/gazetteer.jsonl`` ships with kg
and users add their own files (``--gazetteer FILE``, ``KG_GAZETTEER``, ``gazetteer`` in
kg.toml). One JSON object per line::

    {"name": "Nvidia", "type": "Organization", "kind": "company",
     "aliases": ["NVIDIA", "Nvidia Corp", "Nvidia Corporation"]}

``type`` is Organization, Person, Product or AIModel (a Product). ``kind`` is optional
(company, investor, lab, university, government, media, exchange, ...). Later files
override earlier ones for the same name and add aliases.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from kg.errors import InputError

__all__ = ["GazetteerEntry", "Gazetteer", "load_gazetteer", "BUILTIN_GAZETTEER", "ENTRY_TYPES"]

log = logging.getLogger(__name__)

ENTRY_TYPES = ("Organization", "Person", "Product", "AIModel")
BUILTIN_GAZETTEER = "gazetteer.jsonl"


@dataclass
class GazetteerEntry:
    name: str
    type: str
    kind: str | None = None
    aliases: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


class Gazetteer:
    """Entries by canonical name, and an index from every name and alias to its entry."""

    def __init__(self, entries: Iterable[GazetteerEntry] = ()) -> None:
        self.entries: dict[str, GazetteerEntry] = {}
        self._index: dict[str, GazetteerEntry] = {}
        for entry in entries:
            self.add(entry)

    def add(self, entry: GazetteerEntry) -> None:
        existing = self.entries.get(_key(entry.name))
        if existing is not None:
            existing.type = entry.type
            existing.kind = entry.kind or existing.kind
            existing.aliases = list(dict.fromkeys(existing.aliases + entry.aliases))
            entry = existing
        else:
            self.entries[_key(entry.name)] = entry
        for name in entry.names:
            self._index[_key(name)] = entry

    def lookup(self, name: str) -> GazetteerEntry | None:
        """The entry that ``name`` (any alias, any case) denotes, or None."""
        return self._index.get(_key(name))

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and _key(name) in self._index

    def __iter__(self) -> Iterator[GazetteerEntry]:
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)


def _parse_lines(lines: Iterable[str], where: str) -> Iterator[GazetteerEntry]:
    for lineno, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise InputError(f"{where} line {lineno}: invalid JSON ({e.msg}); "
                             "each line must be one JSON object") from None
        name, etype = obj.get("name") if isinstance(obj, dict) else None, None
        if isinstance(obj, dict):
            etype = obj.get("type")
        if not isinstance(name, str) or not name.strip() or etype not in ENTRY_TYPES:
            raise InputError(f"{where} line {lineno}: needs a \"name\" and a \"type\" "
                             f"out of {', '.join(ENTRY_TYPES)}")
        aliases = obj.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise InputError(f"{where} line {lineno}: \"aliases\" must be a list of names")
        yield GazetteerEntry(name.strip(), etype, obj.get("kind"), [a.strip() for a in aliases])


def load_gazetteer(extra: Iterable[str | Path] = (), builtin: bool = True) -> Gazetteer:
    """The built-in gazetteer plus the user's files, later files taking precedence."""
    gaz = Gazetteer()
    if builtin:
        resource = files("kg.extract.data") / BUILTIN_GAZETTEER
        if resource.is_file():
            for entry in _parse_lines(resource.read_text("utf-8").splitlines(), BUILTIN_GAZETTEER):
                gaz.add(entry)
    for path in extra:
        path = Path(path)
        try:
            text = path.read_text("utf-8")
        except OSError as e:
            raise InputError(f"cannot read gazetteer file {path}: {e.strerror}") from None
        except UnicodeDecodeError:
            raise InputError(f"gazetteer file {path} is not UTF-8 text") from None
        for entry in _parse_lines(text.splitlines(), str(path)):
            gaz.add(entry)
    log.debug("gazetteer: %d entries", len(gaz))
    return gaz
