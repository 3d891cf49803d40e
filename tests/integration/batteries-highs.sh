#!/bin/sh
# batteries-highs.sh: bess-optimize with several batteries (--battery) against an independent
# model of bess(7) BATTERIES and bess-optimize(1) written here and solved with HiGHS through
# scipy: random sites (fixed seeds) of 2 to 4 batteries with their own capacity, power,
# efficiencies, SOC limits and start, self-discharge and cycle cost, behind one connection
# with a load and an import limit, export paid at the import price (positive prices, so no
# binaries are needed); the objectives must agree to 1e-6 (relative).
. "$(dirname "$0")/../lib.sh"

PY=/usr/bin/python3
"$PY" -c 'import numpy, scipy; from scipy.optimize import linprog' 2>/dev/null ||
	skip_all "no $PY with numpy and scipy (HiGHS linprog): apt-get install python3-scipy"

"$PY" - "$T" <<'PYEOF'
import json, math, os, random, subprocess, sys
import numpy as np
from scipy.optimize import linprog
from scipy.sparse import lil_matrix

T = sys.argv[1]
N = 30
print("1..%d" % N)
for case in range(N):
    rnd = random.Random(1000 + case)
    nb = rnd.randint(2, 4)
    n = rnd.randint(6, 30)
    dt = 1.0
    price = [round(rnd.uniform(0.02, 0.6), 4) for _ in range(n)]
    load = [round(rnd.uniform(0, 150), 1) for _ in range(n)]
    imp_lim = round(max(load) + rnd.uniform(20, 200), 1)
    bats = []
    for i in range(nb):
        cap = round(rnd.uniform(20, 300), 1)
        pw = round(rnd.uniform(5, 120), 1)
        eff = round(rnd.uniform(0.8, 1.0), 3)
        smin = rnd.choice([0, 10, 20])
        smax = rnd.choice([80, 90, 100])
        sinit = rnd.randint(smin, smax)
        sd = rnd.choice([0, 0.1, 0.5])
        cc = round(rnd.uniform(0, 0.1), 3)
        bats.append(dict(id="b%d" % i, cap=cap, pw=pw, eff=eff, smin=smin, smax=smax,
                         sinit=sinit, sd=sd, cc=cc))
    csv = os.path.join(T, "c%d.csv" % case)
    with open(csv, "w") as f:
        f.write("ts,price,load_kw\n")
        for t in range(n):
            f.write("2026-03-%02dT%02d:00:00Z,%s,%s\n" % (1 + t // 24, t % 24, price[t], load[t]))
    args = ["bess-optimize", "--milp", "off", "--import-limit", "%gkW" % imp_lim,
            "--summary", os.path.join(T, "s.json"), csv]
    for b in bats:
        args += ["--battery", "%s:capacity=%gkWh,power=%gkW,efficiency=%g%%,soc-min=%d%%,"
                 "soc-max=%d%%,soc-init=%d%%,self-discharge=%g%%,cycle-cost=%g" % (
                     b["id"], b["cap"], b["pw"], b["eff"] * 100, b["smin"], b["smax"],
                     b["sinit"], b["sd"], b["cc"])]
    r = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    got = None
    if r.returncode == 0:
        with open(os.path.join(T, "s.json")) as f:
            got = json.load(f)["objective"]
    # The model, from the man pages: per battery i and step t, charge c, discharge d (AC,
    # 0..power), SOC s (soc_min..soc_max, the last >= the start: --soc-final init);
    # s[t] = k s[t-1] + eta_c dt c - dt d / eta_d, k = (1 - self_discharge)^dt, eta = sqrt(eff);
    # grid = load + sum (c - d) <= import limit, export (grid < 0) paid at the price;
    # cost = sum dt price grid + sum dt cycle_cost d.
    nv = 3 * nb * n
    def v(i, t, j):
        return (i * n + t) * 3 + j
    cost = np.zeros(nv)
    bounds = [None] * nv
    Aeq = lil_matrix((nb * n, nv)); beq = np.zeros(nb * n)
    Aub = lil_matrix((n, nv)); bub = np.zeros(n)
    const = sum(dt * price[t] * load[t] for t in range(n))
    for i, b in enumerate(bats):
        eta = math.sqrt(b["eff"])
        k = (1 - b["sd"] / 100) ** dt
        lo, hi = b["cap"] * b["smin"] / 100, b["cap"] * b["smax"] / 100
        s0 = b["cap"] * b["sinit"] / 100
        for t in range(n):
            cost[v(i, t, 0)] = dt * price[t]
            cost[v(i, t, 1)] = dt * (b["cc"] - price[t])
            bounds[v(i, t, 0)] = (0, b["pw"])
            bounds[v(i, t, 1)] = (0, b["pw"])
            bounds[v(i, t, 2)] = (max(lo, min(max(s0, lo), hi)) if t == n - 1 else lo, hi)
            row = i * n + t
            Aeq[row, v(i, t, 2)] = 1
            Aeq[row, v(i, t, 0)] = -eta * dt
            Aeq[row, v(i, t, 1)] = dt / eta
            if t > 0:
                Aeq[row, v(i, t - 1, 2)] = -k
            else:
                beq[row] = k * s0
            Aub[t, v(i, t, 0)] = 1
            Aub[t, v(i, t, 1)] = -1
    for t in range(n):
        bub[t] = imp_lim - load[t]
    res = linprog(cost, A_ub=Aub.tocsr(), b_ub=bub, A_eq=Aeq.tocsr(), b_eq=beq, bounds=bounds,
                  method="highs")
    want = res.fun + const if res.status == 0 else None
    desc = "%d batteries, %d steps" % (nb, n)
    if want is None or got is None:
        ok = want is None and got is None
        print("%s %d - %s: both infeasible (HiGHS status %d, bess-optimize %d)" % (
            "ok" if ok else "not ok", case + 1, desc, res.status, r.returncode))
    else:
        ok = abs(got - want) <= 1e-6 * max(1, abs(want))
        print("%s %d - %s: objective %.6f = HiGHS %.6f" % ("ok" if ok else "not ok", case + 1,
                                                           desc, got, want))
PYEOF
