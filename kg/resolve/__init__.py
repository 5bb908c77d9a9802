"""Entity resolution: names as written -> one canonical Entity per real-world entity."""

from kg.resolve.aliases import load_alias_file, load_alias_files
from kg.resolve.merge import merge_candidates, pair_score
from kg.resolve.normalize import display_name, match_key, name_key
from kg.resolve.resolver import (
    FUZZY_THRESHOLD,
    ResolvedArticle,
    ResolvedEvent,
    Resolver,
    entity_id,
    types_compatible,
)

__all__ = [
    "Resolver",
    "ResolvedArticle",
    "ResolvedEvent",
    "merge_candidates",
    "pair_score",
    "load_alias_file",
    "load_alias_files",
    "display_name",
    "match_key",
    "name_key",
    "entity_id",
    "types_compatible",
    "FUZZY_THRESHOLD",
]
