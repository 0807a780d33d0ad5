"""Benchmark: PDF documents rendered with Typst on one core (titrepro.core.pdf).

Renders ``--count`` convocations and sign-in sheets from the example data shipped with the
templates (src/titrepro/core/typst/examples/), each with another recipient so no two are alike,
after one warm-up render (the first one loads the fonts and parses the templates).

    uv run python bench/pdf.py [--count 2000]

Prints the cost of the first render, then CPU milliseconds per document and documents per second
for each template, on one core (one thread, one process), and the wall-clock rate. Target (issue 13, with signing on two
cores): 200 signed PDFs per second.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from titrepro.core import pdf

NAMES = ["Chloé MOREAU", "Noël LEFÈVRE", "Léa DUBOIS", "Maël FRANÇOIS", "Zoé GARNIER", "Jérôme FAURE"]


def example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((pdf.TEMPLATES / "examples" / f"{name}.json").read_text(encoding="utf-8"))
    return data


def variants(template: str, count: int) -> list[dict[str, Any]]:
    base = example(template)
    out = []
    for index in range(count):
        data = copy.deepcopy(base)
        name = f"Mme {NAMES[index % len(NAMES)]}-{index}"
        if template == "convocation":
            data["recipient"]["name"] = name
            data["reference"] = f"CONV-2027-075-0042-{index:05d}"
        else:
            data["people"][0]["name"] = name
        out.append(data)
    return out


def measure(template: str, count: int) -> tuple[float, float, int]:
    """Wall-clock and CPU seconds for ``count`` renders, and the mean size. CPU time is the figure to
    read on a shared machine: other processes on the core lengthen the wall clock, not it."""
    documents = variants(template, count)
    size = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for data in documents:
        size += len(pdf.render(template, data))
    return time.perf_counter() - wall, time.process_time() - cpu, size // count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, whatever the machine has
    print(f"Python {platform.python_version()} on {platform.machine()}, one core, {args.count} documents each")
    began = time.perf_counter()
    pdf.render("convocation", example("convocation"))
    print(f"first render (fonts loaded, templates parsed): {(time.perf_counter() - began) * 1000:.1f} ms")
    pdf.render("sign_in_sheet", example("sign_in_sheet"))
    for template in ("convocation", "sign_in_sheet"):
        wall, cpu, size = measure(template, args.count)
        print(
            f"{template:14} {cpu / args.count * 1000:6.2f} ms CPU per PDF  {args.count / cpu:5.0f} PDFs/s of CPU"
            f"  ({args.count / wall:.0f}/s by the wall clock; {size // 1024} KB each)"
        )


if __name__ == "__main__":
    main()
