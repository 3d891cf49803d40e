#!/bin/sh
# devices-mqtt.sh: per-device records (bess-optimize --per-device) published with
# bess-mqtt pub -t 'site/{device}/set' reach each device's own topic through a real mosquitto
# broker: one message per device and step, the command and power in the payload (the plan is the
# shed-peak case's: the 5 kW pump off in the two 0.50 hours, derived by hand there).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/mqtt-common.inc"

P=$(free_port)
mq_broker "$P" || skip_all "mosquitto did not start"
H="-h 127.0.0.1 -p $P"
C=$top/tests/cases/devices/shed-peak
bess-optimize --capacity 1kWh --power 1kW --efficiency 100% --soc-init 0kWh --soc-final free \
    --devices "$C/devices" --per-device "$T/dev.csv" -o /dev/null "$C/in.csv"
ok $? "bess-optimize wrote the per-device records"
mosquitto_sub $H -t 'site/+/set' -v -C 8 -W 10 >"$T/got" &
MS=$!
sleep 0.5
bess-mqtt pub $H --input-format csv -t 'site/{device}/set' <"$T/dev.csv"
ok $? "bess-mqtt pub: the records published"
wait_pid $MS 15
is "$(cut -d' ' -f1 "$T/got" | sort | uniq -c | awk '{ printf "%s %s ", $2, $1 }')" \
    "site/fridge/set 4 site/pump/set 4 " "one message per device and step, on the device's topic"
is "$(grep '^site/pump/set' "$T/got" | grep -o '"command":"[A-Z]*"' | tr '\n' ' ')" \
    '"command":"ON" "command":"OFF" "command":"OFF" "command":"ON" ' "the pump's commands in step order"
is "$(grep '^site/pump/set' "$T/got" | grep -o '"power_kw":[0-9.]*' | tr '\n' ' ')" \
    '"power_kw":5 "power_kw":0 "power_kw":0 "power_kw":5 ' "and its power"
done_testing
