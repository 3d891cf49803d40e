#!/bin/sh
# dispatch-replay.sh: one controller behind --backtest and --live. A backtest's own inputs are
# replayed through --live --clock events: its prices and load as forecast records, and before
# each hour the SOC the backtest reached (a state update), as a device would report it. The
# live commands are the backtest's commands, hour by hour (to 1e-4 kW: the replayed SOC is
# the trajectory's 6-decimal figure). Three days of the bundled b111 load and Agile prices,
# with perfect forecasts on both sides (the events carry the actual values), and --soc-final free
# (init means the run's first SOC in a backtest, the SOC reported at each plan live).
. "$(dirname "$0")/../lib.sh"

D=$top/data
bess-ingest --utc --interval 1h -m 'equipment load [kWh]=load_kw' "$D/b111-load-2023-01.csv" >"$T/load.csv" 2>/dev/null &&
bess-ingest --utc -m 'Electricity Pricing [£/kWh]=price' "$D/agile-octopus-2023-01.csv" >"$T/prices.csv" 2>/dev/null &&
bess-resample --step 1h "$T/prices.csv" "$T/load.csv" | head -n 73 >"$T/site.csv"
ok $? "three days of the bundled b111 load and Agile prices"
for sp in grid battery; do
	BAT="--capacity 200kWh --power 100kW --soc-init 50kWh --soc-final free --horizon 24h --setpoint $sp"
	bess-dispatch --backtest --forecast perfect $BAT --rule off --no-optimum -q "$T/site.csv" >"$T/bt.csv"
	ok $? "$sp: the backtest"
	# events: every hour's price and load, then the SOC at the start of each hour
	awk -F, -v init=50 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ ts[NR] = $1; pr[NR] = $c["price"]; ld[NR] = $c["load_kw"]; soc[NR] = $c["soc_kwh"]; n = NR }
		END {
			for (i = 2; i <= n; i++) printf "{\"ts\":\"%s\",\"price\":%s,\"load_kw\":%s}\n", ts[i], pr[i], ld[i]
			for (i = 2; i <= n; i++) printf "{\"ts\":\"%s\",\"soc_kwh\":%s}\n", ts[i], i == 2 ? init : soc[i - 1]
		}' "$T/bt.csv" >"$T/events.ndjson"
	# the forecasts all arrive at the start: --stale long enough that they stay fresh
	bess-dispatch --live --clock events --step 1h --stale 1000h $BAT <"$T/events.ndjson" >"$T/live.ndjson"
	ok $? "$sp: the same events through --live"
	# compare: the backtest's command_kw against the live battery_kw of the same hour
	sed -n 's/{"ts":"\([^"]*\)","battery_kw":\([^,]*\),.*/\1,\2/p' "$T/live.ndjson" >"$T/live.csv"
	awk -F, 'NR == FNR { if (FNR > 1) bt[$1] = $4; next }
		($1 in bt) { n++; d = $2 - bt[$1]; if (d < 0) d = -d; if (d > worst) worst = d }
		END { printf "%d %.3g\n", n, worst }' "$T/bt.csv" "$T/live.csv" >"$T/cmp"
	read -r n worst <"$T/cmp"
	is "$n" 72 "$sp: a live command for each of the 72 hours"
	near "$worst" 0 1e-4 "$sp: live commands equal the backtest's (worst difference $worst kW)"
done

# The same with demand charges and a forecast that misses: the load forecast is persistence (a
# load_fc column, the load a day before; the first day the load itself), with the default
# nowcast (4 h), amortize and grid setpoint. Live, the forecasts arrive at the start as load_kw
# records; each hour the SOC the backtest reached (the clock: the hour's planned command), then
# a meter reading of the hour's load a minute in (--follow-meter load: the command recomputed
# from the set-point, as the backtest settles the step; it is also the actual the next hour's
# nowcast reads), then the hour's import a minute before its end (the demand peaks). The
# recomputed commands are the backtest's, hour by hour.
printf 'timezone = Europe/London\n[peak]\ndemand = 10\nwhen = 16:00-19:00\n[day]\ndemand = 2\nwhen = 07:00-16:00\n' >"$T/d.tariff"
awk -F, 'NR == 1 { print $0 ",load_fc"; for (i = 1; i <= NF; i++) c[$i] = i; next }
	{ l[NR] = $c["load_kw"]; print $0 "," (NR > 25 ? l[NR - 24] : l[NR]) }' "$T/site.csv" >"$T/site-fc.csv"
BAT="--capacity 200kWh --power 100kW --soc-init 50kWh --soc-final free --horizon 24h --tariff $T/d.tariff"
bess-dispatch --backtest --forecast price=perfect,load=columns $BAT --rule off --no-optimum -q \
    --summary "$T/bt.json" "$T/site-fc.csv" >"$T/bt.csv"
