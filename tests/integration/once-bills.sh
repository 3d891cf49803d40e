#!/bin/sh
# once-bills.sh: the cron controller plans against the bills so far, as a backtest's windows do.
# A tariff billed by the day with a rising energy block (import beyond 3900 kWh a day pays 0.2
# more) and an evening demand charge with a 100 % ratchet on the day before, on three days of
# the bundled b111 load and Agile prices (3 to 5 January 2023: 4036, 3806 and 3946 kWh, so the
# block is reached on the first and last day only). The backtest (perfect forecasts, every
# window solved cold, as each --once run's is) is replayed as 72 --once runs with one state
# file: each run is given the forecasts, the SOC the backtest reached at its hour, and the meter
# reading (grid_import_kw, grid_export_kw) of the hour before it, a minute before that hour's
# end, as a cron job reads its meter. The state carries each day's kWh and cost so far and each day's billed demand from run to
# run, so that each run's command is the backtest's command of that hour: the equality is the
# derivation (to 1e-4 kW: the replayed SOC is the trajectory's 6-decimal figure). That the
# bills so far matter is shown twice: the backtest's commands change without the block or
# without the ratchet, and 72 runs whose state loses the bills so far between runs differ.
. "$(dirname "$0")/../lib.sh"

D=$top/data
bess-ingest --utc --interval 1h -m 'equipment load [kWh]=load_kw' "$D/b111-load-2023-01.csv" >"$T/load.csv" 2>/dev/null &&
bess-ingest --utc -m 'Electricity Pricing [£/kWh]=price' "$D/agile-octopus-2023-01.csv" >"$T/prices.csv" 2>/dev/null &&
bess-resample --step 1h "$T/prices.csv" "$T/load.csv" >"$T/month.csv" &&
{ head -n 1 "$T/month.csv"; grep -A 71 '^2023-01-03T00' "$T/month.csv"; } >"$T/site.csv"
ok $? "three days of the bundled b111 load and Agile prices"
awk -F, 'NR > 1 { s[substr($1, 1, 10)] += $3 } END { for (d in s) if (s[d] > 3900) n++; print n }' "$T/site.csv" >"$T/n"
is "$(cat "$T/n")" 2 "the block is reached on two of the three days (awk over the load)"

printf 'timezone = UTC\nbilling = day\ntier = 3900kWh 0.2\n[peak]\ndemand = 8\nratchet = 100%%\nlookback = 1\nwhen = 16:00-20:00\n' >"$T/b.tariff"
grep -v 'ratchet\|lookback' "$T/b.tariff" >"$T/no-ratchet.tariff"
grep -v tier "$T/b.tariff" >"$T/no-block.tariff"
BAT="--capacity 200kWh --power 100kW --soc-init 50kWh --soc-final free --horizon 24h --setpoint battery"
for t in b no-ratchet no-block; do
	bess-dispatch --backtest --forecast perfect $BAT --tariff "$T/$t.tariff" --rule off --no-optimum -q \
	    --solve cold --method simplex "$T/site.csv" >"$T/bt-$t.csv"
	ok $? "the backtest, $t.tariff"
done
differ() {	# two backtests: hours whose commands differ by more than 1e-4 kW
	paste -d, "$1" "$2" | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "command_kw") c[++m] = i; next }
		{ d = $c[1] - $c[2]; if (d * d > 1e-8) n++ } END { print n + 0 }'
}
n=$(differ "$T/bt-b.csv" "$T/bt-no-ratchet.csv")
ok "$([ "$n" -gt 0 ] && echo 0 || echo 1)" "the ratchet changes the backtest's commands in $n hours"
n=$(differ "$T/bt-b.csv" "$T/bt-no-block.csv")
ok "$([ "$n" -gt 0 ] && echo 0 || echo 1)" "the block changes the backtest's commands in $n hours"

