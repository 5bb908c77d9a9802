"""Verbs that read a store: query, stats, validate, entities, conflicts, serve."""

from __future__ import annotations

import json
import sys

import click

from kg.cli.options import open_cli_store, store_option

__all__ = ["COMMANDS"]


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{pair!r} is not KEY=VALUE", param_hint="--param")
        params[key] = value
    return params


@click.command("query")
@click.argument("sparql", required=False, metavar="SPARQL|FILE.rq")
@click.option("--named", "name", metavar="NAME", help="Run a named query (see --list).")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
              help="Parameter of a named or file query, bound as an RDF term (repeatable).")
@click.option("--list", "list_named", is_flag=True, help="List the named queries and exit.")
@store_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="Output: text table, SPARQL CSV, SPARQL Results JSON.")
@click.option("--timeout", type=float, default=None, help="Stop the query after SECONDS.")
def query_cmd(sparql, name, params, list_named, store_url, fmt, timeout):
    """Run SPARQL over the graph (all articles' graphs together).

    Give the query as text, as a .rq file, or by name with --named. Parameters are
    bound as RDF terms, never pasted into the query text.

    \b
    Example:
        kg query "SELECT ?org WHERE { ?org a kg:Organization } LIMIT 5"
        kg query --named deals-of --param org=Nvidia
        kg query --named funding-rounds-above --param min=100000000 --format csv
        kg query my-query.rq --format json
    """
    from kg.query import format_result, load_query, named_queries, run_named, run_query

    if list_named:
        for q in named_queries().values():
            args = " ".join(f"--param {p}=..." for p in q.params)
            click.echo(f"{q.name:<24} {q.description}" + (f"  [{args}]" if args else ""))
        return
    if bool(sparql) == bool(name):
        raise click.UsageError("give either a SPARQL query (text or .rq file) or --named NAME")
    bound = _parse_params(params)
    with open_cli_store(store_url) as store:
        if name:
            result = run_named(store, name, bound, timeout=timeout)
        else:
            result = run_query(store, load_query(sparql), bound or None, timeout=timeout)
        click.echo(format_result(result, fmt), nl=fmt == "table")


@click.command("stats")
@store_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
def stats_cmd(store_url, fmt):
    """Count articles, entities, events (by type) and quads in the store.

    \b
    Example:
        kg stats
        kg stats --store ./kg-store --format json
    """
    from kg.stats import store_stats

    with open_cli_store(store_url) as store:
        stats = store_stats(store)
    if fmt == "json":
        click.echo(json.dumps(stats, sort_keys=False))
        return
    for key in ("articles", "entities", "events"):
        click.echo(f"{key:<16}{stats[key]:>10}")
    for etype, n in stats["events_by_type"].items():
        click.echo(f"  {etype:<14}{n:>10}")
    click.echo(f"{'quads':<16}{stats['quads']:>10}")


@click.command("validate")
@store_option
def validate_cmd(store_url):
    """Check the store against the SHACL shapes of every event type.

    Exit status 1 when there is any violation; each is listed on its own line.

    \b
    Example:
        kg validate --store ./kg-store
    """
    from kg.rdf.validate import validate

    with open_cli_store(store_url) as store:
        report = validate(store)
    if report.conforms:
        click.echo("conforms: no violation")
        return
    for focus, path, message in report.violations:
        click.echo(f"{focus} {path}: {message}")
    click.echo(f"{len(report.violations)} violation(s)", err=True)
    sys.exit(1)


@click.command("entities")
@store_option
@click.option("--type", "etype", type=click.Choice(["Organization", "Person", "Product"]),
              help="Only entities of this class.")
@click.option("--suggest", is_flag=True, help="Also suggest pairs that may be one entity.")
def entities_cmd(store_url, etype, suggest):
    """List entities with their aliases; with --suggest, likely duplicates.

    Put confirmed merges in an alias file and rebuild with --aliases FILE.

    \b
    Example:
        kg entities --type Organization
        kg entities --suggest
    """
    from kg.build import _stored_entities
    from kg.resolve import merge_candidates

    with open_cli_store(store_url) as store:
        entities = sorted(_stored_entities(store), key=lambda e: (e.type, e.name.casefold()))
    for entity in entities:
        if etype and entity.type != etype and not (etype == "Product" and entity.type == "AIModel"):
            continue
        aliases = ", ".join(sorted(entity.aliases - {entity.name}))
        click.echo(f"{entity.type:<13} {entity.name}" + (f"  ({aliases})" if aliases else ""))
    if suggest:
        pairs = merge_candidates(entities)
        click.echo(f"{len(pairs)} merge candidate(s)")
        for a, b, score in pairs:
            click.echo(f"  {a.name} ~ {b.name}  ({score:.2f})")


@click.command("conflicts")
@store_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
def conflicts_cmd(store_url, fmt):
    """List events whose sources disagree (two amounts for one deal), with the sources.

    \b
    Example:
        kg conflicts --store ./kg-store
    """
    from kg.rdf.provenance import conflicts

    with open_cli_store(store_url) as store:
        found = conflicts(store)
    if fmt == "json":
        click.echo(json.dumps(found, ensure_ascii=False, default=str))
        return
    if not found:
        click.echo("no conflicts")
    for c in found:
        click.echo(json.dumps(c, ensure_ascii=False, default=str))


@click.command("serve")
@store_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--allow-update", is_flag=True,
              help="Accept SPARQL Update, with the token from KG_SERVE_TOKEN.")
@click.option("--timeout", default=30.0, show_default=True, type=float,
              help="Seconds before a query is stopped.")
@click.option("--max-rows", default=10_000, show_default=True, type=int)
@click.option("--graph-html", type=click.Path(exists=True, dir_okay=False),
              help="HTML graph page (from kg viz) to serve at /graph.")
def serve_cmd(store_url, host, port, allow_update, timeout, max_rows, graph_html):
    """Serve the store as a SPARQL 1.1 Protocol endpoint at /sparql.

    Read-only unless --allow-update is given; updates then need the header
    "Authorization: Bearer $KG_SERVE_TOKEN".

    \b
    Example:
        kg serve --store ./kg-store --port 8000
        KG_SERVE_TOKEN=secret kg serve --allow-update
    """
    import os

    from kg.errors import ConfigError
    from kg.server import serve

    token = os.environ.get("KG_SERVE_TOKEN")
    if allow_update and not token:
        raise ConfigError("--allow-update needs a token: set KG_SERVE_TOKEN")
    with open_cli_store(store_url, create=allow_update) as store:
        click.echo(f"SPARQL endpoint on http://{host}:{port}/sparql (Ctrl-C stops)", err=True)
        serve(store, host=host, port=port, allow_update=allow_update, token=token,
              timeout=timeout, max_rows=max_rows, graph_html=graph_html)


COMMANDS = [query_cmd, stats_cmd, validate_cmd, entities_cmd, conflicts_cmd, serve_cmd]
