#!/bin/sh
# mqtt-roundtrip.sh: bess-mqtt pub -> a real mosquitto broker -> bess-mqtt sub keeps records exactly; payload forms, topics, retain, expiry, will, availability, live pipes, stopping.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/mqtt-common.inc"

P=$(free_port)
mq_broker "$P" || skip_all "mosquitto did not start"
H="-h 127.0.0.1 -p $P"

# --- NDJSON round trip: every kind of value, keys in the order sub writes them
# (ts, then the topic's levels site and device, then the rest). Numbers are
# written as the record reader normalises them, so the text must come back byte for byte.
cat >"$T/in.ndjson" <<'EOF'
{"ts":"2025-01-16T10:00:00Z","site":"berlin","device":"bat-1","soc_kwh":12.5,"note":"plain","ok":true,"tags":[1,"a"],"cfg":{"x":null}}
{"ts":"2025-01-16T10:15:00Z","site":"berlin","device":"bat-2","soc_kwh":-3,"note":"a \"quote\", a \\ and a tab\t","ok":false,"tags":[],"cfg":{}}
{"ts":"2025-01-16T10:30:00Z","site":"zürich","device":"☀-7","soc_kwh":1.5e-07,"note":"","ok":null,"tags":null,"cfg":null}
{"ts":"2025-01-16T10:45:00.25Z","site":"s","device":"d","soc_kwh":123456789012,"note":"line1\nline2","ok":true,"tags":[1.25],"cfg":{"a":{"b":2}}}
EOF
bess-mqtt sub $H -t 'rt/+site/+device/state' -C 4 -v >"$T/rt.out" 2>"$T/rt.err" &
SUB=$!
wait_grep "$T/rt.err" "subscribed"
bess-mqtt pub $H -t 'rt/{site}/{device}/state' <"$T/in.ndjson" 2>"$T/pub.err"
ok $? "pub: 4 NDJSON records published"
wait_pid $SUB 20
is "$ST" 0 "sub -C 4: exit status 0 after 4 records"
# the topic is the only field sub adds (the payload's ts, site and device replace its own)
sed 's/,"topic":"rt\/[^"]*\/state"//' "$T/rt.out" >"$T/rt.cut"
cmp -s "$T/rt.cut" "$T/in.ndjson"
ok $? "round trip: records come back byte for byte (topic field aside)"
[ -s "$T/rt.cut" ] && ! cmp -s "$T/rt.cut" "$T/in.ndjson" && diff "$T/in.ndjson" "$T/rt.cut" | sed 's/^/# /'
is "$(sed -n 's/.*"topic":"\([^"]*\)".*/\1/p' "$T/rt.out" | tr '\n' ' ')" \
    "rt/berlin/bat-1/state rt/berlin/bat-2/state rt/zürich/☀-7/state rt/s/d/state " \
    "the topics are filled from {site} and {device}"

# --- the same through an independent subscriber: the JSON payload is the record
mosquitto_sub $H -t 'ind/#' -C 1 -W 10 >"$T/ind.out" &
MS=$!
sleep 0.3
head -n 1 "$T/in.ndjson" | bess-mqtt pub $H -t ind/x
wait_pid $MS 10
is "$(cat "$T/ind.out")" "$(head -n 1 "$T/in.ndjson")" "mosquitto_sub sees the record itself as the payload"

# --- CSV in, CSV out: fields from the topic when the payload lacks them
printf 'ts,site,device,soc_kwh,note\n2025-01-16T10:00:00Z,north,b1,10,"has, comma"\n2025-01-16T10:15:00Z,south,b2,,007\n' >"$T/in.csv"
bess-mqtt sub $H -t 'csv/+site/+device' -C 2 -f csv --fields ts,site,device,soc_kwh,note -v \
    >"$T/csv.out" 2>"$T/csv.err" &
SUB=$!
wait_grep "$T/csv.err" "subscribed"
bess-mqtt pub $H --input-format csv -t 'csv/{site}/{device}' --fields ts,soc_kwh,note <"$T/in.csv"
wait_pid $SUB 20
is "$ST" 0 "sub -f csv: exit status 0"
# the payload had no site or device: those came from the topic's levels
cmp -s "$T/csv.out" "$T/in.csv"
ok $? "CSV round trip with site and device taken from the topic"
[ -s "$T/csv.out" ] && ! cmp -s "$T/csv.out" "$T/in.csv" && diff "$T/in.csv" "$T/csv.out" | sed 's/^/# /'

# --- battery commands: sign convention of bess(7), battery_kw > 0 charges
printf 'battery_kw\n100\n-50\n0\n0.0004\n-12.3456\n' >"$T/cmd.csv"
mosquitto_sub $H -t 'cmd/b1/set' -C 5 -W 10 >"$T/cmd.raw" &
MS=$!
bess-mqtt sub $H -t 'cmd/+device/set' -C 5 -v >"$T/cmd.out" 2>"$T/cmd.err" &
SUB=$!
wait_grep "$T/cmd.err" "subscribed"
sleep 0.2
bess-mqtt pub $H -t cmd/b1/set --payload command <"$T/cmd.csv"
ok $? "pub --payload command"
wait_pid $MS 10
wait_pid $SUB 10
# by hand: 100 charges, -50 discharges 50, 0 and 0.4 W round to IDLE, 12.3456 rounds to 12.346
is "$(tr '\n' '|' <"$T/cmd.raw")" "CHARGE 100kW|DISCHARGE 50kW|IDLE|IDLE|DISCHARGE 12.346kW|" \
    "the command texts on the wire"
is "$(sed -n 's/.*"battery_kw":\([^,}]*\).*/\1/p' "$T/cmd.out" | tr '\n' ' ')" "100 -50 0 0 -12.346 " \
    "sub reads the commands back as battery_kw"

# --- payloads from another client: number, text command, object, text
bess-mqtt sub $H -t 'dev/+device/#what' -C 5 -v >"$T/dev.out" 2>"$T/dev.err" &
SUB=$!
wait_grep "$T/dev.err" "subscribed"
mosquitto_pub $H -t dev/m1/soc -q 1 -m '55.5'
mosquitto_pub $H -t dev/m1/set -q 1 -m 'DISCHARGE 0.25MW'
mosquitto_pub $H -t dev/m1/state -q 1 -m '{"soc_pct":55,"mode":"auto"}'
mosquitto_pub $H -t dev/m1/status -q 1 -m 'online'
mosquitto_pub $H -t dev/m1/empty -q 1 -n
wait_pid $SUB 10
sed 's/"ts":"[^"]*",//' "$T/dev.out" >"$T/dev.cut"
cat >"$T/dev.want" <<'EOF'
{"topic":"dev/m1/soc","device":"m1","what":"soc","value":55.5}
{"topic":"dev/m1/set","device":"m1","what":"set","battery_kw":-250}
{"topic":"dev/m1/state","device":"m1","what":"state","soc_pct":55,"mode":"auto"}
{"topic":"dev/m1/status","device":"m1","what":"status","value":"online"}
{"topic":"dev/m1/empty","device":"m1","what":"empty","value":null}
EOF
cmp -s "$T/dev.cut" "$T/dev.want"
ok $? "payload forms from mosquitto_pub: number, command (0.25 MW = 250 kW), object, text, empty"
! cmp -s "$T/dev.cut" "$T/dev.want" && diff "$T/dev.want" "$T/dev.cut" | sed 's/^/# /'
# the receive time is UTC RFC 3339 with a Z, within a minute of now (date(1) is the independent clock)
now=$(date -u +%s)
got=$(sed -n '1s/.*"ts":"\([^"]*\)".*/\1/p' "$T/dev.out")
case $got in
????-??-??T??:??:??*Z) fmt=0 ;;
*) fmt=1 ;;
esac
ok $fmt "receive time '$got' is RFC 3339 UTC"
secs=$(date -u -d "$got" +%s 2>/dev/null || echo 0)
near "$secs" "$now" 60 "receive time is now"