# the replay: F forecasts, S the SOC at each hour's start, M the meter a minute before its end
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	{ ts[NR] = $1; pr[NR] = $c["price"]; ld[NR] = $c["load_kw"]; soc[NR] = $c["soc_kwh"]
	  imp[NR] = $c["grid_import_kw"]; exp_[NR] = $c["grid_export_kw"]; n = NR }
	END {
		for (i = 2; i <= n; i++) printf "F %s {\"ts\":\"%s\",\"price\":%s,\"load_kw\":%s}\n", ts[i], ts[i], pr[i], ld[i]
		for (i = 2; i <= n; i++) {
			printf "S %s {\"ts\":\"%s\",\"soc_kwh\":%s}\n", ts[i], ts[i], i == 2 ? 50 : soc[i - 1]
			printf "M %s {\"ts\":\"%s\",\"grid_import_kw\":%s,\"grid_export_kw\":%s}\n", ts[i],
			    substr(ts[i], 1, 14) "59:00Z", imp[i], exp_[i]
		}
	}' "$T/bt-b.csv" >"$T/ev.txt"
replay() {	# state-file out.csv [forget]: 72 --once runs; forget: the bills so far dropped after each
	rm -f "$1"
	: >"$2"
	prev=none
	for ts in $(awk '$1 == "S" { print $2 }' "$T/ev.txt"); do
		awk -v t="$ts" -v p="$prev" '$1 == "F" || ($1 == "M" && $2 == p) || ($1 == "S" && $2 == t) { print $3 }' \
		    "$T/ev.txt" >"$T/in.ndjson"
		prev=$ts
		bess-dispatch --once --state "$1" --now "$ts" --step 1h --stale 1000h $BAT --tariff "$T/b.tariff" \
		    "$T/in.ndjson" >"$T/once.out" || return 1
		sed -n 's/{"ts":"\([^"]*\)","battery_kw":\([^,]*\),.*/\1,\2/p' "$T/once.out" >>"$2"
		if [ -n "${3:-}" ]; then
			sed 's/,"bills":.*}$/}/' "$1" >"$1.tmp" && mv "$1.tmp" "$1"
		fi
	done
}
compare() {	# once.csv: runs and the worst difference from the backtest's commands
	awk -F, 'NR == FNR { if (FNR == 1) for (i = 1; i <= NF; i++) c[$i] = i; else bt[$1] = $c["command_kw"]; next }
		($1 in bt) { n++; d = $2 - bt[$1]; if (d < 0) d = -d; if (d > worst) worst = d }
		END { printf "%d %.3g\n", n, worst }' "$T/bt-b.csv" "$1" >"$T/cmp"
}
replay "$T/cron.json" "$T/once.csv"
ok $? "72 --once runs with one state file"
compare "$T/once.csv"
read -r n worst <"$T/cmp"
is "$n" 72 "a command from each of the 72 runs"
near "$worst" 0 1e-4 "each equals the backtest's command of its hour (worst difference $worst kW)"
grep -q '"bills":"2023-01-03,2023-01-04,2023-01-05"' "$T/cron.json" &&
    grep -q '"billed_kw/2023-01-04/peak":' "$T/cron.json" && grep -q '"bill_import_kwh":' "$T/cron.json"
ok $? "the state keeps the bills so far ($(grep -o '"bill_import_kwh":[^,]*' "$T/cron.json"))"
# the last state: day 3's kWh so far is its import over hours 0-22 (awk over the backtest)
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$1 >= "2023-01-05T00" && $1 < "2023-01-05T23" { s += $c["grid_import_kw"] } END { printf "%.6f\n", s }' \
    "$T/bt-b.csv" >"$T/want"
got=$(sed -n 's/.*"bill_import_kwh":\([^,]*\),.*/\1/p' "$T/cron.json")
near "$got" "$(cat "$T/want")" 1e-6 "the day's kWh so far is the metered import of its hours before the last"

replay "$T/forget.json" "$T/forget.csv" forget
ok $? "72 --once runs that forget the bills so far between runs"
compare "$T/forget.csv"
read -r n worst <"$T/cmp"
ok "$(awk -v w="$worst" 'BEGIN { print (w > 1) ? 0 : 1 }')" "without the bills so far the commands differ (worst $worst kW)"
done_testing
