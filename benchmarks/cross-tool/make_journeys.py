#!/usr/bin/env python3
"""Writes N journeys (the demo fixture's rows repeated with fresh client ids, so classification does real work) to
OUT/journeys-N.csv, and the demo design without covariates to OUT/design-plain.json. Usage: make_journeys.py FIXTURES OUT N"""
import sys, json, csv
fixtures, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows = list(csv.reader(open(f"{fixtures}/journeys.csv", newline="")))
header, body = rows[0], rows[1:]
with open(f"{out}/journeys-{n}.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(header)
    for i in range(n):
        r = list(body[i % len(body)])
        r[0] = f"{r[0]}-{i // len(body)}"
        w.writerow(r)
d = json.load(open(f"{fixtures}/design.json"))
d.pop("covariates", None); d.pop("referralCovariates", None)
json.dump(d, open(f"{out}/design-plain.json", "w"), indent=2)
