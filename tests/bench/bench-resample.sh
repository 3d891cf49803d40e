#!/bin/sh
# bench-resample.sh: 2-second BMS telemetry (11 numeric columns) to 15-minute means, bess-resample
# side by side with pandas (read_csv + resample('15min').mean()); time, peak memory, same answer.
. "$(dirname "$0")/lib.sh"
ROWS=${BENCH_RESAMPLE_ROWS:-2000000}
HALF=$((ROWS / 2))

gen() {	# gen ROWS FILE: ts + 11 numeric columns every 2 s: a rack charging, resting, discharging
	[ -s "$2" ] && return 0
	awk -v n="$1" 'BEGIN {
		srand(7)
		print "ts,soc_pct,voltage_v,current_a,battery_kw,cell_min_v,cell_avg_v,cell_max_v,cell_min_c,cell_avg_c,cell_max_c,soh_pct"
		t0 = 1704067200; soc = 50
		for (i = 0; i < n; i++) {
			t = t0 + 2 * i; h = int((t % 86400) / 3600)
			cur = (h < 6 ? 80 : (h >= 17 && h < 21 ? -95 : 0)) + (rand() - 0.5) * 4
			soc += cur * 2 / 3600 / 2.8; if (soc > 100) soc = 100; if (soc < 0) soc = 0
			v = 720 + soc * 0.9 + cur * 0.05
			printf "%s,%.2f,%.1f,%.2f,%.3f,%.3f,%.3f,%.3f,%.1f,%.1f,%.1f,%.1f\n",
			    strftime("%Y-%m-%dT%H:%M:%SZ", t, 1), soc, v, cur, v * cur / 1000,
			    v / 225 - 0.01, v / 225, v / 225 + 0.012, 24 + rand(), 25.5 + rand(),
			    27 + rand(), 97.4
		}
	}' >"$2"
}
gen "$ROWS" "$B/bms-rs-$ROWS.csv"
gen "$HALF" "$B/bms-rs-$HALF.csv"
echo "  input: $ROWS rows x 12 columns, $(($(wc -c <"$B/bms-rs-$ROWS.csv") / 1048576)) MiB"

cat >"$B/resample.py" <<'EOF'
import sys
import pandas as pd
df = pd.read_csv(sys.argv[1], parse_dates=['ts'])
df.set_index('ts').resample('15min').mean().to_csv(sys.argv[2], float_format='%.12g',
    date_format='%Y-%m-%dT%H:%M:%SZ')
EOF

measure "bess-resample --agg mean ($ROWS rows)" \
	bess-resample --step 15m --agg mean -o "$B/rs-bess.csv" "$B/bms-rs-$ROWS.csv"
bs=$SECS bk=$KB
measure "bess-resample --agg mean ($HALF rows)" \
	bess-resample --step 15m --agg mean "$B/bms-rs-$HALF.csv"
hk=$KB
measure "bess-resample --agg mean -j 1 (one thread)" \
	bess-resample -j 1 --step 15m --agg mean "$B/bms-rs-$ROWS.csv"
b1=$SECS
measure "bess-resample --agg mean -j 2 (two threads)" \
	bess-resample -j 2 --step 15m --agg mean "$B/bms-rs-$ROWS.csv"
b2=$SECS
measure "bess-resample, default functions ($ROWS rows)" \
	bess-resample --step 15m --max-gap 10s --coverage "$B/bms-rs-$ROWS.csv"
RUNS=1 measure "pandas read_csv + resample().mean() ($ROWS)" \
	"$PY" "$B/resample.py" "$B/bms-rs-$ROWS.csv" "$B/rs-pandas.csv"
ps=$SECS pk=$KB
ratio "$ps" "$bs" "bess-resample speed-up over pandas (target >= 20x)"
ratio "$ps" "$b1" "the same in one thread (-j 1)"
ratio "$ps" "$b2" "the same in two threads (-j 2)"
load_note "the default uses one thread per processor"
flat_memory "$bk" "$ROWS" "$hk" "$HALF" "$pk"
# processor time (user + system) of one run each: less sensitive than wall time to a busy machine
cpu() { /usr/bin/time -f "%U %S" -o "$B/.cpu" "$@" >/dev/null 2>&1; awk '{ print $1 + $2 }' "$B/.cpu"; }
bc=$(cpu bess-resample -j 1 --step 15m --agg mean "$B/bms-rs-$ROWS.csv")
pc=$(cpu "$PY" "$B/resample.py" "$B/bms-rs-$ROWS.csv" "$B/rs-pandas2.csv")
awk -v b="$bc" -v p="$pc" 'BEGIN { printf "  processor time: bess-resample -j 1 %.2f s, pandas %.2f s: %.1fx\n", b, p, p / (b > 0 ? b : 0.005) }'
# the same answer: every 15-minute mean of every column within 1e-9 (relative)
awk -F, 'NR == FNR { if (FNR > 1) for (i = 2; i <= NF; i++) w[$1, i] = $i; next }
FNR > 1 { n++; for (i = 2; i <= NF; i++) { d = $i - w[$1, i]; if (d < 0) d = -d
	m = $i < 0 ? -$i : $i; if (d > 1e-9 * (m > 1 ? m : 1)) bad++ } }
END { printf "  same means as pandas: %d intervals x 11 columns, %d differ\n", n, bad }' \
	"$B/rs-pandas.csv" "$B/rs-bess.csv"
