#!/bin/sh
# ingest-blocks.sh: a regular CSV file of 2.4 MB or more is read in 512 KiB blocks by several
# threads (-j); everything it writes must be what one thread (-j 1, the path every other test
# checks) writes: records, errors with their file:line, warnings, exit status. Faults are put at
# the lines that start the 2nd and 4th blocks (found with awk from the byte offsets) and inside
# blocks; the expected line numbers are those awk counts.
. "$(dirname "$0")/../lib.sh"

B=524288	# bytes a block (lib/ingest.c)
# gen N: header + N rows of 1-minute prices in EUR/MWh and load in kW, ~60 bytes a row
gen() {
	awk -v n="$1" 'BEGIN {
		print "time,Price (EUR/MWh),load [kW],note"
		t = 1672531200
		for (i = 0; i < n; i++) {
			s = strftime("%Y-%m-%dT%H:%M:%SZ", t + 60 * i, 1)
			printf "%s,%.2f,%.3f,n%d\n", s, 40 + (i % 97), 100 + (i % 13) / 7, i % 5
		}
	}'
}
gen 60000 >"$T/a.csv"
size=$(wc -c <"$T/a.csv")
ok $([ "$size" -gt $((4 * B)) ]; echo $?) "the file ($size bytes) is long enough to be read in blocks"

# first_line_after OFFSET FILE: the line number of the first line that starts at or after OFFSET
first_line_after() {
	awk -v off="$1" '{ if (pos >= off) { print NR; exit } pos += length($0) + 1 }' "$2"
}
# block i (from 0) starts after the first newline at or after data0 + i * B - 1, data0 the
# offset of the first record (after the header)
H=$(head -n 1 "$T/a.csv" | wc -c)
L2=$(first_line_after $((H + B)) "$T/a.csv")
L4=$(first_line_after $((H + 3 * B)) "$T/a.csv")
ok $([ "$L2" -gt 2 ] && [ "$L4" -gt "$L2" ]; echo $?) "blocks 2 and 4 start at lines $L2 and $L4"

# same NAME ARGS...: -j 1 and -j 2 exit alike and write the same on stderr, and on stdout when
# they succeed (after an error, how much of the output had been flushed may differ: -o drops it)
same() {
	_name=$1
	shift
	bess-ingest -j 1 "$@" >"$T/o1" 2>"$T/e1"
	_s1=$?
	bess-ingest -j 2 "$@" >"$T/o2" 2>"$T/e2"
	_s2=$?
	{ [ "$_s1" != 0 ] || cmp -s "$T/o1" "$T/o2"; } && cmp -s "$T/e1" "$T/e2" && [ "$_s1" = "$_s2" ]
	ok $? "$_name: -j 2 writes what -j 1 writes (status $_s1)"
}

same "CSV out" -m 'Price (EUR/MWh)=price' -m 'load [kW]=load_kw' "$T/a.csv"
is "$(wc -l <"$T/o2")" 60001 "CSV out: 60000 records and the header"
is "$(sed -n 2p "$T/o2")" "2023-01-01T00:00:00Z,0.04,100.000,n0" "CSV out: the first record, price / 1000"
same "NDJSON out" -f ndjson -m 'Price (EUR/MWh)=price' "$T/a.csv"
same "line protocol out" -f lp -m 'Price (EUR/MWh)=price' "$T/a.csv"
same "--where, --begin, --end, --keep" --where note=n3 --begin 2023-01-10T00:00:00Z \
	--end 2023-01-30T00:00:00Z -k ts,note "$T/a.csv"
# n3 rows: i % 5 == 3 with i from 12960 (Jan 10) to 41759 (Jan 30 - 1 min): 5760 of them
is "$(($(wc -l <"$T/o2") - 1))" 5760 "--where and the window: 5760 records (awk's count)"
bess-ingest -j 1 -f ndjson <"$T/a.csv" >"$T/o1"
bess-ingest -j 2 -f ndjson <"$T/a.csv" | cmp -s - "$T/o1"
ok $? "stdin from the file: -j 2 writes what -j 1 writes"
same "a window that keeps nothing" --begin 2030-01-01T00:00:00Z "$T/a.csv"
is "$(cat "$T/o2")" "ts,price,load_kw,note" "a window that keeps nothing: the header alone, price and load_kw taken from the headers"

