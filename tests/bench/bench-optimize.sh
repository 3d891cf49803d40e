#!/bin/sh
# bench-optimize.sh: bess-optimize against the same battery LP written for scipy's HiGHS
# (scipy.optimize.linprog(method='highs')), at 192 steps (arbitrage; load, solar and three
# demand-charge periods) and a year at 15 minutes (arbitrage; monthly demand charges per
# time-of-use period). Prints whole-process and in-process (solve) times, peak memory,
# both objectives and their relative difference. Never asserts.
. "$(dirname "$0")/lib.sh"

[ -x "$PY" ] && "$PY" -c 'import scipy.optimize, numpy' 2>/dev/null || {
	echo "  (no $PY with scipy: HiGHS side skipped)"; PY=""; }

# gen N LOAD: N steps of 15 min from 2025-01-06 (a Monday), deterministic prices > 0,
# and with LOAD=1 a site load and solar.
gen() {
	awk -v n="$1" -v load="$2" 'BEGIN {
		srand(42)
		t0 = 1736121600
		print (load ? "ts,price,load_kw,solar_kw" : "ts,price")
		for (i = 0; i < n; i++) {
			t = t0 + i * 900
			h = (t % 86400) / 3600
			p = 0.10 + 0.08 * sin((h - 9) / 24 * 2 * 3.14159265) + 0.05 * rand()
			ts = strftime("%Y-%m-%dT%H:%M:%SZ", t, 1)
			if (load) {
				l = 300 + 150 * sin((h - 6) / 24 * 2 * 3.14159265) + 50 * rand()
				s = (h > 6 && h < 18) ? 400 * sin((h - 6) / 12 * 3.14159265) * (0.6 + 0.4 * rand()) : 0
				printf "%s,%.5f,%.3f,%.3f\n", ts, p, l, s
			} else
				printf "%s,%.5f\n", ts, p
		}
	}'
}
gen 192 0 >"$B/arb192.csv"
gen 192 1 >"$B/site192.csv"
gen 35040 0 >"$B/arb-year.csv"
gen 35040 1 >"$B/site-year.csv"
cat >"$B/tou.tariff" <<'EOF'
# three demand periods in local time, billed monthly
timezone = Europe/Berlin
[peak]
demand = 10
when = weekday 08:00-11:00
when = weekday 17:00-21:00
[valley]
demand = 7
when = weekday 11:00-17:00
[night]
demand = 4
EOF

# The same model for HiGHS: per step c, d, s, gi, ge, u (+ m, the running peak of the step's
# month and period, a chain as in bess-optimize); balance and SOC equalities; m >= gi and
# m >= previous m of the group; cost dt (price gi - price ge) + rate * last m of each group.
cat >"$B/highs.py" <<'EOF'
import sys, time, csv
from datetime import datetime, timezone
from zoneinfo import ZoneInfo
import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

