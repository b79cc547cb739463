"""NLU benchmark: the project's pipeline (config.yml) beside Rasa's default (`rasa init`).

Both are trained from scratch (no training cache) on nlu_data/ and scored on the held-out texts in
tests/data/nlu_heldout.yml, which are not in the training data. Prints, and writes to
bench/results/nlu.md: intent accuracy and F1 per topic, crisis recall, false-crisis rate,
`location` precision/recall/F1, training time and model size.

    make bench            # or: .venv/bin/python bench/nlu.py [--cores 2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["RASA_MAX_CACHE_SIZE"] = "0"  # time real training, not cache hits
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

HELDOUT = ROOT / "tests" / "data" / "nlu_heldout.yml"
PIPELINES = {
    "signpost (config.yml)": ROOT / "config.yml",
    "rasa init default": ROOT / "bench" / "default_config.yml",
}


def train(config: Path, output: Path, name: str) -> tuple[Path, float]:
    from rasa.model_training import train_nlu

    started = time.perf_counter()
    model = train_nlu(str(config), str(ROOT / "nlu_data"), str(output), fixed_model_name=name)
    return Path(model), time.perf_counter() - started


async def score(model: Path):
    from rasa.core.agent import Agent

    from bot.nlu.evaluation import evaluate, load_examples

    agent = Agent.load(str(model))
    started = time.perf_counter()
    report = await evaluate(agent.parse_message, load_examples(HELDOUT))
    return report, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cores", type=int, help="pin training to this many CPU cores")
    args = parser.parse_args()
    if args.cores:
        os.sched_setaffinity(0, set(sorted(os.sched_getaffinity(0))[: args.cores]))
    cores = len(os.sched_getaffinity(0))

    from bot.nlu.evaluation import format_report

    os.chdir(ROOT)  # config.yml names the spaCy pipeline by a path relative to the project
    sections = [
        "# NLU benchmark",
        "",
        f"Held-out texts: `{HELDOUT.relative_to(ROOT)}`; training data: `nlu_data/`; "
        f"{cores} CPU core(s). Reproduce with `make bench`.",
        "",
    ]
    summary = ["| pipeline | overall accuracy | min topic accuracy | crisis recall | "
               "false-crisis | location F1 | training s | model MB | parse ms/text |",
               "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    with tempfile.TemporaryDirectory() as tmp:
        for i, (label, config) in enumerate(PIPELINES.items()):
            model, seconds = train(config, Path(tmp), f"bench{i}")
            report, parse_seconds = asyncio.run(score(model))
            size_mb = model.stat().st_size / 1e6
            from bot.nlu.evaluation import TOPICS

            min_topic = min(report.accuracy(t) for t in TOPICS)
            summary.append(
                f"| {label} | {report.overall_accuracy:.3f} | {min_topic:.3f} "
                f"| {report.crisis_recall:.3f} | {report.false_crisis_rate:.3f} "
                f"| {report.location_f1:.3f} | {seconds:.0f} | {size_mb:.1f} "
                f"| {1000 * parse_seconds / max(report.total, 1):.1f} |"
            )
            sections += [format_report(report, label), "",
                         f"- training time: {seconds:.0f} s; model size: {size_mb:.1f} MB", ""]
            if report.errors:
                sections += ["Misread texts (text, expected, predicted):", ""]
                sections += [f"- `{t}`: {e} -> {p}" for t, e, p in report.errors]
                sections.append("")
    text = "\n".join(sections[:4] + summary + [""] + sections[4:])
    out = ROOT / "bench" / "results" / "nlu.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n")
    print(text)
    print(f"\nWritten to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
