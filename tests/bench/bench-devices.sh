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
# charger with two levels and an essential load, 15 minutes, windows re-planned every step (or
# hourly) with perfect foresight. The whole year (35,040 windows) is run; beside it the general
# method (--solve cold: a new model each window, devices by branch and bound) on the first week,
# extrapolated to the year (x 52.14). Processor time is the figure, the machine being shared (no
# whole-period optimum: a week of binaries is not proved within its 60 s limit). Target: a year
# under 60 s on one core.
Y=$B/devices-year.csv
gen_office 35040 "$Y"
W=$B/devices-week.csv
head -n 673 "$Y" >"$W"
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
g() { grep -o "\"$1\":[^,}]*" "$f" | head -n 1 | cut -d: -f2-; }
for run in "cold 24h 1" "cold 24h 4" "warm 24h 1" "warm 48h 1" "warm 24h 4"; do
	set -- $run
	f=$B/dev-$1-$2-$3.json
	if [ "$1" = cold ]; then
		in=$W what="a week, --solve cold, --horizon $2, every $3"
	else
		in=$Y what="a year, --horizon $2, every $3"
	fi
	RUNS=1 measure "$what" \
	    bess-dispatch --backtest --forecast perfect --capacity 1MWh --power 500kW --horizon "$2" --every "$3" \
	    --solve "$1" --devices "$B/site.devices" --no-optimum -q --summary "$f" "$in" || exit 1
	if [ "$1" = cold ]; then
		echo "    $(g solves) windows, $(g milp_not_proved) not proved, cost $(g cost); processor $CPU s," \
		    "a year extrapolated: $(awk -v c="$CPU" 'BEGIN { printf "%.0f", c * 52.14 }') s"
	else
		echo "    $(g solves) windows ($(g milp_solves) with devices' binaries, $(g milp_not_proved) not" \
		    "proved, $(g cold_starts) cold starts), cost $(g cost); processor $CPU s (target < 60 s)"
	fi
done
echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg)"
