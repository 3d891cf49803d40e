#!/bin/sh
# dispatch-parallel.sh: many sites fanned out with GNU parallel (as the README shows, here on the
# local host, also through --sshlogin ':'): one summary line per input, concatenated into one
# NDJSON table, each line the same as that input's run on its own.
. "$(dirname "$0")/../lib.sh"

command -v parallel >/dev/null || skip_all "GNU parallel is not installed (Debian: parallel)"

# three sites from the January 2023 extracts: b111's load, twice that load, and the first half month
bess-ingest --utc -m 'Electricity Pricing [£/kWh]=price' "$DATA/agile-octopus-2023-01.csv" >"$T/p.csv"
bess-ingest --utc --interval 1h -m 'equipment load [kWh]=load_kw' "$DATA/b111-load-2023-01.csv" >"$T/l.csv"
awk -F, 'NR == FNR { if (FNR > 1) l[$1] = $2; next } FNR == 1 { print "ts,price,load_kw"; next }
	($1 in l) { print $1 "," $2 "," l[$1] }' "$T/l.csv" "$T/p.csv" >"$T/site-a.csv"
awk -F, 'NR == 1 { print; next } { print $1 "," $2 "," 2 * $3 }' "$T/site-a.csv" >"$T/site-b.csv"
head -n 361 "$T/site-a.csv" >"$T/site-c.csv"
is "$(wc -l <"$T/site-a.csv") $(wc -l <"$T/site-c.csv")" "745 361" "three sites: 744, 744 and 360 hours"

RUN="bess-dispatch --backtest --capacity 200kWh --power 100kW --horizon 24h --forecast persistence -q -o /dev/null --summary -"
# the summaries go to stderr ("-"); parallel keeps each job's output together
parallel -j 2 --keep-order "$RUN {} 2>&1" ::: "$T/site-a.csv" "$T/site-b.csv" "$T/site-c.csv" >"$T/table.ndjson"
ok $? "parallel ran the three backtests"
is "$(wc -l <"$T/table.ndjson")" 3 "one summary line per site"
is "$(sed 's/.*"input":"\([^"]*\)".*/\1/' "$T/table.ndjson" | xargs -n 1 basename | tr '\n' ' ')" \
    "site-a.csv site-b.csv site-c.csv " "each line names its input, in order"
is "$(sed 's/.*"steps":\([0-9]*\).*/\1/' "$T/table.ndjson" | tr '\n' ' ')" "744 744 360 " "steps per site"

# each line equals the same run on its own (apart from the timings)
untimed() { sed -E 's/"(run_s|solve_ms|ms_per_solve|optimum_s)":[0-9.e+-]+//g'; }
for s in a b c; do
	$RUN "$T/site-$s.csv" 2>&1 | untimed >"$T/alone-$s"
done
cat "$T/alone-a" "$T/alone-b" "$T/alone-c" >"$T/alone"
untimed <"$T/table.ndjson" | cmp -s - "$T/alone"
ok $? "the parallel table is the concatenation of the runs on their own"

# the twice-the-load site: export is paid at the import price, so the battery's schedule (and so
# its saving) does not depend on the load; its no-battery cost is twice site a's
field() { sed -n "$1s/.*\"$2\":\([^,}]*\).*/\1/p" "$T/table.ndjson"; }
near "$(field 2 saving)" "$(field 1 saving)" 1e-6 "the saving does not depend on the load"
near "$(field 2 baseline_cost)" "$(awk -v a="$(field 1 baseline_cost)" 'BEGIN { printf "%.6f", 2 * a }')" 1e-5 \
    "twice the load, twice the no-battery cost"

# the --sshlogin path of parallel (':' is the local host), as for a fan-out across machines
parallel --sshlogin : --keep-order "$RUN {} 2>&1" ::: "$T/site-a.csv" "$T/site-c.csv" | untimed >"$T/ssh"
cat "$T/alone-a" "$T/alone-c" | cmp -s - "$T/ssh"
ok $? "--sshlogin : gives the same lines"
done_testing
