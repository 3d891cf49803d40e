#!/bin/sh
# dispatch-real.sh: a year of a real building (Cambridge b111 hourly load, 2023) on a real dynamic
# retail tariff (Agile Octopus region A, same hours), joined with bess-resample, backtested with every forecast method and
# checked independently: physics per step and costs rebuilt with awk over the trajectory, the
# no-battery cost from the raw columns, every method against the LP relaxation's lower bound
# (bess-optimize --milp off), forecast columns made in awk equal to the built-in persistence.
. "$(dirname "$0")/../lib.sh"

AG=$SHARED_REAL/prices/ucam_agile_octopus_import_price_regA_2023.csv
B111=$SHARED_REAL/load/ucam_UCam_Building_b111_electricity_2023.csv
[ -r "$AG" ] && [ -r "$B111" ] || skip_all "no real data in $SHARED_REAL"

# field NAME FILE: a number or string from a one-line JSON summary
field() { grep -o "\"$1\":[^,}]*" "$2" | head -n 1 | cut -d: -f2- | tr -d '"'; }

bess-ingest --utc -m 'Electricity Pricing [£/kWh]=price' "$AG" >"$T/ag.csv"
ok $? "ingest the Agile prices"
bess-ingest --utc --interval 1h -m 'equipment load [kWh]=load_kw' "$B111" >"$T/load.csv"
ok $? "ingest the b111 load (kWh per hour = mean kW)"
# join on one hourly grid with bess-resample (the README's walkthrough), checked against a join in awk
bess-resample --step 1h "$T/ag.csv" "$T/load.csv" >"$T/site.csv"
ok $? "bess-resample joins prices and load"
awk -F, 'NR == FNR { if (FNR > 1) l[$1] = $2; next }
	FNR == 1 { print "ts,price,load_kw"; next }
	($1 in l) { print $1 "," $2 "," l[$1] }' "$T/load.csv" "$T/ag.csv" >"$T/awk-join.csv"
awk -F, 'NR == FNR { a[FNR] = $0; n = FNR; next }
	{ split(a[FNR], x, ","); if (x[1] != $1 || x[2] + 0 != $2 + 0 || x[3] + 0 != $3 + 0) bad++ }
	END { exit !(bad == 0 && n == FNR && n == 8761) }' "$T/awk-join.csv" "$T/site.csv"
ok $? "the joined site is the 8760 hours of both files, as a join in awk finds them"
# forecast columns made here: the value 24 hours earlier (empty for the first day), which is
# exactly what the built-in persistence forecast uses for a 24-hour horizon
awk -F, 'NR == 1 { print $0 ",price_fc,load_fc"; next }
	{ i = NR - 2; p[i] = $2; l[i] = $3
	  print $0 "," (i >= 24 ? p[i - 24] : "") "," (i >= 24 ? l[i - 24] : "") }' "$T/site.csv" >"$T/site-fc.csv"

BAT="--capacity 200kWh --power 100kW --horizon 24h"
# the LP relaxation (charging and discharging at once allowed): no schedule costs less
bess-optimize --capacity 200kWh --power 100kW --milp off --summary "$T/lp.json" "$T/site.csv" >/dev/null
ok $? "LP relaxation of the whole year (bess-optimize --milp off)"
bound=$(field objective "$T/lp.json")
baseline=$(awk -F, 'NR > 1 { s += $2 * $3 } END { printf "%.6f", s }' "$T/site.csv")

