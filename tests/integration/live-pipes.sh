#!/bin/sh
# live-pipes.sh: bess-ingest and bess-resample in a live pipe — each record (or closed interval)
# comes out while the input is still open, timed from the write of the record that completes it
# (target: within 100 ms); a file input is not flushed record by record.
. "$(dirname "$0")/../lib.sh"

# run NAME SPEC CMD...: feed SPEC through live-latency.pl; sets OUT (the output) and checks every
# step's line count, the latency of each, and the exit status
run() {
	_name=$1 _spec=$2
	shift 2
	mkdir -p "$T/$_name"
	perl "$top/tests/integration/live-latency.pl" "$_spec" "$T/$_name" "$@" >"$T/$_name/rep" 2>"$T/$_name/err"
	ok $? "$_name: exits 0"
	_bad=$(awk '/^--$/ { exit } $1 != $2 { print "line " NR ": " $2 " of " $1 " lines" }' "$T/$_name/rep")
	is "$_bad" "" "$_name: every record is out before the next is written"
	awk '/^--$/ { exit } $1 > 0 { print $3 }' "$T/$_name/rep" >>"$T/latencies"
	OUT=$(sed '1,/^--$/d' "$T/$_name/rep")
}

tab=$(printf '\t')
# NDJSON: each record is complete when its line is
cat >"$T/s1" <<EOF2
1${tab}{"ts":"2025-01-01T00:00:00Z","SOC":1}
2${tab}{"ts":"2025-01-01T00:00:02Z","SOC":2}
3${tab}{"ts":"2025-01-01T00:00:04Z","SOC":2.5}
EOF2
run ingest-ndjson "$T/s1" bess-ingest -f ndjson -m SOC=soc_kwh
is "$OUT" '{"ts":"2025-01-01T00:00:00Z","soc_kwh":1}
{"ts":"2025-01-01T00:00:02Z","soc_kwh":2}
{"ts":"2025-01-01T00:00:04Z","soc_kwh":2.5}' "ingest-ndjson: the records, renamed"

# CSV, delimiter and header detected from what has arrived (a header and one row)
cat >"$T/s2" <<EOF2
0${tab}ts,SOC,device
2${tab}2025-01-01T00:00:00Z,1,r1
3${tab}2025-01-01T00:00:00Z,5,r2
4${tab}2025-01-01T00:00:02Z,2,r1
EOF2
run ingest-csv "$T/s2" bess-ingest -m SOC=soc_kwh
is "$OUT" 'ts,soc_kwh,device
2025-01-01T00:00:00Z,1,r1
2025-01-01T00:00:00Z,5,r2
2025-01-01T00:00:02Z,2,r1' "ingest-csv: header, then the records"

# resample: the interval [00:00:00, 00:00:02) is written when the record at 00:00:02 closes it
cat >"$T/s3" <<EOF2
0${tab}ts,p_kw
0${tab}2025-01-01T00:00:00Z,1
2${tab}2025-01-01T00:00:02Z,3
2${tab}2025-01-01T00:00:03Z,5
3${tab}2025-01-01T00:00:04Z,7
EOF2
run resample-csv "$T/s3" bess-resample --step 2s
# by hand: [0,2) holds 1 for 2 s -> 1; [2,4) holds 3 for 1 s and 5 for 1 s -> 4; [4,6) 7 held
# for the spacing before it (1 s) -> 7, written at the end of input
is "$OUT" 'ts,p_kw
2025-01-01T00:00:00Z,1
2025-01-01T00:00:02Z,4
2025-01-01T00:00:04Z,7' "resample-csv: the time-weighted means"

cat >"$T/s4" <<EOF2
0${tab}{"ts":"2025-01-01T00:00:00Z","device":"a","p_kw":1}
0${tab}{"ts":"2025-01-01T00:00:00Z","device":"b","p_kw":2}
0${tab}{"ts":"2025-01-01T00:00:02Z","device":"a","p_kw":1}
2${tab}{"ts":"2025-01-01T00:00:02Z","device":"b","p_kw":2}
EOF2
run resample-devices "$T/s4" bess-resample --step 2s -f ndjson
is "$(echo "$OUT" | head -n 2)" '{"ts":"2025-01-01T00:00:00Z","device":"a","p_kw":1}
{"ts":"2025-01-01T00:00:00Z","device":"b","p_kw":2}' "resample-devices: one row per device once both are past the interval (b could still report at 00:00:01 until its next record)"

# the time from writing a record to reading what it completes: the median of all of them under
# 100 ms (the slowest is shown: a loaded machine or a sanitizer build can stall one now and then)
med=$(sort -n "$T/latencies" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
max=$(sort -n "$T/latencies" | tail -n 1)
awk -v m="$med" 'BEGIN { exit !(m < 100) }'
ok $? "records out within 100 ms of their input: median $med ms over $(wc -l <"$T/latencies" | tr -d ' '), slowest $max ms"

# a regular file is not written record by record: one write for a small output
if command -v strace >/dev/null 2>&1; then
	printf 'ts,SOC\n2025-01-01T00:00:00Z,1\n2025-01-01T00:00:02Z,2\n2025-01-01T00:00:04Z,3\n' >"$T/f.csv"
	ASAN_OPTIONS=detect_leaks=0 strace -f -e trace=write -o "$T/strace" bess-ingest -m SOC=soc_kwh "$T/f.csv" >/dev/null
	is "$(grep -c 'write(1,' "$T/strace")" 1 "a file input: the output in one write"
else
	skip "strace not installed"
fi
done_testing
