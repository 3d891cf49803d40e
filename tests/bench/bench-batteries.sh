#!/bin/sh
# bench-batteries.sh: bess-optimize with 10 batteries (--battery) on a year at 15 minutes (35,040
# steps, 350,400 battery-steps), against the same model written for scipy's HiGHS
# (linprog(method='highs')); prints wall times, peak memory, both objectives. Never asserts.
# Then the receding-horizon backtest (bess-dispatch --backtest, 24 h windows re-solved every
# 15 minutes, warm) with 4 batteries against 1 battery of the same total size, on the first
# BENCH_BT_DAYS days (default 31) of the same year: target within 4x the one-battery time.
. "$(dirname "$0")/lib.sh"

[ -x "$PY" ] && "$PY" -c 'import scipy.optimize, numpy' 2>/dev/null || {
	echo "  (no $PY with scipy: HiGHS side skipped)"; PY=""; }

gen_sine 42 35040 "$B/bat-year.csv"
# ten batteries: capacity 50..500 kWh, power half of it, efficiency 85..94 %, cycle cost 0..0.045
set --
i=0
while [ $i -lt 10 ]; do
	set -- "$@" --battery "b$i:capacity=$((50 + 50 * i))kWh,power=$((25 + 25 * i))kW,efficiency=$((85 + i))%,soc-min=10%,soc-init=50%,cycle-cost=0.00$((i / 2))5"
	i=$((i + 1))
done
echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg)"
RUNS=1 measure "bess-optimize, 10 batteries, a year at 15 min" \
    bess-optimize --milp off "$@" --summary "$B/bat.json" "$B/bat-year.csv"
ours=$SECS
echo "  objective: $(tr ',' '\n' <"$B/bat.json" | sed -n 's/^"objective"://p'), method $(tr ',' '\n' <"$B/bat.json" | sed -n 's/^"method"://p')"
# the backtest: 4 batteries (800 kWh, 400 kW in all; efficiencies 88-92 %, one with a cycle
# cost) against one 800 kWh / 400 kW battery at 90 %
awk -v n=$((${BENCH_BT_DAYS:-31} * 96)) 'NR <= n + 1' "$B/bat-year.csv" >"$B/bat-bt.csv"
RUNS=1 measure "bess-dispatch --backtest, 1 battery, ${BENCH_BT_DAYS:-31} days" \
    bess-dispatch --backtest --capacity 800kWh --power 400kW --efficiency 90% --horizon 24h \
    --no-optimum --summary "$B/bt1.json" "$B/bat-bt.csv"
one=$SECS
RUNS=1 measure "bess-dispatch --backtest, 4 batteries" \
    bess-dispatch --backtest --efficiency 90% --battery a:capacity=200kWh,power=100kW \
    --battery b:capacity=200kWh,power=100kW,efficiency=88% \
    --battery c:capacity=200kWh,power=100kW,cycle-cost=0.01 \
    --battery d:capacity=200kWh,power=100kW,efficiency=92% --horizon 24h \
    --no-optimum --summary "$B/bt4.json" "$B/bat-bt.csv"
ratio "$SECS" "$one" "4 batteries / 1 battery wall time (target 4x)"
for f in bt1 bt4; do
	echo "  $f: $(tr ',' '\n' <"$B/$f.json" | grep -E '^"(cost|solves|pivots_per_solve|ms_per_solve|run_s)"' | tr '\n' ' ')"
done
echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg)"
[ -n "$PY" ] || exit 0
cat >"$B/bat-highs.py" <<'PYEOF'
import csv, math, sys, time
import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix
rows = list(csv.DictReader(open(sys.argv[1])))
price = np.array([float(r["price"]) for r in rows]); load = np.array([float(r["load_kw"]) for r in rows])
n, dt, nb = len(rows), 0.25, 10
t0 = time.time()
I, J, V, beq, cost, lb, ub = [], [], [], np.zeros(nb * n), np.zeros(3 * nb * n), [], []
for i in range(nb):
    cap, pw, eta, cc = 50 + 50 * i, 25 + 25 * i, math.sqrt((85 + i) / 100), float("0.00%d5" % (i // 2))
    base = 3 * n * i
    cost[base:base + n] = dt * price; cost[base + n:base + 2 * n] = dt * (cc - price)
    lb += [0] * (2 * n) + [0.1 * cap] * (n - 1) + [0.5 * cap]
    ub += [pw] * (2 * n) + [cap] * n
    for t in range(n):
        r = i * n + t
        I += [r, r, r]; J += [base + 2 * n + t, base + t, base + n + t]; V += [1, -eta * dt, dt / eta]
        if t: I.append(r); J.append(base + 2 * n + t - 1); V.append(-1)
        else: beq[r] = 0.5 * cap
A = coo_matrix((V, (I, J)), shape=(nb * n, 3 * nb * n)).tocsr()
res = linprog(cost, A_eq=A, b_eq=beq, bounds=list(zip(lb, ub)), method="highs")
print("%.6f %.2f" % (res.fun + dt * float(price @ load), time.time() - t0))
PYEOF
RUNS=1 measure "HiGHS (scipy linprog), the same LP" "$PY" "$B/bat-highs.py" "$B/bat-year.csv"
echo "  HiGHS objective and in-process time: $("$PY" "$B/bat-highs.py" "$B/bat-year.csv")"
ratio "$ours" "$SECS" "bess-optimize / HiGHS wall time"
