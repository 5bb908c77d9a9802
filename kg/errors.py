"""The exception tree. Every message says what went wrong and what to do about it.

The CLI prints ``str(error)`` on one line and exits 1, so messages must stand alone.
"""

from __future__ import annotations

__all__ = [
    "KGError",
    "ConfigError",
    "InputError",
    "ExtractionError",
    "ModelNotFoundError",
    "StoreError",
    "StoreNotFoundError",
    "QueryError",
    "UnknownNamedQueryError",
    "ExportError",
]


class KGError(Exception):
    """Base class of every error kg raises on purpose."""


class ConfigError(KGError):
    """A setting (option, environment variable, config file) has a value kg cannot use."""


class InputError(KGError):
    """An input file or record cannot be read; the message names the file (and line)."""


class ExtractionError(KGError):
    """The extraction pipeline could not be set up or failed on an article."""


class ModelNotFoundError(ExtractionError):
    """The configured spaCy model package is not installed."""


class StoreError(KGError):
    """The triple store cannot be opened, read or written."""


class StoreNotFoundError(StoreError):
    """The store location does not exist (and the command does not create stores)."""


class QueryError(KGError):
    """A SPARQL query is malformed, failed, or took too long."""


class UnknownNamedQueryError(QueryError):
    """No named query has that name."""


class ExportError(KGError):
    """The graph cannot be written in the requested format."""
