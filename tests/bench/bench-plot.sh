#!/bin/sh
# bench-plot.sh: a year at 15 minutes to PNG — bess-plot (min/max per pixel column) against gnuplot plotting every point as a user would.
. "$(dirname "$0")/lib.sh"
command -v gnuplot >/dev/null 2>&1 || { echo "  gnuplot not installed (Debian: gnuplot-nox): skipped"; exit 0; }
Y=$B/plot-year.csv
awk -v start=1672531200 -v n=35040 -f "$top/tests/integration/plot-gen.awk" >"$Y"
echo "  input: $(($(wc -l <"$Y") - 1)) records (a year at 15 minutes), $(wc -c <"$Y" | tr -d ' ') bytes"

# What a user would write by hand: the CSV straight into gnuplot, every point, same four panels.
cat >"$B/plot-naive.gp" <<GP
set terminal pngcairo size 1200,970 font 'sans,10'
set datafile separator ','
set xdata time
set timefmt '%Y-%m-%dT%H:%M:%SZ'
set format x '%d %b'
set key autotitle columnhead
set style fill solid 1.0 noborder
set multiplot layout 4,1
plot '$Y' using 1:2 with steps title 'price'
plot '$Y' using 1:(\$3 > 0 ? \$3 : 0):(900) with boxes lc rgb '#2ca02c' title 'charge', \
     '' using 1:(\$3 < 0 ? \$3 : 0):(900) with boxes lc rgb '#d62728' title 'discharge'
plot '$Y' using 1:4 with lines title 'soc_kwh'
plot '$Y' using 1:5 with steps title 'load_kw', '' using 1:6 with steps title 'solar_kw', \
     '' using 1:7 with steps title 'grid_import_kw', '' using 1:8 with steps title 'grid_export_kw'
unset multiplot
GP

measure "bess-plot -o year.png (min/max per column)" bess-plot -o "$B/plot-year.png" "$Y" || exit 1
bess=$SECS
measure "gnuplot, every point (hand-written script)" sh -c "gnuplot '$B/plot-naive.gp' >'$B/plot-naive.png'" || exit 1
naive=$SECS
measure "bess-plot --all-points -o year.png" bess-plot --all-points -o "$B/plot-all.png" "$Y" || exit 1
allp=$SECS
measure "bess-plot --script (no gnuplot)" sh -c "bess-plot --script '$Y' >'$B/plot-year.gp'" || exit 1
measure "bess-plot -o year.html" bess-plot -o "$B/plot-year.html" "$Y" || exit 1
measure "bess-plot --view daily -o year.png" bess-plot --view daily -o "$B/plot-daily.png" "$Y" || exit 1
measure "bess-plot --view price -o year.png" bess-plot --view price -o "$B/plot-price.png" "$Y" || exit 1
ratio "$naive" "$bess" "gnuplot every point / bess-plot"
ratio "$allp" "$bess" "bess-plot --all-points / bess-plot"
awk -v s="$bess" 'BEGIN { printf "  target: a year to PNG in under 2 s whole process: %s s (%s)\n", s, s < 2 ? "met" : "NOT met" }'
echo "  sizes: bess-plot $(wc -c <"$B/plot-year.png" | tr -d ' ') B png, script $(wc -c <"$B/plot-year.gp" | tr -d ' ') B, html $(wc -c <"$B/plot-year.html" | tr -d ' ') B"

# --- memory: only the columns drawn are kept, and past 1,048,576 rows buckets, so peak RSS stays flat
echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg)"
# 30,000 sparse NDJSON records, each adding one of 9,990 keys (issue 15, item 10: 4.3 GB before)
awk 'BEGIN { for (i = 0; i < 30000; i++) printf "{\"ts\":\"2023-01-01T%02d:%02d:%02dZ\",\"price\":%d,\"k%d\":1}\n",
	int(i / 3600) % 24, int(i / 60) % 60, i % 60, i % 7, i % 9990 }' >"$B/plot-sparse.ndjson"
RUNS=1 measure "sparse: 30,000 records, 9,990 keys (1.7 MB)" bess-plot -o "$B/plot-sparse.png" "$B/plot-sparse.ndjson"
# long inputs streamed through a pipe: 100 k, 1 M and 5 M records (about 7, 70 and 360 MB of CSV)
for n in 100000 1000000 5000000; do
	RUNS=1 measure "CSV of $n records on stdin, to PNG" sh -c \
	    "awk -v start=946684800 -v n=$n -v step=60 -f '$top/tests/integration/plot-gen.awk' | bess-plot -o '$B/plot-long.png'"
done
echo "  (awk's own memory is in those figures too: a few MB; peak RSS is of the largest process)"

# --- following a 2-second stream for a day: the CPU it costs
# Method: fill a 24 h window with a day of 2-second records (43,200), then feed one record every
# 2 s for ${FOLLOW_S:-30} s of wall time with --every 5s, and read bess-plot's CPU time (its own and
# its gnuplot children's, from /proc/PID/stat) before and after: the share of one core it used
# while following at steady state. A redraw costs the same at any hour (the window is full), so this
# share is the day's share. The cost per redraw is also shown (CPU / redraws).
follow_cpu() {	# follow_cpu FORMAT
	fifo="$B/plot-follow.fifo"
	rm -f "$fifo"
	mkfifo "$fifo"
	now=$(date +%s)
	bess-plot --follow --every 5s --window 24h -o "$B/plot-follow.$1" <"$fifo" 2>"$B/plot-follow.err" &
	fpid=$!
	exec 4>"$fifo"
	awk -v start=$((now - 86400)) -v n=43200 -v step=2 -f "$top/tests/integration/plot-gen.awk" |
	    awk -F, 'NR > 1 { printf "{\"ts\":\"%s\",\"price\":%s,\"battery_kw\":%s,\"soc_kwh\":%s,\"load_kw\":%s,\"solar_kw\":%s,\"grid_import_kw\":%s,\"grid_export_kw\":%s}\n", $1, $2, $3, $4, $5, $6, $7, $8 }' >&4
	sleep 6	# the day is drawn
	tck=$(getconf CLK_TCK)
	cpu() { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$fpid/stat"; }
	c0=$(cpu)
	t0=$(date +%s.%N)
	i=0
	while [ $i -lt $((${FOLLOW_S:-30} / 2)) ]; do
		printf '{"ts":"%s","price":0.1,"battery_kw":10,"soc_kwh":100}\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >&4
		sleep 2
		i=$((i + 1))
	done
	c1=$(cpu)
	t1=$(date +%s.%N)
	exec 4>&-
	wait $fpid
	awk -v c=$((c1 - c0)) -v k="$tck" -v a="$t0" -v b="$t1" -v f="$1" 'BEGIN {
		s = c / k; w = b - a; r = w / 5
		printf "  follow -o live.%s, --every 5s, a full 24 h window of 2 s records: %.2f s CPU in %.0f s = %.2f %% of one core (target < 5 %%: %s); %.0f ms a redraw\n",
		    f, s, w, 100 * s / w, 100 * s / w < 5 ? "met" : "NOT met", 1000 * s / r }'
}
follow_cpu html
follow_cpu png
echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg)"