ok $? "demand: the backtest (persistence load forecast, nowcast, amortize, grid setpoint)"
grep -q '"setpoint_steps":[1-9]' "$T/bt.json"
ok $? "demand: the setpoint changed some of the backtest's steps ($(grep -o '"setpoint_steps":[0-9]*' "$T/bt.json"))"
awk -F, 'NR == FNR { if (FNR > 1) fc[FNR] = $NF; next }
	FNR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	{ ts[FNR] = $1; pr[FNR] = $c["price"]; ld[FNR] = $c["load_kw"]; soc[FNR] = $c["soc_kwh"]
	  imp[FNR] = $c["grid_import_kw"]; n = FNR }
	function at(t, s,   cmd) { cmd = "date -u -d \"" t " " s " seconds\" +%Y-%m-%dT%H:%M:%SZ"; cmd | getline t; close(cmd); return t }
	END {
		for (i = 2; i <= n; i++) printf "{\"ts\":\"%s\",\"price\":%s,\"load_kw\":%s}\n", ts[i], pr[i], fc[i]
		for (i = 2; i <= n; i++) {
			printf "{\"ts\":\"%s\",\"soc_kwh\":%s}\n", ts[i], i == 2 ? 50 : soc[i - 1]
			printf "{\"ts\":\"%s\",\"load_kw\":%s}\n", at(ts[i], 60), ld[i]
			printf "{\"ts\":\"%s\",\"grid_import_kw\":%s}\n", at(ts[i], 3540), imp[i]
		}
	}' "$T/site-fc.csv" "$T/bt.csv" >"$T/events.ndjson"
bess-dispatch --live --clock events --step 1h --stale 1000h --follow-meter load $BAT \
    <"$T/events.ndjson" >"$T/live.ndjson"
ok $? "demand: the same events through --live --follow-meter load"
# the recomputed command of each hour: the records that say the net load they followed
sed -n 's/{"ts":"\([^"]*\)","battery_kw":\([^,]*\),.*"net_load_kw":[0-9.-].*/\1,\2/p' "$T/live.ndjson" >"$T/live.csv"
awk -F, 'NR == FNR { if (FNR == 1) for (i = 1; i <= NF; i++) c[$i] = i; else bt[$1] = $c["command_kw"]; next }
	($1 in bt) { n++; d = $2 - bt[$1]; if (d < 0) d = -d; if (d > worst) worst = d }
	END { printf "%d %.3g\n", n, worst }' "$T/bt.csv" "$T/live.csv" >"$T/cmp"
read -r n worst <"$T/cmp"
is "$n" 72 "demand: a recomputed live command for each of the 72 hours"
near "$worst" 0 1e-4 "demand: live commands equal the backtest's (worst difference $worst kW)"

# cron: the same hours as 72 --once runs with a state file, each given the forecasts, the
# readings of the hours before it and the SOC at its start. The state carries the peaks and the
# nowcast's kept forecasts from run to run: each run's command is the live loop's planned one.
: >"$T/once.csv"
i=0
while IFS=, read -r ts soc; do
	{ grep -v 'soc_kwh' "$T/events.ndjson" | awk -v t="$ts" -F'"' '$4 < t || index($0, "price")'
	  printf '{"ts":"%s","soc_kwh":%s}\n' "$ts" "$soc"; } >"$T/in-$i.ndjson"
	bess-dispatch --once --state "$T/cron.json" --now "$ts" --step 1h --stale 1000h $BAT \
	    "$T/in-$i.ndjson" >"$T/once.out" || break
	sed -n 's/{"ts":"\([^"]*\)","battery_kw":\([^,]*\),.*/\1,\2/p' "$T/once.out" >>"$T/once.csv"
	i=$((i + 1))
done <<EOF2
$(sed -n 's/{"ts":"\([^"]*\)","soc_kwh":\([^}]*\)}/\1,\2/p' "$T/events.ndjson")
EOF2
grep -q '"load_fc_ts":' "$T/cron.json"
ok $? "cron: the state keeps the nowcast's forecasts ($(grep -o '"load_fc_kw":[^,]*' "$T/cron.json"))"
sed -n 's/{"ts":"\([^"]*\)","battery_kw":\([^,]*\),.*"replanned":true.*/\1,\2/p' "$T/live.ndjson" >"$T/plan.csv"
awk -F, 'NR == FNR { pl[$1] = $2; next }
	($1 in pl) { n++; d = $2 - pl[$1]; if (d < 0) d = -d; if (d > worst) worst = d }
	END { printf "%d %.3g\n", n, worst }' "$T/plan.csv" "$T/once.csv" >"$T/cmp"
read -r n worst <"$T/cmp"
is "$n" 72 "cron: a command from each of the 72 runs"
near "$worst" 0 1e-9 "cron: each equals the live loop's planned command (worst difference $worst kW)"
done_testing
