#!/bin/sh
# live-loop.sh: the live loop of the README through a real mosquitto broker —
# bess-mqtt sub | bess-dispatch --live | bess-mqtt pub — driven by published price and state events.
. "$(dirname "$0")/../lib.sh"
[ -x /usr/sbin/mosquitto ] || skip_all "mosquitto not installed"
command -v mosquitto_pub >/dev/null || skip_all "mosquitto-clients not installed"

P=$(free_port)
start_mosquitto "$P"
ok $? "broker on 127.0.0.1:$P"
H="-h 127.0.0.1 -p $P"
# --soc-final free: each plan may end empty (the default, init, keeps at least the SOC reported)
BAT="--capacity 2kWh --power 1kW --charge-efficiency 100% --discharge-efficiency 90% --soc-final free"

# commands as the battery sees them
mosquitto_sub $H -q 1 -t site/battery/set -C 3 -W 30 >"$T/cmds" 2>/dev/null &
CMDS=$!
track $CMDS
# the loop, one process per stage (through FIFOs, so each can be stopped)
mkfifo "$T/a" "$T/b"
bess-mqtt sub $H -q 1 -t 'site/+kind' >"$T/a" 2>"$T/sub.err" &
track $!
bess-dispatch --live --clock events --step 1h --horizon 4h $BAT <"$T/a" >"$T/b" 2>"$T/disp.err" &
track $!
bess-mqtt pub $H -q 1 -t site/battery/set --payload command <"$T/b" 2>"$T/pub.err" &
track $!
sleep 1

# prices for four hours, then the battery's state each hour (the event clock: a state's ts is now)
for p in 00:0.1 01:0.1 02:0.9 03:0.8; do
	mosquitto_pub $H -q 1 -t site/price -m "{\"ts\":\"2025-01-06T${p%%:*}:00:00Z\",\"price\":${p#*:}}"
done
sleep 0.5
# By hand: charging loses nothing, discharging 10 %. Buying 1 kWh at 0.1 at 00:00 and at 01:00
# fills the 2 kWh; 1 kW out at 02:00 (price 0.9) takes 1/0.9 kWh, leaving 0.889 kWh, which gives
# 0.8 kW at 03:00 (price 0.8): revenue 0.9 + 0.64 = 1.54 against 0.2 paid, and nothing better
# exists (the dearest hour first, at full power). So: charge 1 kW, charge 1 kW, discharge 1 kW.
mosquitto_pub $H -q 1 -t site/state -m '{"ts":"2025-01-06T00:00:00Z","soc_kwh":0}'
sleep 0.5
mosquitto_pub $H -q 1 -t site/state -m '{"ts":"2025-01-06T01:00:00Z","soc_kwh":1}'
sleep 0.5
mosquitto_pub $H -q 1 -t site/state -m '{"ts":"2025-01-06T02:00:00Z","soc_kwh":2}'
i=0
while [ "$(wc -l <"$T/cmds")" -lt 3 ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
is "$(tr '\n' '|' <"$T/cmds")" "CHARGE 1kW|CHARGE 1kW|DISCHARGE 1kW|" \
	"the battery receives charge, charge, discharge as the events arrive"
is "$(cat "$T/disp.err" "$T/pub.err")" "" "nothing on stderr from the controller or the publisher"
done_testing
