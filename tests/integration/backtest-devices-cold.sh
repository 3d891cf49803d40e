#!/bin/sh
# backtest-devices-cold.sh: bess-dispatch --backtest --devices, the fast path (one model kept warm,
# each device planned apart from the battery and the split proved) against --solve cold (a new
# model each window, devices by branch and bound) on random small sites: a battery, a sheddable
# load with min_off and min_on, one with a daily limit and hours, a two-level charger and an
# essential load; a day and a half at 30 minutes, 12 h windows re-planned every step, prices and
# loads with five decimals (no ties between plans). Equal cost, shedding cost and energy shifted
# (1e-6), and every window proved on both paths (test_lpapart checks that windows go apart).
. "$(dirname "$0")/../lib.sh"

for seed in 1 2 3 4; do
	awk -v seed="$seed" 'BEGIN {
		srand(seed); print "ts,price,load_kw"
		for (i = 0; i < 72; i++) {
			h = (i % 48) / 2
			printf "%s,%.5f,%.5f\n", strftime("%Y-%m-%dT%H:%M:%SZ", 1772409600 + i * 1800, 1),
			    0.08 + 0.1 * sin((h - 7) * 3.14159 / 12) ^ 2 + 0.06 * rand() - (rand() < 0.05 ? 0.2 : 0),
			    60 + 30 * rand()
		}
	}' >"$T/in-$seed.csv"
	awk -v seed="$seed" 'BEGIN {
		srand(seed + 100)
		printf "timezone = UTC\n[chiller]\nkind = sheddable\npower = %.1fkW\ncost = %.3f/kWh\n", 10 + 20 * rand(), 0.05 + 0.1 * rand()
		printf "min_off = %dm\nmin_on = %dm\nmax_off = 3h\n", 30 * (1 + int(3 * rand())), 30 * (1 + int(3 * rand()))
		printf "[pumps]\nkind = sheddable\npower = %.1fkW\ncost = %.3f/kWh\nmax_off = 2h\nwhen = 14:00-21:00\n", 5 + 10 * rand(), 0.04 + 0.1 * rand()
		printf "[van]\nkind = shiftable\npower = 0 3.7kW 7.4kW\nenergy = %.1fkWh\nwindow = 18:00-06:00\n", 10 + 30 * rand()
		printf "[hvac]\nkind = essential\npower = 8kW\n"
	}' >"$T/site-$seed.devices"
	for how in warm cold; do
		bess-dispatch --backtest --forecast perfect --capacity 80kWh --power 30kW --horizon 12h \
		    --solve "$how" --devices "$T/site-$seed.devices" --no-optimum -q --summary "$T/$how-$seed.json" \
		    "$T/in-$seed.csv" >/dev/null 2>"$T/$how-$seed.err"
		ok $? "site $seed: --solve $how runs"
	done
	g() { grep -o "\"$1\":[^,}]*" "$T/$2-$seed.json" | head -n 1 | cut -d: -f2-; }
	for k in cost shed_cost shift_kwh; do
		near "$(g "$k" warm)" "$(g "$k" cold)" 1e-6 "site $seed: $k $(g "$k" warm) as with --solve cold"
	done
	is "$(g milp_not_proved warm) $(g milp_not_proved cold)" "0 0" "site $seed: every window proved on both paths"
	awk -v a="$(g milp_solves warm)" -v n="$(g solves warm)" 'BEGIN { exit !(n == 72 && a > 0) }'
	ok $? "site $seed: 72 windows, $(g milp_solves warm) of them with the devices' binaries"
done
done_testing
