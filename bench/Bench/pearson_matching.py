#!/usr/bin/python3
"""Whether matching Pearson correlations (synthesis revision 12) fits the training rows' noise: a numpy reference.

    /usr/bin/python3 bench/Bench/pearson_matching.py TABLE.csv ...   (Debian's python3-numpy, python3-scipy, python3-pandas)

For each table's numbers of more than 10 values (rows with all of them), a seeded 80% is the training rows. Two Gaussian
copulas with the training rows' empirical marginals draw 20,000 rows each: one with the correlation of the normal scores
(revision 11), one with each pair's correlation set so that the drawn values have the training rows' Pearson correlation
(found by bisection with common random numbers; the engine solves the same equation with a Hermite expansion). Each is
scored as the quality report scores two numbers, 1 - |rho_real - rho_synthetic| / 2, against the training rows and against
the held-out 20%; the last figure is the training rows' own score against the held-out rows, the noise floor.
"""
import sys

import numpy as np
import pandas as pd
from scipy.stats import norm, rankdata


def scores(x):
    return norm.ppf(rankdata(x) / (len(x) + 1))


def quantile(sorted_values, u):
    return np.interp(u * len(sorted_values) - 0.5, np.arange(len(sorted_values)), sorted_values)


def pearson(a, b):
    return 0.0 if a.std() == 0 or b.std() == 0 else np.corrcoef(a, b)[0, 1]


def mend(r):
    w, v = np.linalg.eigh(r)
    r = v @ np.diag(np.clip(w, 1e-6, None)) @ v.T
    d = np.sqrt(np.diag(r))
    return r / np.outer(d, d)


def matched(sorted_columns, real, common):
    d = len(sorted_columns)
    r = np.eye(d)
    for a in range(d):
        for b in range(a + 1, d):
            def drawn(rho):
                z2 = rho * common[:, 0] + np.sqrt(1 - rho * rho) * common[:, 1]
                return pearson(quantile(sorted_columns[a], norm.cdf(common[:, 0])), quantile(sorted_columns[b], norm.cdf(z2)))
            low, high = -0.999, 0.999
            if real[a, b] <= drawn(low):
                rho = low
            elif real[a, b] >= drawn(high):
                rho = high
            else:
                for _ in range(30):
                    middle = (low + high) / 2
                    low, high = (middle, high) if drawn(middle) < real[a, b] else (low, middle)
                rho = (low + high) / 2
            r[a, b] = r[b, a] = rho
    return mend(r)


def main(paths):
    totals = []
    for path in paths:
        table = pd.read_csv(path)
        numbers = [c for c in table.columns if pd.api.types.is_numeric_dtype(table[c]) and table[c].nunique() > 10]
        table = table[numbers].dropna()
        if len(numbers) < 2 or len(table) < 20:
            continue
        order = np.random.default_rng(1).permutation(len(table))
        cut = int(len(table) * 0.8)
        training, held_out = table.iloc[order[:cut]].to_numpy(float), table.iloc[order[cut:]].to_numpy(float)
        d = training.shape[1]
        sorted_columns = [np.sort(training[:, j]) for j in range(d)]
        real, held = np.corrcoef(training, rowvar=False), np.corrcoef(held_out, rowvar=False)
        upper = np.triu_indices(d, 1)
        draws = np.random.default_rng(7).standard_normal((20_000, d))
        row = []
        for r in (mend(np.corrcoef(np.column_stack([scores(training[:, j]) for j in range(d)]), rowvar=False)),
                  matched(sorted_columns, real, np.random.default_rng(3).standard_normal((20_000, 2)))):
            z = draws @ np.linalg.cholesky(r).T
            synthetic = np.corrcoef(np.column_stack([quantile(sorted_columns[j], norm.cdf(z[:, j])) for j in range(d)]), rowvar=False)
            row += [np.mean(1 - np.abs(real[upper] - synthetic[upper]) / 2), np.mean(1 - np.abs(held[upper] - synthetic[upper]) / 2)]
        row.append(np.mean(1 - np.abs(real[upper] - held[upper]) / 2))
        totals.append(row)
        print(f"{path.split('/')[-1]:40s} {len(training):7d} x {d:3d}  training: scores {row[0]:.3f} matched {row[2]:.3f}"
              f"  held-out: scores {row[1]:.3f} matched {row[3]:.3f} (training rows themselves {row[4]:.3f})", flush=True)
    means = np.array(totals).mean(axis=0)
    print(f"{len(totals)} tables, means: training: scores {means[0]:.4f} matched {means[2]:.4f}"
          f"  held-out: scores {means[1]:.4f} matched {means[3]:.4f} (training rows themselves {means[4]:.4f})")


if __name__ == "__main__":
    main(sys.argv[1:])
