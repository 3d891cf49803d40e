#!/usr/bin/python3
# optimize-highs.py: random battery/site/tariff instances, each solved by bess-optimize and by an
# independent model written from the man pages (bess-optimize(1) THE MODEL, bess-tariff(5),
# bess(7)) and solved with HiGHS (scipy linprog / milp); objectives compared, and the written
# schedule re-checked step by step (SOC, limits, balance, cost, demand, cycles) with plain
# arithmetic. Prints TAP, one test per instance. Usage: optimize-highs.py BIN TMPDIR N [SEED]
import csv
import json
import math
import os
import random
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import lil_matrix

INF = math.inf
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


# ---------------------------------------------------------------- tariffs (bess-tariff(5))
def span(names, a, b):
    """the cyclic list a..b of names (nov-feb wraps)"""
    i, j = names.index(a), names.index(b)
    out = [i]
    while i != j:
        i = (i + 1) % len(names)
        out.append(i)
    return set(out)


def rand_when(r):
    """one when line: (text, months set|None, days set|None, (from_min, to_min)|None)"""
    parts, months, days, clock = [], None, None, None
    if r.random() < 0.3:
        a, b = r.sample(MONTHS, 2)
        if r.random() < 0.5:
            parts.append(f"{a}-{b}")
            months = span(MONTHS, a, b)
        else:
            parts.append(f"{a},{b}")
            months = {MONTHS.index(a), MONTHS.index(b)}
    if r.random() < 0.4:
        k = r.randrange(4)
        if k == 0:
            parts.append("weekday"); days = set(range(5))
        elif k == 1:
            parts.append("weekend"); days = {5, 6}
        elif k == 2:
            a, b = r.sample(DAYS, 2)
            parts.append(f"{a}-{b}"); days = span(DAYS, a, b)
        else:
            a, b = r.sample(DAYS, 2)
            parts.append(f"{a},{b}"); days = {DAYS.index(a), DAYS.index(b)}
    if r.random() < 0.8 or not parts:
        f = r.randrange(0, 96) * 15
        t = r.randrange(1, 97) * 15
        if t == f:
            t = (f + 60) % 1440 or 1440
        parts.append(f"{f // 60:02d}:{f % 60:02d}-{t // 60:02d}:{t % 60:02d}")
        clock = (f, t)
    r.shuffle(parts)
    return " ".join(parts), months, days, clock


def when_holds(w, lt):
    _, months, days, clock = w
    if months is not None and lt.month - 1 not in months:
        return False
    if days is not None and lt.weekday() not in days:
        return False
    if clock is not None:
        m = lt.hour * 60 + lt.minute
        f, t = clock
        if f < t:
            return f <= m < t
        return m >= f or m < t        # wraps past midnight
    return True


def rand_tariff(r, has_price):
    tz = r.choice(["UTC", "Europe/Berlin", "Asia/Shanghai", "America/Los_Angeles", "+05:30",
                   "Australia/Sydney"])
    billing = r.choice(["month", "day", "none", None])
    mode = r.choice(["replace", "add"]) if has_price else "replace"
    periods = []
    for i in range(r.randint(1, 4)):
        p = {"name": f"p{i}", "energy": None, "demand": None, "export": None, "when": []}
        if r.random() < 0.7 or not has_price:
            p["energy"] = round(r.uniform(0.05, 0.4), 4)
        if r.random() < 0.6:
            p["demand"] = round(r.uniform(0.5, 15), 3)
        if r.random() < 0.25:
            p["export"] = round(r.uniform(0.0, 0.1), 4)
        for _ in range(r.randint(1, 2)):
            p["when"].append(rand_when(r))
        periods.append(p)
    if r.random() < 0.7 or not has_price:      # a catch-all last (needed without a price column)
        p = {"name": "rest", "energy": round(r.uniform(0.05, 0.3), 4), "when": [],
             "demand": round(r.uniform(0.5, 5), 3) if r.random() < 0.5 else None,
             "export": None}
        periods.append(p)
    lines = ["# random tariff"]
    if tz != "UTC" or r.random() < 0.5:
        lines.append(f"timezone = {tz}" if r.random() < 0.5 else f'timezone = "{tz}"')
    if billing is not None:
        lines.append(f"billing = {billing}")
    if mode != "replace" or r.random() < 0.3:
        lines.append(f"energy = {mode}")
    for p in periods:
        lines.append("")
        lines.append(f"[{p['name']}]")
        if p["energy"] is not None:
            lines.append(r.choice([f"energy = {p['energy']}", f"energy = {p['energy']}/kWh",
                                   f"energy = {p['energy'] * 1000:.10g} EUR/MWh"]))
        if p["demand"] is not None:
            lines.append(r.choice([f"demand = {p['demand']}", f"demand = {p['demand']}/kW"]))
        if p["export"] is not None:
            lines.append(f"export = {p['export']}")
        for w in p["when"]:
            lines.append(f"when = {w[0]}")
    return {"tz": tz, "billing": billing or "month", "mode": mode, "periods": periods,
            "text": "\n".join(lines) + "\n"}


