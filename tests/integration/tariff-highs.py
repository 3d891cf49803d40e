#!/usr/bin/env python3
# tariff-highs.py: bess-optimize's tariff and site parts — demand on window means, ratchets,
# a terminal value for stored energy, no grid charging — against a model written here from
# bess-tariff(5) and bess-optimize(1) and solved with HiGHS (scipy), on random instances.
# Prints TAP. Usage: tariff-highs.py BESS_OPTIMIZE TMPDIR N SEED
import csv, json, os, random, subprocess, sys
from datetime import datetime, timezone
import numpy as np
from scipy.optimize import linprog

binpath, tmp, N, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])


def instance(r, k):
    fam = ["window", "ratchet", "terminal", "nogrid"][k % 4]
    I = {"fam": fam}
    if fam == "window":
        I["dt"], n = 5 / 60, 3 * r.randint(4, 10)      # 5-minute steps, 15-minute windows
    elif fam == "ratchet":
        I["dt"], n = 3.0, 8 * r.randint(3, 5)          # 3-hour steps, daily bills
    else:
        I["dt"], n = 1.0, r.randint(6, 24)
    I["n"] = n
    I["price"] = [round(r.uniform(0.05, 0.4), 3) for _ in range(n)]
    I["load"] = [round(r.uniform(0, 20), 2) for _ in range(n)]
    I["solar"] = [round(max(0.0, r.uniform(-10, 25)), 2) for _ in range(n)] if fam == "nogrid" \
        else [0.0] * n
    I["cap"] = round(r.uniform(5, 40), 1)
    I["pw"] = round(r.uniform(2, 20), 1)
    I["eff"] = r.choice([1.0, 0.9, 0.81])
    I["init"] = round(r.uniform(0, 1) * I["cap"], 2)
    I["rate"] = round(r.uniform(1, 15), 2) if fam in ("window", "ratchet") or r.random() < 0.5 else 0
    I["frac"] = r.choice([0.5, 0.8, 1.0]) if fam == "ratchet" else 0
    I["look"] = r.choice([0, 1, 2]) if fam == "ratchet" else 0
    I["tv"] = r.choice(["min", round(r.uniform(0, 0.5), 3)]) if fam == "terminal" else None
    return I


def bess(I, d):
    n, dt = I["n"], I["dt"]
    with open(os.path.join(d, "in.csv"), "w") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["ts", "price", "load_kw", "solar_kw"])
        for t in range(n):
            ts = datetime.fromtimestamp(1735689600 + round(t * dt * 3600), timezone.utc)
            w.writerow([ts.strftime("%Y-%m-%dT%H:%M:%SZ"), I["price"][t], I["load"][t], I["solar"][t]])
    lines = ["billing = day"]
    if I["fam"] == "window":
        lines.append("demand_window = 15m")
    lines.append("[all]")
    if I["rate"]:
        lines.append("demand = %r" % I["rate"])
    if I["frac"]:
        lines.append("ratchet = %r%%" % (100 * I["frac"]))
        if I["look"]:
            lines.append("lookback = %d" % I["look"])
    with open(os.path.join(d, "tariff"), "w") as f:
        f.write("\n".join(lines) + "\n")
    args = [binpath, "--tariff", "tariff", "--capacity", "%rkWh" % I["cap"], "--power", "%rkW" % I["pw"],
            "--efficiency", "%r%%" % (100 * I["eff"]), "--soc-init", "%rkWh" % I["init"],
            "--no-export", "--summary", "s.json", "-o", "out.csv", "in.csv"]
    if I["tv"] is not None:
        args += ["--terminal-value", str(I["tv"])]
    else:
        args += ["--soc-final", "free"]
    if I["fam"] == "nogrid":
        args.append("--no-grid-charge")
    p = subprocess.run(args, cwd=d, capture_output=True, text=True)
    if p.returncode != 0:
        return None, p.stderr
    with open(os.path.join(d, "s.json")) as f:
        return json.load(f), ""


