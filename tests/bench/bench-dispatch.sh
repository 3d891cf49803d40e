#!/bin/sh
# bench-dispatch.sh: a one-year backtest at 15 minutes with a 48-hour horizon, re-optimising every
# step (35,040 solves of 192 steps), against rebuilding and solving every window cold and against
# the same loop in Python with scipy's HiGHS (both timed on a sample of windows and extrapolated).
. "$(dirname "$0")/lib.sh"

Y=$B/dispatch-year.csv
# a deterministic year: a daily price shape with weekly drift and noise, an office-like load
gen_office 35040 "$Y"
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
# the controller's own target: a year at 15 minutes with demand charges (the default controller,
# persistence forecasts, grid setpoint) under 15 s of CPU on one core, whatever the machine's load
/usr/bin/time -f "%U %e" -o "$B/.cpu" bess-dispatch --backtest $BAT --tariff "$B/dispatch.tariff" --no-optimum \
    --rule off -q -o /dev/null "$Y" && read -r cpu wall <"$B/.cpu" &&
    echo "  year at 15 min, demand charges, default controller: $cpu s CPU ($wall s wall, load $(cut -d' ' -f1 /proc/loadavg)); target 15 s: $(awk -v c="$cpu" 'BEGIN { print c < 15 ? "met" : "NOT met" }')"

# --- the controller on real building-years with demand charges (the table in the README and
# bess-dispatch(1)): each row a --backtest run; the share of the whole-year optimum's saving, and
# the months whose whole bill came out above the same month without the battery
B25=$SHARED_REAL/load/ucam_UCam_Building_b25_electricity_2023.csv
B111=$SHARED_REAL/load/ucam_UCam_Building_b111_electricity_2023.csv
AG=$SHARED_REAL/prices/ucam_agile_octopus_import_price_regA_2023.csv
if [ -r "$B25" ] && [ -r "$B111" ] && [ -r "$AG" ] && "$PY" -c 'import json' 2>/dev/null; then
	echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg)"
	bess-ingest --utc --interval 1h -m 'equipment load [kWh]=load_kw' "$B25" >"$B/b25.csv" 2>/dev/null
	bess-ingest --utc --interval 1h -m 'equipment load [kWh]=load_kw' "$B111" >"$B/b111.csv" 2>/dev/null
	bess-ingest --utc -m 'Electricity Pricing [£/kWh]=price' "$AG" >"$B/agile.csv" 2>/dev/null
	bess-resample --step 1h "$B/agile.csv" "$B/b111.csv" >"$B/b111-agile.csv"
	# the seed's Costa Rica rates on the site's clock; a UK-style tariff with a weekday tea-time peak
	printf 'timezone = Europe/London\nbilling = month\n[peak]\nenergy = 70\ndemand = 10154\nwhen = 10:00-17:00\n[valley]\nenergy = 26\ndemand = 7090\nwhen = 01:00-10:00\n[night]\nenergy = 16\ndemand = 4541\n' >"$B/cr-london.tariff"
	printf 'timezone = Europe/London\nbilling = month\n[peak]\nenergy = 0.30\ndemand = 12\nwhen = weekday 16:00-19:00\n[day]\nenergy = 0.20\ndemand = 4\nwhen = 07:00-16:00\nwhen = 19:00-23:00\n[night]\nenergy = 0.12\n' >"$B/uk-demand.tariff"
	cat >"$B/dispatch-table.py" <<'PY'
import csv, json, subprocess, sys
d, site, tariff = sys.argv[1:4]
common = ["--horizon", "48h", "--capacity", "200kWh", "--power", "100kW", "--efficiency", "90%",
          "--soc-min", "10%", "--soc-max", "90%", "--soc-init", "50%", "--no-export", "--rule", "off",
          "--tariff", tariff, "-q", "-o", "/dev/null", "--breakdown", d + "/t.csv", "--summary", d + "/t.json"]
