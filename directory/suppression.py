"""Small-number suppression for anything shown or exported from the need counts.

A count from 1 to 4 is shown as "<5" (NHS small-number practice). A hidden count must not be
worked out from what is shown either: not by subtraction from a total, nor by combining totals
with what "<5" and "*" say (1 to 4; 5 or more). So after the small counts are hidden, each one
is checked as a reader could check it: whether sums and differences of the shown counts give it
(linear algebra), and the least and most it can be from what the marks say, total by total;
where a table hides up to THOROUGH_UP_TO counts, also over every combination of totals (a
linear programme, scipy's HiGHS). While some hidden count has only one possible value, the
smallest shown count that shares a total with it is hidden too, as "*". A grand total is
hidden only when it is under 5 or when nothing else can protect a small count (a list of one
small count and one count of 5). Zero is shown: it hides nothing.
"""

from __future__ import annotations

import math
from typing import Hashable, Iterable, Mapping, Optional, TypeVar, Union

import numpy
from scipy.optimize import linprog

SMALL = "<5"
COMPLEMENT = "*"
Shown = Union[int, str]
K = TypeVar("K", bound=Hashable)
R = TypeVar("R", bound=Hashable)
C = TypeVar("C", bound=Hashable)
TOTAL = ("total",)
# An equation: the first variable is the sum of the others.
Equation = tuple[Hashable, list]
BOUNDS = {SMALL: (1, 4), COMPLEMENT: (5, None)}
# Up to this many hidden counts, each is also checked by a linear programme (two a count).
THOROUGH_UP_TO = 120


def is_small(count: int) -> bool:
    return 1 <= count <= 4


def is_hidden(shown: Shown) -> bool:
    return isinstance(shown, str)


def suppress_list(counts: Mapping[K, int]) -> tuple[dict[K, Shown], Shown]:
    """A list of counts and its total, as they may be shown."""
    values = {("item", k): v for k, v in counts.items()}
    values[TOTAL] = sum(counts.values())
    hidden = _suppress(values, [(TOTAL, [("item", k) for k in counts])])
    return {k: hidden.get(("item", k), v) for k, v in counts.items()}, \
        hidden.get(TOTAL, values[TOTAL])


def suppress_table(counts: Mapping[tuple[R, C], int], rows: Iterable[R], columns: Iterable[C]
                   ) -> tuple[dict[tuple[R, C], Shown], dict[R, Shown], dict[C, Shown], Shown]:
    """Cells, row totals, column totals and the total of a table, as they may be shown."""
    rows, columns = list(rows), list(columns)
    values = {("cell", r, c): counts.get((r, c), 0) for r in rows for c in columns}
    for r in rows:
        values[("row", r)] = sum(values[("cell", r, c)] for c in columns)
    for c in columns:
        values[("column", c)] = sum(values[("cell", r, c)] for r in rows)
    values[TOTAL] = sum(values[("row", r)] for r in rows)
    equations = [(("row", r), [("cell", r, c) for c in columns]) for r in rows]
    equations += [(("column", c), [("cell", r, c) for r in rows]) for c in columns]
    equations += [(TOTAL, [("row", r) for r in rows]), (TOTAL, [("column", c) for c in columns])]
    hidden = _suppress(values, equations)

    def shown(key) -> Shown:
        return hidden.get(key, values[key])

    return ({(r, c): shown(("cell", r, c)) for r in rows for c in columns},
            {r: shown(("row", r)) for r in rows}, {c: shown(("column", c)) for c in columns},
            shown(TOTAL))


def _suppress(values: dict, equations: list[Equation]) -> dict:
    hidden = {key: SMALL for key, value in values.items() if is_small(value)}
    while True:
        worked_out = worked_out_counts(values, hidden, equations)
        if not worked_out and len(hidden) <= THOROUGH_UP_TO:
            worked_out = worked_out_counts(values, hidden, equations, thorough=True)
        if not worked_out:
            return hidden
        added = False
        touched: set = set()
        for key in worked_out:  # one more hidden beside each, unless one was just hidden there
            if key in touched:
                continue
            extra = _complement_for(key, values, hidden, equations)
            if extra is not None:
                hidden[extra], added = COMPLEMENT, True
                touched |= _near(extra, equations) | _near(key, equations)
        if not added:
            return hidden  # everything that could be hidden is


def _near(key, equations: list[Equation]) -> set:
    return {k for total, members in equations if key == total or key in members
            for k in (total, *members)}


