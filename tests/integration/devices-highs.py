#!/usr/bin/python3
# devices-highs.py: random small sites with a battery and controllable loads, each solved by
# bess-optimize --devices and by an independent MILP written from bess-devices(5) and
# bess-optimize(1) (sheddable: off binaries, cost per kWh and per hour, max_off per local day,
# "when" windows, min_on/min_off; shiftable: one level per step, energy per task in its window)
# solved with HiGHS (scipy milp); objectives compared, and the per-device records re-checked with
# plain arithmetic (windows, daily limits, run lengths, task energy, levels, the grid balance,
# the costs). Most instances of up to 48 steps also have a demand charge from a tariff (bess-tariff(5)):
# a rate per kW on the highest mean grid import over an aligned demand_window of 1 or 2 hours; the devices' power enters the import the window averages.
# Prints TAP, one test per instance. Usage: devices-highs.py BIN TMPDIR N [SEED]
import csv
import json
import math
import os
import random
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix

T0 = datetime(2026, 3, 2, tzinfo=timezone.utc)   # a Monday; UTC so local days are UTC days


def hhmm(m):
    return f"{m // 60:02d}:{m % 60:02d}"


def rand_instance(r):
    dt_min = r.choice([60, 30, 15])
    days = r.choice([1, 1, 2])
    n = days * 24 * 60 // dt_min
    dt = dt_min / 60
    price = [round(r.uniform(0.05, 0.6), 3) for _ in range(n)]
    devs = []
    base = 0.0
    for k in range(r.randint(1, 4)):
        if r.random() < 0.55:
            p = r.choice([1, 2, 5, 7.5])
            d = {"id": f"s{k}", "kind": "sheddable", "p": p,
                 "cost": round(r.uniform(0, 0.4), 3), "cost_h": r.choice([0, 0, 0.1, 0.3]),
                 "max_off": r.choice([None, 1, 2, 3.5]),
                 "when": None, "min_on": r.choice([0, 0, 1, 2]), "min_off": r.choice([0, 0, 1, 1.5])}
            if r.random() < 0.6:
                f = r.randrange(0, 20) * 60
                d["when"] = (f, f + r.randrange(2, 5) * 60)
            base += p
        else:
            levels = r.choice([[7], [3.7, 7.4, 11], [2, 4]])
            f = r.randrange(0, 16) * 60
            to = f + r.randrange(3, 9) * 60
            most = max(levels) * (to - f) / 60
            e = round(r.uniform(0.2, 0.8) * most, 2)
            d = {"id": f"h{k}", "kind": "shiftable", "levels": levels, "e": e, "win": (f, to)}
        devs.append(d)
    load = [round(base + r.uniform(0, 8), 3) for _ in range(n)]
    cap = r.choice([1, 5, 10, 20])
    pw = 0 if r.random() < 0.2 else cap / 2
    return {"n": n, "dt": dt, "dt_min": dt_min, "price": price, "load": load, "devs": devs,
            "cap": cap, "pw": pw, "eff": r.choice([1.0, 0.9]), "init": cap / 2}


def add_demand(I, r):
    """a demand charge (rate per kW) on the means of aligned windows of 60 or 120 minutes, on
    sites of up to 48 steps (seven in ten of them); None otherwise. Demand on single steps
    with devices is tariff-highs.py's; here, on 96 steps and more, or on single steps, branch
    and bound took up to 20 s in both solvers."""
    if r.random() < 0.3 or I["n"] > 48:
        I["demand"] = None
        return
    I["demand"] = {"rate": round(r.uniform(1, 15), 2), "win_min": r.choice([60, 120])}


