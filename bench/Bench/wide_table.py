#!/usr/bin/env python3
"""Writes a wide table for the synthesis-quality bench: 4,000 shopping baskets, 200 items bought ('t') or not
(empty, as Weka's supermarket table writes them), more often in fuller baskets and for every third item, and 50
measurements that follow one hidden factor. Usage: python3 bench/Bench/wide_table.py OUT.csv [ITEMS] [MEASUREMENTS] [ROWS]"""
import random
import sys

out = sys.argv[1]
items = int(sys.argv[2]) if len(sys.argv) > 2 else 200
measurements = int(sys.argv[3]) if len(sys.argv) > 3 else 50
rows = int(sys.argv[4]) if len(sys.argv) > 4 else 4000
random.seed(5)
lines = [",".join([f"item_{i}" for i in range(items)] + [f"x_{i}" for i in range(measurements)])]
for _ in range(rows):
    basket = random.random()
    cells = ["t" if random.random() < 0.05 + 0.4 * basket * (1 if i % 3 == 0 else 0.3) else "" for i in range(items)]
    factor = random.gauss(0, 1)
    cells += [f"{factor * (i % 5 + 1) + random.gauss(0, 1):.3f}" for i in range(measurements)]
    lines.append(",".join(cells))
with open(out, "w") as f:
    f.write("\n".join(lines) + "\n")
