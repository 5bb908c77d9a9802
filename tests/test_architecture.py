"""The stages flow one way: each imports only the stages before it (DEVELOPERS.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

KG = Path(__file__).resolve().parent.parent / "kg"
STAGES = ["ingest", "extract", "resolve", "rdf", "query", "viz"]


def imported_kg_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {n for n in names if n == "kg" or n.startswith("kg.")}


def stage_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


@pytest.mark.parametrize("stage", STAGES)
def test_a_stage_imports_only_earlier_stages(stage):
    allowed = set(STAGES[: STAGES.index(stage) + 1])
    offenders = []
    for path in (KG / stage).rglob("*.py"):
        for module in imported_kg_modules(path):
            used = stage_of(module)
            if used is not None and used not in allowed:
                offenders.append(f"{path.relative_to(KG)} imports {module}")
    assert offenders == []


def test_extract_never_imports_rdflib():
    offenders = []
    for path in (KG / "extract").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            mods = ([node.module] if isinstance(node, ast.ImportFrom) and node.module else
                    [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            offenders += [f"{path.name}: {m}" for m in mods if m.split(".")[0] == "rdflib"]
    assert offenders == []
