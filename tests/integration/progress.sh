#!/bin/sh
# progress.sh: a long run shows a progress line on stderr when it is a terminal (util-linux
# script(1) gives one), nothing in a pipe; BESS_PROGRESS_INTERVAL=0 draws every line.
. "$(dirname "$0")/../lib.sh"
command -v script >/dev/null 2>&1 || skip_all "script(1) not installed"
awk 'BEGIN { print "ts,p_kw"; for (i = 0; i < 140000; i++)
	printf "2025-03-%02dT%02d:%02d:%02dZ,%d\n", 1 + int(i / 86400), int(i % 86400 / 3600), int(i % 3600 / 60), i % 60, i % 7 }' >"$T/p.csv"
export BESS_PROGRESS_INTERVAL=0
# one thread reads through the FILE: the share read is known (65536 records of 140000 = 47 %)
script -qec "bess-ingest -j 1 '$T/p.csv' >/dev/null" /dev/null </dev/null | tr '\r' '\n' >"$T/tty"
is "$(grep -c '^bess-ingest: [0-9]* records' "$T/tty")" 2 "bess-ingest on a terminal: a line every 65536 records (2 of 140000)"
# the share read: at least the header and 65536 rows, at most a read buffer (64 KiB) more
lo=$(awk -v n="$(wc -c <"$T/p.csv")" 'NR <= 65537 { b += length($0) + 1 } END { print int(100 * b / n) }' "$T/p.csv")
hi=$(awk -v n="$(wc -c <"$T/p.csv")" 'NR <= 65537 { b += length($0) + 1 } END { print int(100 * (b + 65536) / n + 1) }' "$T/p.csv")
got=$(grep -o '65536 records, [0-9]* %' "$T/tty" | awk '{ print $3 }')
[ -n "$got" ] && [ "$got" -ge "$lo" ] && [ "$got" -le "$hi" ]
ok $? "the share of the input read after 65536 records: $got %, within $lo-$hi % by the bytes of the rows"
grep -q "$(printf '\033')\[K" "$T/tty"
ok $? "the line is cleared at the end"
bess-ingest -j 1 "$T/p.csv" 2>"$T/err" >/dev/null
is "$(wc -c <"$T/err" | tr -d ' ')" 0 "stderr not a terminal: nothing"
script -qec "bess-ingest -q -j 1 '$T/p.csv' >/dev/null" /dev/null </dev/null | tr '\r' '\n' >"$T/tty"
is "$(grep -c records "$T/tty")" 0 "-q: no progress"
script -qec "bess-resample --step 1h '$T/p.csv' >/dev/null" /dev/null </dev/null | tr '\r' '\n' >"$T/tty"
is "$(grep -c '^bess-resample: [0-9]* records' "$T/tty")" 39 "bess-resample: a line per interval written (39 hours, the last at the end)"
done_testing
