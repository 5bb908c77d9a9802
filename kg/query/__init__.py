"""The query stage: SPARQL over any Store, named queries, DataFrames, networkx, exports.

Only ``Store.query(sparql, bindings=...)`` and ``Store.dump`` are used, so every backend
works the same way. Nothing here imports the viewer (kg.viz builds on this stage).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from kg.query.catalog import NamedQuery, Param, get_named, named_queries, run_named
from kg.query.core import (
    ParamValue,
    format_result,
    load_query,
    run_query,
    sparql_json,
    term_to_python,
    to_dataframe,
    to_term,
)
from kg.rdf.store.base import QueryResult, Store

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "QueryResult",
    "NamedQuery",
    "Param",
    "ParamValue",
    "run_query",
    "load_query",
    "format_result",
    "to_dataframe",
    "sparql_json",
    "term_to_python",
    "to_term",
    "named_queries",
    "get_named",
    "run_named",
    "query_df",
    "query",
]


def query(
    store: Store,
    sparql_or_name: str | Path,
    params: Mapping[str, ParamValue | None] | None = None,
    timeout: float | None = None,
) -> QueryResult:
    """Run a named query when ``sparql_or_name`` is one's name, else SPARQL text or a .rq path."""
    if isinstance(sparql_or_name, str) and sparql_or_name in named_queries():
        return run_named(store, sparql_or_name, params, timeout=timeout)
    return run_query(store, sparql_or_name, {k: v for k, v in (params or {}).items()
                                             if v is not None}, timeout=timeout)


def query_df(store: Store, sparql_or_name: str | Path, **params: ParamValue | None) -> pd.DataFrame:
    """A DataFrame of a named query (by name) or of SPARQL text / a .rq file."""
    return to_dataframe(query(store, sparql_or_name, params))