# --- value:FIELD
printf '{"soc_pct":42.5,"site":"x"}\n' | bess-mqtt pub $H -t val/soc --payload value:soc_pct -r
is "$(mosquitto_sub $H -t val/soc -C 1 -W 5)" "42.5" "pub --payload value:FIELD sends the bare value (retained here)"

# --- retain: sub sees the retained copy, -R skips it
bess-mqtt sub $H -t 'val/soc' -W 1 >"$T/ret.out" 2>/dev/null
is "$(sed -n 's/.*"value":\([^,}]*\).*/\1/p' "$T/ret.out")" "42.5" "a new subscriber gets the retained message"
bess-mqtt sub $H -t 'val/soc' -W 1 -R >"$T/ret2.out" 2>/dev/null
is "$(wc -l <"$T/ret2.out" | tr -d ' ')" 0 "-R skips retained messages"
printf '{"v":1}\n' | bess-mqtt pub $H -t val/noretain
is "$(mosquitto_sub $H -t val/noretain -W 1 2>/dev/null | wc -l | tr -d ' ')" 0 \
    "without -r nothing is retained"

# --- MQTT 5 message expiry: a retained message expires after 1 s
printf '{"v":1}\n' | bess-mqtt pub $H -t exp/a -r --expiry 1s
printf '{"v":2}\n' | bess-mqtt pub $H -t exp/b -r
sleep 2.2
is "$(mosquitto_sub $H -t 'exp/#' -W 1 2>/dev/null | tr '\n' ' ')" '{"v":2} ' \
    "--expiry 1s: the broker dropped that message after a second, kept the other"

