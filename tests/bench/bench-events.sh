#!/bin/sh
# bench-events.sh: what demand-response events cost bess-optimize: a month of 15-minute steps
# with a site load, solved without events and with one event every weekday (a 2-hour reduction
# against a flat baseline, or a 2-hour cap: one row per event, or a row per capped step), and
# a backtest of a week with and without the week's events. Prints solve times (in-process,
# from the summaries) and their ratios, with the load average. Never asserts.
. "$(dirname "$0")/lib.sh"

gen_sine 7 2880 "$B/ev-site.csv"
# one event each weekday 17:00-19:00 UTC, as reductions and as caps
awk 'BEGIN {
	t0 = 1736121600
	print "id,start,end,reduce_kwh,cap_kw,baseline_kw,payment,penalty"
	for (d = 0; d < 30; d++) {
		t = t0 + d * 86400
		if (strftime("%u", t, 1) > 5) continue
		s = strftime("%Y-%m-%dT17:00:00Z", t, 1); e = strftime("%Y-%m-%dT19:00:00Z", t, 1)
		printf "r%d,%s,%s,200,,450,0.3,0.5\n", d, s, e
	}
}' >"$B/ev-reduce.csv"
sed 's/,200,,450,/,,250,450,/' "$B/ev-reduce.csv" >"$B/ev-cap.csv"
echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg)"
solve_ms() { tr ',}' '\n\n' <"$B/ev.json" | sed -n 's/^"solve_ms"://p'; }
OPT="bess-optimize --capacity 500kWh --power 250kW --method simplex -q --summary $B/ev.json -o /dev/null"
$OPT "$B/ev-site.csv"; base=$(solve_ms)
$OPT --events "$B/ev-reduce.csv" "$B/ev-site.csv"; red=$(solve_ms)
$OPT --events "$B/ev-cap.csv" "$B/ev-site.csv"; cap=$(solve_ms)
n=$(($(wc -l <"$B/ev-reduce.csv") - 1))
printf '  %-52s %9.1f ms\n' "a month, 2880 steps, no events" "$base" \
    "the same with $n reduction events" "$red" "the same with $n cap events" "$cap"
ratio "$red" "$base" "reduction events / none (solve time)"
ratio "$cap" "$base" "cap events / none (solve time)"
# a week's backtest (48 h windows, warm starts), with and without the week's events
head -n 673 "$B/ev-site.csv" >"$B/ev-week.csv"
awk -F, 'NR == 1 || $2 < "2025-01-13"' "$B/ev-reduce.csv" >"$B/ev-week-ev.csv"
BT="bess-dispatch --backtest --capacity 500kWh --power 250kW --forecast perfect --no-optimum --rule off -q --summary $B/ev.json -o /dev/null"
$BT "$B/ev-week.csv"; bb=$(tr ',' '\n' <"$B/ev.json" | sed -n 's/^"run_s"://p')
$BT --events "$B/ev-week-ev.csv" "$B/ev-week.csv"; be=$(tr ',' '\n' <"$B/ev.json" | sed -n 's/^"run_s"://p')
printf '  %-52s %9.2f s\n' "backtest, a week of 15 min, no events" "$bb" \
    "the same with $(($(wc -l <"$B/ev-week-ev.csv") - 1)) reduction events" "$be"
ratio "$be" "$bb" "backtest with events / none (run time)"
