#!/bin/sh
# replay.sh: bess-replay paces a recording by its timestamps (x speed, a fixed interval), keeps
# them or moves them to now, refuses disorder, and feeds bess-mqtt pub through a real broker.
# Each record's arrival is timed by perl from the program's start: never before it is due, and
# late by less than a generous bound.
. "$(dirname "$0")/../lib.sh"

# arrivals CMD...: run CMD, print "ms line" per output line (ms since CMD was started)
arrivals() {
	perl -MTime::HiRes=time -e '
		my $t0 = time;
		open(my $p, "-|", @ARGV) or die "$!";
		while (my $l = <$p>) { printf "%.1f %s", 1000 * (time - $t0), $l; }
		close $p; exit($? >> 8);' -- "$@"
}

# due LIST: check the arrival times in $T/arr against the due times (ms) in LIST, in order: never
# before (the first record goes out after the start, a sleep cannot end early), and by less than
# a second late (the start of the program, a loaded machine or a sanitizer build)
due() {
	_bad=$(awk -v due="$1" 'BEGIN { n = split(due, d, " ") }
		{ k++; if ($1 < d[k]) print "line " k " at " $1 " ms, due at " d[k];
		  else if ($1 > d[k] + 1000) print "line " k " at " $1 " ms, due at " d[k] " (late)" }
		END { if (k != n) print k " lines for " n " due times" }' "$T/arr")
}

cat >"$T/rec.ndjson" <<'EOF2'
{"ts":"2025-03-01T00:00:00Z","device":"r1","soc_pct":50}
{"ts":"2025-03-01T00:00:01Z","device":"r1","soc_pct":51}
{"ts":"2025-03-01T00:00:01Z","device":"r2","soc_pct":49}
{"ts":"2025-03-01T00:00:03Z","device":"r1","soc_pct":52}
EOF2

# x10: recorded spacing 1 s, 0 s, 2 s -> due at 0, 100, 100, 300 ms
arrivals bess-replay -x 10 "$T/rec.ndjson" >"$T/arr"
ok $? "x10: exits 0"
due "0 100 100 300"
is "$_bad" "" "x10: each record at its recorded time / 10"
is "$(cut -d' ' -f2- "$T/arr")" "$(cat "$T/rec.ndjson")" "x10: records and times kept as recorded"

# --interval 200ms: one timestamp per 200 ms -> 0, 200, 200, 400 (the 2 s gap counts once)
arrivals bess-replay --interval 200ms "$T/rec.ndjson" >"$T/arr"
due "0 200 200 400"
is "$_bad" "" "--interval 200ms: one distinct time per interval, equal times together"

# --max-gap 500ms at x1: 1 s waits 0.5 s, 2 s waits 0.5 s -> 0, 500, 500, 1000
arrivals bess-replay --max-gap 500ms -f csv "$T/rec.ndjson" >"$T/arr"
due "0 0 500 500 1000"
is "$_bad" "" "--max-gap: long gaps shortened (CSV: the header with the first record)"
is "$(sed -n '1s/^[0-9.]* //p' "$T/arr")" "ts,device,soc_pct" "-f csv: a header first"

# --now: the times become the replay's start plus each due time (x10: +0.1 s, +0.3 s)
before=$(date -u +%s)
bess-replay -x 10 --now "$T/rec.ndjson" >"$T/now.ndjson"
after=$(date -u +%s)
secs=$(sed 's/.*"ts":"\([^"]*\)".*/\1/' "$T/now.ndjson" | while read -r t; do
	s=$(date -u -d "$(echo "$t" | sed 's/\.[0-9]*Z$/Z/')" +%s)
	f=$(echo "$t" | sed -n 's/.*\(\.[0-9]*\)Z$/\1/p')
	echo "$s${f:-.0}"
done)
d=$(echo "$secs" | awk 'NR == 1 { t0 = $1 } { printf "%s%.6f", (NR > 1 ? " " : ""), $1 - t0 }')
is "$d" "0.000000 0.100000 0.100000 0.300000" "--now: times spaced as due (x10: 0.1 s and 0.3 s)"
first=$(echo "$secs" | head -n 1 | cut -d. -f1)
[ "$first" -ge "$before" ] && [ "$first" -le "$after" ]
ok $? "--now: the first time is the time of the run"
is "$(sed 's/"ts":"[^"]*",//' "$T/now.ndjson")" "$(sed 's/"ts":"[^"]*",//' "$T/rec.ndjson")" \
    "--now: the other fields untouched"

# disorder is an error naming the line
printf '%s\n' '{"ts":"2025-03-01T00:00:02Z","p_kw":1}' '{"ts":"2025-03-01T00:00:01Z","p_kw":2}' >"$T/bad.ndjson"
bess-replay -x 1000 "$T/bad.ndjson" >/dev/null 2>"$T/err"
is "$?" 1 "a time before the previous one: status 1"
is "$(cat "$T/err")" "bess-replay: $T/bad.ndjson:2: time 2025-03-01T00:00:01Z is before the previous record's; a replay needs time order (bess-ingest --sort)" \
    "and the message names the line"

# into bess-mqtt pub, through a real broker
if [ -x /usr/sbin/mosquitto ]; then
	. "$(dirname "$0")/mqtt-common.inc"
	P=$(free_port)
	if mq_broker "$P"; then
		H="-h 127.0.0.1 -p $P"
		bess-mqtt sub $H -t 'rp/+device/bms' -C 4 >"$T/sub.out" 2>"$T/sub.err" &
		SUB=$!
		wait_grep "$T/sub.err" "subscribed"
		bess-replay -x 20 "$T/rec.ndjson" | bess-mqtt pub $H -t 'rp/{device}/bms' 2>"$T/pub.err"
		ok $? "bess-replay | bess-mqtt pub: published"
		wait_pid $SUB 20
		is "$(sed 's/,"topic":"[^"]*"//' "$T/sub.out")" "$(cat "$T/rec.ndjson")" \
		    "the subscriber gets the 4 records, in order"
	else
		skip "mosquitto did not start"
		skip "mosquitto did not start"
	fi
else
	skip "mosquitto not installed"
	skip "mosquitto not installed"
fi
done_testing
