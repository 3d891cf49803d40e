#!/bin/sh
# dispatch-devices-mqtt.sh: the live loop with devices through a real mosquitto broker. Prices,
# the battery's SOC and the pump's state are published to the broker; bess-mqtt sub hands them to
# bess-dispatch --live --devices, whose commands and instructions bess-mqtt pub sends to
# 'site/{device}/set': each device's topic gets its own instruction, the battery's its command.
# The plan is the devices/shed-peak case's, hourly (by hand there): the 5 kW pump, off at most
# 2 h a day at 0.10/kWh not served, OFF in the two 0.50 hours, ON in the 0.10 ones; the fridge
# is essential and never instructed. The pump reports OFF after its 01:00 instruction (it did as
# told: the plan stands). One more record names a device the file does not have: skipped with
# its line on stderr, never silently. (--stale 4h: the hourly forecasts are sent once, at the start.)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/mqtt-common.inc"

P=$(free_port)
mq_broker "$P" || skip_all "mosquitto did not start"
H="-h 127.0.0.1 -p $P"
C=$top/tests/cases/devices/shed-peak
mosquitto_sub $H -t 'site/+/set' -v -C 8 -W 30 >"$T/got" &
MS=$!
bess-mqtt sub $H -t 'site/+device/state' -t 'site/prices' -C 10 -W 30 2>"$T/sub.err" |
    bess-dispatch --live --clock events --step 1h --horizon 4h --capacity 1kWh --power 1kW \
    --efficiency 100% --soc-min 0kWh --soc-final free --stale 4h --devices "$C/devices" 2>"$T/dispatch.err" |
    bess-mqtt pub $H -t 'site/{device}/set' 2>"$T/pub.err" &
PIPE=$!
sleep 1
pub() { mosquitto_pub $H -q 1 -t "$1" -m "$2"; }
awk -F, 'NR > 1 { printf "{\"ts\":\"%s\",\"price\":%s,\"load_kw\":%s}\n", $1, $2, $3 }' "$C/in.csv" |
    while read -r rec; do pub site/prices "$rec"; done
pub site/battery/state '{"ts":"2026-01-05T00:00:00Z","soc_kwh":0}'
pub site/battery/state '{"ts":"2026-01-05T01:00:00Z","soc_kwh":0}'
pub site/pump/state '{"ts":"2026-01-05T01:00:30Z","state":"OFF"}'
pub site/heater/state '{"ts":"2026-01-05T01:00:40Z","state":"ON"}'
pub site/battery/state '{"ts":"2026-01-05T02:00:00Z","soc_kwh":0}'
pub site/battery/state '{"ts":"2026-01-05T03:00:00Z","soc_kwh":0}'
wait_pid $MS 40
ok $ST "mosquitto_sub: 8 messages on site/+/set"
wait_pid $PIPE 40
ok $ST "the pipeline ended with its input"
is "$(cut -d' ' -f1 "$T/got" | sort | uniq -c | awk '{ printf "%s %s ", $2, $1 }')" \
    "site/battery/set 4 site/pump/set 4 " "one message per interval on the battery's and the pump's topics, none for the fridge"
is "$(grep '^site/pump/set' "$T/got" | grep -o '"command":"[A-Z]*","power_kw":[0-9.]*' | tr '\n' ' ')" \
    '"command":"ON","power_kw":5 "command":"OFF","power_kw":0 "command":"OFF","power_kw":0 "command":"ON","power_kw":5 ' \
    "the pump's instructions in interval order"
is "$(grep -c 'heater' "$T/dispatch.err")" 1 "the unknown device's record: one diagnostic"
grep -q "<stdin>:[0-9]*: column 'device': 'heater' is neither a battery" "$T/dispatch.err"
ok $? "... naming its line: $(head -c 200 "$T/dispatch.err")"
done_testing
