"""Choosing what to draw (node budget) and where (a fast precomputed layout).

A browser cannot run a force simulation over tens of thousands of nodes in seconds, and
networkx's spring layout is quadratic per iteration, so big graphs get a layout computed
here in roughly linear time: a spring layout of the few hundred most connected nodes,
then every other node placed in a ring around an already placed neighbour, breadth-first;
components with no placed node are packed in a grid beside the main picture.
"""

from __future__ import annotations

import math
import random
from collections import deque

import networkx as nx

__all__ = ["reduce_graph", "fast_layout", "ranked_nodes"]


def ranked_nodes(g: nx.MultiDiGraph) -> list[str]:
    """Nodes from most to least connected (degree, counting every event once), ties by id."""
    degree = dict(g.degree())
    return sorted(g.nodes, key=lambda n: (-degree[n], str(n)))


def reduce_graph(g: nx.MultiDiGraph, max_nodes: int) -> nx.MultiDiGraph:
    """At most ``max_nodes`` nodes: the most connected entities and the events among them.

    Entities are ranked by degree (the number of events they take part in); an event is
    kept when all its participants are (so no event is drawn half-connected). The number
    of entities is the largest that fits the budget together with their events.
    """
    if g.number_of_nodes() <= max_nodes:
        return g
    entities = [n for n in ranked_nodes(g) if g.nodes[n].get("kind") != "event"]
    events = {n: set(g.successors(n)) | set(g.predecessors(n))
              for n, d in g.nodes(data=True) if d.get("kind") == "event"}

    def pick(k: int) -> list[str]:
        kept = set(entities[:k])
        return entities[:k] + [e for e, parts in events.items() if parts and parts <= kept]

    lo, hi = 0, min(len(entities), max_nodes)
    while lo < hi:  # largest k whose selection fits
        mid = (lo + hi + 1) // 2
        if len(pick(mid)) <= max_nodes:
            lo = mid
        else:
            hi = mid - 1
    return g.subgraph(pick(lo)).copy()


def _ring(cx: float, cy: float, k: int, n: int, radius: float) -> tuple[float, float]:
    angle = 2 * math.pi * k / max(n, 1)
    return cx + radius * math.cos(angle), cy + radius * math.sin(angle)


def fast_layout(g: nx.Graph, seed: int = 7, core_size: int = 300,
                scale: float = 1000.0) -> dict[str, tuple[float, float]]:
    """Positions for every node in about linear time (see the module docstring)."""
    rng = random.Random(seed)
    und = g.to_undirected(as_view=True) if g.is_directed() else g
    if g.number_of_nodes() == 0:
        return {}
    ranked = ranked_nodes(g)
    core = ranked[:core_size]
    core_graph = nx.Graph(und.subgraph(core))
    pos: dict[str, tuple[float, float]] = {}
    if core_graph.number_of_nodes() > 1:
        raw = nx.spring_layout(core_graph, seed=seed, iterations=50, scale=scale)
        pos = {n: (float(x), float(y)) for n, (x, y) in raw.items()}
    else:
        pos = {core[0]: (0.0, 0.0)}
    # breadth-first from the placed core: children ring around their first placed neighbour
    rank = {n: i for i, n in enumerate(ranked)}
    queue = deque(sorted(pos, key=rank.__getitem__))
    step = scale / max(6.0, math.sqrt(len(core)))
    while queue:
        parent = queue.popleft()
        children = [n for n in sorted(und.neighbors(parent), key=str) if n not in pos]
        px, py = pos[parent]
        for k, child in enumerate(children):
            radius = step * (0.6 + 0.4 * rng.random()) * (1 + len(children) / 40)
            pos[child] = _ring(px, py, k, len(children), radius)
            queue.append(child)
    # components never reached: a grid of small circles to the right of the picture
    rest = [n for n in ranked if n not in pos]
    if rest:
        xs = [p[0] for p in pos.values()]
        left = max(xs) + 3 * step
        cell = 2.5 * step
        per_row = max(1, int(math.sqrt(len(rest)) // 2) + 1)
        placed = 0
        for comp in sorted(nx.connected_components(und.subgraph(rest)),
                           key=lambda c: (-len(c), min(map(str, c)))):
            members = sorted(comp, key=str)
            cx = left + (placed % per_row) * cell
            cy = -scale + (placed // per_row) * cell
            for k, n in enumerate(members):
                pos[n] = _ring(cx, cy, k, len(members), step * 0.8) if len(members) > 1 \
                    else (cx, cy)
            placed += 1
    return pos
