#!/bin/sh
# bench-forecast.sh: day-ahead load forecasts issued at 16:00 for the next local day, a year rolling,
# on the real loads (two Cambridge buildings, an Ausgrid customer): every bess-forecast method against
# seasonal naive and against statsmodels' Holt-Winters (ExponentialSmoothing, additive weekly season,
# fitted at each issue time); speed against the statsmodels loop; peak memory for 1 and 8 years.
. "$(dirname "$0")/lib.sh"
L=$SHARED_REAL/load
EVERY=${BENCH_FORECAST_EVERY:-5}	# statsmodels at every 5th issue day (all weekdays; ~0.3-0.9 s a fit)
WEEKS=8					# weeks of history each Holt-Winters fit sees
if [ ! -r "$L/ucam_UCam_Building_b111_electricity_2023.csv" ]; then
	echo "  no real load data in $L: skipped"
	exit 0
fi
echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg)"
bess-ingest --utc --interval 1h -m 'equipment load [kWh]=load_kw' -o "$B/fc-b111.csv" \
	"$L/ucam_UCam_Building_b111_electricity_2023.csv" &&
bess-ingest --utc --interval 1h -m 'equipment load [kWh]=load_kw' -o "$B/fc-b25.csv" \
	"$L/ucam_UCam_Building_b25_electricity_2023.csv" &&
bess-ingest --tz Australia/Sydney --dst-gap skip --dst-fold earlier -t 1 -m GC=load_kw -m GG=solar_kw \
	-o "$B/fc-ag30.csv" "$L/ausgrid_customer12_data_2011-2012.csv" &&
bess-resample --step 1h -o "$B/fc-ausgrid.csv" "$B/fc-ag30.csv" || { echo "  bench: ingest failed"; exit 1; }

cat >"$B/hw.py" <<'PY'
# hw.py HISTORY FORECASTS EVERY WEEKS LEAD H: Holt-Winters at every EVERY-th issue of a
# bess-forecast --backtest --forecasts file, fitted on the WEEKS weeks before it; MAE of every
# method on the same targets
import sys, time, warnings
import numpy as np, pandas as pd
from statsmodels.tsa.holtwinters import ExponentialSmoothing
warnings.filterwarnings("ignore")
hist, fcf = sys.argv[1], sys.argv[2]
every, weeks, lead, h = (int(a) for a in sys.argv[3:7])
y = pd.read_csv(hist, usecols=['ts', 'load_kw'])
y['ts'] = pd.to_datetime(y['ts'], utc=True)
y = y.set_index('ts')['load_kw'].asfreq('1h')
fc = pd.read_csv(fcf)
for c in ('ts', 'issue_ts'):
    fc[c] = pd.to_datetime(fc[c], utc=True)
issues = sorted(fc['issue_ts'].unique())[::every]
fc = fc[fc['issue_ts'].isin(issues)].copy()
hw, fits, t0 = {}, 0, time.time()
for it in issues:
    it = pd.Timestamp(it)
    past = y[:it - pd.Timedelta(hours=1)].iloc[-weeks * 168:]
    if len(past) < 2 * 168:
        continue
    past = past.interpolate(limit_direction='both')   # it takes no gaps
    f = ExponentialSmoothing(past.values, trend=None, seasonal='add',
                             seasonal_periods=168).fit().forecast(lead + h)
    fits += 1
    for j in range(h):
        hw[(it, it + pd.Timedelta(hours=lead + j))] = f[lead + j]
secs = time.time() - t0
fc['holt-winters'] = [hw.get((a, b), np.nan) for a, b in zip(fc['issue_ts'], fc['ts'])]
fc = fc.dropna(subset=['holt-winters'])
print("fits %d %.3f %d" % (fits, secs, len(fc)))
for m in fc.columns[4:]:
    print("%s %.6f" % (m, (fc['actual'] - fc[m]).abs().mean()))
PY

have_sm=0
$PY -c 'import statsmodels, pandas' 2>/dev/null && have_sm=1
[ $have_sm = 1 ] || echo "  python3-statsmodels not installed: the Holt-Winters column is skipped"