# --- availability and will
mosquitto_sub $H -t 'av/state' -v -W 8 >"$T/av.out" 2>/dev/null &
AV=$!
sleep 0.3
mkfifo "$T/av.fifo"
bess-mqtt pub $H -t av/data --availability av/state <"$T/av.fifo" 2>"$T/av.err" &
PUB=$!
exec 3>"$T/av.fifo"
wait_grep "$T/av.out" "online" 10
printf '{"x":1}\n' >&3
exec 3>&-
wait_pid $PUB 10
is "$ST" 0 "pub with --availability ends cleanly"
wait_grep "$T/av.out" "offline" 5
is "$(tr '\n' '|' <"$T/av.out")" "av/state online|av/state offline|" "availability: online while running, offline after"
is "$(mosquitto_sub $H -t av/state -C 1 -W 3)" "offline" "availability messages are retained"
kill $AV 2>/dev/null
wait $AV 2>/dev/null
# a sub that dies without saying goodbye: the broker sends the last will
# (retained, so reading it afterwards does not race the broker's delivery)
bess-mqtt sub $H -t 'nothing' --will-topic will/b1 --will-payload gone --will-retain -v 2>"$T/will.err" &
DIE=$!
wait_grep "$T/will.err" "subscribed"
kill -9 $DIE
wait $DIE 2>/dev/null
mosquitto_sub $H -t 'will/#' -v -C 1 -W 10 >"$T/will.out" 2>/dev/null
is "$(cat "$T/will.out")" "will/b1 gone" "the last will arrives when the client dies"

# --- a live pipe: the first record goes out while the writer is still running
mkfifo "$T/live.fifo"
bess-mqtt sub $H -t 'live/#' -C 1 -v >"$T/live.out" 2>"$T/live.err" &
SUB=$!
wait_grep "$T/live.err" "subscribed"
bess-mqtt pub $H -t live/x <"$T/live.fifo" &
PUB=$!
exec 3>"$T/live.fifo"
printf '{"n":1}\n' >&3
wait_lines "$T/live.out" 1 10
ok $? "NDJSON: a record on a pipe that stays open is published at once"
exec 3>&-
wait_pid $PUB 10
wait_pid $SUB 10
mkfifo "$T/livec.fifo"
bess-mqtt sub $H -t 'livec/#' -C 1 -v >"$T/livec.out" 2>"$T/livec.err" &
SUB=$!
wait_grep "$T/livec.err" "subscribed"
bess-mqtt pub $H --input-format csv -t livec/x <"$T/livec.fifo" &
PUB=$!
exec 3>"$T/livec.fifo"
printf 'ts,battery_kw\n2025-01-16T10:00:00Z,5\n' >&3
wait_lines "$T/livec.out" 1 10
ok $? "CSV (--input-format csv): the first record on an open pipe is published at once"
exec 3>&-
wait_pid $PUB 10
wait_pid $SUB 10