def zone(tz):
    if tz[0] in "+-":
        sign = 1 if tz[0] == "+" else -1
        return timezone(sign * timedelta(hours=int(tz[1:3]), minutes=int(tz[4:6])))
    return ZoneInfo(tz)


def day_hours(z, d):
    """length in hours of the local day d (23, 24 or 25 across DST changes)"""
    a = datetime(d.year, d.month, d.day, tzinfo=z)
    e = d + timedelta(days=1)
    b = datetime(e.year, e.month, e.day, tzinfo=z)
    return (b.timestamp() - a.timestamp()) / 3600


# ---------------------------------------------------------------- instances
# the long negative-price family: (steps, variant) - a day, two weeks, a week, a month of
# quarter-hours; then a week with export paid above import on some steps (import/export binaries)
# and two weeks with self-discharge
LONG_N = [(192, ""), (1344, ""), (672, ""), (2976, ""), (672, "export"), (1344, "self-discharge")]


def neg_prices(r, ts):
    """day-ahead-like prices with a negative midday dip on half the days (tests/bench/negprice.awk)"""
    out, day, lvl, dip = [], None, 1.0, 0.0
    for t in ts:
        dt_ = datetime.fromtimestamp(t, timezone.utc)
        if dt_.date() != day:
            day = dt_.date()
            lvl = 0.8 + 0.4 * r.random()
            dip = 0.05 + 0.15 * r.random() if r.random() < 0.5 else 0.0
        h = dt_.hour + dt_.minute / 60
        p = lvl * (0.07 + 0.03 * math.exp(-((h - 8) / 2) ** 2) + 0.05 * math.exp(-((h - 19) / 2.5) ** 2))
        p += 0.02 * (r.random() - 0.5) - dip * math.exp(-((h - 13) / 2.2) ** 2)
        out.append(round(p, 5))
    return out