def reference(I):
    """c, d, S, imp, u per step; a peak per demand group (per step or per window mean); a
    billed demand per bill with a ratchet. Minimise energy + demand - terminal value."""
    n, dt, ec = I["n"], I["dt"], I["eff"] ** 0.5
    C, D, S, IM, U = (k * n for k in range(5))
    bills = [int(t * dt // 24) for t in range(n)]
    nb = max(bills) + 1
    P0 = 5 * n          # peak per bill
    B0 = P0 + nb        # billed per bill
    NV = B0 + nb
    cost = np.zeros(NV)
    bounds = [(0, None)] * NV
    Aeq, beq, Aub, bub = [], [], [], []
    for t in range(n):
        surplus = max(0.0, I["solar"][t] - I["load"][t])
        bounds[C + t] = (0, min(I["pw"], surplus) if I["fam"] == "nogrid" else I["pw"])
        bounds[D + t] = (0, I["pw"])
        bounds[S + t] = (0, I["cap"])
        bounds[U + t] = (0, I["solar"][t])
        # SOC: S_t = S_{t-1} + ec dt c - dt d / ed
        a = np.zeros(NV); a[S + t] = 1; a[C + t] = -ec * dt; a[D + t] = dt / ec
        if t:
            a[S + t - 1] = -1
        Aeq.append(a); beq.append(I["init"] if t == 0 else 0)
        # imp = load - solar + u + c - d  (no export: imp >= 0 by its bound)
        a = np.zeros(NV); a[IM + t] = 1; a[U + t] = -1; a[C + t] = -1; a[D + t] = 1
        Aeq.append(a); beq.append(I["load"][t] - I["solar"][t])
        cost[IM + t] = dt * I["price"][t]
        # the demand a step shows: its import, or (bess-tariff(5) demand_window) its window's mean
        a = np.zeros(NV); a[P0 + bills[t]] = -1
        if I["fam"] == "window":
            w0 = t - t % 3
            for j in range(w0, min(w0 + 3, n)):
                a[IM + j] += 1 / (min(w0 + 3, n) - w0)
        else:
            a[IM + t] += 1
        Aub.append(a); bub.append(0)
    for b in range(nb):
        cost[B0 + b] = I["rate"]
        a = np.zeros(NV); a[P0 + b] = 1; a[B0 + b] = -1       # billed >= peak
        Aub.append(a); bub.append(0)
        if I["frac"]:   # billed >= share * the peak of each bill looked back on
            for k in range(max(0, b - I["look"]) if I["look"] else 0, b):
                a = np.zeros(NV); a[P0 + k] = I["frac"]; a[B0 + b] = -1
                Aub.append(a); bub.append(0)
    if I["tv"] is not None:
        v = min(I["price"]) * ec if I["tv"] == "min" else I["tv"]
        cost[S + n - 1] -= v
    res = linprog(cost, A_ub=np.array(Aub), b_ub=np.array(bub), A_eq=np.array(Aeq),
                  b_eq=np.array(beq), bounds=bounds, method="highs")
    return res.fun if res.status == 0 else None


r = random.Random(seed)
print("1..%d" % N)
fails = 0
for k in range(N):
    I = instance(r, k)
    d = os.path.join(tmp, "t%d" % k)
    os.makedirs(d, exist_ok=True)
    s, err = bess(I, d)
    ref = reference(I)
    if s is None or ref is None:
        print("not ok %d - %s #%d: bess %s, HiGHS %s" % (k + 1, I["fam"], k, err.strip(), ref))
        fails += 1
        continue
    got = s["objective"]
    tol = 1e-6 * max(1.0, abs(ref))
    if abs(got - ref) <= tol:
        print("ok %d - %s #%d: objective %.6f = HiGHS %.6f" % (k + 1, I["fam"], k, got, ref))
    else:
        print("not ok %d - %s #%d: objective %.9g, HiGHS %.9g; in %s" % (k + 1, I["fam"], k, got, ref, d))
        fails += 1
sys.exit(1 if fails else 0)