def write(I, d):
    with open(os.path.join(d, "in.csv"), "w") as f:
        f.write("ts,price,load_kw\n")
        for t in range(I["n"]):
            ts = T0 + timedelta(minutes=t * I["dt_min"])
            f.write(f"{ts.strftime('%Y-%m-%dT%H:%M:%SZ')},{I['price'][t]},{I['load'][t]}\n")
    with open(os.path.join(d, "devices"), "w") as f:
        f.write("timezone = UTC\n")
        for v in I["devs"]:
            f.write(f"\n[{v['id']}]\nkind = {v['kind']}\n")
            if v["kind"] == "sheddable":
                f.write(f"power = {v['p']}kW\ncost = {v['cost']}/kWh\ncost_per_hour = {v['cost_h']}\n")
                if v["max_off"] is not None:
                    f.write(f"max_off = {v['max_off'] * 60:g}m\n")
                if v["when"]:
                    f.write(f"when = {hhmm(v['when'][0])}-{hhmm(v['when'][1])}\n")
                if v["min_on"]:
                    f.write(f"min_on = {v['min_on'] * 60:g}m\n")
                if v["min_off"]:
                    f.write(f"min_off = {v['min_off'] * 60:g}m\n")
            else:
                f.write("power = 0 " + " ".join(f"{x}kW" for x in v["levels"]) + "\n")
                f.write(f"energy = {v['e']}kWh\nwindow = {hhmm(v['win'][0])}-{hhmm(v['win'][1])}\n")
    if I.get("demand"):
        with open(os.path.join(d, "tariff"), "w") as f:
            if I["demand"]["win_min"]:
                f.write(f"demand_window = {I['demand']['win_min']}m\n")
            # no energy key: the input's price column applies (bess-tariff(5))
            f.write(f"[all]\ndemand = {I['demand']['rate']}/kW\n")


def minute(I, t):
    return (t * I["dt_min"]) % 1440


def day(I, t):
    return (t * I["dt_min"]) // 1440


def may_shed(I, v, t):
    if not v["when"]:
        return True
    m = minute(I, t)
    return v["when"][0] <= m < v["when"][1]


def in_task(I, v, t):
    m = minute(I, t)
    return v["win"][0] <= m and m + I["dt_min"] <= v["win"][1]


def steps_of(h, dt):
    return math.ceil(h / dt - 1e-9)


