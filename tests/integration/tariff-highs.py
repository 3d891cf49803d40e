#!/usr/bin/env python3
# tariff-highs.py: bess-optimize's tariff and site parts — demand on window means, ratchets,
# a terminal value for stored energy, no grid charging, rising energy blocks, the minimum
# charge, the export cap — against a model written here from bess-tariff(5) and
# bess-optimize(1) and solved with HiGHS (scipy), on random instances. From instance 41 on,
# blocks, the minimum and the cap over several batteries (--battery), and with sheddable
# devices (bess-devices(5): a binary per step, its power off the load, its cost per kWh not
# served), where the bill is of the site's import, whatever moved it. The blocks are written
# as the man page says them (a bill's kWh split into blocks of their widths, each at its
# rate), not as bess's LP has them (one column per block start); the cap as "at most cap kWh
# of each bill's export is paid" (at one export price, what paying in time order comes to).
# Prints TAP. Usage: tariff-highs.py BESS_OPTIMIZE TMPDIR N SEED
import csv, json, os, random, subprocess, sys
from datetime import datetime, timezone
import numpy as np
from scipy.optimize import linprog

binpath, tmp, N, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])


def instance(r, k):
    if k >= 40:
        return instance_site(r, k)
    fam = ["window", "ratchet", "terminal", "nogrid", "tier", "minimum", "cap"][k % 7]
    I = {"fam": fam}
    if fam == "window":
        I["dt"], n = 5 / 60, 3 * r.randint(4, 10)      # 5-minute steps, 15-minute windows
    elif fam in ("ratchet", "tier", "minimum", "cap"):
        I["dt"], n = 3.0, 8 * r.randint(3, 5)          # 3-hour steps, daily bills
    else:
        I["dt"], n = 1.0, r.randint(6, 24)
    I["n"] = n
    I["price"] = [round(r.uniform(0.05, 0.4), 3) for _ in range(n)]
    I["load"] = [round(r.uniform(0, 20), 2) for _ in range(n)]
    I["solar"] = [round(max(0.0, r.uniform(-10, 25)), 2) for _ in range(n)] if fam in ("nogrid", "cap") \
        else [0.0] * n
    I["cap"] = round(r.uniform(5, 40), 1)
    I["pw"] = round(r.uniform(2, 20), 1)
    I["eff"] = r.choice([1.0, 0.9, 0.81])
    I["init"] = round(r.uniform(0, 1) * I["cap"], 2)
    I["rate"] = round(r.uniform(1, 15), 2) if fam in ("window", "ratchet") or r.random() < 0.5 else 0
    # rising blocks: (start kWh, rate) with rates 0 <= a1 <= a2 (bess-tariff(5) "tier")
    I["tiers"] = []
    if fam == "tier" or (fam == "minimum" and r.random() < 0.5):
        a1 = round(r.uniform(0, 0.3), 3)
        I["tiers"] = [(round(r.uniform(20, 150)), a1), (round(r.uniform(160, 300)), round(a1 + r.uniform(0, 0.3), 3))]
    I["fixed"] = round(r.uniform(0, 10), 2) if fam == "minimum" else 0
    # a minimum that some days' charges are below (a day's energy alone is about 8 * 30 * 0.2)
    I["minimum"] = round(r.uniform(20, 250), 2) if fam == "minimum" or (fam == "cap" and r.random() < 0.5) \
        else None
    I["xcap"] = round(r.uniform(5, 60), 1) if fam == "cap" else None
    I["xrate"] = round(r.uniform(0.0, 0.05), 3) if fam == "cap" else None
    I["frac"] = r.choice([0.5, 0.8, 1.0]) if fam == "ratchet" else 0
    I["look"] = r.choice([0, 1, 2]) if fam == "ratchet" else 0
    I["tv"] = r.choice(["min", round(r.uniform(0, 0.5), 3)]) if fam == "terminal" else None
    I["bats"] = [(I["cap"], I["pw"], I["eff"], I["init"])]
    I["devs"] = []
    return I