def rand_instance(r, family, long_n=None, variant=""):
    """the documented semantics as plain numbers, plus the command line and files expressing them"""
    n = long_n or r.randint(24, 96)
    step = 900 if long_n else r.choice([900, 3600])
    dt = step / 3600
    start = datetime(2025, 1, 1, tzinfo=timezone.utc) + timedelta(
        hours=r.choice([0, r.randrange(0, 365 * 24), 24 * 88 - 12, 24 * 302 - 12, 24 * 58 + 12]))
    ts = [int(start.timestamp()) + i * step for i in range(n)]
    I = {"n": n, "dt": dt, "ts": ts, "family": family}
    cap = round(r.choice([r.uniform(5, 50), r.uniform(100, 2000)]), 3)
    args = []
    if r.random() < 0.3 and cap >= 1000:
        args += ["--capacity", f"{cap / 1000:.10g}MWh"]
        cap = float(f"{cap / 1000:.10g}") * 1000
    else:
        args += ["--capacity", f"{cap:.10g}kWh"]
    pw = round(cap * r.uniform(0.1, 1.0), 3)
    if r.random() < 0.5:
        pc = pd = pw
        args += ["--power", f"{pw:.10g}kW"]
    else:
        pc, pd = pw, round(cap * r.uniform(0.1, 1.0), 3)
        args += ["--charge-power", f"{pc:.10g}kW", "--discharge-power", f"{pd:.10g}kW"]
    smin, smax = 0.0, cap
    if r.random() < 0.5:
        q = r.randrange(0, 30)
        if r.random() < 0.5:
            smin = cap * q / 100; args += ["--soc-min", f"{q}%"]
        else:
            smin = round(cap * q / 100, 3); args += ["--soc-min", f"{smin:.10g}kWh"]
    if r.random() < 0.5:
        q = r.randrange(70, 101)
        if r.random() < 0.5:
            smax = cap * q / 100; args += ["--soc-max", f"{q}%"]
        else:
            smax = round(cap * q / 100, 3); args += ["--soc-max", f"{smax:.10g}kWh"]
    init = smin
    if r.random() < 0.6:
        init = round(r.uniform(smin, smax), 3); args += ["--soc-init", f"{init:.10g}kWh"]
    fin = ("init", None)
    k = r.randrange(5)
    if k == 1:
        fin = ("free", None); args += ["--soc-final", "free"]
    elif k == 2:
        q = round(r.uniform(smin, (smin + smax) / 2), 3)
        fin = (">=", q); args += ["--soc-final", f"{q:.10g}kWh"]
    elif k == 3:
        q = round(r.uniform(smin, smax), 3)
        fin = ("=", q); args += ["--soc-final", f"={q:.10g}kWh"]
    elif k == 4:
        args += ["--soc-final", "init"]
    ec = ed = math.sqrt(0.9)
    k = r.randrange(4)
    if k == 1:
        rt = r.choice([80, 85, 95, 100]); ec = ed = math.sqrt(rt / 100)
        args += ["--efficiency", f"{rt}%"]
    elif k == 2:
        ec, ed = r.choice([0.9, 0.95, 1.0]), r.choice([0.92, 0.97, 1.0])
        args += ["--charge-efficiency", f"{ec * 100:.10g}%", "--discharge-efficiency", f"{ed:.10g}"]
    sd = 0.0
    # (self-discharge in the long family only in its own variant)
    if (r.random() < 0.3 and not long_n) or variant == "self-discharge":
        sd = r.choice([0.001, 0.01, 0.05]); args += ["--self-discharge", f"{sd * 100:.10g}%"]
    cc = 0.0
    if r.random() < 0.3:
        cc = round(r.uniform(0, 0.05), 4); args += ["--cycle-cost", f"{cc:.10g}"]
    maxcyc = None
    if r.random() < 0.3:
        maxcyc = r.choice([0.5, 1, 1.5]); args += ["--max-cycles", f"{maxcyc:.10g}"]
    I.update(cap=cap, pc=pc, pd=pd, smin=smin, smax=smax, init=init, fin=fin, ec=ec, ed=ed,
             sd=sd, cc=cc, maxcyc=maxcyc)

    # the site
    h = [(datetime.fromtimestamp(t, timezone.utc).hour + 0.0) for t in ts]
    neg = family in ("negative", "negative-long")
    price = [round(0.15 + 0.1 * math.sin((x - 8) / 24 * 2 * math.pi) + r.uniform(-0.05, 0.05)
                   - (r.uniform(0, 0.3) if neg and r.random() < 0.3 else 0), 4) for x in h]
    if long_n:
        price = neg_prices(r, ts)
    cols = {"price": price}
    site = family in ("site", "negative", "negative-long", "tariff", "infeasible") and r.random() < 0.85
    load = [0.0] * n
    solar = [0.0] * n
    if site:
        base = pw * r.uniform(0.2, 1.5)
        load = [round(base * (0.6 + 0.4 * math.sin((x - 6) / 24 * 2 * math.pi)) *
                      r.uniform(0.7, 1.3), 3) for x in h]
        cols["load_kw"] = load
        if r.random() < 0.6:
            pk = pw * r.uniform(0.5, 2.5)
            solar = [round(max(0.0, pk * math.sin((x - 6) / 12 * math.pi)) * r.uniform(0.5, 1), 3)
                     if 6 < x < 18 else 0.0 for x in h]
            cols["solar_kw"] = solar
    has_solar = "solar_kw" in cols
    ecol = None
    # (the long family pays export at the import price or forbids it, except in its "export"
    # variant: there HiGHS itself takes 50-100 s on some months, so a week is checked)
    if (r.random() < 0.4 and not long_n) or variant == "export":
        ecol = [round(p * r.uniform(0.3, 0.9) + (r.uniform(0.05, 0.2) if neg and r.random() < 0.2
                                                 else 0), 4) for p in price]
        cols["export_price"] = ecol
    imp_lim = [INF] * n
    exp_lim = [INF] * n
    if r.random() < 0.35 or neg:
        L = round(max(load) + pw * r.uniform(0.3, 1.5), 3)
        imp_lim = [L] * n; args += ["--import-limit", f"{L:.10g}kW"]
    if r.random() < 0.35 or neg:
        L = round(pw * r.uniform(0.2, 1.5), 3)
        exp_lim = [L] * n; args += ["--export-limit", f"{L:.10g}kW"]
    if r.random() < 0.2:         # per-step columns, some empty (the option then applies)
        col = []
        for i in range(n):
            if r.random() < 0.3:
                col.append(None)
            else:
                v = round(max(load[i] - solar[i], 0) + pw * r.uniform(0.2, 1.5), 3)
                col.append(v); imp_lim[i] = v
        cols["import_limit_kw"] = col
    if r.random() < 0.2:
        col = []
        for i in range(n):
            if r.random() < 0.3:
                col.append(None)
            else:
                v = round(pw * r.uniform(0, 1.5), 3)
                col.append(v); exp_lim[i] = v
        cols["export_limit_kw"] = col

    if family == "infeasible":    # a step whose load the grid and the battery cannot meet
        if "load_kw" not in cols:
            cols["load_kw"] = load
        j = r.randrange(n)
        load[j] = round(2 * pd + 10 + solar[j], 3)
        lim = round(pd * r.uniform(0.1, 0.9), 3)
        col = cols.get("import_limit_kw") or [None] * n
        col[j] = lim
        imp_lim[j] = lim
        cols["import_limit_kw"] = col
    tariff = None
    if family == "tariff":
        tariff = rand_tariff(r, has_price=r.random() < 0.7)
        if not any(p["energy"] is not None and not p["when"] for p in tariff["periods"]) and \
                tariff["mode"] == "replace" and r.random() < 0.0:
            pass
        if r.random() < 0.3 and any(p["demand"] for p in tariff["periods"]):
            dp = [p for p in tariff["periods"] if p["demand"]]
            psf = {}
            if r.random() < 0.5:
                v = round(r.uniform(0, max(load) + 1), 3)
                args += ["--peak-so-far", f"{v:.10g}kW"]
                psf = {p["name"]: v for p in tariff["periods"]}
            for p in r.sample(dp, r.randint(1, len(dp))):
                v = round(r.uniform(0, max(load) + 1), 3)
                args += ["--peak-so-far", f"{p['name']}={v:.10g}kW"]
                psf[p["name"]] = v
            tariff["psf"] = psf
    # export mode
    emode = "auto"
    k = r.randrange(6)
    if variant == "export":
        k = 0
    if k == 1:
        emode = "none"; args.append("--no-export")
    elif k == 2:
        emode = "none"; args += ["--export", "none"]
    elif k == 3:
        emode = "import-price"; args += ["--export", "import-price"]
    elif k == 4 and ecol is not None:
        emode = "column"; args += ["--export", "column"]
    if tariff is not None and "price" in cols and not any(
            p["energy"] is not None for p in tariff["periods"]):
        pass
    if tariff is not None and r.random() < 0.3 and all(
            p["energy"] is not None for p in tariff["periods"]) and \
            any(not p["when"] for p in tariff["periods"]) and tariff["mode"] == "replace":
        del cols["price"]
    I.update(cols=cols, load=load, solar=solar, has_solar=has_solar, imp_lim=imp_lim,
             exp_lim=exp_lim, tariff=tariff, emode=emode, args=args)
    return I


