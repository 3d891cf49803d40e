#!/bin/sh
# bench-dispatch.sh: a one-year backtest at 15 minutes with a 48-hour horizon, re-optimising every
# step (35,040 solves of 192 steps), against rebuilding and solving every window cold and against
# the same loop in Python with scipy's HiGHS (both timed on a sample of windows and extrapolated).
. "$(dirname "$0")/lib.sh"

Y=$B/dispatch-year.csv
# a deterministic year: a daily price shape with weekly drift and noise, an office-like load
awk 'BEGIN {
	srand(7); print "ts,price,load_kw"
	for (i = 0; i < 35040; i++) {
		h = (i % 96) / 4
		p = 0.12 + 0.06 * sin((h - 6) * 3.14159 / 12) + 0.04 * (rand() - 0.5) + 0.03 * sin(i * 6.28318 / 672)
		printf "%s,%.5f,%.2f\n", strftime("%Y-%m-%dT%H:%M:%SZ", 1672531200 + i * 900, 1), p,
		    300 + 120 * sin((h - 9) * 3.14159 / 12) + 60 * rand()
	}
}' >"$Y"
printf 'timezone = Europe/London\n[peak]\ndemand = 12\nwhen = weekday 16:00-19:00\n[day]\ndemand = 4\nwhen = 07:00-16:00\n[night]\ndemand = 1\n' >"$B/dispatch.tariff"
echo "  input: $(($(wc -l <"$Y") - 1)) steps of 15 minutes; battery 1 MWh / 500 kW, 90 % round trip; horizon 48 h (192 steps)"
BAT="--capacity 1MWh --power 500kW --horizon 48h"
# field NAME FILE: a number from the summary line
field() { grep -o "\"$1\":[^,}]*" "$2" | head -n 1 | cut -d: -f2-; }

RUNS=1 measure "bess-dispatch, year, every step, arbitrage" \
    bess-dispatch --backtest --forecast perfect $BAT --no-optimum --rule off -q --summary "$B/d-arb.json" "$Y" || exit 1
arb=$SECS
RUNS=1 measure "bess-dispatch, year, every step, 3 demand periods" \
    bess-dispatch --backtest --forecast perfect $BAT --tariff "$B/dispatch.tariff" --no-optimum --rule off -q \
    --summary "$B/d-dem.json" "$Y" || exit 1
dem=$SECS
for k in arb dem; do
	f=$B/d-$k.json
	echo "    $k: $(field solves "$f") solves, $(field pivots_per_solve "$f") pivots and $(field ms_per_solve "$f") ms in GLPK a solve, loop $(field run_s "$f") s"
done
RUNS=1 measure "the same, with the whole-year optimum and the rule" \
    bess-dispatch --backtest --forecast perfect $BAT --tariff "$B/dispatch.tariff" -q --summary "$B/d-all.json" "$Y" || exit 1
