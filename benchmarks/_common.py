"""Shared helpers of the benchmarks: generated articles, peak memory of a process tree."""

from __future__ import annotations

import json
import os
import random
import subprocess
import threading
import time
from pathlib import Path

__all__ = ["generate_jsonl", "run_measured", "Measured"]

_STEMS = ["Nova", "Quill", "Arbor", "Helix", "Vector", "Lumen", "Cobalt", "Tessel", "Orbit",
          "Pylon", "Kestrel", "Marlin", "Sable", "Juniper", "Halcyon", "Cinder", "Vale", "Ridge"]
_SUFFIXES = ["AI", "Labs", "Systems", "Robotics", "Compute", "Technologies", "Networks"]
_FUNDS = ["Capital", "Ventures", "Partners"]
_FIRST = ["Maya", "Arjun", "Lena", "Tomas", "Grace", "Omar", "Ines", "Kenji", "Sofia", "Daniel"]
_LAST = ["Okafor", "Lindqvist", "Moreau", "Tanaka", "Alvarez", "Novak", "Haddad", "Price"]
_ROUNDS = ["Seed", "Series A", "Series B", "Series C"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def _company(rng: random.Random) -> str:
    return f"{rng.choice(_STEMS)}{rng.choice(_STEMS).lower()} {rng.choice(_SUFFIXES)}"


def _article(rng: random.Random, i: int) -> dict:
    a, b, fund = _company(rng), _company(rng), f"{rng.choice(_STEMS)} {rng.choice(_FUNDS)}"
    person = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
    amount = rng.choice([12, 40, 75, 150, 320, 900])
    paragraphs = [
        f"{a} raised ${amount} million in a {rng.choice(_ROUNDS)} round led by {fund} on "
        f"{rng.choice(_DAYS)}, the company said. The startup builds software that helps "
        "hospitals and banks run language models on their own servers.",
        f"{person}, the chief executive of {a}, said the money would pay for more engineers "
        "and a larger sales team in Europe and Asia over the next two years.",
        f"The company also unveiled {rng.choice(_STEMS)}-{rng.randint(2, 9)}, a model for "
        f"document search, and signed a cloud partnership with {b}. Analysts said the market "
        "for such tools was growing quickly, though competition from larger rivals remained "
        "fierce and prices were falling.",
        f"Earlier this year {b} agreed to acquire a smaller rival for ${amount // 4 + 5} million. "
        "Neither company disclosed revenue figures, and both declined to comment on "
        "reports that further deals were being discussed.",
    ]
    return {"id": f"gen-{i:06d}", "title": f"{a} raises ${amount} million",
            "published": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "text": "\n\n".join(paragraphs)}


def generate_jsonl(path: Path, n: int, seed: int = 7) -> Path:
    """Write ``n`` generated news articles (our own templates) as JSONL."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps(_article(rng, i)) + "\n")
    return path


def _tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants, in KiB (Linux /proc)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


class Measured:
    def __init__(self, seconds: float, peak_mib: float, returncode: int, stdout: str) -> None:
        self.seconds, self.peak_mib, self.returncode, self.stdout = (
            seconds, peak_mib, returncode, stdout)


def run_measured(cmd: list[str], env: dict | None = None) -> Measured:
    """Run ``cmd``; wall time and the peak summed RSS of its process tree."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})})
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss_kib(proc.pid))
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    stop.set()
    sampler.join()
    if proc.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-2000:]}")
    return Measured(time.perf_counter() - started, peak / 1024, proc.returncode, out)
