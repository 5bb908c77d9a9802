"""Extraction: AI-industry news article -> typed mentions and spec-form events.

``Extractor`` (registered as ``"rules"`` in :data:`extractors`) parses with spaCy once per
instance and applies the pattern families of :mod:`kg.extract.rules_deals`,
:mod:`kg.extract.rules_misc` and :mod:`kg.extract.rules_people`; values are normalised by
:mod:`kg.extract.normalize`.
"""

from __future__ import annotations

from kg.extract.extractor import Extractor
from kg.extract.pipeline import load_pipeline
from kg.registry import Registry

__all__ = ["Extractor", "load_pipeline", "extractors"]

extractors: Registry = Registry("extractors")
extractors.register("rules", Extractor)
