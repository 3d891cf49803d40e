#!/usr/bin/python3
# events-highs.py: bess-optimize --events against an independent model written from
# bess-optimize(1) THE MODEL and bess-events(5) (the settlement), solved with HiGHS (scipy
# linprog), on random small sites with demand-response events (reductions against a flat
# baseline, caps): objectives compared; each written schedule's events re-settled from its
# grid_import_kw with the formulas of bess-events(5) and compared with the summary.
# Usage: events-highs.py BIN TMPDIR N [SEED]. Prints TAP.
import csv
import json
import math
import random
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import lil_matrix

BIN, TMP, N = sys.argv[1], sys.argv[2], int(sys.argv[3])
SEED = int(sys.argv[4]) if len(sys.argv) > 4 else 1
T0 = datetime(2025, 3, 3, tzinfo=timezone.utc)
fails = 0
test_no = 0


def ok(cond, msg):
    global fails, test_no
    test_no += 1
    print(("ok" if cond else "not ok") + " %d - %s" % (test_no, msg))
    if not cond:
        fails += 1


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def instance(r):
    dt = r.choice([0.25, 0.5, 1.0])
    n = r.randrange(8, 49)
    I = {"n": n, "dt": dt}
    I["cap"] = r.choice([5, 10, 20, 50])
    I["pw"] = r.choice([2, 5, 10, 25])
    I["eff"] = r.choice([1.0, 0.9, 0.81, 0.7])
    I["sd"] = r.choice([0, 0, 0.001, 0.01])
    I["cc"] = r.choice([0, 0, 0.01, 0.05])
    I["price"] = [round(r.uniform(0.05, 0.5), 3) for _ in range(n)]
    I["load"] = [round(r.uniform(0, 30), 2) for _ in range(n)]
    I["solar"] = [round(max(0, r.uniform(-10, 15)), 2) for _ in range(n)] if r.random() < 0.5 else [0] * n
    I["export"] = r.random() < 0.5
    I["xprice"] = [round(p * r.uniform(0, 0.9), 3) for p in I["price"]]
    I["final"] = r.choice(["init", "free"])
    # events: up to 3 non-overlapping windows on step boundaries
    cuts = sorted(r.sample(range(n + 1), min(n + 1, 2 * r.randrange(1, 4))))
    ev = []
    for k in range(0, len(cuts) - 1, 2):
        a, b = cuts[k], cuts[k + 1]
        if a == b:
            continue
        e = {"id": "e%d" % k, "a": a, "b": b, "base": round(r.uniform(0, 30), 2),
             "pay": round(r.uniform(0, 2), 3), "pen": round(r.uniform(0, 2), 3)}
        if r.random() < 0.5:
            e["kind"] = "cap"
            e["cap"] = round(r.uniform(0, 25), 2)
        else:
            e["kind"] = "reduce"
            e["red"] = round(r.uniform(0, 3 * (b - a) * dt * 5), 2)
        ev.append(e)
    I["ev"] = ev
    return I


def settle(I, e, imp):
    """bess-events(5) Settlement"""
    dt = I["dt"]
    steps = range(e["a"], e["b"])
    base_kwh = sum(dt * e["base"] for _ in steps)
    if e["kind"] == "reduce":
        req = e["red"]
        short = max(0, sum(dt * imp[t] for t in steps) - (base_kwh - req))
    else:
        req = sum(dt * max(0, e["base"] - e["cap"]) for _ in steps)
        short = sum(dt * max(0, imp[t] - e["cap"]) for t in steps)
    deliv = req - short
    return {"requested_kwh": req, "shortfall_kwh": short, "delivered_kwh": deliv,
            "payment": e["pay"] * deliv, "penalty": e["pen"] * short, "baseline_kwh": base_kwh}