# check NAME TRAJECTORY SUMMARY: physics and costs of one run
check() {
	awk -F, -v cap=200 -v p=100 'BEGIN { eta = sqrt(0.9) }
	NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	{
		ch = $c["charge_kw"]; dis = $c["discharge_kw"]; soc = $c["soc_kwh"]
		imp = $c["grid_import_kw"]; exp_ = $c["grid_export_kw"]; pr = $c["price"]
		e = soc - prev - (eta * ch - dis / eta); if (e < 0) e = -e; if (e > bad_soc) bad_soc = e
		b = imp - exp_ - ($c["load_kw"] + ch - dis); if (b < 0) b = -b; if (b > bad_bal) bad_bal = b
		if (soc < -1e-6 || soc > cap + 1e-6 || ch > p + 1e-6 || dis > p + 1e-6) out++
		if (imp > 1e-6 && exp_ > 1e-6) both++
		cost += pr * imp - pr * exp_
		prev = soc
	}
	END { printf "%.3g %.3g %d %d %.6f\n", bad_soc, bad_bal, out, both, cost }' "$2" >"$T/chk"
	read -r bad_soc bad_bal out both cost <"$T/chk"
	near "$bad_soc" 0 2e-5 "$1: the SOC equation holds in every step"
	near "$bad_bal" 0 2e-5 "$1: the power balance holds in every step"
	is "$out $both" "0 0" "$1: SOC and power within limits, never importing and exporting at once"
	near "$cost" "$(field cost "$3")" 0.05 "$1: cost rebuilt from price x grid ($cost)"
	near "$(field baseline_cost "$3")" "$baseline" 0.01 "$1: no-battery cost = sum of price x load"
	awk -v z="$(field cost "$3")" -v b="$bound" 'BEGIN { exit !(z >= b - 1e-6 * (b < 0 ? -b : b)) }'
	ok $? "$1: not below the LP relaxation's bound ($bound)"
	is "$(field steps "$3")" 8760 "$1: 8760 steps"
	is "$(field clips "$3")" 0 "$1: the simulator clipped nothing"
}

for m in perfect persistence seasonal profile; do
	bess-dispatch --backtest $BAT --forecast $m --summary "$T/$m.json" "$T/site.csv" >"$T/$m.csv"
	ok $? "backtest with $m forecasts"
	check "$m" "$T/$m.csv" "$T/$m.json"
done
# perfect foresight over 24 hours never does worse than no battery (each window's plan, shifted
# and extended by an idle hour, is a candidate for the next window)
awk -v z="$(field cost "$T/perfect.json")" -v b="$baseline" 'BEGIN { exit !(z <= b + 1e-6) }'
ok $? "perfect foresight: no worse than no battery"

bess-dispatch --backtest $BAT --forecast columns --summary "$T/columns.json" "$T/site-fc.csv" >"$T/columns.csv"
ok $? "backtest with forecast columns (yesterday's values, made in awk)"
near "$(field cost "$T/columns.json")" "$(field cost "$T/persistence.json")" 1e-6 \
    "forecast columns of yesterday's values = the built-in persistence forecast"

# prices published day-ahead at 16:00 London time (as Agile's are), load from the 7-day profile
bess-dispatch --backtest $BAT --forecast price=persistence,load=profile --da-publish 16:00 \
    --tz Europe/London --breakdown "$T/months.csv" --summary "$T/da.json" "$T/site.csv" >"$T/da.csv"
ok $? "backtest with day-ahead prices and a load profile"
check "day-ahead" "$T/da.csv" "$T/da.json"
is "$(($(wc -l <"$T/months.csv") - 1))" 12 "the monthly breakdown has 12 months"
near "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } { s += $c["cost"] } END { printf "%.6f", s }' "$T/months.csv")" \
    "$(field cost "$T/da.json")" 0.01 "the months' costs add up to the year's"

# the figures (for the record)
for m in perfect persistence seasonal profile columns da; do
	f=$T/$m.json
	echo "# $m: cost $(field cost "$f"), no battery $(field baseline_cost "$f"), optimum $(field optimum_cost "$f") ($(field optimum_method "$f")), rule $(field rule_cost "$f"), capture $(field capture_pct "$f") %, cycles $(field cycles "$f"), $(field solves "$f") solves in $(field run_s "$f") s"
done
done_testing
