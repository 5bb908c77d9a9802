"""Verbs that show or hand over the graph: viz, timeline, export, demo."""

from __future__ import annotations

import click

from kg.cli.options import open_cli_store, store_option

__all__ = ["COMMANDS"]

EXPORT_FORMATS = ["turtle", "nt", "nquads", "trig", "jsonld", "graphml", "gexf", "neo4j"]


@click.command("viz")
@store_option
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="HTML file to write.")
@click.option("--focus", metavar="NAME", help="Show the neighbourhood of this entity.")
@click.option("--hops", type=click.IntRange(1, 6), default=1, show_default=True,
              help="How far from --focus to go.")
@click.option("--events", type=click.Choice(["nodes", "edges"]), default="nodes",
              show_default=True, help="Draw events as small nodes or fold them into edges.")
@click.option("--max-nodes", type=click.IntRange(10), default=1500, show_default=True,
              help="Above this, show the most central part and say what was left out.")
def viz_cmd(store_url, output, focus, hops, events, max_nodes):
    """Write a self-contained interactive HTML graph (opens offline in any browser).

    \b
    Example:
        kg viz -o graph.html
        kg viz -o nvidia.html --focus Nvidia --hops 2
    """
    from kg.viz import write_html

    with open_cli_store(store_url) as store:
        info = write_html(store, output, focus=focus, hops=hops, events=events,
                          max_nodes=max_nodes)
    click.echo(f"wrote {output} ({info})")


@click.command("timeline")
@store_option
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="Picture to write: .png or .svg.")
@click.option("--focus", metavar="NAME", help="Only events this entity takes part in.")
def timeline_cmd(store_url, output, focus):
    """Draw events over time, by type, as a picture.

    \b
    Example:
        kg timeline -o timeline.png
        kg timeline --focus Nvidia -o nvidia.svg
    """
    from kg.errors import ConfigError
    from kg.viz import timeline

    if not output.lower().endswith((".png", ".svg")):
        raise ConfigError(f"{output}: the timeline is written as .png or .svg")
    with open_cli_store(store_url) as store:
        timeline(store, output, focus=focus)
    click.echo(f"wrote {output}")


@click.command("export")
@store_option
@click.option("--format", "fmt", required=True, type=click.Choice(EXPORT_FORMATS),
              help="turtle, nt, nquads, trig, jsonld (RDF); graphml, gexf (networkx); neo4j "
                   "(bulk-import CSVs).")
@click.option("-o", "--output", required=True, type=click.Path(),
              help="File to write (a directory for neo4j).")
def export_cmd(store_url, fmt, output):
    """Write the whole graph in another format.

    \b
    Example:
        kg export --format turtle -o graph.ttl
        kg export --format gexf -o graph.gexf      # open in Gephi
        kg export --format neo4j -o neo4j-import/
    """
    from kg.query.export import export

    with open_cli_store(store_url) as store:
        export(store, fmt, output)
    click.echo(f"wrote {output}")


@click.command("demo")
@store_option
@click.option("-o", "--output", default="kg-demo.html", show_default=True,
              type=click.Path(dir_okay=False), help="Where to write the graph page.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def demo_cmd(store_url, output, quiet):
    """Build the bundled example articles, count events, draw the graph, ask a question.

    \b
    Example:
        kg demo
        kg demo --store memory: -o demo.html
    """
    from kg.demo import run_demo

    run_demo(store_url, output, quiet=quiet, echo=click.echo)


COMMANDS = [viz_cmd, timeline_cmd, export_cmd, demo_cmd]