# put LINE TEXT FILE: replace line LINE by TEXT
put() { awk -v l="$1" -v t="$2" 'NR == l { print t; next } { print }' "$3"; }
ts_of() { sed -n "${1}p" "$T/a.csv" | cut -d, -f1; }

# a non-number in block 4's first line, and one inside block 2
put "$L4" "$(ts_of "$L4"),4x,1,n0" "$T/a.csv" >"$T/bad4.csv"
same "a non-number at block 4's start" -m 'Price (EUR/MWh)=price' "$T/bad4.csv"
is "$(cat "$T/e2")" "bess-ingest: $T/bad4.csv:$L4: column 'Price (EUR/MWh)': '4x' is not a number" \
	"... reported at line $L4"
is "$_s2" 1 "... exit 1"
M=$((L2 + 100))
put "$M" "$(ts_of "$M"),5,1,n0" "$T/a.csv" | put $((M + 1)) "$(ts_of $((M + 1))),x,1,n0" /dev/stdin \
	>"$T/bad2.csv"
same "a non-number inside block 2" -m 'Price (EUR/MWh)=price' "$T/bad2.csv"
is "$(cat "$T/e2")" "bess-ingest: $T/bad2.csv:$((M + 1)): column 'Price (EUR/MWh)': 'x' is not a number" \
	"... reported at line $((M + 1))"

# time going back at the boundary: block 2's first record at the time of the line before it
prev=$(ts_of $((L2 - 1)))
put "$L2" "$(ts_of $((L2 - 2))),1,1,n0" "$T/a.csv" >"$T/back.csv"
same "time going back at block 2's start" "$T/back.csv"
is "$(cat "$T/e2")" "bess-ingest: $T/back.csv:$L2: time $(ts_of $((L2 - 2))) is before the previous record's $prev ($T/back.csv:$((L2 - 1))); sort the input first or add --sort" \
	"... reported at line $L2 against line $((L2 - 1))"
put "$L2" "$prev,1,1,n0" "$T/a.csv" >"$T/dup.csv"
same "a duplicate time at block 2's start" "$T/dup.csv"
is "$(cat "$T/e2")" "bess-ingest: $T/dup.csv:$L2: duplicate time $prev (also at $T/dup.csv:$((L2 - 1))); choose --dup first|last|mean|keep" \
	"... reported at line $L2"
same "the duplicate kept with --dup keep" --dup keep "$T/dup.csv"
is "$_s2" 0 "... exit 0"
# a duplicate inside a block refers to its twin's line
put $((L4 + 7)) "$(ts_of $((L4 + 6))),1,1,n0" "$T/a.csv" >"$T/dup4.csv"
same "a duplicate inside block 4" "$T/dup4.csv"
is "$(cat "$T/e2")" "bess-ingest: $T/dup4.csv:$((L4 + 7)): duplicate time $(ts_of $((L4 + 6))) (also at $T/dup4.csv:$((L4 + 6))); choose --dup first|last|mean|keep" \
	"... reported at line $((L4 + 7)) against $((L4 + 6))"

# quotes from block 3 on (a quoted field may hold a newline: read by one thread from there)
awk -v l="$L2" 'NR > l + 9000 { sub(/,n/, ",\"n"); sub(/$/, "\"") } { print }' "$T/a.csv" >"$T/q.csv"
same "quoted fields from block 3 on" -f ndjson "$T/q.csv"
awk -v l="$L4" 'NR == l + 3 { printf "%s,\"multi\nline\"\n", substr($0, 1, index($0, ",n") - 1); next } { print }' \
	"$T/a.csv" >"$T/ml.csv"
