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
# threads read the file in blocks (by position): the share is that of the blocks written, and
# as a block's records are all written at once, the bytes are exactly those of the header and
# the N rows written when the line says N records
script -qec "bess-ingest -j 2 '$T/p.csv' >/dev/null" /dev/null </dev/null | tr '\r' '\n' >"$T/tty"
grep -o '^bess-ingest: [0-9]* records, [0-9]* %' "$T/tty" | awk '{ print $2, $4 }' >"$T/shares"
test "$(wc -l <"$T/shares")" -ge 2
ok $? "bess-ingest -j 2: the share read is shown ($(wc -l <"$T/shares" | tr -d ' ') lines)"
awk -v n="$(wc -c <"$T/p.csv")" 'NR == FNR { b += length($0) + 1; bytes[FNR - 1] = b; next }
	{ want = sprintf("%.0f", 100 * bytes[$1] / n); if ($2 != want) { print "records", $1, "share", $2, "want", want; bad = 1 } }
	END { exit bad }' "$T/p.csv" "$T/shares"
ok $? "bess-ingest -j 2: each share is the header and the rows written over the file's bytes"
script -qec "bess-resample --step 1h '$T/p.csv' >/dev/null" /dev/null </dev/null | tr '\r' '\n' >"$T/tty"
is "$(grep -c '^bess-resample: [0-9]* records' "$T/tty")" 39 "bess-resample: a line per interval written (39 hours, the last at the end)"
# bess-resample reads the file in blocks of 128 KiB: N hours are written when the first row of
# hour N is taken, so the share is that of the start of its block, at most 128 KiB before it
grep -o '^bess-resample: [0-9]* records, [0-9]* %' "$T/tty" | awk '{ print $2, $4 }' >"$T/shares"
is "$(wc -l <"$T/shares" | tr -d ' ')" 39 "bess-resample: each line shows the share read"
awk -v n="$(wc -c <"$T/p.csv")" 'NR == FNR { if (FNR > 1 && (FNR - 2) % 3600 == 0) at[(FNR - 2) / 3600] = b; b += length($0) + 1; next }
	$1 < 39 { hi = sprintf("%.0f", 100 * at[$1] / n); lo = sprintf("%.0f", 100 * (at[$1] - 131072) / n)
	if ($2 + 0 < lo + 0 || $2 + 0 > hi + 0) { print "records", $1, "share", $2, "want", lo, "to", hi; bad = 1 } }
	$1 == 39 && $2 != 100 { print "at the end", $2; bad = 1 }
	END { exit bad }' "$T/p.csv" "$T/shares"
ok $? "bess-resample: the share after N hours is within the block before hour N's first row, 100 % at the end"
done_testing
