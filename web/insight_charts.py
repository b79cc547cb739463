"""The insights page's charts, drawn on the server as SVG (matplotlib): no script, no outside call.

A chart shows only the suppressed figures of its table: a hidden count is drawn as a hatched
stub with its label ("<5" or "*"), never at its real size. Figures are made without pyplot
(whose state is global), so charts can be drawn in worker threads, off the web app's loop.
"""

from __future__ import annotations

import io
from datetime import date

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from directory.insights_report import Table, label
from directory.suppression import Shown, is_hidden

BLUE, RED = "#005eb8", "#d5281b"
LINES = ["#005eb8", "#007f3b", "#d5281b", "#ffb81c", "#330072", "#ae2573"]
matplotlib.rcParams.update({"font.family": "DejaVu Sans", "font.size": 10,
                            "svg.fonttype": "none", "axes.spines.top": False,
                            "axes.spines.right": False})


def _svg(figure: Figure, title: str) -> str:
    out = io.StringIO()
    figure.savefig(out, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = out.getvalue()
    svg = svg[svg.index("<svg"):]
    return svg.replace("<svg ", f'<svg role="img" aria-label="{title}" ', 1)


def _stub(values: list) -> float:
    shown = [v for v in values if not is_hidden(v)]
    return max(1.0, max(shown, default=5) * 0.04)


def _bar(axes: Axes, at, value: Shown, stub: float, colour: str, across: bool, **style) -> float:
    """One bar (`across`: horizontal), a hidden count as a hatched stub; its drawn length."""
    draw = axes.barh if across else axes.bar
    if is_hidden(value):
        draw(at, stub, color="white", edgecolor=colour, hatch="///", **style)
        return stub
    draw(at, value, color=colour, **style)
    return value


def ranked_bars(items: list[tuple[object, Shown]], title: str, colour: str = BLUE,
                top: int = 15) -> str:
    """Horizontal bars, in the order given (biggest first), for (key, shown count) pairs."""
    items = [(key, value) for key, value in items if value != 0][:top]
    figure = Figure(figsize=(7, 0.35 * max(len(items), 2) + 0.8))
    axes = figure.subplots()
    stub = _stub([value for _, value in items])
    for y, (_, value) in enumerate(items):
        axes.text(_bar(axes, y, value, stub, colour, across=True), y, f" {value}", va="center")
    axes.set_yticks(range(len(items)), [label(key) for key, _ in items])
    axes.invert_yaxis()
    axes.set_xlabel("turns")
    if not items:
        axes.text(0.5, 0.5, "Nothing to show for this range", ha="center",
                  transform=axes.transAxes)
    return _svg(figure, title)


def weekly_lines(table: Table, title: str, top: int = 6) -> str:
    """One line per need (the biggest `top`), one point per week; hidden weeks as open rings."""
    figure = Figure(figsize=(7, 3.2))
    axes = figure.subplots()
    weeks: list[date] = table.rows
    for colour, need in zip(LINES, table.columns[:top]):
        values = [table.cells[(w, need)] for w in weeks]
        axes.plot(weeks, [None if is_hidden(v) else v for v in values], marker="o",
                  color=colour, label=label(need))
        hidden = [w for w, v in zip(weeks, values) if is_hidden(v)]
        axes.scatter(hidden, [2.5] * len(hidden), facecolors="none", edgecolors=colour)
    axes.set_ylabel("turns a week")
    axes.set_ylim(bottom=0)
    if table.columns:
        axes.legend(loc="upper left", bbox_to_anchor=(1, 1), frameon=False)
    figure.autofmt_xdate()
    return _svg(figure, title)


def weekly_bars(table: Table, column, title: str, colour: str = RED) -> str:
    figure = Figure(figsize=(7, 2.6))
    axes = figure.subplots()
    values = [table.cells[(w, column)] for w in table.rows]
    stub = _stub(values)
    for week, value in zip(table.rows, values):
        length = _bar(axes, week, value, stub, colour, across=False, width=5)
        if value != 0:
            axes.annotate(str(value), (week, length), ha="center", va="bottom")
    axes.set_ylabel("a week")
    figure.autofmt_xdate()
    return _svg(figure, title)
