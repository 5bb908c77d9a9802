"""Checks on the shipped AI-industry gazetteer (kg/extract/data/gazetteer.jsonl).

The data file is hand-written domain knowledge, so these tests guard the properties the
extractor and resolver rely on: it loads, every line is well-formed, no name is claimed by
two entries (which would make lookups order-dependent), and no alias is a plain English
word that would turn ordinary prose into spurious entity mentions.
"""

from __future__ import annotations

import json
from collections import defaultdict
from importlib.resources import files

import pytest

from kg.extract.gazetteer import BUILTIN_GAZETTEER, ENTRY_TYPES, Gazetteer, load_gazetteer

ORG_KINDS = {
    "company", "startup", "investor", "lab", "university", "government", "media",
    "exchange", "bank",
}
PRODUCT_KINDS = {"chip", "model", "app", "platform", "service", "device"}

# Common English words that must never be an alias (and never the name of a product):
# each one appears in ordinary prose often enough to swamp real mentions.
STOP_WORDS = {
    "the", "it", "a", "an", "ai", "figure", "scale", "character", "apple", "one", "x",
    "model", "models", "chip", "chips", "data", "cloud", "labs", "lab", "capital",
    "ventures", "partners", "group", "fund", "inc", "corp", "company", "research",
    "cognition", "factory", "moonshot", "inflection", "thrive", "benchmark", "bond",
    "arm", "grab", "whisper", "firefly", "operator", "dojo", "insider", "pixel", "echo",
    "mint", "fortune", "wired", "vanguard", "reliance", "quanta", "together", "adept",
    "surge", "foundry", "bedrock", "titan", "cosmos", "granite", "ascend", "plural",
    "headline", "millennium", "eclipse", "conviction", "io", "jd", "ap", "cas",
}


def _raw_lines() -> list[dict]:
    text = (files("kg.extract.data") / BUILTIN_GAZETTEER).read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


@pytest.fixture(scope="module")
def raw() -> list[dict]:
    return _raw_lines()


def test_loads_with_enough_entries(gaz: Gazetteer) -> None:
    assert len(gaz) >= 500


def test_every_line_is_one_distinct_entry(raw: list[dict], gaz: Gazetteer) -> None:
    # No canonical name is repeated in the shipped file (a repeat would silently merge).
    assert len({_key(obj["name"]) for obj in raw}) == len(raw) == len(gaz)


def test_types_and_kinds_are_valid(raw: list[dict]) -> None:
    for obj in raw:
        assert set(obj) <= {"name", "type", "kind", "aliases"}, obj
        assert obj["type"] in ENTRY_TYPES, obj
        kind = obj.get("kind")
        if obj["type"] == "Organization":
            assert kind in ORG_KINDS, obj
        elif obj["type"] in ("Product", "AIModel"):
            assert kind in PRODUCT_KINDS, obj
        else:
            assert kind is None, obj


def test_every_type_is_represented(raw: list[dict]) -> None:
    counts: dict[str, int] = defaultdict(int)
    for obj in raw:
        counts[obj["type"]] += 1
    assert counts["Organization"] >= 300
    assert counts["Person"] >= 100
    assert counts["Product"] >= 50
    assert counts["AIModel"] >= 50


def test_names_and_aliases_are_clean_strings(raw: list[dict]) -> None:
    for obj in raw:
        for name in [obj["name"], *obj["aliases"]]:
            assert name == name.strip() and name, obj
            assert "  " not in name, obj
        # An alias equal to its own name (case-insensitively) is noise.
        assert _key(obj["name"]) not in {_key(a) for a in obj["aliases"]}, obj


def test_no_alias_maps_to_two_entries(raw: list[dict]) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for obj in raw:
        for name in [obj["name"], *obj["aliases"]]:
            owners[_key(name)].add(obj["name"])
    clashes = {k: v for k, v in owners.items() if len(v) > 1}
    assert clashes == {}


def test_no_common_word_aliases(raw: list[dict]) -> None:
    bad = [
        (obj["name"], alias)
        for obj in raw
        for alias in obj["aliases"]
        if _key(alias) in STOP_WORDS
    ]
    assert bad == []


def test_no_common_word_product_names(raw: list[dict]) -> None:
    bad = [
        obj["name"]
        for obj in raw
        if obj["type"] in ("Product", "AIModel") and _key(obj["name"]) in STOP_WORDS
    ]
    assert bad == []


@pytest.mark.parametrize(
    ("mention", "name", "etype", "kind"),
    [
        ("Nvidia", "Nvidia", "Organization", "company"),
        ("NVIDIA Corporation", "Nvidia", "Organization", "company"),
        ("Meta Platforms", "Meta", "Organization", "company"),
        ("DeepMind Technologies", "DeepMind", "Organization", "lab"),
        ("Superintelligence Labs", "Meta Superintelligence Labs", "Organization", "lab"),
        ("a16z", "Andreessen Horowitz", "Organization", "investor"),
        ("Google Ventures", "GV", "Organization", "investor"),
        ("NYSE", "New York Stock Exchange", "Organization", "exchange"),
        ("nasdaq", "Nasdaq", "Organization", "exchange"),
        ("Reuters", "Reuters", "Organization", "media"),
        ("Jen-Hsun Huang", "Jensen Huang", "Person", None),
        ("Llama 4", "Llama 4", "AIModel", "model"),
        ("H100", "H100", "Product", "chip"),
        ("Copilot", "Microsoft Copilot", "Product", "app"),
        ("Codeium", "Windsurf", "Organization", "startup"),
    ],
)
def test_spot_checks(
    gaz: Gazetteer, mention: str, name: str, etype: str, kind: str | None
) -> None:
    entry = gaz.lookup(mention)
    assert entry is not None, mention
    assert (entry.name, entry.type, entry.kind) == (name, etype, kind)


def test_units_are_not_aliases_of_their_parents(gaz: Gazetteer) -> None:
    # A business unit is its own entity: resolving it to the parent would erase
    # Subsidiary facts.
    pairs = [
        ("Google DeepMind", "Google"),
        ("Amazon Web Services", "Amazon"),
        ("Meta Superintelligence Labs", "Meta"),
        ("Microsoft AI", "Microsoft"),
        ("Google", "Alphabet"),
        ("SoftBank Vision Fund", "SoftBank Group"),
    ]
    for unit, parent in pairs:
        assert gaz.lookup(unit).name == unit
        assert gaz.lookup(parent).name == parent


def test_ambiguous_single_words_are_absent(gaz: Gazetteer) -> None:
    for word in ("Figure", "Scale", "Character", "Cognition", "Factory", "Together", "Arm"):
        assert gaz.lookup(word) is None, word
    assert gaz.lookup("Apple").type == "Organization"
