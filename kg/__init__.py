"""kg: turn AI-industry news into a typed, queryable, source-linked knowledge graph.

The stages run in one direction: ingest -> extract -> resolve -> rdf/store -> query -> viz.
"""

from kg.errors import KGError
from kg.model import Article, ArticleExtraction, Entity, Event, Mention, Provenance

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "Article",
    "ArticleExtraction",
    "Entity",
    "Event",
    "KGError",
    "Mention",
    "Provenance",
]
