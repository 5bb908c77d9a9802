"""User alias files: the user's word on which names denote one entity.

JSON: ``{"Canonical": ["alias", ...], ...}``. CSV: one entity per row, canonical name
first, then its aliases (``Meta,Meta Platforms,Facebook``); an optional header row whose
first cell is ``canonical`` is skipped. Alias files win over the gazetteer, so accepting
a merge suggested by ``kg entities`` is a matter of adding one line.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path

from kg.errors import InputError

__all__ = ["load_alias_file", "load_alias_files"]


def _check(path: Path, data: object) -> dict[str, list[str]]:
    if not isinstance(data, dict):
        raise InputError(f"alias file {path}: expected a JSON object "
                         '{"Canonical name": ["alias", ...]}')
    out: dict[str, list[str]] = {}
    for canonical, aliases in data.items():
        if isinstance(aliases, str):
            aliases = [aliases]
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise InputError(f"alias file {path}: the value for {canonical!r} must be a "
                             "list of names")
        if not canonical.strip():
            raise InputError(f"alias file {path}: empty canonical name")
        out[canonical.strip()] = [a.strip() for a in aliases if a.strip()]
    return out


def load_alias_file(path: str | Path) -> dict[str, list[str]]:
    """Canonical name -> aliases from one JSON or CSV file (by suffix; JSON if it parses)."""
    path = Path(path)
    try:
        text = path.read_text("utf-8-sig")
    except OSError as e:
        raise InputError(f"cannot read alias file {path}: {e.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(f"alias file {path} is not UTF-8 text") from None
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        try:
            return _check(path, json.loads(text))
        except json.JSONDecodeError as e:
            raise InputError(f"alias file {path} line {e.lineno}: invalid JSON ({e.msg})") from None
    out: dict[str, list[str]] = {}
    for lineno, row in enumerate(csv.reader(io.StringIO(text)), 1):
        cells = [c.strip() for c in row if c.strip()]
        if not cells or cells[0].startswith("#"):
            continue
        if lineno == 1 and cells[0].casefold() == "canonical":
            continue
        out.setdefault(cells[0], []).extend(cells[1:])
    return out


def load_alias_files(paths: Iterable[str | Path]) -> dict[str, list[str]]:
    """All files merged; later files add aliases to earlier canonical names."""
    merged: dict[str, list[str]] = {}
    for path in paths:
        for canonical, aliases in load_alias_file(path).items():
            merged.setdefault(canonical, [])
            merged[canonical] = list(dict.fromkeys(merged[canonical] + aliases))
    return merged