def solve_ref(I):
    """HiGHS on: per step c, d, S, imp; per sheddable off, y (switch-off), w (switch-on); per
    shiftable and level z. Rows: SOC, balance (imp = load - P off + l z + c - d >= 0), max_off per
    day, min_off/min_on, one level per step, task energy. Returns the objective."""
    n, dt = I["n"], I["dt"]
    names = []
    lo, hi, cost, integ = [], [], [], []

    def var(l, h, c, i=0):
        lo.append(l); hi.append(h); cost.append(c); integ.append(i)
        return len(lo) - 1
    C = [var(0, I["pw"], 0) for t in range(n)]
    D = [var(0, I["pw"], 0) for t in range(n)]
    S = [var(0, I["cap"], 0) for t in range(n)]
    IM = [var(0, np.inf, dt * I["price"][t]) for t in range(n)]
    dv = []
    for v in I["devs"]:
        if v["kind"] == "sheddable":
            off = [var(0, 1 if may_shed(I, v, t) else 0, dt * (v["cost"] * v["p"] + v["cost_h"]), 1)
                   for t in range(n)]
            y = [var(0, 1, 0) for t in range(n)]
            w = [var(0, 1, 0) for t in range(n)]
            dv.append({"off": off, "y": y, "w": w})
        else:
            z = [[var(0, 1 if in_task(I, v, t) else 0, 0, 1) for _ in v["levels"]] for t in range(n)]
            dv.append({"z": z})
    N = len(lo)
    rows, rlo, rhi = [], [], []

    def row(coefs, l, h):
        rows.append(coefs); rlo.append(l); rhi.append(h)
    ec, ed = math.sqrt(I["eff"]), math.sqrt(I["eff"])
    for t in range(n):
        co = {S[t]: 1, C[t]: -ec * dt, D[t]: dt / ed}
        if t > 0:
            co[S[t - 1]] = -1
        row(co, I["init"] if t == 0 else 0, I["init"] if t == 0 else 0)
        co = {IM[t]: 1, C[t]: -1, D[t]: 1}
        for v, m in zip(I["devs"], dv):
            if v["kind"] == "sheddable":
                co[m["off"][t]] = v["p"]
            else:
                for j, l in enumerate(v["levels"]):
                    co[m["z"][t][j]] = -l
        row(co, I["load"][t], I["load"][t])       # imp - c + d + P off - l z = load
    for v, m in zip(I["devs"], dv):
        if v["kind"] == "sheddable":
            if v["max_off"] is not None:
                for dd in range(day(I, n - 1) + 1):
                    row({m["off"][t]: dt for t in range(n) if day(I, t) == dd}, -np.inf, v["max_off"])
            L = steps_of(v["min_off"], dt)
            if L > 1:
                for t in range(n):
                    co = {m["y"][t]: 1, m["off"][t]: -1}
                    if t > 0:
                        co[m["off"][t - 1]] = 1
                    row(co, 0, np.inf)
                    co = {m["y"][s]: 1 for s in range(max(0, t - L + 1), t + 1)}
                    co[m["off"][t]] = co.get(m["off"][t], 0) - 1
                    row(co, -np.inf, 0)
            L = steps_of(v["min_on"], dt)
            if L > 1:
                for t in range(n):
                    co = {m["w"][t]: 1, m["off"][t]: 1}
                    if t > 0:
                        co[m["off"][t - 1]] = -1
                    row(co, 0, np.inf)
                    co = {m["w"][s]: 1 for s in range(max(0, t - L + 1), t + 1)}
                    co[m["off"][t]] = co.get(m["off"][t], 0) + 1
                    row(co, -np.inf, 1)
        else:
            for t in range(n):
                row({m["z"][t][j]: 1 for j in range(len(v["levels"]))}, -np.inf, 1)
            for dd in range(day(I, n - 1) + 1):
                co = {}
                for t in range(n):
                    if day(I, t) == dd and in_task(I, v, t):
                        for j, l in enumerate(v["levels"]):
                            co[m["z"][t][j]] = l * dt
                # bess-devices(5): at least the energy, less than a step at the top level more
                row(co, v["e"], v["e"] + max(v["levels"]) * dt - 1e-9 * (1 + v["e"]))
    if I.get("demand"):
        # bess-tariff(5): one billing period (the data lie in one month); demand is the highest
        # import of a step, or of the mean over each window (aligned since the epoch: T0 is
        # midnight UTC, so every window of the whole days is whole)
        M = var(0, np.inf, I["demand"]["rate"])
        N = len(lo)
        wm = I["demand"]["win_min"] or I["dt_min"]
        k = wm // I["dt_min"]
        for w0 in range(0, n, k):
            co = {IM[t]: -1 / k for t in range(w0, min(n, w0 + k))}
            co[M] = 1
            row(co, 0, np.inf)
    A = lil_matrix((len(rows), N))
    for i, co in enumerate(rows):
        for j, a in co.items():
            A[i, j] = a
    res = milp(np.array(cost), constraints=LinearConstraint(A.tocsr(), rlo, rhi),
               bounds=Bounds(lo, hi), integrality=np.array(integ),
               options={"mip_rel_gap": 1e-9, "time_limit": 60})
    if res.status != 0:
        return None
    return res.fun


