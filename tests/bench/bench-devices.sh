#!/bin/sh
# bench-devices.sh: a day at 15 minutes (96 steps) with a 100 kWh / 50 kW battery and 20 devices
# (10 sheddable with windows, daily limits and minimum on/off times, 10 shiftable with 1 to 3
# levels): bess-optimize --devices to a proved optimum, side by side with HiGHS (scipy milp) on
# the same model written from bess-devices(5) (tests/integration/devices-highs.py). Target:
# proved in under 2 s.
. "$(dirname "$0")/lib.sh"
"$PY" -c 'from scipy.optimize import milp' 2>/dev/null || { echo "  no scipy: skipped"; exit 0; }
echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$B/devices" && mkdir -p "$B/devices"
"$PY" "$top/tests/integration/devices-highs.py" --bench "$top/bin/bess-optimize" "$B/devices"

# --- a backtest with devices: a battery, two sheddable loads (one with a min_off and min_on), a
# charger with two levels and an essential load, 15 minutes, 24 h windows re-planned every step
# with perfect foresight. A week (672 windows) is run and the year extrapolated (x 52.14);
# processor time is the figure, the machine being shared (no whole-period optimum: a week of
# binaries is not proved within its 60 s limit). Target: a year under 60 s on one core.
W=$B/devices-week.csv
awk 'BEGIN {
	srand(7); print "ts,price,load_kw"
	for (i = 0; i < 672; i++) {
		h = (i % 96) / 4
		p = 0.12 + 0.06 * sin((h - 6) * 3.14159 / 12) + 0.04 * (rand() - 0.5) + 0.03 * sin(i * 6.28318 / 672)
		printf "%s,%.5f,%.2f\n", strftime("%Y-%m-%dT%H:%M:%SZ", 1672531200 + i * 900, 1), p,
		    300 + 120 * sin((h - 9) * 3.14159 / 12) + 60 * rand()
	}
}' >"$W"
cat >"$B/site.devices" <<'END'
timezone = Europe/London
[chiller]
kind = sheddable
power = 40kW
cost = 0.10/kWh
max_off = 2h
when = 15:00-20:00
min_off = 30m
min_on = 1h
[pumps]
kind = sheddable
power = 15kW
cost = 0.05/kWh
max_off = 3h
min_off = 1h
[van]
kind = shiftable
power = 0 7kW 11kW
energy = 40kWh
window = 18:00-07:00
[hvac]
kind = essential
power = 20kW
END
for ev in 1 4; do
	RUNS=1 measure "backtest, a week, 4 devices, every $ev" \
	    bess-dispatch --backtest --forecast perfect --capacity 1MWh --power 500kW --horizon 24h --every $ev \
	    --devices "$B/site.devices" --no-optimum -q --summary "$B/dev-week-$ev.json" "$W" || exit 1
	f=$B/dev-week-$ev.json
	g() { grep -o "\"$1\":[^,}]*" "$f" | head -n 1 | cut -d: -f2-; }
	echo "    $(g solves) windows, $(g milp_solves) with binaries, $(g milp_not_proved) not proved; processor $CPU s," \
	    "a year extrapolated: $(awk -v c="$CPU" 'BEGIN { printf "%.0f", c * 52.14 }') s"
done
