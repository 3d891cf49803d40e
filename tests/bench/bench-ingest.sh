#!/bin/sh
# bench-ingest.sh: CSV -> NDJSON normalisation of generated 2-second BMS telemetry,
# bess-ingest side by side with Miller (mlr --icsv --ojsonl cat); time and peak memory.
. "$(dirname "$0")/lib.sh"
ROWS=${BENCH_INGEST_ROWS:-2000000}

gen() {	# gen ROWS FILE: ts + 11 numeric BMS columns at 2 s, deterministic
	[ -s "$2" ] && return 0
	awk -v n="$1" 'BEGIN {
		srand(1)
		print "ts,soc_pct,voltage_v,current_a,cell_min_v,cell_avg_v,cell_max_v,cell_min_c,cell_avg_c,cell_max_c,soh_pct,dc_kw"
		t = 1735689600
		for (i = 0; i < n; i++)
			printf "%s,%.2f,%.2f,%.2f,%.4f,%.4f,%.4f,%.1f,%.1f,%.1f,%.1f,%.3f\n",
			    strftime("%Y-%m-%dT%H:%M:%SZ", t + 2 * i, 1), 50 + 20 * sin(i / 1000),
			    760 + rand() * 10, -120 + rand() * 240, 3.29 + rand() * 0.01,
			    3.30 + rand() * 0.01, 3.31 + rand() * 0.01, 25 + rand() * 3,
			    27 + rand() * 3, 29 + rand() * 3, 98.2, rand() * 100
	}' >"$2"
}
gen "$ROWS" "$B/bms-$ROWS.csv"
gen $((ROWS / 2)) "$B/bms-$((ROWS / 2)).csv"
echo "  input: $ROWS rows, $(($(wc -c <"$B/bms-$ROWS.csv") / 1048576)) MiB"

measure "bess-ingest -f ndjson ($ROWS rows)" bess-ingest -f ndjson "$B/bms-$ROWS.csv"
bs=$SECS bk=$KB
measure "bess-ingest -f ndjson ($((ROWS / 2)) rows)" bess-ingest -f ndjson "$B/bms-$((ROWS / 2)).csv"
hk=$KB
measure "bess-ingest -f ndjson -j 1 (one thread)" bess-ingest -j 1 -f ndjson "$B/bms-$ROWS.csv"
s1=$SECS
RUNS=1 measure "mlr --icsv --ojsonl cat ($ROWS rows)" mlr --icsv --ojsonl cat "$B/bms-$ROWS.csv"
ms=$SECS mk=$KB
ratio "$ms" "$bs" "bess-ingest speed-up over Miller (target >= 10x)"
ratio "$ms" "$s1" "the same in one thread (-j 1)"
echo "  (load average $(cut -d' ' -f1 /proc/loadavg) on $(getconf _NPROCESSORS_ONLN) processors; Miller's own runtime uses every processor)"
awk -v a="$bk" -v b="$hk" -v m="$mk" 'BEGIN {
	printf "  peak memory: %.1f MB at %d rows, %.1f MB at half (target < 16 MB, flat); Miller %.0f MB\n",
	    a / 1024, '"$ROWS"', b / 1024, m / 1024 }'
