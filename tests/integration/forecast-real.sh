#!/bin/sh
# forecast-real.sh: a year of a real building's hourly load (Cambridge b111, 2023), day-ahead forecasts
# issued at 16:00 London time, backtested; every score (n, MAE, RMSE, skill, per hour ahead) recomputed
# with awk from the forecasts themselves (--forecasts); forecast mode agrees with the backtest's forecast
# at the same issue; bess-dispatch takes every method bess-forecast has.
. "$(dirname "$0")/../lib.sh"

B111=$SHARED_REAL/load/ucam_UCam_Building_b111_electricity_2023.csv
if [ -r "$B111" ]; then
	bess-ingest --utc --interval 1h -m 'equipment load [kWh]=load_kw' "$B111" >"$T/load.csv"
	ok $? "ingest the b111 load"
	bess-forecast --backtest --tz Europe/London --at 16:00 --lead 8h --horizon 24h \
		--forecasts "$T/fc.csv" "$T/load.csv" >"$T/bt.json"
	ok $? "backtest a year, day-ahead at 16:00"
	is "$(grep -c '"lead_h":null' "$T/bt.json")" 6 "six methods scored"
	is "$(sed -n 's/.*"issues":\([0-9]*\).*/\1/p' "$T/bt.json" | sort -u)" 365 "365 issues (one a day)"

	# the scores again, in awk, from every scored forecast: column 4 is the actual, 5.. the methods
	awk -F, 'NR == 1 { for (i = 5; i <= NF; i++) { m[i] = $i; if ($i == "seasonal") ref = i }; nf = NF; next }
	{ n++; for (i = 5; i <= nf; i++) { e = $4 - $i; a[i] += (e < 0 ? -e : e); s[i] += e * e } }
	END { for (i = 5; i <= nf; i++)
		printf "%s %d %.6f %.6f %.6f\n", m[i], n, a[i] / n, sqrt(s[i] / n), 1 - a[i] / a[ref] }' "$T/fc.csv" >"$T/awk.txt"
	while read -r meth n mae rmse skill; do
		line=$(grep "\"method\":\"$meth\",\"lead_h\":null" "$T/bt.json")
		get() { echo "$line" | sed -n "s/.*\"$1\":\([^,}]*\).*/\1/p"; }
		is "$(get n)" "$n" "$meth: n as awk counts the scored targets"
		near "$(get mae)" "$mae" 2e-6 "$meth: MAE as awk computes it"
		near "$(get rmse)" "$rmse" 2e-6 "$meth: RMSE as awk computes it"
		near "$(get skill)" "$skill" 2e-6 "$meth: skill 1 - MAE/MAE(seasonal) as awk computes it"
	done <"$T/awk.txt"
	# per hour ahead: ridge 20 hours after the 16:00 issue (the next day's 12:00 in GMT, 11:00 in BST)
	want=$(TZ=UTC awk -F, 'function t(s) { gsub(/[-T:Z]/, " ", s); return mktime(s) }
		NR == 1 { for (i = 5; i <= NF; i++) if ($i == "ridge") r = i; next }
		(t($1) - t($2)) / 3600 == 20 { e = $4 - $r; a += (e < 0 ? -e : e); n++ }
		END { printf "%d %.6f", n, a / n }' "$T/fc.csv")
	line=$(grep '"method":"ridge","lead_h":20,' "$T/bt.json")
	is "$(echo "$line" | sed -n 's/.*"n":\([0-9]*\).*/\1/p')" "${want% *}" "ridge, 20 h ahead: n"
	near "$(echo "$line" | sed -n 's/.*"mae":\([^,]*\).*/\1/p')" "${want#* }" 2e-6 "ridge, 20 h ahead: MAE as awk computes it"
	best=$(grep '"lead_h":null' "$T/bt.json" | grep -v '"seasonal"' |
		sed -n 's/.*"skill":\([^,]*\).*/\1/p' | sort -g | tail -n 1)
	ok "$(awk -v s="$best" 'BEGIN { print !(s >= 0.15) }')" "the best method is at least 15 % better than seasonal naive (skill $best)"

	# forecast mode at one issue = the backtest's forecast of that issue (same history, same fit)
	bess-forecast -m ridge --tz Europe/London --issue '2023-06-14 16:00' --lead 8h --horizon 24h \
		"$T/load.csv" >"$T/one.csv"
	ok $? "a forecast issued at 2023-06-14 16:00 London"
	awk -F, 'NR == FNR { if (FNR == 1) { for (i = 5; i <= NF; i++) if ($i == "ridge") r = i; next }
		if ($2 == "2023-06-14T15:00:00Z") f[$1] = $r; next }
		FNR > 1 { d = $3 - f[$1]; if (d < 0) d = -d; if (!($1 in f) || d > 1e-6) bad++; n++ }
		END { exit !(bad == 0 && n == 24) }' "$T/fc.csv" "$T/one.csv"
	ok $? "its 24 values equal the backtest's forecast of that issue"