echo "    optimum: $(field optimum_cost "$B/d-all.json") in $(field optimum_s "$B/d-all.json") s ($(sed -n 's/.*"optimum_method":"\([^"]*\)".*/\1/p' "$B/d-all.json")), loop $(field cost "$B/d-all.json"), capture $(field capture_pct "$B/d-all.json") %"

# a sample: 500 full windows (692 steps), warm against a new model solved cold every step
head -n 693 "$Y" >"$B/dispatch-sample.csv"
measure "sample of 692 steps, warm (one model)" \
    bess-dispatch --backtest --forecast perfect $BAT --no-optimum --rule off -q --summary "$B/s-warm.json" "$B/dispatch-sample.csv" || exit 1
swarm=$SECS
measure "sample of 692 steps, cold (auto: interior point)" \
    bess-dispatch --backtest --forecast perfect $BAT --solve cold --no-optimum --rule off -q --summary "$B/s-cold.json" "$B/dispatch-sample.csv" || exit 1
scold=$SECS
measure "sample of 692 steps, cold (dual simplex)" \
    bess-dispatch --backtest --forecast perfect $BAT --solve cold --method simplex --no-optimum --rule off -q "$B/dispatch-sample.csv" || exit 1
ssimp=$SECS
measure "sample, 3 demand periods, cold (auto)" \
    bess-dispatch --backtest --forecast perfect $BAT --tariff "$B/dispatch.tariff" --solve cold --no-optimum --rule off -q \
    "$B/dispatch-sample.csv" || exit 1
sdcold=$SECS
awk -v w="$swarm" -v c="$scold" -v s="$ssimp" -v dc="$sdcold" -v a="$arb" -v d="$dem" 'BEGIN {
	f = 35040 / 692
	printf "  cold, extrapolated to the year (x %.1f): auto %.0f s, simplex %.0f s, with demand charges %.0f s\n", f, c * f, s * f, dc * f
	printf "  warm year / cold year: arbitrage %.1fx faster (auto), %.1fx (simplex); demand %.1fx\n", c * f / a, s * f / a, dc * f / d
}'

# the same loop in Python with scipy's HiGHS: 200 windows, extrapolated
if "$PY" -c 'import scipy.optimize' 2>/dev/null; then
	cat >"$B/dispatch-loop.py" <<'PY'
import sys, time
import numpy as np
from scipy.optimize import linprog
from scipy.sparse import lil_matrix
path, nwin = sys.argv[1], int(sys.argv[2])
price = np.loadtxt(path, delimiter=",", skiprows=1, usecols=(1,))
load = np.loadtxt(path, delimiter=",", skiprows=1, usecols=(2,))
H, dt, cap, P = 192, 0.25, 1000.0, 500.0
ec = ed = 0.9 ** 0.5
# variables per window: c[0..H), d[0..H), s[0..H); s_t - s_{t-1} - ec dt c_t + dt/ed d_t = 0
A = lil_matrix((H, 3 * H))
for t in range(H):
    A[t, 2 * H + t] = 1
    if t:
        A[t, 2 * H + t - 1] = -1
    A[t, t] = -ec * dt
    A[t, H + t] = dt / ed
A = A.tocsr()
bounds = [(0, P)] * (2 * H) + [(0, cap)] * H
soc, cost, t0 = 0.0, 0.0, time.perf_counter()
for k in range(nwin):
    p = price[k:k + H]
    c = np.concatenate([dt * p, -dt * p, np.zeros(H)])
    b = np.zeros(H)
    b[0] = soc
    bnd = list(bounds)
    bnd[3 * H - 1] = (0.0, cap)     # ends at least where the run started (empty)
    r = linprog(c, A_eq=A, b_eq=b, bounds=bnd, method="highs")
    ch, dis = r.x[0], r.x[H]
    soc += ec * dt * ch - dt * dis / ed
    cost += p[0] * (load[k] + ch - dis) * dt
el = time.perf_counter() - t0
print("%.6f %.6f %.6f" % (el, el / nwin * 1000, cost))
PY
	"$PY" "$B/dispatch-loop.py" "$Y" 200 >"$B/py.out" 2>"$B/py.err" || { echo "  python failed:"; tail -3 "$B/py.err"; }
	if read -r pys pyms pycost <"$B/py.out"; then
		bess-dispatch --backtest --forecast perfect $BAT --no-optimum --rule off -q "$B/dispatch-sample.csv" |
		    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } NR <= 201 { s += $c["cost"] }
		    END { printf "%.6f\n", s }' >"$B/bess200"
		echo "  python3 + scipy HiGHS, same loop (arbitrage), 200 windows: $pys s, $pyms ms a solve"
		awk -v ms="$pyms" -v a="$arb" 'BEGIN { y = ms * 35040 / 1000
			printf "  python extrapolated to the year: %.0f s; / bess warm: %.0fx\n", y, y / a }'
		echo "  realised cost of the first 200 steps: python $pycost, bess $(cat "$B/bess200") (equal up to ties in degenerate windows)"
	fi
else
	echo "  python3-scipy not installed: the HiGHS comparison is skipped"
fi
awk -v s="$arb" -v d="$dem" 'BEGIN { printf "  target: 35,040 solves under 60 s on one core: %.1f s arbitrage, %.1f s demand charges (%s)\n", s, d, s < 60 && d < 60 ? "met" : "NOT met" }'
