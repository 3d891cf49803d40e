#!/bin/sh
# option-letters.sh: every tool's option letters are those of doc/args.txt (one meaning per
# letter across the tools), the old letters it lists are still read, and a mistyped long
# option names the nearest one (lib/opt.c, one place for every tool).
. "$(dirname "$0")/../lib.sh"
export BESS_NO_CONFIG=1
table="$top/doc/args.txt"

# "letter --long tool" for every "-x, --long" that a --help lists
for p in "$top"/bin/bess-*; do
	t=${p##*/bess-}
	"$p" --help | grep -oE '^ +-[A-Za-z0-9], --[a-z][a-z0-9-]*' |
	    awk -v t="$t" '{ sub(",", "", $1); sub("-", "", $1); print $1, $2, t }'
done | sort -u >"$T/help"
awk '!/^#/ && NF >= 3 && $NF != "old" { for (i = 3; i <= NF; i++) print $1, $2, $i }' "$table" |
    sort -u >"$T/table"
test -s "$T/help"
ok $? "the tools' --help list letters ($(wc -l <"$T/help" | tr -d ' ') of them)"
# a "*" row allows its letter and option in any tool
is "$(awk 'NR == FNR { if ($3 == "*") any[$1 " " $2] = 1; else row[$0] = 1; next }
    !(($1 " " $2) in any) && !($0 in row)' "$T/table" "$T/help" | tr '\n' ';')" "" \
    "every letter a --help lists is in doc/args.txt"
is "$(grep -v ' [*]$' "$T/table" | comm -23 - "$T/help" | tr '\n' ';')" "" \
    "every letter doc/args.txt lists for a tool is in that tool's --help"
is "$(awk '!/^#/ && NF >= 3 && $NF != "old" { print $1 }' "$table" | sort | uniq -d | tr '\n' ' ')" "" \
    "one meaning per letter (an old letter may be another option's current one, never a new one)"

# The old letters are read as their option: same output, or the same message, as the long form.
printf 'when,load_kw,note\n2023-01-01T00:00:00Z,1.5,a\n' >"$T/in.csv"
bess-ingest -t when -u load_kw=MW "$T/in.csv" >"$T/short" 2>&1
st=$?
bess-ingest --time-col when --unit load_kw=MW "$T/in.csv" >"$T/long" 2>&1
cmp -s "$T/short" "$T/long" && [ "$st" -eq 0 ]
ok $? "bess-ingest -t and -u are still --time-col and --unit"
is "$(sed -n 2p "$T/short")" "2023-01-01T00:00:00Z,1500,a" "... 1.5 MW read as 1500 kW from the 'when' column"
printf 'ts,load_kw\n2023-01-01T00:00:00Z,1\n2023-01-01T01:00:00Z,3\n' >"$T/r.csv"
bess-resample --step 1h -p a_ "$T/r.csv" >"$T/short" 2>&1
bess-resample --step 1h --prefix a_ "$T/r.csv" >"$T/long" 2>&1
cmp -s "$T/short" "$T/long" && grep -q '^ts,a_load_kw$' "$T/short"
ok $? "bess-resample -p is still --prefix"
old_same() {	# DESCRIPTION SHORT-ARGS LONG-ARGS (the tool and its arguments, word-split)
	_d=$1
	# shellcheck disable=SC2086
	$2 </dev/null >"$T/short" 2>&1
	_s=$?
	# shellcheck disable=SC2086
	$3 </dev/null >"$T/long" 2>&1
	_l=$?
	cmp -s "$T/short" "$T/long" && [ "$_s" -eq "$_l" ] && ! grep -q "unknown option" "$T/short"
	ok $? "$_d ($(head -n 1 "$T/short"))"
}
old_same "bess-plot -p is still --panels" "bess-plot -p nosuch" "bess-plot --panels nosuch"
old_same "bess-mqtt -q is still --qos" "bess-mqtt sub -q 7 -t x" "bess-mqtt sub --qos 7 -t x"
old_same "bess-mqtt -k is still --keepalive" "bess-mqtt sub -k x -t x" "bess-mqtt sub --keepalive x -t x"
old_same "bess-mqtt -x is still --session-expiry" "bess-mqtt sub -x nonsense -t x" "bess-mqtt sub --session-expiry nonsense -t x"
old_same "bess-replay -t is still --time-col" "bess-replay -t nosuch --now" "bess-replay --time-col nosuch --now"
old_same "bess-forecast -m is still --method" "bess-forecast -m crystal" "bess-forecast --method crystal"
bess-mqtt sub -i '' -t x >"$T/short" 2>&1
bess-mqtt sub --id '' -t x >"$T/long" 2>&1
cmp -s "$T/short" "$T/long" && ! grep -q "unknown option" "$T/short"
ok $? "bess-mqtt -i is still --id ($(head -n 1 "$T/short"))"
bess-ingest -Z x </dev/null >/dev/null 2>"$T/err"
is "$?:$(head -n 1 "$T/err")" "2:bess-ingest: unknown option '-Z'" "a letter no table lists is a usage error"

# A mistyped long option names the nearest one, in every tool (one function in lib/opt.c).
for c in "bess-optimize --capacty 1kWh:--capacity" "bess-dispatch --horizn 1h:--horizon" \
    "bess-ingest --time-colum x:--time-col" "bess-resample --stpe 1h:--step" \
    "bess-plot --panles price:--panels" "bess-mqtt sub --topc x:--topic" \
    "bess-optimize --soc-mni 1kWh:--soc-min" "bess-ingest --dst-gp skip:--dst-gap"; do
	cmdline=${c%:*}
	want=${c##*:}
	# shellcheck disable=SC2086
	$cmdline </dev/null >/dev/null 2>"$T/err"
	st=$?
	is "$st:$(head -n 1 "$T/err" | sed 's/.*; //')" "2:did you mean '$want'?" "$cmdline: did you mean '$want'?"
done
bess-optimize --zzzzzz 1 </dev/null >/dev/null 2>"$T/err"
is "$(head -n 1 "$T/err")" "bess-optimize: unknown option '--zzzzzz'" "nothing near: no suggestion"
printf '[bess-optimize]\ncapacty = 1kWh\n' >"$T/c.conf"
bess-optimize -c "$T/c.conf" </dev/null >/dev/null 2>"$T/err"
is "$(head -n 1 "$T/err" | sed 's/.*unknown key/unknown key/')" \
    "unknown key 'capacty' for bess-optimize; did you mean 'capacity'?" \
    "a mistyped key in the tool's config section names the nearest too"
done_testing