rows = [
    ("persistence, old controller (--setpoint battery --nowcast off --amortize off)",
     ["--forecast", "load=persistence", "--setpoint", "battery", "--nowcast", "off", "--amortize", "off"]),
    ("persistence, --setpoint guard", ["--forecast", "load=persistence", "--setpoint", "guard"]),
    ("persistence, --nowcast off", ["--forecast", "load=persistence", "--nowcast", "off"]),
    ("persistence, --amortize off", ["--forecast", "load=persistence", "--amortize", "off"]),
    ("persistence (default: --setpoint grid, --nowcast 4h, --amortize on)", ["--forecast", "load=persistence"]),
    ("seasonal", ["--forecast", "load=seasonal"]),
    ("profile", ["--forecast", "load=profile"]),
    ("week-profile", ["--forecast", "load=week-profile"]),
    ("ew-profile", ["--forecast", "load=ew-profile"]),
    ("ridge (bess-forecast's regression, refitted hourly)", ["--forecast", "load=ridge"]),
    ("ridge, --amortize off", ["--forecast", "load=ridge", "--amortize", "off"]),
    ("perfect, 48 h windows, old controller", ["--forecast", "perfect", "--setpoint", "battery", "--nowcast", "off",
                                               "--amortize", "off"]),
    ("perfect, 48 h windows, --amortize off", ["--forecast", "perfect", "--amortize", "off"]),
    ("perfect, 48 h windows (default controller)", ["--forecast", "perfect"]),
]
opt = base = None
print("  | load forecast, controller | cost | share of the optimum's saving | months above no battery | run |")
print("  |---|---|---|---|---|")
for i, (label, args) in enumerate(rows):
    extra = [] if i == 0 else ["--no-optimum"]
    if subprocess.run(["bess-dispatch", "--backtest"] + common + extra + args + [site]).returncode:
        print("  | %s | failed | | | |" % label)
        continue
    s = json.load(open(d + "/t.json"))
    if i == 0:
        opt, base = s["optimum_cost"], s["baseline_cost"]
        print("  | none (no battery) | %.0f | 0 %% | | |" % base)
        print("  | whole-year optimum | %.0f | 100 %% | | %.1f s |" % (opt, s["optimum_s"]))
    dem, bdem = {}, {}
    for l in s["demand"]:
        dem[l["bill"]] = dem.get(l["bill"], 0) + l["cost"]
        bdem[l["bill"]] = bdem.get(l["bill"], 0) + l["rate"] * l["baseline_peak_kw"]
    worse = [m["period"] for m in csv.DictReader(open(d + "/t.csv"))
             if float(m["cost"]) + dem.get(m["period"], 0) > float(m["baseline_cost"]) + bdem.get(m["period"], 0) + 1e-6]
    print("  | %s | %.0f | %.1f %% | %s | %.1f s |" % (label, s["cost"], 100 * (base - s["cost"]) / (base - opt),
                                                    ", ".join(worse) or "none", s["run_s"]))
PY
	echo "  b25 2023 (hourly), Costa Rica rates on London time; 200 kWh / 100 kW, 90 %, SOC 10-90 %, no export, 48 h:"
	"$PY" "$B/dispatch-table.py" "$B" "$B/b25.csv" "$B/cr-london.tariff"
	echo "  b111 2023 (hourly), UK-style demand tariff; the same battery:"
	"$PY" "$B/dispatch-table.py" "$B" "$B/b111.csv" "$B/uk-demand.tariff"
	bess-dispatch --backtest --capacity 200kWh --power 100kW --horizon 24h --forecast price=persistence,load=profile \
	    --da-publish 16:00 --tz Europe/London -q -o /dev/null --summary "$B/agile.json" "$B/b111-agile.csv" &&
	    echo "  b111 + Agile, energy only, day-ahead prices at 16:00, load profile: $(field capture_pct "$B/agile.json") % of the optimum's saving (target >= 95 %)"
else
	echo "  (no real data in $SHARED_REAL, or no python3: the demand-charge table is skipped)"
fi
