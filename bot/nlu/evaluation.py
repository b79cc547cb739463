"""Scores an NLU parser on labelled texts: per-topic intent accuracy and F1, crisis recall,
false-crisis rate and `location` precision/recall/F1.

Shared by `bench/nlu.py` (figures for people) and the model-quality test (targets as assertions),
so both measure the same thing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Tuple

from rasa.shared.nlu.training_data.loading import load_data

TOPICS = ("crisis", "mental_health", "gp", "dentist", "screening", "community")
ENTITY = "location"

Parse = Callable[[str], Awaitable[Dict[str, Any]]]


@dataclass
class Example:
    text: str
    intent: str
    locations: List[Tuple[int, int]]


def load_examples(path: Path | str) -> List[Example]:
    data = load_data(str(path))
    examples = []
    for message in data.intent_examples:
        spans = [(e["start"], e["end"]) for e in message.get("entities") or []
                 if e.get("entity") == ENTITY]
        examples.append(Example(message.get("text"), message.get("intent"), spans))
    return examples


def topic_of(intent: str | None) -> str | None:
    """The topic an intent belongs to: `gp_register` counts as `gp`."""
    if not intent:
        return None
    for topic in TOPICS:
        if intent == topic or intent.startswith(topic + "_"):
            return topic
    return intent


@dataclass
class Report:
    total: int = 0
    correct: int = 0
    per_label: Dict[str, Counter] = field(default_factory=dict)
    crisis_total: int = 0
    crisis_found: int = 0
    non_crisis_total: int = 0
    false_crisis: int = 0
    location_true: int = 0
    location_predicted: int = 0
    location_matched: int = 0
    errors: List[Tuple[str, str, str]] = field(default_factory=list)

    def _counter(self, label: str) -> Counter:
        return self.per_label.setdefault(label, Counter())

    def accuracy(self, label: str) -> float:
        c = self.per_label.get(label, Counter())
        return c["tp"] / c["support"] if c["support"] else float("nan")

    def f1(self, label: str) -> float:
        c = self.per_label.get(label, Counter())
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        recall = c["tp"] / c["support"] if c["support"] else 0.0
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    @property
    def overall_accuracy(self) -> float:
        return self.correct / self.total if self.total else float("nan")

    @property
    def crisis_recall(self) -> float:
        return self.crisis_found / self.crisis_total if self.crisis_total else float("nan")

    @property
    def false_crisis_rate(self) -> float:
        return self.false_crisis / self.non_crisis_total if self.non_crisis_total else 0.0

    @property
    def location_precision(self) -> float:
        return (self.location_matched / self.location_predicted
                if self.location_predicted else 0.0)

    @property
    def location_recall(self) -> float:
        return self.location_matched / self.location_true if self.location_true else float("nan")

    @property
    def location_f1(self) -> float:
        p, r = self.location_precision, self.location_recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def labels(self) -> List[str]:
        return sorted(self.per_label, key=lambda l: (l not in TOPICS, TOPICS.index(l)
                                                     if l in TOPICS else 0, l))


def _overlaps(a: Tuple[int, int], b: Tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def add(report: Report, example: Example, parsed: Dict[str, Any]) -> None:
    expected = topic_of(example.intent)
    predicted = topic_of((parsed.get("intent") or {}).get("name"))
    report.total += 1
    report._counter(expected)["support"] += 1
    if predicted == expected:
        report.correct += 1
        report._counter(expected)["tp"] += 1
    else:
        report._counter(predicted or "none")["fp"] += 1
        report.errors.append((example.text, expected, predicted or "none"))
    if expected == "crisis":
        report.crisis_total += 1
        report.crisis_found += predicted == "crisis"
    else:
        report.non_crisis_total += 1
        report.false_crisis += predicted == "crisis"

    found = [(e["start"], e["end"]) for e in parsed.get("entities") or []
             if e.get("entity") == ENTITY]
    report.location_true += len(example.locations)
    report.location_predicted += len(found)
    report.location_matched += sum(any(_overlaps(t, f) for f in found) for t in example.locations)


async def evaluate(parse: Parse, examples: Iterable[Example]) -> Report:
    report = Report()
    for example in examples:
        add(report, example, await parse(example.text))
    return report


def format_report(report: Report, title: str) -> str:
    lines = [f"## {title}", "", "| intent | support | accuracy | F1 |", "|---|---:|---:|---:|"]
    for label in report.labels():
        support = report.per_label[label]["support"]
        if not support:
            continue
        lines.append(f"| {label} | {support} | {report.accuracy(label):.3f} "
                     f"| {report.f1(label):.3f} |")
    lines += [
        "",
        f"- overall intent accuracy: {report.overall_accuracy:.3f} ({report.correct}/{report.total})",
        f"- crisis recall: {report.crisis_recall:.3f} ({report.crisis_found}/{report.crisis_total})",
        f"- false-crisis rate: {report.false_crisis_rate:.3f} "
        f"({report.false_crisis}/{report.non_crisis_total})",
        f"- location precision {report.location_precision:.3f}, recall "
        f"{report.location_recall:.3f}, F1 {report.location_f1:.3f} "
        f"({report.location_matched}/{report.location_true} found, "
        f"{report.location_predicted} predicted)",
    ]
    return "\n".join(lines)