def check(I, rows, sched):
    """the per-device records against the rules, by plain arithmetic; the grid balance."""
    n, dt = I["n"], I["dt"]
    why = []
    by = {}
    for r in rows:
        by.setdefault(r["device"], []).append(r)
    for v in I["devs"]:
        rs = by.get(v["id"], [])
        if len(rs) != n:
            why.append(f"{v['id']}: {len(rs)} records for {n} steps")
            continue
        if v["kind"] == "sheddable":
            off = [r["command"] == "OFF" for r in rs]
            for t in range(n):
                p = float(rs[t]["power_kw"])
                if abs(p - (0 if off[t] else v["p"])) > 1e-9:
                    why.append(f"{v['id']} step {t}: power {p}")
                want = I["price"][t] * p * dt + (dt * (v["cost"] * v["p"] + v["cost_h"]) if off[t] else 0)
                if abs(float(rs[t]["cost"]) - want) > 1e-6:
                    why.append(f"{v['id']} step {t}: cost {rs[t]['cost']} != {want}")
                if off[t] and not may_shed(I, v, t):
                    why.append(f"{v['id']} off at step {t} outside its window")
            if v["max_off"] is not None:
                for dd in range(day(I, n - 1) + 1):
                    h = sum(dt for t in range(n) if day(I, t) == dd and off[t])
                    if h > v["max_off"] + 1e-9:
                        why.append(f"{v['id']}: {h} h off on day {dd}")
            # run lengths: a run that starts and ends inside the data lasts at least the minimum
            for state, mh in ((True, v["min_off"]), (False, v["min_on"])):
                L = steps_of(mh, dt)
                t = 0
                while t < n:
                    if off[t] == state:
                        s = t
                        while t < n and off[t] == state:
                            t += 1
                        starts_inside = s > 0 or state  # the state before the data is on
                        if starts_inside and t < n and t - s < L:
                            why.append(f"{v['id']}: {'off' if state else 'on'} for {t - s} steps from {s}")
                    else:
                        t += 1
        else:
            e = {}
            for t in range(n):
                p = float(rs[t]["power_kw"])
                if p and not any(abs(p - l) < 1e-9 for l in v["levels"]):
                    why.append(f"{v['id']} step {t}: {p} kW is not a level")
                if p and not in_task(I, v, t):
                    why.append(f"{v['id']} runs at step {t} outside its window")
                e[day(I, t)] = e.get(day(I, t), 0) + p * dt
            for dd in range(day(I, n - 1) + 1):
                if not v["e"] - 1e-6 <= e.get(dd, 0) < v["e"] + max(v["levels"]) * dt:
                    why.append(f"{v['id']}: {e.get(dd, 0)} kWh on day {dd} for {v['e']}")
    # the grid: import = load - shed + shifted + charge - discharge
    for t in range(n):
        dev = 0
        for v in I["devs"]:
            p = float(by[v["id"]][t]["power_kw"])
            dev += (p - v["p"]) if v["kind"] == "sheddable" else p
        g = I["load"][t] + dev + float(sched[t]["charge_kw"]) - float(sched[t]["discharge_kw"])
        if abs(g - float(sched[t]["grid_import_kw"])) > 1e-5:
            why.append(f"step {t}: import {sched[t]['grid_import_kw']} != {g}")
    return why


def bench(binpath, d):
    """make bench: a day at 15 minutes, a 100 kWh / 50 kW battery, 10 sheddable and 10 shiftable
    devices; bess-optimize and HiGHS on the same model, wall times and objectives"""
    import time
    r = random.Random(20)
    I = rand_instance(r)
    while I["dt_min"] != 15 or I["n"] != 96:
        I = rand_instance(r)
    devs = []
    for k in range(20):
        if k < 10:
            f = r.randrange(6, 18) * 60
            devs.append({"id": f"s{k}", "kind": "sheddable", "p": r.choice([2, 5, 7.5, 10]),
                         "cost": round(r.uniform(0.05, 0.3), 3), "cost_h": 0, "max_off": r.choice([1, 2, 3]),
                         "when": (f, f + 240), "min_on": r.choice([0, 0.5, 1]), "min_off": r.choice([0, 0.5, 1])})
        else:
            levels = r.choice([[7], [3.7, 7.4, 11], [2, 4]])
            f = r.randrange(0, 14) * 60
            to = f + r.randrange(6, 10) * 60
            devs.append({"id": f"h{k}", "kind": "shiftable", "levels": levels,
                         "e": round(0.5 * max(levels) * (to - f) / 60, 2), "win": (f, to)})
    I["devs"] = devs
    base = sum(v["p"] for v in devs if v["kind"] == "sheddable")
    I["load"] = [round(base + 20 + 30 * r.random(), 3) for _ in range(I["n"])]
    I["cap"], I["pw"], I["eff"], I["init"] = 100, 50, 0.9, 50
    write(I, d)
    cmd = [binpath, "--capacity", "100kWh", "--power", "50kW", "--efficiency", "90%", "--soc-init",
           "50kWh", "--soc-final", "free", "--no-export", "--devices", "devices", "--summary", "s.json",
           "-o", "out.csv", "in.csv"]
    best = None
    for _ in range(3):
        t0 = time.monotonic()
        p = subprocess.run(cmd, cwd=d, capture_output=True, text=True)
        el = time.monotonic() - t0
        best = el if best is None else min(best, el)
    s = json.load(open(os.path.join(d, "s.json")))
    t0 = time.monotonic()
    ref = solve_ref(I)
    hs = time.monotonic() - t0
    print(f"  bess-optimize: {best:.3f} s wall (exit {p.returncode}), status {s['status']}, "
          f"milp_gap {s['milp_gap']:.2g}, objective {s['objective']:.6f}, solve_ms {s['solve_ms']:.0f}")
    print(f"  HiGHS (scipy milp, model built in Python): {hs:.3f} s, objective {ref:.6f}")
    print(f"  bess-optimize / HiGHS wall time: {best / hs:.2f}x; objectives differ by {abs(s['objective'] - ref):.2g}")


