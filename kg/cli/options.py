"""Options shared by several verbs, so they read and behave the same everywhere."""

from __future__ import annotations

import click

from kg.config import load_settings
from kg.rdf.store import Store, open_store

__all__ = ["store_option", "open_cli_store", "quiet_option"]

store_option = click.option(
    "--store", "store_url", metavar="URL",
    help="Store location: PATH or oxigraph:PATH (default ./kg-store), memory:, sparql:URL. "
         "Also KG_STORE or kg.toml.",
)

quiet_option = click.option("-q", "--quiet", is_flag=True, help="No progress bar.")


def open_cli_store(store_url: str | None, create: bool = False) -> Store:
    """The store named on the command line, else by KG_STORE / kg.toml, else ./kg-store."""
    return open_store(load_settings(store=store_url).store, create=create)
