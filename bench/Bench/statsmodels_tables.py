#!/usr/bin/env python3
"""Writes the datasets statsmodels ships (Debian's python3-statsmodels: apt-get install python3-statsmodels)
as CSV files into DIR, as pandas writes them, for the synthesis-quality bench: 20-odd observational tables
of our development set (survey answers, state statistics, trade, health), none of them in the acceptance set.
Usage: /usr/bin/python3 bench/Bench/statsmodels_tables.py DIR"""
import importlib
import os
import sys

import statsmodels.datasets as datasets

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
for name in sorted(n for n in dir(datasets) if not n.startswith("_")):
    try:
        module = importlib.import_module(f"statsmodels.datasets.{name}")
        frame = module.load_pandas().data
    except Exception:  # not a dataset module (utils, template) or one without a pandas loader
        continue
    if len(frame) < 20 or frame.shape[1] < 2:
        continue
    path = os.path.join(out, f"{name}.csv")
    frame.to_csv(path, index=False)
    print(path, frame.shape)