# --- stopping: SIGTERM and SIGINT end sub cleanly, -W ends it, output complete
for sig in TERM INT; do
	bess-mqtt sub $H -t "sig/$sig" -v >"$T/sig-$sig.out" 2>"$T/sig-$sig.err" &
	SUB=$!
	wait_grep "$T/sig-$sig.err" "subscribed"
	printf '{"a":1}\n{"a":2}\n' | bess-mqtt pub $H -t "sig/$sig"
	wait_lines "$T/sig-$sig.out" 2 10
	kill -$sig $SUB
	wait_pid $SUB 10
	is "$ST" 0 "SIG$sig: sub exits 0"
	is "$(cat "$T/sig-$sig.out" | sed 's/"ts":"[^"]*",//' | tr '\n' ' ')" \
	    "{\"topic\":\"sig/$sig\",\"a\":1} {\"topic\":\"sig/$sig\",\"a\":2} " "SIG$sig: both records written whole"
done
start=$(date +%s)
bess-mqtt sub $H -t quiet -W 1 >"$T/w.out" 2>&1
ok $? "-W 1: exit status 0"
near "$(( $(date +%s) - start ))" 1 1 "-W 1 stops after about a second"
is "$(wc -c <"$T/w.out" | tr -d ' ')" 0 "-W with no messages writes nothing"

# --- CSV without --fields: the first message's fields make the header
bess-mqtt sub $H -t 'hdr/#' -C 2 -f csv -v >"$T/hdr.out" 2>"$T/hdr.err" &
SUB=$!
wait_grep "$T/hdr.err" "subscribed"
printf '{"a":1}\n{"a":2,"b":3}\n' | bess-mqtt pub $H -t hdr/x
wait_pid $SUB 10
is "$(cut -d, -f2- "$T/hdr.out" | tr '\n' ' ')" "topic,a hdr/x,1 hdr/x,2 " "CSV: columns of the first message"
grep -q "warning: field 'b' is not a CSV column" "$T/hdr.err"
ok $? "CSV: a later field is dropped with a warning"

# --- a payload that cannot be read is skipped with a warning
bess-mqtt sub $H -t 'bad/#' --payload json -C 1 -v >"$T/bad.out" 2>"$T/bad.err" &
SUB=$!
wait_grep "$T/bad.err" "subscribed"
mosquitto_pub $H -t bad/x -q 1 -m 'not json'
mosquitto_pub $H -t bad/y -q 1 -m '{"ok":1}'
wait_pid $SUB 10
is "$(sed 's/"ts":"[^"]*",//' "$T/bad.out")" '{"topic":"bad/y","ok":1}' "--payload json: a non-JSON message is skipped"
grep -q "warning: topic 'bad/x': payload is not a JSON object" "$T/bad.err"
ok $? "... with a warning naming the topic"

# --- data errors in pub: file:line, after publishing what came before
printf '{"site":"a","v":1}\n{"v":2}\n{"site":"c","v":3}\n' >"$T/miss.ndjson"
bess-mqtt pub $H -t 'err/{site}' "$T/miss.ndjson" 2>"$T/miss.err"
is "$?" 1 "a record without the topic's field: exit status 1"
is "$(cat "$T/miss.err")" "bess-mqtt: $T/miss.ndjson:2: topic field 'site' is missing" "... and says where"

done_testing