def _complement_for(key, values: dict, hidden: dict, equations: list[Equation]):
    """The count to hide next so that `key` can no longer be worked out: the smallest shown
    count sharing a total with it (a cell before a total), else any, and the grand total only
    as a last resort; not one that would be alone in a total once hidden (the same as a total
    that is shown, so hiding it would hide nothing)."""
    tried = []
    for pool in (_near(key, equations), values, [TOTAL]):
        found = sorted((k for k in pool if values.get(k) and k not in hidden and k not in tried
                        and (k != TOTAL or pool == [TOTAL])),
                       key=lambda k: (k[0] not in ("cell", "item"), values[k], str(k)))
        for candidate in found:
            if not _alone_in_a_total(candidate, values, hidden, equations):
                return candidate
        tried += found
    return tried[0] if tried else None


def _alone_in_a_total(key, values: dict, hidden: dict, equations: list[Equation]) -> bool:
    for total, members in equations:
        if key == total or key in members:
            others = [k for k in (total, *members) if k != key and values[k] and k in hidden]
            if not others:
                return True
    return False


def worked_out_counts(values: Mapping, hidden: Mapping, equations: list[Equation],
                      thorough: bool = False) -> list:
    """Hidden counts that a reader could work out from everything shown: by any sum and
    difference of totals (linear algebra), or by what the marks say, carried from total to
    total until nothing narrows (bounds propagation); `thorough`: the least and most each
    can be over every combination of totals and marks (a linear programme per count)."""
    unknown = [key for key in hidden if values[key]]
    if not unknown:
        return []
    index = {key: i for i, key in enumerate(unknown)}
    rows, rhs = [], []
    for total, members in equations:
        row, known = numpy.zeros(len(unknown)), 0
        for sign, key in [(1, total)] + [(-1, m) for m in members]:
            if key in index:
                row[index[key]] += sign
            else:
                known += sign * values[key]
        if row.any():
            rows.append(row)
            rhs.append(-known)
    bounds = [BOUNDS[hidden[key]] for key in unknown]
    matrix = numpy.array(rows) if rows else None
    if thorough:
        found = {i for i in range(len(unknown))
                 if _fixed_by_programme(i, matrix, numpy.array(rhs), bounds)}
    else:
        found = set(_fixed_by_sums(matrix)) if rows else set()
        found |= _fixed_by_marks(rows, rhs, bounds)
    return [key for i, key in enumerate(unknown) if i in found]


def _fixed_by_programme(i: int, matrix: Optional[numpy.ndarray], rhs: numpy.ndarray,
                        bounds: list) -> bool:
    objective = numpy.zeros(len(bounds))
    objective[i] = 1
    ends = []
    for sign in (1, -1):
        result = linprog(sign * objective, A_eq=matrix, b_eq=rhs if matrix is not None else None,
                         bounds=bounds, method="highs")
        if result.status != 0:
            return False
        ends.append(sign * result.fun)
    return _one_value(ends[0], ends[1])


def _one_value(low: float, high: float) -> bool:
    """Only one whole number lies between `low` and `high`."""
    return high < math.inf and math.ceil(low - 1e-6) >= math.floor(high + 1e-6)


def _fixed_by_sums(matrix: numpy.ndarray) -> list[int]:
    """Unknowns whose value follows from the equations alone: their unit vector lies in the
    row space."""
    _, singular, vt = numpy.linalg.svd(matrix, full_matrices=False)
    basis = vt[singular > 1e-9 * max(1.0, singular.max(initial=0))]
    weight = (basis ** 2).sum(axis=0)
    return [i for i, w in enumerate(weight) if w > 1 - 1e-6]


def _fixed_by_marks(rows: list, rhs: list, bounds: list) -> set[int]:
    low = [float(b[0]) for b in bounds]
    high = [math.inf if b[1] is None else float(b[1]) for b in bounds]
    equations = [([(j, row[j]) for j in numpy.flatnonzero(row)], b) for row, b in zip(rows, rhs)]
    for _ in range(50):
        narrowed = False
        for terms, b in equations:
            ends = [sorted((c * low[j], c * high[j])) for j, c in terms]
            all_low, all_high = sum(e[0] for e in ends), sum(e[1] for e in ends)
            for (i, a), (own_low, own_high) in zip(terms, ends):
                # the rest's range: everything but this term (inf - inf cannot arise: a low
                # end is never +inf and a high end never -inf)
                rest_low = _without(all_low, own_low, ends, 0)
                rest_high = _without(all_high, own_high, ends, 1)
                lo, hi = sorted(((b - rest_high) / a, (b - rest_low) / a))
                if lo > low[i] + 1e-9:
                    low[i], narrowed = lo, True
                if hi < high[i] - 1e-9:
                    high[i], narrowed = hi, True
        if not narrowed:
            break
    return {i for i in range(len(bounds)) if _one_value(low[i], high[i])}


def _without(total: float, own: float, ends: list, side: int) -> float:
    """`total` less one term; when that term is infinite, the sum of the others, recounted."""
    if math.isinf(own):
        rest = [e[side] for e in ends]
        rest.remove(own)
        return sum(rest)
    return total - own