def semantics(I):
    """per-step prices, export prices, demand groups and cycle days from the documented rules"""
    n, ts, T = I["n"], I["ts"], I["tariff"]
    price = I["cols"].get("price")
    pi, pe = [0.0] * n, [0.0] * n
    z = zone(T["tz"]) if T else timezone.utc
    groups = {}                 # (bill, period) -> [steps]
    days = {}                   # local date -> [steps]
    for t in range(n):
        lt = datetime.fromtimestamp(ts[t], z)
        days.setdefault(lt.date(), []).append(t)
        per = None
        if T:
            for p in T["periods"]:
                if not p["when"] or any(when_holds(w, lt) for w in p["when"]):
                    per = p
                    break
        if per is not None and per["energy"] is not None:
            pi[t] = per["energy"] + (price[t] if T["mode"] == "add" else 0.0)
        else:
            if price is None:
                return None        # no price for this step: an error
            pi[t] = price[t]
        ecol = I["cols"].get("export_price")
        if I["emode"] == "import-price":
            pe[t] = pi[t]
        elif I["emode"] == "column":
            pe[t] = ecol[t]
        elif per is not None and per["export"] is not None:
            pe[t] = per["export"]
        elif ecol is not None:
            pe[t] = ecol[t]
        else:
            pe[t] = pi[t]
        if per is not None and per["demand"]:
            b = T["billing"]
            bill = (lt.year, lt.month) if b == "month" else lt.date() if b == "day" else 0
            groups.setdefault((bill, per["name"]), []).append(t)
    dem = []
    first_bill = None
    if T:
        lt0 = datetime.fromtimestamp(ts[0], z)
        b = T["billing"]
        first_bill = (lt0.year, lt0.month) if b == "month" else lt0.date() if b == "day" else 0
    for (bill, name), steps in groups.items():
        rate = next(p["demand"] for p in T["periods"] if p["name"] == name)
        psf = T.get("psf", {}).get(name, 0.0) if bill == first_bill else 0.0
        dem.append({"steps": steps, "rate": rate, "psf": psf, "name": name})
    cyc = []
    if I["maxcyc"] is not None:
        for d, steps in days.items():
            # bess-optimize(1): n times the day's hours in the horizon over 24, at most n
            share = len(steps) * I["dt"] / 24
            cyc.append((steps, I["maxcyc"] * I["cap"] * min(1.0, share)))
    return pi, pe, dem, cyc