def main():
    if sys.argv[1] == "--bench":
        bench(sys.argv[2], sys.argv[3])
        return
    binpath, tmp, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    r = random.Random(seed)
    print(f"1..{count}")
    for k in range(count):
        I = rand_instance(r)
        add_demand(I, random.Random(1000 * seed + k))   # apart, so the instances stay those of before
        d = os.path.join(tmp, f"i{k}")
        os.makedirs(d)
        write(I, d)
        cmd = [binpath, "--capacity", f"{I['cap']}kWh", "--power", f"{I['pw']}kW",
               "--efficiency", f"{I['eff'] * 100:g}%", "--soc-init", f"{I['init']}kWh",
               "--soc-final", "free", "--no-export", "--devices", "devices",
               "--per-device", "dev.csv", "--summary", "s.json", "--time-limit", "10s", "-o", "out.csv",
               "in.csv"]
        if I["demand"]:
            cmd[-1:-1] = ["--tariff", "tariff"]
        p = subprocess.run(cmd, cwd=d, capture_output=True, text=True)
        ref = solve_ref(I)
        desc = f"#{k}: {I['n']} steps, {len(I['devs'])} devices"
        if I["demand"]:
            desc += f", demand {I['demand']['rate']}/kW on " + (
                f"{I['demand']['win_min']}-minute means" if I["demand"]["win_min"] else "steps")
        if p.returncode not in (0, 4):
            print(f"not ok {k + 1} - {desc}: exit {p.returncode}: {p.stderr.strip()[:300]}")
            continue
        s = json.load(open(os.path.join(d, "s.json")))
        with open(os.path.join(d, "dev.csv")) as f:
            rows = list(csv.DictReader(f))
        with open(os.path.join(d, "out.csv")) as f:
            sched = list(csv.DictReader(f))
        why = check(I, rows, sched)
        if ref is None:
            why.append("HiGHS found no schedule")
        elif p.returncode == 4:
            # not proved in time: said so (status feasible, exit 4), and the bound is honest
            tol = 1e-6 * max(1, abs(ref))
            if s["status"] != "feasible" or not s["milp_bound"] - tol <= ref <= s["objective"] + tol:
                why.append(f"feasible: bound {s['milp_bound']} <= HiGHS {ref} <= {s['objective']} fails")
            desc += " (not proved in 10 s: bound and objective bracket HiGHS)"
        elif abs(s["objective"] - ref) > 1e-6 * max(1, abs(ref)):
            why.append(f"objective {s['objective']:.9f} != HiGHS {ref:.9f}")
        if p.returncode == 0 and s["status"] != "optimal":
            why.append(f"status {s['status']}")
        if why:
            print(f"not ok {k + 1} - {desc}: " + "; ".join(why[:4]))
        else:
            print(f"ok {k + 1} - {desc}: objective {s['objective']:.6f} = HiGHS {ref:.6f}")


main()