same "a quoted newline in block 4" -f ndjson "$T/ml.csv"
is "$(grep -c 'multi\\nline' "$T/o2")" 1 "... kept in its field"
# a quoted newline that is the first newline at or after block 4's nominal start: read by
# blocks, block 4 would start inside the field (line L4 - 1 starts before the nominal start)
awk -v l="$L4" 'NR == l - 1 { a = sprintf("%0200d", 0); gsub(/0/, "a", a)
	printf "%s,\"%s\nb\"\n", substr($0, 1, index($0, ",n") - 1), a; next } { print }' \
	"$T/a.csv" >"$T/qb.csv"
same "a quoted newline where block 4 would start" -f ndjson "$T/qb.csv"
is "$(grep -c 'aaaa\\nb"' "$T/o2")" 1 "... kept in its field"
# CRLF throughout, and a bare CR in block 2
sed 's/$/\r/' "$T/a.csv" >"$T/crlf.csv"
same "CRLF line ends" "$T/crlf.csv"
awk -v l="$M" 'NR == l { printf "%s\r", $0; next } { print }' "$T/a.csv" >"$T/cr.csv"
same "a bare CR inside block 2" "$T/cr.csv"

# a preamble, and the magnitude warning whose first line lies in block 3 (prices per MWh
# declared per kWh by the map: 60000 of 60000 exceed 5)
{ printf 'exported by a meter\n\n'; cat "$T/a.csv"; } >"$T/pre.csv"
same "a preamble before the header" -m 'Price (EUR/MWh)=price' -u price=/kWh "$T/pre.csv"
is "$(cat "$T/e2")" "bess-ingest: warning: $T/pre.csv:4: column 'price': 60000 of 60000 prices exceed 5 per kWh (up to 136); are they per MWh? declare the unit, e.g. --unit 'price=EUR/MWh'" \
	"... one warning, the first at line 4 (2 preamble lines + header)"
# per kWh: 0.05 before block 2, 900 from there on (46340 of 60000, more than half: a warning)
awk -v l="$L2" -F, -v OFS=, 'NR > 1 { $2 = NR < l ? 0.05 : 900 } { print }' "$T/a.csv" >"$T/late.csv"
same "prices too high from block 2 on" -m 'Price (EUR/MWh)=price' -u price=/kWh "$T/late.csv"
is "$(cat "$T/e2")" "bess-ingest: warning: $T/late.csv:$L2: column 'price': $((60001 - L2 + 1)) of 60000 prices exceed 5 per kWh (up to 900); are they per MWh? declare the unit, e.g. --unit 'price=EUR/MWh'" \
	"... the warning counts them and points at line $L2"

# -o: the file is written whole
bess-ingest -j 2 -o "$T/out.csv" "$T/a.csv"
bess-ingest -j 1 "$T/a.csv" | cmp -s - "$T/out.csv"
ok $? "-o with -j 2: the same file"

# A wide file (3,000 columns, 400 rows of about 12 KB): each block reads the header again, so
# blocks are at least 64 headers long (lib/ingest.c); -j 2 writes what -j 1 writes, and a bad
# number deep in the file is reported at the line awk counts.
awk 'BEGIN { printf "ts"; for (c = 1; c < 3000; c++) printf ",c%d_kw", c; print "";
	for (r = 0; r < 400; r++) { printf "2023-01-01T%02d:%02d:00Z", int(r / 60), r % 60;
	for (c = 1; c < 3000; c++) printf ",%d", (r * 7 + c) % 1000; print "" } }' >"$T/wide.csv"
bess-ingest -j 1 "$T/wide.csv" >"$T/w1"
bess-ingest -j 2 "$T/wide.csv" | cmp -s - "$T/w1"
ok $? "3,000 columns: -j 2 writes what -j 1 writes"
is "$(wc -l <"$T/w1" | tr -d ' ')" 401 "... 400 records and the header"
awk -F, -v OFS=, 'NR == 350 { $1234 = "x1" } 1' "$T/wide.csv" >"$T/wide-bad.csv"
bess-ingest -j 2 "$T/wide-bad.csv" >/dev/null 2>"$T/werr"
is "$?$(grep -o ':350: column [^:]*' "$T/werr")" "1:350: column 'c1233_kw'" \
    "... a non-number on line 350 (column 1234 by awk) reported there, exit 1"
done_testing
