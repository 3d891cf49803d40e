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
done_testing
