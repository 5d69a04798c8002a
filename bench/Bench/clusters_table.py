#!/usr/bin/env python3
"""Writes a 333-row table of our own for synthesis-quality runs: three kinds that differ in a different
measurement each (the shape of a species table), a place that depends on the kind, a sex that depends on
nothing. Usage: /usr/bin/python3 bench/Bench/clusters_table.py OUT.csv"""
import csv
import random
import sys

random.seed(5)
centers = {'alpha': (40, 18, 190, 3700), 'beta': (48, 15, 217, 5000), 'gamma': (49, 18.4, 196, 3730)}
places = {'alpha': ['N', 'S', 'E'], 'beta': ['S'], 'gamma': ['E']}
rows = []
for _ in range(333):
    kind = random.choices(list(centers), weights=[0.44, 0.36, 0.2])[0]
    c = centers[kind]
    size = random.gauss(0, 1)
    rows.append([kind, random.choice(places[kind]),
                 round(c[0] + 2.5 * random.gauss(0, 1) + size, 1),
                 round(c[1] + 0.9 * random.gauss(0, 1) + 0.3 * size, 1),
                 round(c[2] + 6 * random.gauss(0, 1) + 3 * size),
                 round(c[3] + 350 * random.gauss(0, 1) + 150 * size),
                 random.choice(['m', 'f'])])
with open(sys.argv[1], 'w', newline='') as f:
    writer = csv.writer(f)
    writer.writerow(['kind', 'place', 'a_len', 'a_depth', 'b_len', 'mass', 'sex'])
    writer.writerows(rows)
