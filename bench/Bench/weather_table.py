#!/usr/bin/env python3
"""Writes a table of our own for synthesis-quality runs: 1,461 days of weather, a daily series of dates, a
seasonal high and a low some degrees below it (temp_min <= temp_max on every row), rain on some days, wind that
rises with rain, and a kind of weather that follows rain and temperature. Usage: /usr/bin/python3 bench/Bench/weather_table.py OUT.csv"""
import csv
import datetime
import math
import random
import sys

random.seed(42)
rows = []
first = datetime.date(2016, 1, 1)
for i in range(1461):
    day = first + datetime.timedelta(days=i)
    season = math.cos(2 * math.pi * (i - 200) / 365.25)
    high = round(16 + 9 * season + random.gauss(0, 3.5), 1)
    spread = max(0.5, random.gauss(8 + 3 * season, 2.5))
    low = round(high - spread, 1)
    wet = random.random() < 0.45 - 0.25 * season
    rain = round(random.expovariate(1 / 6), 1) if wet else 0.0
    wind = round(max(0.4, random.gauss(3.2 - 0.5 * season + 0.05 * rain, 1.3)), 1)
    if rain > 0 and high < 3:
        kind = 'snow'
    elif rain > 4:
        kind = 'rain'
    elif rain > 0:
        kind = 'drizzle'
    elif random.random() < 0.08:
        kind = 'fog'
    else:
        kind = 'sun'
    rows.append([day.isoformat(), rain, high, low, wind, kind])
with open(sys.argv[1], 'w', newline='') as f:
    writer = csv.writer(f)
    writer.writerow(['date', 'precipitation', 'temp_max', 'temp_min', 'wind', 'weather'])
    writer.writerows(rows)
