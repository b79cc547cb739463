"""Gather the benchmark results (bench/results/nlu.md, search.md, load.md) into one report,
bench/results/report.md, with the machine they ran on. Run by `make bench` after the three
benchmarks; commit the report, not raw data."""

from __future__ import annotations

import os
import platform
from datetime import date
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
PARTS = [("nlu.md", "`bench/nlu.py`"), ("search.md", "`bench/search.py`"),
         ("load.md", "`bench/load.py`")]


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main() -> None:
    lines = ["# Benchmark report", "",
             f"Made by `make bench` on {date.today():%d %B %Y}: {os.cpu_count()} cores "
             f"({cpu_name()}), Python {platform.python_version()}, {platform.system()}.", ""]
    for name, script in PARTS:
        path = RESULTS / name
        if not path.exists():
            lines += [f"## {name[:-3]}", "", f"Not run: {script} wrote no {name}.", ""]
            continue
        title, *body = path.read_text().strip().splitlines()
        # Each part's headings go one level down inside the report.
        lines += [f"## {title.lstrip('# ')}",
                  *[("#" + line) if line.startswith("## ") else line for line in body], ""]
    out = RESULTS / "report.md"
    out.write_text("\n".join(lines).rstrip() + "\n")
    print(f"Report written to {out}")


if __name__ == "__main__":
    main()
