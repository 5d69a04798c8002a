#!/usr/bin/env python3
"""Writes a wide table of categories for the synthesis-quality bench: ROWS rows of 200 categories of 5 levels, 49 numbers
and a class of 5 values. Each class shifts every category onto three levels of its own and the numbers' mean, so many pairs
of categories have combinations no row holds (rules the detector finds: about 17,000 on 20,000 rows), all explained by the
class. Usage: python3 bench/Bench/classed_categories_table.py OUT.csv [ROWS (20000)]"""
import sys

import numpy as np

rows = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
rng = np.random.default_rng(3)
cls = rng.integers(0, 5, rows)
shift = rng.integers(0, 5, (5, 200))
levels = (rng.integers(0, 3, (rows, 200)) + shift[cls]) % 5
factor = rng.normal(size=rows)
numbers = factor[:, None] * (np.arange(49) % 4 + 1) + rng.normal(size=(rows, 49)) + cls[:, None]
with open(sys.argv[1], "w") as f:
    f.write(",".join([f"c{i}" for i in range(200)] + [f"x{i}" for i in range(49)] + ["cls"]) + "\n")
    for r in range(rows):
        f.write(",".join("abcde"[v] for v in levels[r]) + "," + ",".join(f"{v:.3f}" for v in numbers[r]) + f",k{cls[r]}\n")
