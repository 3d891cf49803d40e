#!/bin/sh
# mqtt-100k.sh: 100,000 records at QoS 1 through a real broker: every one arrives, once, in order.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/mqtt-common.inc"

N=100000
P=$(free_port)
# max_queued_messages 0 (start_mosquitto) lets the broker queue for a slow subscriber without limit
mq_broker "$P" || skip_all "mosquitto did not start"
H="-h 127.0.0.1 -p $P"

seq_ndjson 1 $N >"$T/in.ndjson"
bess-mqtt sub $H -q 1 -t 'big/#' -C $N -v >"$T/out.ndjson" 2>"$T/sub.err" &
SUB=$!
wait_grep "$T/sub.err" "subscribed"
bess-mqtt pub $H -q 1 -t big/x -v <"$T/in.ndjson" 2>"$T/pub.err"
is "$?" 0 "pub: exit status 0 (every message acknowledged)"
is "$(tail -n 1 "$T/pub.err")" "bess-mqtt: $N messages published, $N acknowledged" "pub counts $N acknowledgements"
wait_pid $SUB 60
is "$ST" 0 "sub -C $N: exit status 0"
# counted at the subscriber, by awk over its output: lines, and seq = line number on every line
is "$(wc -l <"$T/out.ndjson" | tr -d ' ')" $N "the subscriber wrote $N records"
is "$(seqs "$T/out.ndjson" | awk '$1 != NR { print "line " NR " has " $1; exit } END { if (NR) print "ok" }' | head -n 1)" \
    ok "each record's seq is its line number: none lost, none duplicated, in order"
# and the payload survived: soc_kwh = seq mod 1000 + 0.5 (how the input was made)
is "$(awk -F'"soc_kwh":' '{ split($2, a, "}"); s = $0; sub(/.*"seq":/, "", s); sub(/,.*/, "", s); if (a[1] != (s % 1000) + 0.5) { print "line " NR; exit } } END { print "ok" }' "$T/out.ndjson" | head -n 1)" \
    ok "every payload is intact"

done_testing
