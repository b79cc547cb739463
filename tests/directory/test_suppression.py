"""Small-number suppression: a count from 1 to 4 is never shown, and never left to be worked out
from totals (by subtraction, or from what "<5" and "*" say)."""

from __future__ import annotations

import itertools
import random

from directory.suppression import (
    BOUNDS, COMPLEMENT, SMALL, TOTAL, is_hidden, suppress_list, suppress_table, worked_out_counts,
)


def test_a_list_hides_small_counts_and_one_more_when_the_total_would_give_it_away():
    shown, total = suppress_list({"food": 40, "money": 3, "warmth": 12, "carers": 0})
    assert shown == {"food": 40, "money": SMALL, "warmth": COMPLEMENT, "carers": 0}
    assert total == 55
    shown, total = suppress_list({"food": 2, "money": 1})
    assert shown == {"food": SMALL, "money": SMALL} and total == SMALL
    assert suppress_list({"food": 9, "money": 5}) == ({"food": 9, "money": 5}, 14)


def test_what_the_marks_say_is_not_enough_to_work_a_count_out():
    """1 + 5 = 6 shown as "<5" + "*" = 6 would give both away: the total is hidden too."""
    shown, total = suppress_list({"food": 1, "money": 5})
    assert shown["food"] == SMALL and is_hidden(total)
    shown, total = suppress_list({"food": 1, "money": 5, "warmth": 7})
    assert total == 13 and shown["food"] == SMALL and sum(map(is_hidden, shown.values())) >= 2


def test_the_checker_agrees_with_trying_every_value():
    rng = random.Random(5)
    for _ in range(300):
        counts = {k: rng.choice([0, 1, 2, 3, 4, 5, 6, 8]) for k in "abcd"}
        hidden = {("item", k): rng.choice([SMALL, COMPLEMENT]) for k in counts
                  if counts[k] and rng.random() < 0.6}
        hidden = {key: SMALL if 1 <= counts[key[1]] <= 4 else COMPLEMENT for key in hidden}
        values = {("item", k): v for k, v in counts.items()}
        values[TOTAL] = sum(counts.values())
        equations = [(TOTAL, [("item", k) for k in counts])]
        possible = {key: set() for key in hidden}
        ranges = [range(BOUNDS[mark][0], (BOUNDS[mark][1] or values[TOTAL]) + 1)
                  for mark in hidden.values()]
        known = sum(v for k, v in counts.items() if ("item", k) not in hidden)
        for choice in itertools.product(*ranges):
            if known + sum(choice) == values[TOTAL]:
                for key, value in zip(hidden, choice):
                    possible[key].add(value)
        expected = {key for key, seen in possible.items() if len(seen) == 1}
        assert set(worked_out_counts(values, hidden, equations)) == expected, (counts, hidden)


def test_a_table_never_leaves_a_hidden_count_to_be_worked_out():
    counts = {("w1", "food"): 10, ("w1", "money"): 3, ("w1", "warmth"): 8,
              ("w2", "food"): 7, ("w2", "money"): 9, ("w2", "warmth"): 6}
    shown, row_totals, column_totals, total = suppress_table(
        counts, ["w1", "w2"], ["food", "money", "warmth"])
    assert shown[("w1", "money")] == SMALL and total == 43
    assert sum(is_hidden(value) for value in shown.values()) >= 4  # at least a rectangle


def test_random_tables_hide_every_small_count_and_leave_nothing_to_work_out():
    rng = random.Random(18)
    for _ in range(300):
        rows = [f"r{i}" for i in range(rng.randint(1, 5))]
        columns = [f"c{j}" for j in range(rng.randint(1, 5))]
        counts = {(r, c): rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 15, 40])
                  for r in rows for c in columns}
        shown, row_totals, column_totals, total = suppress_table(counts, rows, columns)
        for cell, value in counts.items():
            if 1 <= value <= 4:
                assert shown[cell] == SMALL
            elif not is_hidden(shown[cell]):
                assert shown[cell] == value
        for value in [*row_totals.values(), *column_totals.values(), total]:
            assert is_hidden(value) or value == 0 or value >= 5
        assert is_hidden(total) or total == sum(counts.values())
        values = {("cell", r, c): v for (r, c), v in counts.items()}
        values.update({("row", r): sum(counts[(r, c)] for c in columns) for r in rows})
        values.update({("column", c): sum(counts[(r, c)] for r in rows) for c in columns})
        values[TOTAL] = sum(counts.values())
        hidden = {("cell", r, c): v for (r, c), v in shown.items() if is_hidden(v)}
        hidden.update({("row", r): v for r, v in row_totals.items() if is_hidden(v)})
        hidden.update({("column", c): v for c, v in column_totals.items() if is_hidden(v)})
        if is_hidden(total):
            hidden[TOTAL] = total
        equations = [(("row", r), [("cell", r, c) for c in columns]) for r in rows]
        equations += [(("column", c), [("cell", r, c) for r in rows]) for c in columns]
        equations += [(TOTAL, [("row", r) for r in rows]),
                      (TOTAL, [("column", c) for c in columns])]
        assert worked_out_counts(values, hidden, equations, thorough=True) == [], (counts, shown)
