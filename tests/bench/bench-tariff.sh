#!/bin/sh
# bench-tariff.sh: bess-optimize on a month and a year of 15-minute steps (2,880 and 35,040) with
# a tariff's bill terms — two rising energy blocks, a minimum charge and an export cap per
# monthly bill — against the same tariff without them (target: within about 2x), and against
# the same model written from bess-tariff(5) for scipy's HiGHS (linprog(method='highs'), sparse).
# Prints wall and processor times, peak memory, ratios and both objectives. Never asserts.
. "$(dirname "$0")/lib.sh"

[ -x "$PY" ] && "$PY" -c 'import scipy.optimize, numpy' 2>/dev/null || {
	echo "  (no $PY with scipy: HiGHS side skipped)"; PY=""; }

awk 'BEGIN { srand(42); t0 = 1735689600; print "ts,price,load_kw,solar_kw"
	for (i = 0; i < 35040; i++) { t = t0 + i * 900; h = (t % 86400) / 3600
		p = 0.10 + 0.08 * sin((h - 9) / 24 * 2 * 3.14159265) + 0.05 * rand()
		l = 30 + 15 * sin((h - 6) / 24 * 2 * 3.14159265) + 5 * rand()
		s = h > 6 && h < 18 ? 40 * sin((h - 6) / 12 * 3.14159265) * rand() : 0
		printf "%s,%.5f,%.3f,%.3f\n", strftime("%Y-%m-%dT%H:%M:%SZ", t, 1), p, l, s } }' >"$B/tariff-year.csv"
head -n 2881 "$B/tariff-year.csv" >"$B/tariff-month.csv"
printf 'billing = month\n[all]\nexport = 0.04\n' >"$B/plain.tariff"
# a month imports about 20,000 kWh: the blocks start inside it; the minimum binds in some months
cat >"$B/terms.tariff" <<'END'
billing = month
fixed = 20
minimum = 1900
tier = 15000kWh 0.02
tier = 21000kWh 0.05
export_cap = 300kWh
[all]
export = 0.04
END
set -- --capacity 100kWh --power 50kW --efficiency 90% --self-discharge 0 --soc-final free --milp off

cat >"$B/tariff-highs.py" <<'PYEOF'
# The month or year of bench-tariff.sh as bess-tariff(5) bills it: per step c, d, S, imp, x, u;
# per monthly bill its kWh in blocks of their widths at their rates, its paid export
# (<= its export and <= the cap, at the one export price), its total >= the minimum and >=
# its charges + fixed. Minimise the bills. Prints the optimum and the time in the process.
import csv, math, sys, time
import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix
rows = list(csv.DictReader(open(sys.argv[1])))
t0 = time.time()
n, dt, cap, pw, ec = len(rows), 0.25, 100.0, 50.0, math.sqrt(0.9)
price = np.array([float(r["price"]) for r in rows])
net = np.array([float(r["load_kw"]) - float(r["solar_kw"]) for r in rows])
solar = np.array([float(r["solar_kw"]) for r in rows])
month = [int(r["ts"][5:7]) - 1 for r in rows]
nb = max(month) + 1
starts, rates = [0, 15000, 21000], [0, 0.02, 0.05]
C, D, S, IM, X, U = (k * n for k in range(6))
Y = 6 * n                  # kWh per bill and block (3 blocks)
PD = Y + 3 * nb            # paid export per bill
M = PD + nb                # total per bill
NV = M + nb
cost = np.zeros(NV); lb = np.zeros(NV); ub = np.full(NV, np.inf)
ub[C:C + n] = pw; ub[D:D + n] = pw; ub[S:S + n] = cap; ub[U:U + n] = solar
I, J, V, beq = [], [], [], np.zeros(2 * n + nb)
Iu, Ju, Vu, bub = [], [], [], []
for t in range(n):
    # SOC: S_t - S_{t-1} - ec dt c + dt d / ec = 0 (empty at the start)
    I += [t, t, t]; J += [S + t, C + t, D + t]; V += [1, -ec * dt, dt / ec]
    if t:
        I.append(t); J.append(S + t - 1); V.append(-1)
    # imp - x - u - c + d = load - solar
    r = n + t
    I += [r] * 5; J += [IM + t, X + t, U + t, C + t, D + t]; V += [1, -1, -1, -1, 1]
    beq[r] = net[t]
