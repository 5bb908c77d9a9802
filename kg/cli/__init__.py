"""The ``kg`` command line: a thin shell over importable functions."""

from kg.cli.main import main

__all__ = ["main"]