def reference(I):
    """HiGHS on bess-optimize(1) THE MODEL with the events rows: per step c, d, s, u, imp, exp,
    o (import above a cap); per reduction event v. Returns the objective."""
    n, dt = I["n"], I["dt"]
    ec = ed = math.sqrt(I["eff"])
    k = (1 - I["sd"]) ** dt
    C, D, S, U, IM, EX, O = range(7)
    nred = sum(1 for e in I["ev"] if e["kind"] == "reduce")
    NV = 7 * n + nred
    x = lambda j, t: j * n + t
    lo = np.zeros(NV)
    hi = np.full(NV, np.inf)
    cost = np.zeros(NV)
    const = 0.0
    Aeq = lil_matrix((2 * n, NV)); beq = []
    Aub = lil_matrix((n + nred + 1, NV)); bub = []
    cap_of = {}
    for e in I["ev"]:
        for t in range(e["a"], e["b"]):
            cap_of[t] = e
    for t in range(n):
        hi[x(C, t)] = hi[x(D, t)] = I["pw"]
        hi[x(S, t)] = I["cap"]
        hi[x(U, t)] = I["solar"][t]
        hi[x(EX, t)] = min(np.inf if I["export"] else 0, I["solar"][t] + I["pw"])
        e = cap_of.get(t)
        if e is None or e["kind"] != "cap":
            hi[x(O, t)] = 0
        # SOC
        Aeq[len(beq), x(S, t)] = 1
        if t > 0:
            Aeq[len(beq), x(S, t - 1)] = -k
        Aeq[len(beq), x(C, t)] = -ec * dt
        Aeq[len(beq), x(D, t)] = dt / ed
        beq.append(0.0)
        # balance: imp - exp = load - solar + u + c - d
        q = len(beq)
        Aeq[q, x(IM, t)] = 1; Aeq[q, x(EX, t)] = -1; Aeq[q, x(U, t)] = -1
        Aeq[q, x(C, t)] = -1; Aeq[q, x(D, t)] = 1
        beq.append(I["load"][t] - I["solar"][t])
        price = I["price"][t]
        xp = I["xprice"][t] if I["export"] else 0
        cost[x(IM, t)] += dt * price
        cost[x(EX, t)] -= dt * xp
        cost[x(D, t)] += dt * I["cc"]
        if e is not None and e["kind"] == "cap":
            # imp - o <= cap
            q = len(bub)
            Aub[q, x(IM, t)] = 1; Aub[q, x(O, t)] = -1
            bub.append(e["cap"])
            cost[x(O, t)] += (e["pay"] + e["pen"]) * dt
    j = 7 * n
    for e in I["ev"]:
        s = settle(I, e, [0] * n)
        const -= e["pay"] * s["requested_kwh"]
        if e["kind"] != "reduce":
            continue
        q = len(bub)
        for t in range(e["a"], e["b"]):
            Aub[q, x(IM, t)] = dt
        Aub[q, j] = -1
        bub.append(s["baseline_kwh"] - e["red"])
        cost[j] = e["pay"] + e["pen"]
        j += 1
    beq = np.array(beq)
    init = 0.0
    beq[0] = k * init
    if I["final"] == "init":
        q = len(bub)
        Aub[q, x(S, n - 1)] = -1
        bub.append(-init)
    Aub = Aub[:len(bub)].tocsr()
    res = linprog(cost, A_ub=Aub, b_ub=np.array(bub), A_eq=Aeq.tocsr(), b_eq=beq,
                  bounds=list(zip(lo, hi)), method="highs")
    assert res.status == 0, res.message
    return res.fun + const


r = random.Random(SEED)
for i in range(N):
    I = instance(r)
    n, dt = I["n"], I["dt"]
    ts = [T0 + timedelta(hours=dt * t) for t in range(n)]
    with open(f"{TMP}/in.csv", "w") as f:
        f.write("ts,price,export_price,load_kw,solar_kw\n")
        for t in range(n):
            f.write(f"{iso(ts[t])},{I['price'][t]},{I['xprice'][t]},{I['load'][t]},{I['solar'][t]}\n")
    with open(f"{TMP}/ev.csv", "w") as f:
        f.write("id,start,end,cap_kw,reduce_kwh,baseline_kw,payment,penalty\n")
        for e in I["ev"]:
            end = T0 + timedelta(hours=dt * e["b"])
            f.write(f"{e['id']},{iso(ts[e['a']])},{iso(end)},{e.get('cap', '')},{e.get('red', '')},"
                    f"{e['base']},{e['pay']},{e['pen']}\n")
    args = [BIN, "--capacity", f"{I['cap']}kWh", "--power", f"{I['pw']}kW",
            "--efficiency", f"{I['eff'] * 100:g}%", "--self-discharge", f"{I['sd']}",
            "--cycle-cost", f"{I['cc']}", "--soc-final", I["final"], "--milp", "off",
            "--export", "column" if I["export"] else "none",
            "--events", f"{TMP}/ev.csv", "--summary", f"{TMP}/s.json", "-o", f"{TMP}/out.csv",
            f"{TMP}/in.csv"]
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode != 0:
        ok(False, f"#{i}: bess-optimize exit {p.returncode}: {p.stderr.strip()}")
        continue
    s = json.load(open(f"{TMP}/s.json"))
    ref = reference(I)
    tol = 1e-6 * max(1, abs(ref))
    good = abs(s["objective"] - ref) <= tol
    # the events re-settled from the written import
    imp = [float(row["grid_import_kw"]) for row in csv.DictReader(open(f"{TMP}/out.csv"))]
    pay = pen = 0.0
    for e, got in zip(I["ev"], s["events"]):
        want = settle(I, e, imp)
        pay += want["payment"]; pen += want["penalty"]
        for key in want:
            if abs(got[key] - want[key]) > 1e-5 * max(1, abs(want[key])):
                good = False
                print(f"# #{i} event {e['id']}: {key} {got[key]} != {want[key]}")
    good = good and abs(s["dr_payment"] - pay) < 1e-4 and abs(s["dr_penalty"] - pen) < 1e-4
    good = good and abs(s["net_cost"] - (s["cost"] - pay + pen)) < 1e-4
    ok(good, f"#{i}: {n} steps of {dt} h, {len(I['ev'])} events "
       f"({','.join(e['kind'] for e in I['ev'])}): objective {s['objective']:.6f} = HiGHS {ref:.6f}")
print(f"1..{test_no}")
sys.exit(1 if fails else 0)