for b in range(nb):
    # the bill's kWh fill its blocks
    r = 2 * n + b
    ts = [t for t in range(n) if month[t] == b]
    I += [r] * len(ts); J += [IM + t for t in ts]; V += [-dt] * len(ts)
    for k in range(3):
        I.append(r); J.append(Y + 3 * b + k); V.append(1)
        if k < 2:
            ub[Y + 3 * b + k] = starts[k + 1] - starts[k]
    # paid export <= export, <= the cap
    Iu += [2 * b] * (len(ts) + 1); Ju += [PD + b] + [X + t for t in ts]; Vu += [1] + [-dt] * len(ts)
    bub.append(0)
    ub[PD + b] = 300
    # total >= energy + blocks - 0.04 paid export + fixed; total >= the minimum
    Iu += [2 * b + 1] * (len(ts) + 5); Ju += [M + b, PD + b] + [Y + 3 * b + k for k in range(3)] + [IM + t for t in ts]
    Vu += [-1, -0.04] + rates + [dt * price[t] for t in ts]
    bub.append(-20)
    lb[M + b] = 1900
    cost[M + b] = 1
Aeq = coo_matrix((V, (I, J)), shape=(2 * n + nb, NV)).tocsr()
Aub = coo_matrix((Vu, (Iu, Ju)), shape=(2 * nb, NV)).tocsr()
res = linprog(cost, A_ub=Aub, b_ub=bub, A_eq=Aeq, b_eq=beq, bounds=list(zip(lb, ub)), method="highs")
if res.status != 0:
    sys.exit("HiGHS: " + res.message)
print("%.6f %.2f" % (res.fun, time.time() - t0))
PYEOF

# cpu NAME CMD...: processor time (user + system) of one run, s (the machine is shared: wall
# times wait for a processor, the solver's own work is this)
cpu() {
	/usr/bin/time -f "%U %S" -o "$B/.cpu" "$@" >/dev/null 2>&1
	awk '{ printf "%.2f", $1 + $2 }' "$B/.cpu"
}
grep -v -e minimum -e export_cap "$B/terms.tariff" >"$B/blocks.tariff"
echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for span in month year; do
	RUNS=${RUNS:-3} measure "bess-optimize, a $span, no bill terms" \
	    bess-optimize --tariff "$B/plain.tariff" "$@" --summary "$B/tp.json" "$B/tariff-$span.csv"
	plain=$SECS
	RUNS=${RUNS:-3} measure "bess-optimize, a $span, two energy blocks" \
	    bess-optimize --tariff "$B/blocks.tariff" "$@" --summary "$B/tb.json" "$B/tariff-$span.csv"
	blocks=$SECS
	RUNS=${RUNS:-3} measure "bess-optimize, a $span, blocks, minimum, cap" \
	    bess-optimize --tariff "$B/terms.tariff" "$@" --summary "$B/tt.json" "$B/tariff-$span.csv"
	terms=$SECS
	ratio "$blocks" "$plain" "$span: with blocks / without, wall"
	ratio "$terms" "$plain" "$span: with blocks, minimum and cap / without, wall"
	cp=$(cpu bess-optimize --tariff "$B/plain.tariff" "$@" "$B/tariff-$span.csv")
	cb=$(cpu bess-optimize --tariff "$B/blocks.tariff" "$@" "$B/tariff-$span.csv")
	ct=$(cpu bess-optimize --tariff "$B/terms.tariff" "$@" "$B/tariff-$span.csv")
	echo "  $span, processor time: no terms $cp s, blocks $cb s, blocks minimum cap $ct s"
	ratio "$cb" "$cp" "$span: with blocks / without, processor time"
	ratio "$ct" "$cp" "$span: with blocks, minimum and cap / without, processor time"
	echo "  bess cost (the bills): $(tr ',' '\n' <"$B/tt.json" | sed -n 's/^"cost"://p'), method $(tr ',' '\n' <"$B/tt.json" | sed -n 's/^"method"://p')"
	[ -n "$PY" ] || continue
	RUNS=1 measure "HiGHS (scipy linprog), the same LP" "$PY" "$B/tariff-highs.py" "$B/tariff-$span.csv"
	ratio "$SECS" "$terms" "$span: HiGHS / bess-optimize wall time (blocks, minimum, cap)"
	echo "  HiGHS optimum and in-process time: $("$PY" "$B/tariff-highs.py" "$B/tariff-$span.csv")"
done
echo "  load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
