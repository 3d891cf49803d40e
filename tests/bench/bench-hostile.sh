#!/bin/sh
# bench-hostile.sh: peak memory of the tools on the inputs of issue 15 item 10 (sparse NDJSON keys; a large CSV, sorted and not), against the tool a user would otherwise pick (jq, GNU sort, awk).
. "$(dirname "$0")/lib.sh"
RUNS=1	# memory, not speed: one run each

# Sparse keys: 30,000 records, each a price and one of 9,990 other keys (1.7 MB).
# bess-plot took 4.3 GB and bess-optimize 4.5 GB on it (every record held every key).
S=$B/sparse.ndjson
awk 'BEGIN { for (i = 0; i < 30000; i++)
	printf "{\"ts\":\"%s\",\"price\":0.%d,\"k%d\":%d}\n", strftime("%Y-%m-%dT%H:%M:%SZ", 1672531200 + 900 * i, 1), 10 + i % 7, i % 9990, i }' >"$S"
echo "  sparse: $(wc -l <"$S" | tr -d ' ') records, 9,990 keys, $(wc -c <"$S" | tr -d ' ') bytes"
if command -v jq >/dev/null 2>&1; then
	measure "jq -c . (streams, what a user would run)" jq -c . "$S" || exit 1
	jq=$KB
else
	jq=0
	echo "  (jq not installed: no ratio)"
fi
measure "bess-ingest -f ndjson" bess-ingest -f ndjson "$S" || exit 1
ing=$KB
measure "bess-resample -s 1h (NDJSON out)" bess-resample -s 1h -f ndjson "$S" || exit 1
rs=$KB
measure "bess-plot --script" bess-plot --script "$S" || exit 1
pl=$KB
measure "bess-optimize (100 kWh, 50 kW)" bess-optimize --capacity 100kWh --power 50kW "$S" || true
op=$KB
if [ "$jq" -gt 0 ]; then
	ratio "$ing" "$jq" "peak RSS bess-ingest / jq"
	ratio "$rs" "$jq" "peak RSS bess-resample / jq"
	ratio "$pl" "$jq" "peak RSS bess-plot / jq"
	[ -n "$op" ] && ratio "$op" "$jq" "peak RSS bess-optimize / jq"
fi

# A large CSV (BENCH_BIG_MB, default 300; the issue's was 3 GB: BENCH_BIG_MB=3000), 1-second
# steps, in time order and shuffled in blocks of 1,000 for --sort.
MB=${BENCH_BIG_MB:-300}
L=$B/big.csv
awk -v mb="$MB" 'BEGIN { print "ts,load_kw,solar_kw,price"; n = int(mb * 1048576 / 45)
	for (i = 0; i < n; i++)
		printf "%s,%d.%03d,%d.%02d,0.%04d\n", strftime("%Y-%m-%dT%H:%M:%SZ", 1577836800 + i, 1), 100 + i % 400, i % 1000, i % 50, i % 100, i % 10000 }' >"$L"
{ head -n 1 "$L"; tail -n +2 "$L" | awk '{ b[NR % 1000] = $0 } NR % 1000 == 0 { for (j = 999; j >= 0; j--) print b[j] }'; } >"$B/big-shuf.csv"
echo "  large: $(($(wc -l <"$L") - 1)) records, $(wc -c <"$L" | tr -d ' ') bytes"
measure "awk (copy, what a user would run)" awk 1 "$L" || exit 1
awk_kb=$KB
measure "bess-ingest" bess-ingest "$L" || exit 1
ing=$KB
measure "bess-resample -s 1m" bess-resample -s 1m "$L" || exit 1
rs=$KB
measure "bess-plot --script (CSV on stdin)" sh -c "bess-plot --script <'$L'" || exit 1
pl=$KB
measure "GNU sort -t, -k1,1 (shuffled)" sh -c "LC_ALL=C sort -t, -k1,1 '$B/big-shuf.csv'" || exit 1
so=$KB
measure "bess-ingest --sort (shuffled)" bess-ingest --sort "$B/big-shuf.csv" || exit 1
bs=$KB
measure "bess-ingest --sort --sort-memory 64M" sh -c "bess-ingest --sort --sort-memory 64M '$B/big-shuf.csv'; true" || exit 1
ref=$KB
ratio "$ing" "$awk_kb" "peak RSS bess-ingest / awk"
ratio "$rs" "$awk_kb" "peak RSS bess-resample / awk"
ratio "$pl" "$awk_kb" "peak RSS bess-plot / awk"
ratio "$bs" "$so" "peak RSS bess-ingest --sort / GNU sort"
awk -v k="$ref" 'BEGIN { printf "  --sort-memory 64M: %.1f MB peak (it stops with an error past 64 MiB)\n", k / 1024 }'
echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -f "$L" "$B/big-shuf.csv"