path, cap, pw, demand = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4] == "1"
rows = list(csv.DictReader(open(path)))
n = len(rows)
price = np.array([float(r["price"]) for r in rows])
load = np.array([float(r.get("load_kw") or 0) for r in rows])
solar = np.array([float(r.get("solar_kw") or 0) for r in rows])
dt = 0.25
eta = 0.9 ** 0.5
group = [-1] * n
rate = {}
if demand:
    tz = ZoneInfo("Europe/Berlin")
    keys = {}
    for t, r in enumerate(rows):
        lt = datetime.strptime(r["ts"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).astimezone(tz)
        mins = lt.hour * 60 + lt.minute
        wk = lt.weekday() < 5
        if wk and (480 <= mins < 660 or 1020 <= mins < 1260):
            p, rt = "peak", 10.0
        elif wk and 660 <= mins < 1020:
            p, rt = "valley", 7.0
        else:
            p, rt = "night", 4.0
        k = (lt.year, lt.month, p)
        group[t] = keys.setdefault(k, len(keys))
        rate[group[t]] = rt
K = 7 if demand else 6
C, D, S, GI, GE, U, M = range(7)
nv = n * K
col = lambda t, j: t * K + j
cost = np.zeros(nv)
lb = np.zeros(nv)
ub = np.full(nv, np.inf)
ei, ej, ev, beq = [], [], [], []
ui, uj, uv, bub = [], [], [], []
last = {}
for t in range(n):
    cost[col(t, GI)] = dt * price[t]
    cost[col(t, GE)] = -dt * price[t]
    ub[col(t, C)] = pw
    ub[col(t, D)] = pw
    ub[col(t, S)] = cap
    ub[col(t, U)] = max(solar[t], 0.0)
    r = len(beq)    # balance: gi - ge - c + d - u = load - solar
    for j, v in ((GI, 1), (GE, -1), (C, -1), (D, 1), (U, -1)):
        ei.append(r); ej.append(col(t, j)); ev.append(v)
    beq.append(load[t] - solar[t])
    r = len(beq)    # soc: s[t] - s[t-1] - eta dt c + dt/eta d = 0 (s[-1] = 0)
    for j, v in ((S, 1), (C, -eta * dt), (D, dt / eta)):
        ei.append(r); ej.append(col(t, j)); ev.append(v)
    if t > 0:
        ei.append(r); ej.append(col(t - 1, S)); ev.append(-1)
    beq.append(0.0)
    if demand:
        g = group[t]
        r = len(bub)    # gi - m <= 0
        ui += [r, r]; uj += [col(t, GI), col(t, M)]; uv += [1, -1]; bub.append(0.0)
        if g in last:   # m_prev - m <= 0
            r = len(bub)
            ui += [r, r]; uj += [col(last[g], M), col(t, M)]; uv += [1, -1]; bub.append(0.0)
        last[g] = t
for g, t in last.items():
    cost[col(t, M)] = rate[g]
Aeq = coo_matrix((ev, (ei, ej)), shape=(len(beq), nv)).tocsr()
Aub = coo_matrix((uv, (ui, uj)), shape=(len(bub), nv)).tocsr() if bub else None
t0 = time.perf_counter()
res = linprog(cost, A_ub=Aub, b_ub=bub if bub else None, A_eq=Aeq, b_eq=beq,
              bounds=np.column_stack([lb, ub]), method="highs")
ms = (time.perf_counter() - t0) * 1e3
print("%s %.17g %.3f" % (res.status, res.fun, ms))
EOF

BAT="--capacity 1000kWh --power 500kW --efficiency 90%"

# per_run N CMD...: mean wall time of N back-to-back runs, in seconds (for runs shorter
# than /usr/bin/time's 10 ms resolution); sets SECS
per_run() {
	_n=$1
	shift
	_a=$(date +%s%N)
	_i=0
	while [ $_i -lt "$_n" ]; do
		"$@" >/dev/null 2>&1
		_i=$((_i + 1))
	done
	SECS=$(awk -v a="$_a" -v b="$(date +%s%N)" -v n="$_n" 'BEGIN { printf "%.6f", (b - a) / 1e9 / n }')
}

# one NAME CSV DEMAND RUNS LOOP: bess-optimize and HiGHS side by side
one() {
	_name=$1 _csv=$2 _dem=$3
	_t=""
	[ "$_dem" = 1 ] && _t="--tariff $B/tou.tariff"
	echo "-- $_name ($(($(wc -l <"$_csv") - 1)) steps)"
	RUNS=$4 measure "bess-optimize" "$top/bin/bess-optimize" $BAT $_t "$_csv"
	bs=$SECS
	if [ "$5" -gt 0 ]; then
		per_run "$5" "$top/bin/bess-optimize" $BAT $_t "$_csv"
		bs=$SECS
		printf '  bess-optimize, mean of %d runs: %.1f ms\n' "$5" "$(awk -v s="$bs" 'BEGIN { print s * 1e3 }')"
	fi
	"$top/bin/bess-optimize" $BAT $_t --summary "$B/sum.json" "$_csv" >/dev/null
	bobj=$(sed 's/.*"objective":\([^,]*\),.*/\1/' "$B/sum.json")
	bms=$(sed 's/.*"solve_ms":\([^,}]*\).*/\1/' "$B/sum.json")
	bmeth=$(sed 's/.*"method":"\([^"]*\)".*/\1/' "$B/sum.json")
	if [ -n "$PY" ]; then
		RUNS=$4 measure "python3 + scipy HiGHS (same model)" "$PY" "$B/highs.py" "$_csv" 1000 500 "$_dem"
		ps=$SECS
		if [ "$5" -gt 0 ]; then
			per_run "$5" "$PY" "$B/highs.py" "$_csv" 1000 500 "$_dem"
			ps=$SECS
			printf '  python3 + HiGHS, mean of %d runs: %.1f ms\n' "$5" "$(awk -v s="$ps" 'BEGIN { print s * 1e3 }')"
		fi
		set -- $("$PY" "$B/highs.py" "$_csv" 1000 500 "$_dem")
		hobj=$2 hms=$3
		printf '  objective: bess %.10g, HiGHS %.10g, relative difference %.2g\n' "$bobj" "$hobj" \
		    "$(awk -v a="$bobj" -v b="$hobj" 'BEGIN { d = (a - b) / (b < 0 ? -b : b); print d < 0 ? -d : d }')"
		printf '  solve in-process: bess %.2f ms (%s), HiGHS %.2f ms\n' "$bms" "$bmeth" "$hms"
		ratio "$ps" "$bs" "whole process, HiGHS/bess"
		ratio "$hms" "$bms" "in-process solve, HiGHS/bess"
	else
		printf '  objective %.10g, solve %.2f ms (%s)\n' "$bobj" "$bms" "$bmeth"
	fi
}

# one NAME CSV DEMAND RUNS LOOP (LOOP > 0: also the mean of LOOP back-to-back runs)
one "192 steps, arbitrage" "$B/arb192.csv" 0 3 20
one "192 steps, load + solar + 3 demand periods" "$B/site192.csv" 1 3 20
one "a year at 15 min, arbitrage" "$B/arb-year.csv" 0 1 0
one "a year at 15 min, load + solar + monthly demand per TOU period" "$B/site-year.csv" 1 1 0

# --- negative prices: the mixed-integer model (bess-optimize(1) SIMULTANEOUS FLOWS) against the
# same model written for scipy's HiGHS (milp-highs.py, binaries on the negative-price steps),
# on prices from negprice.awk (deterministic: seed 1; a week and a month with a negative midday
# dip on half the days, a year on a quarter of them, about 1,100 negative quarters).
# Battery 2,000 kWh / 1,000 kW, 88 % round trip, from empty, end >= start.
NBAT="--capacity 2000kWh --power 1000kW --efficiency 88%"
awk -v n=672 -v seed=1 -v q=0.5 -f "$top/tests/bench/negprice.awk" >"$B/neg-week.csv"
awk -v n=2976 -v seed=1 -v q=0.5 -f "$top/tests/bench/negprice.awk" >"$B/neg-month.csv"
awk -v n=35040 -v seed=1 -v q=0.25 -f "$top/tests/bench/negprice.awk" >"$B/neg-year.csv"

# milp NAME CSV GAP [BESS OPTIONS]: bess-optimize and HiGHS to the same relative gap
milp() {
	_name=$1 _csv=$2 _gap=$3
	shift 3
	echo "-- $_name ($(($(wc -l <"$_csv") - 1)) steps, $(awk -F, 'NR > 1 && $2 < 0' "$_csv" | wc -l) negative), gap $_gap"
	RUNS=1 measure "bess-optimize" sh -c '"$@"; s=$?; [ $s -eq 0 ] || [ $s -eq 4 ]' sh \
	    "$top/bin/bess-optimize" $NBAT --mip-gap "$_gap" --summary "$B/neg.json" "$@" "$_csv"
	bs=$SECS
	printf '  bess: %s, objective %s, bound %s, gap %s, %s, time limited: %s, processor %s s\n' \
	    "$(sed 's/.*"status":"\([^"]*\)".*/\1/' "$B/neg.json")" \
	    "$(sed 's/.*"objective":\([^,]*\),.*/\1/' "$B/neg.json")" \
	    "$(sed 's/.*"milp_bound":\([^,]*\),.*/\1/' "$B/neg.json")" \
	    "$(sed 's/.*"milp_gap":\([^,]*\),.*/\1/' "$B/neg.json")" \
	    "$(sed 's/.*"method":"\([^"]*\)".*/\1/' "$B/neg.json")" \
	    "$(sed 's/.*"time_limited":\([a-z]*\).*/\1/' "$B/neg.json")" "$CPU"
	if [ -n "$PY" ] && { [ "$_csv" != "$B/neg-year.csv" ] || [ -n "${BENCH_BIG:-}" ]; }; then
		set -- $("$PY" "$top/tests/bench/milp-highs.py" "$_csv" 2000 1000 0.88 "$_gap" exclusive)
		printf '  HiGHS: status %s, objective %s, bound %s, %.2f s in-process\n' "$1" "$2" "$3" "$4"
		ratio "$4" "$bs" "HiGHS (in-process) / bess (whole process)"
	elif [ -n "$PY" ]; then
		echo "  HiGHS skipped on the year (about 400 s; BENCH_BIG=1 runs it)"
	fi
}
milp "a week at 15 min, negative prices" "$B/neg-week.csv" 1e-9
milp "a month at 15 min, negative prices" "$B/neg-month.csv" 1e-9
milp "a year at 15 min, negative prices" "$B/neg-year.csv" 1e-6 --time-limit 60s

# a year of receding-horizon control on the same year: 48 h windows, every step, each window
# a MILP where its LP uses simultaneous flows; every window must be proved (milp_not_proved 0).
# Two price forecasts: perfect (the prices known) and persistence (bess-dispatch's default: the
# day before, and on the first day the latest price held, which makes 47 h of one negative price)
for fc in perfect persistence; do
	echo "-- receding horizon: a year at 15 min, 48 h windows, every step, --forecast $fc"
	RUNS=1 measure "bess-dispatch --backtest, negative prices, $fc" "$top/bin/bess-dispatch" \
	    --backtest $NBAT --horizon 48h --forecast $fc --no-optimum --rule off -q \
	    --summary "$B/neg-bt.json" "$B/neg-year.csv"
	printf '  processor time %s s; cost %s; solves %s, with binaries %s, not proved %s\n' "$CPU" \
	    "$(grep -o '"cost":[^,]*' "$B/neg-bt.json" | head -n 1 | cut -d: -f2)" \
	    "$(grep -o '"solves":[^,]*' "$B/neg-bt.json" | cut -d: -f2)" \
	    "$(grep -o '"milp_solves":[^,]*' "$B/neg-bt.json" | cut -d: -f2)" \
	    "$(grep -o '"milp_not_proved":[^,]*' "$B/neg-bt.json" | cut -d: -f2)"
done
echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg)"