else
	skip "no real data in $SHARED_REAL"
fi

# bess-dispatch --forecast takes every method (one table of names); January of b111 on Agile prices
bess-ingest --utc --interval 1h -m 'equipment load [kWh]=load_kw' -o "$T/jl.csv" "$DATA/b111-load-2023-01.csv" &&
bess-ingest --utc -m 'Electricity Pricing [£/kWh]=price' -o "$T/jp.csv" "$DATA/agile-octopus-2023-01.csv" &&
bess-resample --step 1h -o "$T/site.csv" "$T/jp.csv" "$T/jl.csv"
ok $? "January site for bess-dispatch"
for m in week-profile ew-profile ridge; do
	bess-dispatch --backtest --capacity 200kWh --power 100kW --horizon 24h --forecast "price=persistence,load=$m" \
		--summary "$T/$m.json" "$T/site.csv" >/dev/null
	ok $? "bess-dispatch --forecast load=$m"
	is "$(sed -n 's/.*"forecast":"\([^"]*\)".*/\1/p' "$T/$m.json")" "price=persistence,load=$m,solar=persistence" \
		"its summary names the method"
done

# a price forecast straight into a cron run: two weeks of hourly prices, 0.1 + 0.01 h in hours 0-5,
# 0.9 in 17-20, 0.3 otherwise; persistence for the next day is the same pattern, so a 2 kWh / 1 kW
# battery, empty at 00:10, charges in the two cheapest hours (00:00 and 01:00) to sell at 0.9:
# its first command is +1 kW
awk 'BEGIN { print "ts,price"; for (i = 0; i < 14 * 24; i++) { h = i % 24
	p = h < 6 ? 0.1 + 0.01 * h : (h >= 17 && h <= 20 ? 0.9 : 0.3)
	printf "2025-01-%02dT%02d:00:00Z,%.2f\n", 1 + int(i / 24), h, p } }' >"$T/prices.csv"
bess-forecast -m persistence --plain fc -f ndjson "$T/prices.csv" >"$T/pfc.ndjson"
ok $? "tomorrow's prices as plain records"
is "$(sed -n 2p "$T/pfc.ndjson")" '{"ts":"2025-01-15T01:00:00Z","issue_ts":"2025-01-15T00:00:00Z","price":0.11}' \
	"01:00 is yesterday's 01:00 price, under 'price'"
echo '{"ts":"2025-01-15T00:05:00Z","soc_kwh":0}' >"$T/soc.ndjson"
bess-dispatch --once --state "$T/state.json" --now 2025-01-15T00:10:00Z --step 1h --horizon 24h \
	--capacity 2kWh --power 1kW "$T/pfc.ndjson" "$T/soc.ndjson" >"$T/cmd.ndjson"
ok $? "bess-dispatch --once reads them"
is "$(sed -n 's/.*"battery_kw":\([^,]*\).*/\1/p' "$T/cmd.ndjson")" 1 "it charges at 1 kW in the cheapest hour"
done_testing
