#!/bin/sh
# mqtt-hostile.sh: bess-mqtt sub against a real broker when the output or the publisher is hostile: a closed stdout loses nothing of a persistent QoS 1 session and ends quietly; the topic, not the payload, says who speaks; a payload's ts must be a time.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/mqtt-common.inc"

P=$(free_port)
mq_broker "$P" || skip_all "mosquitto did not start"
H="-h 127.0.0.1 -p $P"
pub() { bess-mqtt pub $H -q 1 -t "$1"; }	# pub TOPIC < records

# --- a persistent QoS 1 subscriber whose stdout closes (| head -1): the message that meets the
# closed pipe is not acknowledged, so the session's next connection gets it (it was acknowledged
# before it was written, and lost: the rerun got 3, 4, 5); the subscriber ends quietly, status 0
# (it said "stdout: Success", status 1)
bess-mqtt sub $H -q 1 --persistent -i hostile-sub -t 'h/#' -C 1 -W 1 >/dev/null 2>&1	# the session
mkfifo "$T/pipe"
bess-mqtt sub $H -q 1 --persistent -i hostile-sub -t 'h/#' -v -W 20 >"$T/pipe" 2>"$T/sub.err" &
SUB=$!
head -n 1 <"$T/pipe" >"$T/first" &
HEAD=$!
wait_grep "$T/sub.err" "subscribed"
echo '{"seq":1}' | pub h/x
wait $HEAD
echo '{"seq":2}' | pub h/x	# meets the closed pipe
wait_pid $SUB 20
is "$ST:$(grep -c 'stdout' "$T/sub.err")" "0:0" "stdout closed by head: status 0, no 'stdout: Success'"
is "$(sed 's/.*"seq":\([0-9]*\).*/\1/' "$T/first")" "1" "head got message 1"
printf '{"seq":3}\n{"seq":4}\n' | pub h/x
bess-mqtt sub $H -q 1 --persistent -i hostile-sub -t 'h/#' -W 2 2>/dev/null >"$T/rest"
is "$(sed 's/.*"seq":\([0-9]*\).*/\1/' "$T/rest" | sort -n | uniq | tr '\n' ' ')" "2 3 4 " \
	"the next connection of the session gets 2 (not acknowledged), then 3 and 4"

# --- -C 1 with a burst queued: only the first is taken; the rest stay with the session
printf '{"seq":5}\n{"seq":6}\n{"seq":7}\n' | pub h/x
bess-mqtt sub $H -q 1 --persistent -i hostile-sub -t 'h/#' -C 1 -W 5 2>/dev/null >"$T/one"
bess-mqtt sub $H -q 1 --persistent -i hostile-sub -t 'h/#' -W 2 2>/dev/null >"$T/rest2"
is "$(sed 's/.*"seq":\([0-9]*\).*/\1/' "$T/one" "$T/rest2" | sort -n | uniq | tr '\n' ' ')" "5 6 7 " \
	"-C 1 on a queued burst: 5 taken, 6 and 7 not lost to the session"

# --- the topic's named levels win over the payload's fields: a client allowed only bess/s1/bat1
# by the broker's ACL cannot speak for s2/bat9 (it came out as s2/bat9)
bess-mqtt sub $H -v -t "bess/+site/+device/state" -C 2 -W 10 -f csv >"$T/who" 2>"$T/who.err" &
SUB=$!
wait_grep "$T/who.err" "subscribed" 10 || sleep 1
printf '{"site":"s2","device":"bat9","topic":"x/y","soc_kwh":5}\n{"soc_kwh":6}\n' | pub bess/s1/bat1/state
wait_pid $SUB 20
is "$(cut -d, -f2- "$T/who" | tr '\n' ' ')" "topic,site,device,soc_kwh bess/s1/bat1/state,s1,bat1,5 bess/s1/bat1/state,s1,bat1,6 " \
	"site, device and topic come from the topic, not the payload"
is "$(grep -c "differs from the topic's" "$T/who.err")" "3" "... with a warning for each field once (site, device, topic)"

# --- a payload's own ts must be a time: "garbage" was passed through; an offset becomes UTC Z
bess-mqtt sub $H -v -t "ts/#" -C 1 -W 10 >"$T/ts" 2>"$T/ts.err" &
SUB=$!
wait_grep "$T/ts.err" "subscribed" 10 || sleep 1
printf '{"ts":"garbage","soc_kwh":1}\n{"ts":"2025-01-06T01:00:00+01:00","soc_kwh":2}\n' | pub ts/x
wait_pid $SUB 20
is "$(cat "$T/ts")" '{"ts":"2025-01-06T00:00:00Z","topic":"ts/x","soc_kwh":2}' "a ts with an offset comes out in UTC"
is "$(grep -c "field 'ts'.*garbage.*skipped" "$T/ts.err")" "1" "\"ts\":\"garbage\" is skipped with a warning"

done_testing
