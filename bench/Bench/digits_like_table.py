#!/usr/bin/env python3
"""Writes a table like a scanned-digits set for the synthesis-quality bench: 1,500 images of 8 x 8 pixels, each pixel
an intensity 0-16, and the digit 0-9 drawn. Each digit is a stroke pattern of its own, scaled, shifted a column at
random and blurred by noise; the outer columns are fainter, so many pixels sit below their neighbours on every row
(rules the detector finds). Usage: python3 bench/Bench/digits_like_table.py OUT.csv"""
import math
import random
import sys


def strokes(digit):
    grid = [[0.0] * 8 for _ in range(8)]
    for t in range(60):
        a = 2 * math.pi * t / 60
        if digit == 0:
            x, y = 3.5 + 2.2 * math.cos(a), 3.5 + 3 * math.sin(a)
        elif digit == 1:
            x, y = 3.5 + 0.3 * math.sin(a), 0.5 + 6 * t / 60
        elif digit == 7:
            x, y = (1 + 5 * t / 30, 0.5) if t < 30 else (6 - 3 * (t - 30) / 30, 0.5 + 6 * (t - 30) / 30)
        else:
            radius = 1.5 + 0.3 * digit % 2
            x, y = 3.5 + radius * math.cos(a * digit / 3), 3.5 + 2.5 * math.sin(a * (digit % 4 + 1) / 2)
        column, row = int(round(x)), int(round(y))
        if 0 <= column < 8 and 0 <= row < 8:
            grid[row][column] += 1
    return grid


random.seed(11)
patterns = {d: strokes(d) for d in range(10)}
lines = [",".join([f"p{y}_{x}" for y in range(8) for x in range(8)] + ["digit"])]
for _ in range(1500):
    digit = random.randrange(10)
    shift = random.choice([-1, 0, 0, 1])
    scale = random.uniform(2.5, 5)
    pixels = []
    for y in range(8):
        for x in range(8):
            source = x - shift
            v = patterns[digit][y][source] * scale if 0 <= source < 8 else 0
            if v > 0:
                v += random.gauss(0, 1.2)
            if x in (0, 7):
                v *= 0.3
            pixels.append(max(0, min(16, int(round(v)))))
    lines.append(",".join(map(str, pixels + [digit])))
with open(sys.argv[1], "w") as f:
    f.write("\n".join(lines) + "\n")
