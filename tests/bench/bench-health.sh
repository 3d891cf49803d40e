#!/bin/sh
# bench-health.sh: health checks over 2 million rows of 2-second BMS telemetry (two racks, the
# faults of health-gen.awk in the first hours), bess-health side by side with the same rules in
# pandas with rolling windows; time, peak memory, the events each finds. Then bess-ingest --end
# on the same file: the time taken follows the part read.
. "$(dirname "$0")/lib.sh"
ROWS=${BENCH_HEALTH_ROWS:-2000000}
STEPS=$((ROWS / 2))
F="$B/health-$ROWS.csv"
[ -s "$F" ] || awk -v n="$STEPS" -v pcs=0 -v faults=1 -f "$top/tests/integration/health-gen.awk" >"$F"
H="$B/health-$((ROWS / 2)).csv"
[ -s "$H" ] || awk -v n="$((STEPS / 2))" -v pcs=0 -v faults=1 -f "$top/tests/integration/health-gen.awk" >"$H"
echo "  input: $ROWS rows (2 racks x $STEPS samples, 2 s apart), $(($(wc -c <"$F") / 1048576)) MiB"

# The same rules in pandas: per device, vectorised, a 30-minute rolling window for stuck readings;
# an event is a run of consecutive samples where a rule holds (gaps and jumps: one per pair).
cat >"$B/health.py" <<'EOF2'
import sys
import pandas as pd
df = pd.read_csv(sys.argv[1], parse_dates=['ts'])
cap, out = 280.0, {}
def runs(flag, dev):
    start = flag & ~flag.groupby(dev).shift(fill_value=False)
    return int(start.sum())
dev = df['device']
vs = df['cell_max_v'] - df['cell_min_v']
ts_ = df['cell_max_c'] - df['cell_min_c']
out['cell_v_spread'] = runs(vs > 0.05, dev)
out['temp_spread'] = runs(ts_ > 5, dev)
out['cell_v_high'] = runs(df['cell_max_v'] > 3.65, dev)
out['cell_v_low'] = runs(df['cell_min_v'] < 2.5, dev)
out['temp_high'] = runs(df['cell_max_c'] > 55, dev)
out['temp_low'] = runs(df['cell_min_c'] < -20, dev)
g = df.groupby('device')
dt = g['ts'].diff().dt.total_seconds()
spacing = g['ts'].transform(lambda s: s.diff().dt.total_seconds().iloc[1:16].median())
gap = dt > 10 * spacing
out['gap'] = int(gap.sum())
exp = (df['current_a'] + g['current_a'].shift()) / 2 * dt / 3600 / cap * 100
jump = ((df['soc_pct'] - g['soc_pct'].shift() - exp).abs() > 5) & ~gap
out['soc_jump'] = int(jump.sum())
# stuck: unchanged over a rolling 30-minute window of the device's samples
stuck = 0
for name, d in df.set_index('ts').groupby('device'):
    v = d['voltage_v']
    r = v.rolling('1800s', closed='both')
    flat = (r.max() == r.min()) & (v.index.to_series().diff().dt.total_seconds().rolling('1800s').sum() >= 1790).values
    stuck += int((flat & ~flat.shift(fill_value=False)).sum())
out['stuck'] = stuck
for k in sorted(out):
    print(k, out[k])
EOF2

measure "bess-health ($ROWS rows)" bess-health --capacity 280Ah -o "$B/health-bess.csv" "$F"
bs=$SECS bk=$KB
measure "bess-health ($((ROWS / 2)) rows)" bess-health --capacity 280Ah "$H"
hk=$KB
RUNS=1 measure "pandas, the same rules ($ROWS rows)" sh -c "'$PY' '$B/health.py' '$F' >'$B/health-pandas.txt'"
ps=$SECS pk=$KB
ratio "$ps" "$bs" "bess-health speed-up over pandas (target >= 20x)"
load_note
flat_memory "$bk" "$ROWS" "$hk" $((ROWS / 2)) "$pk"
echo "  events per kind, bess-health / pandas:"
tail -n +2 "$B/health-bess.csv" | cut -d, -f4 | sort | uniq -c | awk '{ print $2, $1 }' >"$B/health-bess.txt"
join -a 1 -a 2 -e 0 -o 0,1.2,2.2 "$B/health-bess.txt" "$B/health-pandas.txt" |
	awk '{ printf "    %-16s %4s / %s\n", $1, $2, $3 }'

# --end on a file in time order: bess-ingest stops reading at the first record past it
for frac in 10 50 100; do
	end=$(awk -v f="$frac" -v n="$STEPS" 'BEGIN { t = int(n * 2 * f / 100); d = int(t / 86400); t -= 86400 * d
		printf "2025-%02d-%02dT%02d:%02d:%02dZ", 3 + int(d / 28), 1 + d % 28, int(t / 3600), int(t % 3600 / 60), t % 60 }')
	[ "$frac" = 100 ] && end=2030-01-01T00:00:00Z
	measure "bess-ingest --end at $frac % of the file" bess-ingest --end "$end" "$F"
	eval "end_$frac=\$SECS"
done
awk -v a="$end_10" -v b="$end_50" -v c="$end_100" 'BEGIN {
	printf "  --end: 10 %% of the file in %.0f %% of the time of all of it, 50 %% in %.0f %%\n", 100 * a / (c > 0 ? c : 0.005), 100 * b / (c > 0 ? c : 0.005) }'
# processor time (user + system) of one run each: less sensitive than wall time to a busy machine
cpu() { /usr/bin/time -f "%U %S" -o "$B/.cpu" "$@" >/dev/null 2>&1; awk '{ print $1 + $2 }' "$B/.cpu"; }
bc=$(cpu bess-health --capacity 280Ah "$F")
pc=$(cpu "$PY" "$B/health.py" "$F")
awk -v b="$bc" -v p="$pc" 'BEGIN { printf "  processor time: bess-health %.2f s, pandas %.2f s: %.1fx\n", b, p, p / (b > 0 ? b : 0.005) }'