# field KEY: from NDJSON lines on stdin, per line
echo
echo "  MAE (kW) of day-ahead forecasts issued daily at 16:00 local for the next local day, a year;"
echo "  skill = 1 - MAE/MAE(seasonal); 'sub' = the same on every ${EVERY}th issue day, where Holt-Winters"
echo "  ($WEEKS weeks of history, additive weekly season) is fitted too"
hwsecs=0 hwfits=0
for site in b111:Europe/London b25:Europe/London ausgrid:Australia/Sydney; do
	name=${site%%:*} zone=${site#*:}
	bess-forecast --backtest --tz "$zone" --at 16:00 --lead 8h --horizon 24h --column load_kw \
		--forecasts "$B/fc-$name-fc.csv" -o "$B/fc-$name.json" "$B/fc-$name.csv" ||
		{ echo "  bench: bess-forecast failed"; exit 1; }
	: >"$B/fc-$name-hw.txt"
	if [ $have_sm = 1 ]; then
		$PY "$B/hw.py" "$B/fc-$name.csv" "$B/fc-$name-fc.csv" "$EVERY" "$WEEKS" 8 24 >"$B/fc-$name-hw.txt" ||
			{ echo "  bench: statsmodels failed"; exit 1; }
		read -r _ f s n <"$B/fc-$name-hw.txt"
		hwfits=$((hwfits + f))
		hwsecs=$(awk -v a="$hwsecs" -v b="$s" 'BEGIN { print a + b }')
	fi
	echo
	echo "  $name ($zone), $(grep -c '"lead_h":null' "$B/fc-$name.json") methods, $(sed -n 's/.*"issues":\([0-9]*\).*/\1/p' "$B/fc-$name.json" | head -n 1) issues"
	grep '"lead_h":null' "$B/fc-$name.json" | awk -v hwf="$B/fc-$name-hw.txt" '
	BEGIN {
		while ((getline l < hwf) > 0) { split(l, a, " "); if (a[1] != "fits") sb[a[1]] = a[2] }
		printf "  %-14s %9s %7s %9s %7s %7s\n", "method", "MAE", "skill", "MAE sub", "<=P10", "<=P90"
	}
	{
		m = $0; sub(/.*"method":"/, "", m); sub(/".*/, "", m)
		mae = $0; sub(/.*"mae":/, "", mae); sub(/,.*/, "", mae)
		sk = $0; sub(/.*"skill":/, "", sk); sub(/,.*/, "", sk)
		p10 = $0; sub(/.*"cover_p10":/, "", p10); sub(/,.*/, "", p10)
		p90 = $0; sub(/.*"cover_p90":/, "", p90); sub(/[,}].*/, "", p90)
		printf "  %-14s %9.4f %7.3f %9s %7.3f %7.3f\n", m, mae, sk, (m in sb) ? sprintf("%.4f", sb[m]) : "-", p10, p90
		if (m != "seasonal" && (best == "" || mae + 0 < bm)) { best = m; bm = mae + 0 }
		if (m == "seasonal") ref = mae + 0
	}
	END {
		if ("holt-winters" in sb)
			printf "  %-14s %9s %7s %9.4f\n", "holt-winters", "-", "-", sb["holt-winters"]
		printf "  best: %s, %.1f %% better than seasonal naive", best, 100 * (1 - bm / ref)
		if ("holt-winters" in sb)
			printf "; on the subsample %.1f %% better than Holt-Winters", 100 * (1 - sb[best] / sb["holt-winters"])
		printf "\n"
	}'
done

echo
echo "  speed: a year of hourly history (b111), issued daily at 16:00 (365 issues)"
RUNS=3 measure "bess-forecast --backtest -m ridge" bess-forecast --backtest -m ridge --tz Europe/London \
	--at 16:00 --lead 8h --horizon 24h "$B/fc-b111.csv"
rs=$SECS
RUNS=3 measure "bess-forecast --backtest (all 6 methods)" bess-forecast --backtest --tz Europe/London \
	--at 16:00 --lead 8h --horizon 24h "$B/fc-b111.csv"
if [ "$hwfits" -gt 0 ]; then
	per=$(awk -v s="$hwsecs" -v f="$hwfits" 'BEGIN { printf "%.3f", s / f }')
	year=$(awk -v p="$per" 'BEGIN { printf "%.1f", p * 365 }')
	echo "  statsmodels Holt-Winters: $hwfits fits in $hwsecs s, $per s a fit: 365 fits ~ $year s (extrapolated)"
	ratio "$year" "$rs" "statsmodels loop (365 fits, extrapolated) / bess-forecast ridge (365 fits)"
fi

echo
echo "  memory: the same backtest on 1 and 8 years of synthetic hourly load"
for y in 1 8; do
	[ -s "$B/fc-syn-$y.csv" ] || awk -v n=$((y * 8760)) 'BEGIN {
		srand(3); print "ts,load_kw"
		for (i = 0; i < n; i++) { t = 1577836800 + 3600 * i; h = int((t % 86400) / 3600); d = int(t / 86400) % 7
			printf "%s,%.3f\n", strftime("%Y-%m-%dT%H:%M:%SZ", t, 1), 50 + (d < 5 ? 30 : 0) * (h >= 8 && h < 18) + 5 * rand() }
	}' >"$B/fc-syn-$y.csv"
	RUNS=1 measure "bess-forecast --backtest, $y year(s)" bess-forecast --backtest --at 16:00 --lead 8h \
		--horizon 24h "$B/fc-syn-$y.csv"
done