# ---------------------------------------------------------------- the independent model
def solve_ref(I, sem, binaries, no_battery=False):
    """HiGHS on: per step c, d, S (SOC at step end), b, e (SOC below/above its limits), u
    (curtailed), imp, exp; one peak variable per demand group; optional binaries z (charging)
    and w (importing). Returns (cost without penalty, violation kWh, x) or None if infeasible."""
    pi, pe, dem, cyc = sem
    n, dt = I["n"], I["dt"]
    nv = 8
    C, D, S, B, E, U, IM, EX = range(nv)
    G0 = nv * n
    Z0 = G0 + len(dem)
    nz = 2 * n if binaries else 0
    N = Z0 + nz
    idx = lambda k, t: k * n + t
    lo, hi = np.zeros(N), np.full(N, np.inf)
    init, smin, smax = I["init"], I["smin"], I["smax"]
    outside = init < smin - 1e-12 or init > smax + 1e-12
    kdec = (1 - I["sd"]) ** dt
    for t in range(n):
        hi[idx(C, t)] = 0 if no_battery else I["pc"]
        hi[idx(D, t)] = 0 if no_battery else I["pd"]
        lo[idx(S, t)] = -np.inf
        if not outside:
            hi[idx(B, t)] = hi[idx(E, t)] = 0
        hi[idx(U, t)] = I["solar"][t]
        hi[idx(IM, t)] = I["imp_lim"][t]
        # bess-optimize(1): export 0 .. min(export limit, solar + discharge power)
        hi[idx(EX, t)] = 0 if I["emode"] == "none" else min(I["exp_lim"][t],
                                                            I["solar"][t] + I["pd"])
    for g in range(len(dem)):
        lo[G0 + g] = dem[g]["psf"]
    if binaries:
        hi[Z0:] = 1
    rows, rl, ru = [], [], []
    A = lil_matrix((8 * n + len(dem) * n + len(cyc) + 4, N))
    r = 0

    def row(lb, ub):
        nonlocal r
        rl.append(lb); ru.append(ub); r += 1
        return r - 1
    for t in range(n):
        # SOC: S_t - k S_{t-1} - ec dt c + dt/ed d = k init (t = 0) or 0
        q = row(kdec * init if t == 0 else 0, kdec * init if t == 0 else 0)
        A[q, idx(S, t)] = 1
        if t > 0:
            A[q, idx(S, t - 1)] = -kdec
        A[q, idx(C, t)] = -I["ec"] * dt
        A[q, idx(D, t)] = dt / I["ed"]
        # limits on the true SOC, softened by b and e only when the start lies outside them
        q = row(smin, np.inf); A[q, idx(S, t)] = 1; A[q, idx(B, t)] = 1
        q = row(-np.inf, smax); A[q, idx(S, t)] = 1; A[q, idx(E, t)] = -1
        # balance: imp - exp = load - (solar - u) + c - d
        q = row(I["load"][t] - I["solar"][t], I["load"][t] - I["solar"][t])
        A[q, idx(IM, t)] = 1; A[q, idx(EX, t)] = -1; A[q, idx(U, t)] = -1
        A[q, idx(C, t)] = -1; A[q, idx(D, t)] = 1
        if binaries:
            # bess-optimize(1) SIMULTANEOUS FLOWS: binaries where such flows could pay in the
            # step itself: charge and discharge where the import or (paid) export price is
            # negative, import and export where the export price is above the import price
            z, w = Z0 + t, Z0 + n + t
            if pi[t] < 0 or (I["emode"] != "none" and pe[t] < 0):
                q = row(-np.inf, 0); A[q, idx(C, t)] = 1; A[q, z] = -I["pc"]
                q = row(-np.inf, I["pd"]); A[q, idx(D, t)] = 1; A[q, z] = I["pd"]
            else:
                hi[z] = 0
            if pe[t] > pi[t] and I["emode"] != "none":
                Mi = min(I["imp_lim"][t], I["load"][t] + I["pc"])
                Me = min(I["exp_lim"][t], I["solar"][t] + I["pd"])
                q = row(-np.inf, 0); A[q, idx(IM, t)] = 1; A[q, w] = -Mi
                q = row(-np.inf, Me); A[q, idx(EX, t)] = 1; A[q, w] = Me
            else:
                hi[w] = 0
    for g, dg in enumerate(dem):
        for t in dg["steps"]:
            q = row(-np.inf, 0); A[q, idx(IM, t)] = 1; A[q, G0 + g] = -1
    for steps, cap in cyc:
        q = row(-np.inf, cap)
        for t in steps:
            A[q, idx(D, t)] = dt
    last = idx(S, n - 1)
    kind, qty = I["fin"]
    if kind == "init":
        q = row(min(max(init, smin), smax), np.inf); A[q, last] = 1
    elif kind == ">=":
        q = row(qty, np.inf); A[q, last] = 1
    elif kind == "=":
        q = row(qty, qty); A[q, last] = 1
    A = A[:r].tocsr()
    cost = np.zeros(N)
    for t in range(n):
        cost[idx(IM, t)] = dt * pi[t]
        cost[idx(EX, t)] = -dt * pe[t]
        cost[idx(D, t)] = dt * I["cc"]
    for g, dg in enumerate(dem):
        cost[G0 + g] = dg["rate"]
    viol = np.zeros(N)
    for t in range(n):
        viol[idx(B, t)] = viol[idx(E, t)] = 1
    cons = [LinearConstraint(A, np.array(rl), np.array(ru))]
    vmin = 0.0
    if outside:     # first remove the violation as fast as the limits allow, then the cost
        res = linprog(viol, A_ub=None, bounds=list(zip(lo, hi)), A_eq=None, method="highs",
                      integrality=None) if False else _solve(viol, cons, lo, hi, binaries, Z0)
        if res is None:
            return None
        vmin = res[0]
        cons.append(LinearConstraint(viol.reshape(1, -1), -np.inf, vmin + 1e-7 * max(1, vmin)))
    res = _solve(cost, cons, lo, hi, binaries, Z0)
    if res is None:
        return None
    return res[0], vmin, res[1]


