"""Ingest: news articles from files, directories, globs, feeds and standard input.

The one call most code needs is :func:`read_articles`; problems with individual inputs are
collected in a :class:`Problems` instead of raised. Formats are plugins in the
:data:`formats` registry (``kg.formats`` entry points for third parties); the built-in ones
(text, markdown, html, feed, jsonl, csv) register when this package is imported.
"""

from kg.ingest import feeds, html, tabular, text  # noqa: F401  (registers the built-in formats)
from kg.ingest.base import Format, ReadContext, Source, formats
from kg.ingest.dates import normalise_date
from kg.ingest.problems import Problem, Problems
from kg.ingest.reader import STDIN, IngestStats, detect_format, expand_inputs, read_articles

__all__ = [
    "Format",
    "IngestStats",
    "Problem",
    "Problems",
    "ReadContext",
    "STDIN",
    "Source",
    "detect_format",
    "expand_inputs",
    "formats",
    "normalise_date",
    "read_articles",
]
