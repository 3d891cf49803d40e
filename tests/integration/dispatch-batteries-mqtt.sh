#!/bin/sh
# dispatch-batteries-mqtt.sh: the commands of several batteries (bess-dispatch --once --battery ...)
# published with bess-mqtt pub -t 'site/{device}/setpoint' reach each battery's own topic through a
# real mosquitto broker, one message per battery, with its command. The plan is the one of
# dispatch-batteries.sh: prices 0.10 then 0.30, empty batteries, so each charges at its power in the
# first hour, a 50 kW and b 30 kW (derived there).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/mqtt-common.inc"

P=$(free_port)
mq_broker "$P" || skip_all "mosquitto did not start"
H="-h 127.0.0.1 -p $P"
printf '%s\n' '{"ts":"2026-01-01T00:00:00Z","price":0.1}' '{"ts":"2026-01-01T01:00:00Z","price":0.3}' \
    '{"ts":"2026-01-01T00:00:00Z","device":"a","soc_kwh":0}' '{"ts":"2026-01-01T00:00:00Z","device":"b","soc_kwh":0}' \
    >"$T/in.ndjson"
bess-dispatch --once --state "$T/st.json" --now 2026-01-01T00:00:00Z --step 1h --charge-efficiency 90% \
    --discharge-efficiency 90% --battery a:capacity=100kWh,power=50kW --battery b:capacity=100kWh,power=30kW \
    "$T/in.ndjson" >"$T/cmd.ndjson"
ok $? "bess-dispatch --once: a command per battery"
mosquitto_sub $H -t 'site/+/setpoint' -v -C 2 -W 10 >"$T/got" &
MS=$!
sleep 0.5
bess-mqtt pub $H -t 'site/{device}/setpoint' <"$T/cmd.ndjson"
ok $? "bess-mqtt pub: the commands published"
wait_pid $MS 15
is "$(cut -d' ' -f1 "$T/got" | sort | tr '\n' ' ')" "site/a/setpoint site/b/setpoint " \
    "one message per battery, on its own topic"
is "$(sed -n 's|^site/\([ab]\)/setpoint .*"battery_kw":\([^,]*\),.*|\1 \2|p' "$T/got" | sort | tr '\n' ' ')" \
    "a 50 b 30 " "each with its own command (its power)"
done_testing
