#!/usr/bin/env python3
"""Writes a wide table for the synthesis-quality bench: 4,000 shopping baskets of 200 products, each bought ('t') or not
('?', as Weka's supermarket table writes a missing value), the basket's total and the kind of shopper (six kinds, each buying
its own products more often: a product's chance is a base rate times the kind's lognormal lift). The table has more than 128
copula dimensions, and the kind explains the products. Usage: python3 bench/Bench/shoppers_table.py OUT.csv [--no-kind]"""
import sys

import numpy as np

rng = np.random.default_rng(7)
rows, products, kinds = 4000, 200, 6
kind = rng.integers(0, kinds, rows)
base = rng.uniform(0.005, 0.25, products)
lift = rng.lognormal(0, 1.0, (kinds, products))
bought = rng.random((rows, products)) < np.clip(base * lift[kind], 0, 0.95)
total = (bought * rng.uniform(1, 20, products)).sum(1).round(2)
with_kind = "--no-kind" not in sys.argv[2:]
with open(sys.argv[1], "w") as f:
    f.write(",".join([f"product_{j:03d}" for j in range(products)] + ["total"] + (["shopper"] if with_kind else [])) + "\n")
    for i in range(rows):
        cells = ["t" if b else "?" for b in bought[i]] + [str(total[i])] + (["ABCDEF"[kind[i]]] if with_kind else [])
        f.write(",".join(cells) + "\n")
