#!/usr/bin/env python3
"""Writes a plant-disease survey for the synthesis-quality bench, like Weka's soybean table in shape: 683 plants, 35 symptoms
of 2-7 levels each and the disease (19 diseases of 8-92 plants). Each disease shows each symptom at one or two levels mostly;
four diseases leave most symptoms unrecorded ('?'), and 1% of the other cells are '?'.
Usage: python3 bench/Bench/plant_survey_table.py OUT.csv [SEED (11)]"""
import sys

import numpy as np

rng = np.random.default_rng(int(sys.argv[2]) if len(sys.argv) > 2 else 11)
sizes = np.array([92, 91, 91, 88, 44, 44, 20, 20, 20, 20, 20, 20, 20, 20, 20, 16, 15, 14, 8])
sizes = (sizes * 683 / sizes.sum()).round().astype(int)
levels = rng.integers(2, 8, 35)
rows = []
for disease, count in enumerate(sizes):
    profile = [rng.dirichlet(np.full(levels[j], 0.3)) for j in range(35)]
    sparse = disease in (15, 16, 17, 18)
    for _ in range(count):
        row = []
        for j in range(35):
            if (sparse and j % 3 != 0) or rng.random() < 0.01:
                row.append("?")
                continue
            row.append(f"l{rng.choice(levels[j], p=profile[j])}")
        rows.append(row + [f"disease-{disease:02d}"])
rng.shuffle(rows)
with open(sys.argv[1], "w") as f:
    f.write(",".join([f"symptom_{j:02d}" for j in range(35)] + ["disease"]) + "\n")
    for row in rows:
        f.write(",".join(row) + "\n")