def _solve(cost, cons, lo, hi, binaries, Z0):
    # integrality only on the binaries left free: with none, solve the LP. (scipy 1.10's HiGHS
    # was seen to report "optimal" at twice the LP's optimum for a MIP whose every integer
    # variable was fixed at 0 by its bounds.)
    integ = np.zeros(len(cost))
    if binaries:
        integ[Z0:] = hi[Z0:] > lo[Z0:]
    res = milp(cost, constraints=cons, bounds=Bounds(lo, hi), integrality=integ,
               options={"mip_rel_gap": 1e-9})
    if res.status == 2:
        return None
    if res.x is None:
        raise RuntimeError(f"HiGHS: {res.message}")
    return float(res.fun), res.x


# ---------------------------------------------------------------- running bess-optimize
def write_inputs(I, d):
    cols = I["cols"]
    names = list(cols)
    with open(os.path.join(d, "in.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["ts"] + names)
        for t in range(I["n"]):
            row = [datetime.fromtimestamp(I["ts"][t], timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")]
            for c in names:
                v = cols[c][t]
                row.append("" if v is None else repr(v))
            w.writerow(row)
    args = list(I["args"])
    if I["tariff"] is not None:
        with open(os.path.join(d, "tariff"), "w") as f:
            f.write(I["tariff"]["text"])
        args += ["--tariff", "tariff"]
    if I.get("milp"):
        args += ["--milp", I["milp"]]
    if I.get("method"):
        args += ["--method", I["method"]]
    with open(os.path.join(d, "cmd"), "w") as f:
        f.write("bess-optimize " + " ".join(args) + " --summary s.json in.csv > out.csv\n")
    return args


def run(binpath, I, d):
    args = write_inputs(I, d)
    p = subprocess.run([binpath] + args + ["--summary", "s.json", "in.csv"], cwd=d,
                       capture_output=True, text=True)
    with open(os.path.join(d, "out.csv"), "w") as f:
        f.write(p.stdout)
    with open(os.path.join(d, "err"), "w") as f:
        f.write(p.stderr)
    rows = list(csv.DictReader(p.stdout.splitlines()))
    summ = None
    if os.path.exists(os.path.join(d, "s.json")):
        with open(os.path.join(d, "s.json")) as f:
            summ = json.load(f)
    return p.returncode, p.stderr, rows, summ


# ---------------------------------------------------------------- checks of the written schedule
def check_schedule(I, sem, rows, summ, simultaneous_ok):
    """step-by-step physics, limits and cost from the written columns; returns (errors, total)"""
    pi, pe, dem, cyc = sem
    n, dt = I["n"], I["dt"]
    err = []
    if len(rows) != n:
        return [f"{len(rows)} rows written, {n} steps"], None
    R = 5e-7                       # a column is printed with six decimals
    kdec = (1 - I["sd"]) ** dt
    prev = I["init"]
    energy = revenue = wear = 0.0
    imp_all = []
    outside = I["init"] < I["smin"] - 1e-12 or I["init"] > I["smax"] + 1e-12
    for t, row in enumerate(rows):
        g = lambda k: float(row[k]) if row.get(k) not in (None, "") else 0.0
        c, d, s = g("charge_kw"), g("discharge_kw"), g("soc_kwh")
        imp, exp = g("grid_import_kw"), g("grid_export_kw")
        u = g("curtail_kw")
        if I["has_solar"] and "curtail_kw" not in row:
            err.append("no curtail_kw column")
        # the interior-point method meets rows to about 1e-7 relative (1e-5 kWh seen on a 1 MWh
        # battery over 1,344 steps); a vertex (simplex, branch and bound) to the printing
        tol_s = 1e-6 + R * (1 + kdec + dt * I["ec"] + dt / I["ed"]) + \
            (1e-7 * I["cap"] if "interior" in ((summ or {}).get("method") or "") else 0)
        want = kdec * prev + I["ec"] * dt * c - dt / I["ed"] * d
        if abs(s - want) > tol_s:
            err.append(f"step {t}: soc {s} != {want:.9f} (k S + ec dt c - dt/ed d)")
        if not outside and not (I["smin"] - 1e-6 <= s <= I["smax"] + 1e-6):
            err.append(f"step {t}: soc {s} outside {I['smin']}..{I['smax']}")
        if c < -1e-6 or c > I["pc"] + 1e-6 or d < -1e-6 or d > I["pd"] + 1e-6:
            err.append(f"step {t}: charge {c} / discharge {d} beyond 0..{I['pc']} / {I['pd']}")
        neg = pi[t] < 0 or (I["emode"] != "none" and pe[t] < 0)
        if not simultaneous_ok and neg and c > 1e-6 and d > 1e-6:
            err.append(f"step {t}: charges {c} and discharges {d} at once")
        if not simultaneous_ok and imp > 1e-6 and exp > 1e-6:
            err.append(f"step {t}: imports {imp} and exports {exp} at once")
        if abs(g("battery_kw") - (c - d)) > 2e-6:
            err.append(f"step {t}: battery_kw {g('battery_kw')} != charge - discharge")
        if abs(g("soc_pct") - 100 * s / I["cap"]) > 1e-6 + 100 * R / I["cap"] + R:
            err.append(f"step {t}: soc_pct {g('soc_pct')} != 100 soc / capacity")
        if u < -1e-6 or u > I["solar"][t] + 1e-6:
            err.append(f"step {t}: curtail {u} beyond 0..{I['solar'][t]}")
        bal = I["load"][t] - (I["solar"][t] - u) + c - d
        if abs(imp - exp - bal) > 5 * R:
            err.append(f"step {t}: import - export {imp - exp} != load - solar + curtail + c - d {bal}")
        el = 0 if I["emode"] == "none" else I["exp_lim"][t]
        # limits within 1e-6 relative: GLPK's bound tolerance is relative to the bound
        if imp < -1e-6 or imp > I["imp_lim"][t] * (1 + 1e-6) + 1e-6 or exp < -1e-6 or \
                exp > el * (1 + 1e-6) + 1e-6:
            err.append(f"step {t}: import {imp} / export {exp} beyond limits {I['imp_lim'][t]} / {el}")
        step_cost = dt * (pi[t] * imp - pe[t] * exp + I["cc"] * d)
        tol_c = 1e-6 * max(1, abs(step_cost)) + R + dt * R * (abs(pi[t]) + abs(pe[t]) + I["cc"])
        if abs(g("cost") - step_cost) > tol_c:
            err.append(f"step {t}: cost {g('cost')} != dt (price import - export_price export"
                       f" + cycle_cost discharge) = {step_cost:.9f}")
        energy += dt * pi[t] * imp
        revenue += dt * pe[t] * exp
        wear += dt * I["cc"] * d
        imp_all.append(imp)
        prev = s
    kind, qty = I["fin"]
    tol_f = 1e-6 + R
    # GLPK's interior point ends within ~1e-7 relative (asked for, or chosen for a long model)
    if I.get("method") == "interior" or "interior" in ((summ or {}).get("method") or ""):
        tol_f += 1e-7 * I["cap"]
    if kind == "init" and prev < min(max(I["init"], I["smin"]), I["smax"]) - tol_f:
        err.append(f"ends at {prev}, below the start {I['init']}")
    if kind == ">=" and prev < qty - tol_f:
        err.append(f"ends at {prev}, below {qty}")
    if kind == "=" and abs(prev - qty) > tol_f:
        err.append(f"ends at {prev}, not {qty}")
    for steps, capy in cyc:
        thr = sum(dt * float(rows[t]["discharge_kw"]) for t in steps)
        if thr > capy + 1e-6 + len(steps) * dt * R:
            err.append(f"discharges {thr} kWh in a day allowed {capy}")
    demand = sum(dg["rate"] * max([dg["psf"]] + [imp_all[t] for t in dg["steps"]]) for dg in dem)
    total = energy - revenue + wear + demand
    if summ is not None:
        scale = 1e-6 * max(1, abs(energy) + abs(revenue) + abs(wear) + abs(demand)) + \
            R * dt * n * (max(map(abs, pi)) + max(map(abs, pe)) + I["cc"]) + \
            R * sum(dg["rate"] for dg in dem)
        for k, v in (("cost", total), ("energy_cost", energy), ("export_revenue", revenue),
                     ("degradation_cost", wear), ("demand_cost", demand)):
            if summ.get(k) is None or abs(summ[k] - v) > scale:
                err.append(f"summary {k} {summ.get(k)} != {v:.9f} rebuilt from the schedule")
    return err, total


# ---------------------------------------------------------------- one instance
def one(binpath, r, family, d, long_n=None, variant=""):
    I = rand_instance(r, family, long_n, variant)
    sem = semantics(I)
    if sem is None:
        return None, "no price for a step", I
    if family == "negative-long":
        I["milp"] = "auto"
    elif family == "negative":
        I["milp"] = r.choice(["auto", "on", "on"])
    elif r.random() < 0.1:
        I["milp"] = "off"
    if r.random() < 0.15:
        I["method"] = r.choice(["simplex", "interior"])
    binaries = I.get("milp") != "off"
    ref = solve_ref(I, sem, binaries)
    st, stderr, rows, summ = run(binpath, I, d)
    err = []
    if ref is None:
        # documented: exit 3, a fallback schedule (battery idle, every row status=fallback)
        if st != 3:
            err.append(f"HiGHS: infeasible, bess-optimize exit {st}: {stderr.strip()}")
        if summ is None or summ.get("status") != "fallback" or summ.get("objective") is not None:
            err.append(f"summary not a fallback: {summ and summ.get('status')}")
        if len(rows) != I["n"]:
            err.append(f"fallback: {len(rows)} rows, {I['n']} steps")
        for t, row in enumerate(rows):
            if row.get("status") != "fallback" or float(row["charge_kw"]) != 0 or \
                    float(row["discharge_kw"]) != 0:
                err.append(f"fallback step {t}: not idle: {row}")
                break
            imp, exp = float(row["grid_import_kw"]), float(row["grid_export_kw"])
            u = float(row.get("curtail_kw") or 0)
            if abs(imp - exp - (I["load"][t] - I["solar"][t] + u)) > 3e-6:
                err.append(f"fallback step {t}: import - export != load - solar + curtail")
                break
        return err, "infeasible", I
    obj, vmin, x = ref
    if st != 0:
        return [f"exit {st} where HiGHS finds an optimum {obj}: {stderr.strip()}"], "", I
    if summ is None:
        return ["no summary"], "", I
    e2, total = check_schedule(I, sem, rows, summ, simultaneous_ok=not binaries)
    err += e2
    got = summ.get("cost") if vmin > 0 else summ.get("objective")
    # relative 1e-6 of the size of the cost terms: both solvers stop at feasibility and optimality
    # tolerances near 1e-7 (HiGHS) / 1e-7 (GLPK) on rows scaled like the prices and powers
    scale = 1e-6 * max(1.0, abs(obj), sum(abs(sem[0][t]) * I["dt"] * I["pc"] for t in range(I["n"])) * 1e-3)
    if got is None or abs(got - obj) > scale:
        err.append(f"objective {got} != HiGHS {obj:.9f} (diff {None if got is None else got - obj:.3g})")
    if binaries and summ.get("milp"):
        # honest labels (bess-optimize(1) SIMULTANEOUS FLOWS): exit 0 means proved within
        # --mip-gap (default 1e-9), and the bound is a true lower bound: at most HiGHS's optimum
        if summ.get("status") != "optimal" or summ.get("time_limited") is not False:
            err.append(f"status {summ.get('status')}, time_limited {summ.get('time_limited')}")
        gap, bound = summ.get("milp_gap"), summ.get("milp_bound")
        if gap is None or not 0 <= gap <= 1e-9 or summ.get("milp_gap_limit") != 1e-9:
            err.append(f"milp_gap {gap} (limit {summ.get('milp_gap_limit')}) not within 1e-9")
        if bound is None or bound > obj + scale or bound > summ["objective"] + 1e-9:
            err.append(f"milp_bound {bound} above HiGHS's optimum {obj:.9f} or the objective")
    if total is not None and abs(total - obj) > scale + 1e-5 * max(1, abs(obj)) * 0 + \
            5e-7 * I["dt"] * I["n"] * (max(map(abs, sem[0])) + max(map(abs, sem[1])) + I["cc"]) * 2 + \
            5e-7 * sum(dg["rate"] for dg in sem[2]):
        err.append(f"the written schedule costs {total:.9f}, HiGHS's optimum {obj:.9f}")
    return err, f"obj {obj:.6g}", I


def main():
    binpath, tmp, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    nlong = int(sys.argv[5]) if len(sys.argv) > 5 else 0
    families = ["battery", "site", "negative", "tariff", "infeasible"]
    print(f"1..{count + nlong}")
    failed = 0
    for i in range(count + nlong):
        fam = families[i % len(families)] if i < count else "negative-long"
        long_n, variant = LONG_N[(i - count) % len(LONG_N)] if i >= count else (None, "")
        r = random.Random(seed * 100003 + i)
        d = os.path.join(tmp, f"i{i}")
        os.makedirs(d, exist_ok=True)
        err, what, I = one(binpath, r, fam, d, long_n, variant)
        fam += f" {variant}" if variant else ""
        if err is None:
            print(f"ok {i + 1} - {fam} #{i}: skipped ({what}) # SKIP")
            continue
        if err:
            failed += 1
            print(f"not ok {i + 1} - {fam} #{i} (seed {seed}): {len(err)} disagreements; in {d}")
            for e in err[:8]:
                print(f"#   {e}")
        else:
            print(f"ok {i + 1} - {fam} #{i}: {I['n']} steps of {int(I['dt'] * 60)} min, {what}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
