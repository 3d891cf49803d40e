#!/usr/bin/python3
# milp-highs.py: the arbitrage model of bess-optimize(1) (THE MODEL, SIMULTANEOUS FLOWS) written
# independently for scipy's HiGHS: per step c, d in [0, P], s in [0, E], s[t] = s[t-1] + eta dt c
# - dt/eta d (s[-1] = 0, s[n-1] >= 0 = the start), cost dt price (c - d); with --flows exclusive
# a binary z per negative-price step, c <= P z, d <= P (1 - z); with alternate the LP row
# c/P + d/P <= 1 instead; with none the plain LP.
# Usage: milp-highs.py CSV CAPACITY_KWH POWER_KW ROUNDTRIP GAP exclusive|alternate|none
# Prints: status objective dual_bound seconds
import csv
import sys
import time

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

path, cap, pw, rt, gap, mode = sys.argv[1], *map(float, sys.argv[2:6]), sys.argv[6]
price = np.array([float(r["price"]) for r in csv.DictReader(open(path))])
n, dt, eta = len(price), 0.25, rt ** 0.5
neg = [t for t in range(n) if price[t] < 0] if mode == "exclusive" else []
nz = len(neg)
nv = 3 * n + nz            # c[t] = 3t, d[t] = 3t+1, s[t] = 3t+2, then z
cost = np.zeros(nv)
lo, hi = np.zeros(nv), np.zeros(nv)
ri, rj, rv, rlo, rhi = [], [], [], [], []


def row(entries, a, b):
    r = len(rlo)
    for j, v in entries:
        ri.append(r); rj.append(j); rv.append(v)
    rlo.append(a); rhi.append(b)


for t in range(n):
    c, d, s = 3 * t, 3 * t + 1, 3 * t + 2
    cost[c], cost[d] = dt * price[t], -dt * price[t]
    hi[c] = hi[d] = pw
    hi[s] = cap
    e = [(s, 1), (c, -eta * dt), (d, dt / eta)] + ([(s - 3, -1)] if t else [])
    row(e, 0, 0)
    if mode == "alternate" and price[t] < 0:
        row([(c, 1 / pw), (d, 1 / pw)], -np.inf, 1)
for k, t in enumerate(neg):
    z = 3 * n + k
    hi[z] = 1
    row([(3 * t, 1), (z, -pw)], -np.inf, 0)
    row([(3 * t + 1, 1), (z, pw)], -np.inf, pw)
integ = np.zeros(nv)
integ[3 * n:] = 1
A = coo_matrix((rv, (ri, rj)), shape=(len(rlo), nv)).tocsr()
t0 = time.perf_counter()
res = milp(cost, constraints=LinearConstraint(A, rlo, rhi), integrality=integ,
           bounds=Bounds(lo, hi), options={"mip_rel_gap": gap, "time_limit": 3600})
sec = time.perf_counter() - t0
bound = getattr(res, "mip_dual_bound", None)
print("%d %.10f %s %.3f" % (res.status, res.fun, "%.10f" % bound if bound is not None else "nan", sec))