def instance_site(r, k):
    """Blocks, a minimum and maybe an export cap over 2-3 batteries ("batteries"), or a minimum
    and maybe blocks with 1-2 sheddable devices in the load ("devices"); daily bills."""
    fam = ["batteries", "devices"][k % 2]
    I = {"fam": fam, "rate": 0, "frac": 0, "look": 0, "tv": None}
    if fam == "batteries":
        I["dt"], n = 3.0, 8 * r.randint(3, 5)
    else:
        I["dt"], n = 1.0, 24 * r.randint(2, 3)
    I["n"] = n
    I["price"] = [round(r.uniform(0.05, 0.4), 3) for _ in range(n)]
    I["load"] = [round(r.uniform(0, 20), 2) for _ in range(n)]
    exp = r.random() < 0.5
    I["solar"] = [round(max(0.0, r.uniform(-10, 25)), 2) for _ in range(n)] if exp else [0.0] * n
    I["bats"] = []
    for _ in range(r.randint(2, 3) if fam == "batteries" else 1):
        cap = round(r.uniform(5, 40), 1)
        I["bats"].append((cap, round(r.uniform(2, 20), 1), r.choice([1.0, 0.9, 0.81]),
                          round(r.uniform(0, 1) * cap, 2)))
    I["devs"] = []
    if fam == "devices":
        for j in range(r.randint(1, 2)):
            p = r.choice([2, 5, 7.5])
            I["devs"].append((p, round(r.uniform(0.05, 0.6), 3)))
            I["load"] = [x + p for x in I["load"]]     # a sheddable device's draw is in load_kw
    I["tiers"] = []
    if fam == "batteries" or r.random() < 0.5:
        a1 = round(r.uniform(0, 0.3), 3)
        I["tiers"] = [(round(r.uniform(20, 150)), a1), (round(r.uniform(160, 300)), round(a1 + r.uniform(0, 0.3), 3))]
    I["fixed"] = round(r.uniform(0, 10), 2)
    # a minimum near a day's charges (about 24 kWh-hours of 10 kW at 0.22): binding on some days
    I["minimum"] = round(r.uniform(30, 75), 2) if fam == "devices" or r.random() < 0.7 else None
    I["xrate"] = round(r.uniform(0.0, 0.05), 3) if exp else None
    I["xcap"] = round(r.uniform(5, 60), 1) if exp and r.random() < 0.6 else None
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
    for a, rate in I["tiers"]:
        lines.append("tier = %rkWh %r" % (a, rate))
    if I["fixed"]:
        lines.append("fixed = %r" % I["fixed"])
    if I["minimum"] is not None:
        lines.append("minimum = %r" % I["minimum"])
    if I["xcap"] is not None:
        lines.append("export_cap = %rkWh" % I["xcap"])
    lines.append("[all]")
    if I["xrate"] is not None:
        lines.append("export = %r" % I["xrate"])
    if I["rate"]:
        lines.append("demand = %r" % I["rate"])
    if I["frac"]:
        lines.append("ratchet = %r%%" % (100 * I["frac"]))
        if I["look"]:
            lines.append("lookback = %d" % I["look"])
    with open(os.path.join(d, "tariff"), "w") as f:
        f.write("\n".join(lines) + "\n")
    args = [binpath, "--tariff", "tariff", "--summary", "s.json", "-o", "out.csv", "in.csv"]
    if len(I["bats"]) == 1:
        cap, pw, eff, init = I["bats"][0]
        args += ["--capacity", "%rkWh" % cap, "--power", "%rkW" % pw,
                 "--efficiency", "%r%%" % (100 * eff), "--soc-init", "%rkWh" % init]
    else:
        for i, (cap, pw, eff, init) in enumerate(I["bats"]):
            args += ["--battery", "b%d:capacity=%rkWh,power=%rkW,efficiency=%r%%,soc-init=%rkWh"
                     % (i, cap, pw, 100 * eff, init)]
    if I["devs"]:
        with open(os.path.join(d, "site.devices"), "w") as f:
            for j, (p, c) in enumerate(I["devs"]):
                f.write("[d%d]\nkind = sheddable\npower = %rkW\ncost = %r\n" % (j, p, c))
        args += ["--devices", "site.devices"]
    if I["xrate"] is None:
        args.append("--no-export")
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
    """c, d, S per battery, imp, u, x per step, an off binary per device and step; a peak per
    demand group (per step or per window mean); a billed demand per bill with a ratchet; per
    bill its kWh in blocks, its paid export and its total (at least the minimum). Minimise the
    bills + the devices' cost of energy not served - terminal value, less the fixed charges (a
    constant bess's objective leaves out)."""
    n, dt = I["n"], I["dt"]
    nbat, ndev = len(I["bats"]), len(I["devs"])
    IM, U, X, PD = (k * n for k in range(4))
    BAT = 4 * n                 # battery i: c at BAT + 3 n i, d n later, S 2 n later
    OFF = BAT + 3 * n * nbat    # device j: off at OFF + n j (1 = shed)
    bills = [int(t * dt // 24) for t in range(n)]
    nb = max(bills) + 1
    nt = len(I["tiers"]) + 1      # block 0 (below the first tier) and one per tier
    P0 = OFF + n * ndev  # peak per bill
    B0 = P0 + nb        # billed per bill
    Y0 = B0 + nb        # kWh per bill and block
    M0 = Y0 + nb * nt   # total per bill
    NV = M0 + nb
    cost = np.zeros(NV)
    integ = np.zeros(NV)
    bounds = [(0, None)] * NV
    Aeq, beq, Aub, bub = [], [], [], []
    charge = [np.zeros(NV) for _ in range(nb)]    # each bill's charges as a row (fixed aside)
    for t in range(n):
        b = bills[t]
        surplus = max(0.0, I["solar"][t] - I["load"][t])
        for i, (cap, pw, eff, init) in enumerate(I["bats"]):
            C, D, S, ec = BAT + 3 * n * i, BAT + 3 * n * i + n, BAT + 3 * n * i + 2 * n, eff ** 0.5
            bounds[C + t] = (0, min(pw, surplus) if I["fam"] == "nogrid" else pw)
            bounds[D + t] = (0, pw)
            bounds[S + t] = (0, cap)
            # SOC: S_t = S_{t-1} + ec dt c - dt d / ed
            a = np.zeros(NV); a[S + t] = 1; a[C + t] = -ec * dt; a[D + t] = dt / ec
            if t:
                a[S + t - 1] = -1
            Aeq.append(a); beq.append(init if t == 0 else 0)
        bounds[U + t] = (0, I["solar"][t])
        bounds[X + t] = (0, None if I["xrate"] is not None else 0)
        # imp - x = load - solar + u + sum (c - d) - the power of each device shed
        a = np.zeros(NV); a[IM + t] = 1; a[X + t] = -1; a[U + t] = -1
        for i in range(nbat):
            a[BAT + 3 * n * i + t] = -1; a[BAT + 3 * n * i + n + t] = 1
        for j, (p, c) in enumerate(I["devs"]):
            a[OFF + n * j + t] = p
            bounds[OFF + n * j + t] = (0, 1)
            integ[OFF + n * j + t] = 1
            cost[OFF + n * j + t] = c * p * dt
        Aeq.append(a); beq.append(I["load"][t] - I["solar"][t])
        charge[b][IM + t] += dt * I["price"][t]
        if I["xrate"] is not None:
            # paid export: at most the step's export, and (below) at most the cap per bill
            a = np.zeros(NV); a[PD + t] = 1; a[X + t] = -dt
            Aub.append(a); bub.append(0)
            charge[b][PD + t] -= I["xrate"]
        else:
            bounds[PD + t] = (0, 0)
        # the demand a step shows: its import, or (bess-tariff(5) demand_window) its window's mean
        a = np.zeros(NV); a[P0 + b] = -1
        if I["fam"] == "window":
            w0 = t - t % 3
            for j in range(w0, min(w0 + 3, n)):
                a[IM + j] += 1 / (min(w0 + 3, n) - w0)
        else:
            a[IM + t] += 1
        Aub.append(a); bub.append(0)
    starts = [0] + [a for a, _ in I["tiers"]]
    rates = [0] + [rate for _, rate in I["tiers"]]
    for b in range(nb):
        charge[b][B0 + b] = I["rate"]
        a = np.zeros(NV); a[P0 + b] = 1; a[B0 + b] = -1       # billed >= peak
        Aub.append(a); bub.append(0)
        if I["frac"]:   # billed >= share * the peak of each bill looked back on
            for k in range(max(0, b - I["look"]) if I["look"] else 0, b):
                a = np.zeros(NV); a[P0 + k] = I["frac"]; a[B0 + b] = -1
                Aub.append(a); bub.append(0)
        # the bill's kWh fill the blocks: block k holds up to (next start - its start) at rate k
        a = np.zeros(NV)
        for t in range(n):
            if bills[t] == b:
                a[IM + t] = -dt
        for k in range(nt):
            a[Y0 + b * nt + k] = 1
            hi = starts[k + 1] - starts[k] if k + 1 < nt else None
            bounds[Y0 + b * nt + k] = (0, hi)
            charge[b][Y0 + b * nt + k] = rates[k]
        Aeq.append(a); beq.append(0)
        if I["xcap"] is not None:
            a = np.zeros(NV)
            for t in range(n):
                if bills[t] == b:
                    a[PD + t] = 1
            Aub.append(a); bub.append(I["xcap"])
        # the bill: its charges plus the fixed charge, at least the minimum
        a = charge[b].copy(); a[M0 + b] = -1
        Aub.append(a); bub.append(-I["fixed"])
        bounds[M0 + b] = (I["minimum"] if I["minimum"] is not None else None, None)
        cost[M0 + b] = 1
    for i, (cap, pw, eff, init) in enumerate(I["bats"]):
        if I["tv"] is not None:
            v = min(I["price"]) * eff ** 0.5 if I["tv"] == "min" else I["tv"]
            cost[BAT + 3 * n * i + 3 * n - 1] -= v
    res = linprog(cost, A_ub=np.array(Aub), b_ub=np.array(bub), A_eq=np.array(Aeq),
                  b_eq=np.array(beq), bounds=bounds, method="highs",
                  integrality=integ if ndev else None)
    return res.fun - nb * I["fixed"] if res.status == 0 else None


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
    shed = s.get("shed_cost", 0)
    if I["fam"] in ("tier", "minimum", "cap", "batteries", "devices") and \
            abs(s["cost"] + shed - got - I["fixed"] * (I["n"] * I["dt"] // 24)) > tol:
        # the bills (bess_rates_cost: blocks, top-ups, export paid in time order) are what was planned
        print("not ok %d - %s #%d: cost %.9g + shed cost %.9g is not objective %.9g + fixed charges; in %s"
              % (k + 1, I["fam"], k, s["cost"], shed, got, d))
        fails += 1
        continue
    if abs(got - ref) <= tol:
        print("ok %d - %s #%d: objective %.6f = HiGHS %.6f" % (k + 1, I["fam"], k, got, ref))
    else:
        print("not ok %d - %s #%d: objective %.9g, HiGHS %.9g; in %s" % (k + 1, I["fam"], k, got, ref, d))
        fails += 1
sys.exit(1 if fails else 0)
