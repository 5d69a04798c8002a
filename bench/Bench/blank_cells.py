#!/usr/bin/env python3
"""Blanks a share of a CSV table's numeric cells at random, for tables with nulls of our own making.

    blank_cells.py IN.csv OUT.csv SEED RATE

Each cell that parses as a number becomes empty with probability RATE (Python's random, seeded with
SEED); the header and every other cell are kept. What the quality bench's rows of tables "with 4% of
cells blanked" were made with (docs/BENCHMARKS.md).
"""
import csv
import random
import sys


def is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def main(source, target, seed, rate):
    random.seed(int(seed))
    with open(source, newline="") as f:
        rows = list(csv.reader(f))
    out = [rows[0]]
    for row in rows[1:]:
        out.append(["" if is_number(v) and random.random() < float(rate) else v for v in row])
    with open(target, "w", newline="") as f:
        csv.writer(f).writerows(out)


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
