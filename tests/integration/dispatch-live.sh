#!/bin/sh
# dispatch-live.sh: --live on a real pipe — each command comes out as soon as its interval starts
# (not at the end of input), with the event clock and with the wall clock; a stale load forecast
# and a known demand peak change the command as worked out by hand.
. "$(dirname "$0")/../lib.sh"

# --soc-final free: each plan may end empty (the default, init, keeps at least the SOC reported)
BAT="--capacity 2kWh --power 1kW --charge-efficiency 100% --discharge-efficiency 90% --soc-final free"

# lines FILE N: wait up to 10 s until FILE has N lines
lines() {
	_i=0
	while [ "$(wc -l <"$1" 2>/dev/null || echo 0)" -lt "$2" ] && [ $_i -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	[ "$(wc -l <"$1")" -ge "$2" ]
}

# --- the event clock through a FIFO: write an event, see its command before writing the next
mkfifo "$T/in"
bess-dispatch --live --clock events --step 1h --horizon 4h $BAT <"$T/in" >"$T/out" 2>"$T/err" &
pid=$!
track $pid
exec 3>"$T/in"
printf '%s\n' '{"ts":"2025-01-06T00:00:00Z","price":0.1}' '{"ts":"2025-01-06T01:00:00Z","price":0.1}' \
    '{"ts":"2025-01-06T02:00:00Z","price":0.9}' '{"ts":"2025-01-06T03:00:00Z","price":0.8}' >&3
sleep 0.3
is "$(wc -l <"$T/out")" 0 "prices alone (ahead of time) start no clock: no command yet"
printf '%s\n' '{"ts":"2025-01-06T00:00:00Z","soc_kwh":0}' >&3
lines "$T/out" 1
ok $? "the 00:00 command arrives while the input is still open"
# by hand (see the live-events case): buy 2 kWh at 0.1, sell at 0.9 and 0.8: charge 1 kW now
is "$(sed -n '1s/.*"battery_kw":\([^,]*\),.*"status":"\([a-z]*\)".*/\1 \2/p' "$T/out")" "1 optimal" \
    "00:00: charge 1 kW"
printf '%s\n' '{"ts":"2025-01-06T01:00:00Z","soc_kwh":1}' >&3
lines "$T/out" 2
ok $? "the 01:00 command follows the 01:00 state update at once"
is "$(sed -n '2s/.*"battery_kw":\([^,]*\),.*/\1/p' "$T/out")" 1 "01:00: charge 1 kW"
printf '%s\n' '{"ts":"2025-01-06T03:00:00Z","soc_kwh":0.888889}' >&3
lines "$T/out" 4
ok $? "a jump of two hours fires both intervals (02:00 and 03:00)"
is "$(sed -n '3s/.*"battery_kw":\([^,]*\),.*"replanned":\([a-z]*\).*/\1 \2/p' "$T/out")" "-1 false" \
    "02:00: the standing plan's discharge of 1 kW (nothing new had arrived)"
is "$(sed -n '4s/.*"battery_kw":\([^,]*\),.*/\1/p' "$T/out")" -0.8 "03:00: the 0.8 kW the SOC allows"
exec 3>&-
wait $pid
ok $? "exits 0 at the end of input"
is "$(cat "$T/err")" "" "nothing on stderr"

# --- auto-detected NDJSON on a pipe, a bad record skipped with a warning, not fatal
printf '%s\n' '{"ts":"2025-01-06T00:00:00Z","price":0.1}' '{"ts":"2025-01-06T00:00:00Z","soc_kwh":"x"}' \
    '{"ts":"2025-01-06T00:00:00Z","soc_kwh":0}' |
    bess-dispatch --live --clock events --step 1h --horizon 1h $BAT >"$T/out2" 2>"$T/err2"
ok $? "a bad record does not stop a live controller"
is "$(cat "$T/err2")" "bess-dispatch: warning: <stdin>:2: column 'soc_kwh': 'x' is not a number (record skipped)" \
    "the bad record is named on stderr"
is "$(wc -l <"$T/out2")" 1 "and the command still comes"

# --- a stale load forecast: load known at 00:00 only, --stale 90m: at 02:00 the command is safe
{
	for h in 0 1 2 3; do
		printf '{"ts":"2025-01-06T0%d:00:00Z","price":0.2}\n' "$h"
	done
	echo '{"ts":"2025-01-06T00:00:00Z","load_kw":5}'
	for h in 0 1 2; do
		printf '{"ts":"2025-01-06T0%d:00:00Z","soc_kwh":1}\n' "$h"
	done
} | bess-dispatch --live --clock events --step 1h --horizon 4h --stale 90m $BAT >"$T/out3"
is "$(sed -n '2s/.*"status":"\([a-z]*\)".*/\1/p' "$T/out3")" optimal "01:00: the load forecast is an hour old: fine"
is "$(sed -n '3s/.*"reason":"\([^"]*\)".*/\1/p' "$T/out3")" \
    "the load forecast is stale (last update at 2025-01-06T00:00:00Z)" "02:00: two hours old: safe, with the reason"

# --- demand charges: 10 kWh, 5 kW, discharging 90 %, must end full (--soc-init 10kWh); flat price
# 0.1, demand 10/kW; load 20, 30, 20, 20 kW. By hand: shaving 01:00 to 25 kW (discharge 5 kW,
# 5.56 kWh, recharged later at up to 5 kW over 20 kW) saves 50 and loses 0.056: discharge 5 kW.
# If a state update says 40 kW was already imported this month, shaving saves nothing and
# cycling loses: idle.
printf '[all]\ndemand = 10\n' >"$T/demand.tariff"
events() {
	for h in 0 1 2 3; do
		l=20
		[ $h = 1 ] && l=30
		printf '{"ts":"2025-01-06T0%d:00:00Z","price":0.1,"load_kw":%d}\n' "$h" "$l"
	done
	echo '{"ts":"2025-01-06T00:00:00Z","soc_kwh":10}'
	[ "${1:-}" = peak ] && echo '{"ts":"2025-01-06T00:30:00Z","soc_kwh":10,"grid_import_kw":40}'
	echo '{"ts":"2025-01-06T01:00:00Z","soc_kwh":10}'
}
DEM="--capacity 10kWh --power 5kW --charge-efficiency 100% --discharge-efficiency 90% --soc-init 10kWh"
events | bess-dispatch --live --clock events --step 1h --horizon 4h --tariff "$T/demand.tariff" $DEM >"$T/out4"
is "$(sed -n '2s/.*"battery_kw":\([^,]*\),.*/\1/p' "$T/out4")" -5 "01:00: shave the 30 kW hour by 5 kW"
events peak | bess-dispatch --live --clock events --step 1h --horizon 4h --tariff "$T/demand.tariff" $DEM >"$T/out5"
is "$(sed -n '2s/.*"battery_kw":\([^,]*\),.*/\1/p' "$T/out5")" 0 "01:00: a 40 kW peak already this month: idle"

# --- the wall clock: 1-second intervals for about 3 seconds
mkfifo "$T/in6"
bess-dispatch --live --step 1s --horizon 5s --stale 10s $BAT <"$T/in6" >"$T/out6" 2>"$T/err6" &
pid=$!
track $pid
exec 4>"$T/in6"
now=$(date +%s)
i=0
while [ $i -lt 12 ]; do
	p=0.1
	[ $((i % 4)) -ge 2 ] && p=0.9
	printf '{"ts":"%s","price":%s}\n' "$(date -u -d "@$((now + i))" +%Y-%m-%dT%H:%M:%SZ)" "$p" >&4
	i=$((i + 1))
done
printf '{"ts":"%s","soc_kwh":0}\n' "$(date -u -d "@$now" +%Y-%m-%dT%H:%M:%SZ)" >&4
sleep 3.5
exec 4>&-
wait $pid
ok $? "wall clock: exits 0 at the end of input"
n=$(wc -l <"$T/out6")
awk -v n="$n" 'BEGIN { exit !(n >= 2 && n <= 5) }'
ok $? "wall clock: one command a second ($n in about 3.5 s)"
sed 's/.*"ts":"\([^"]*\)".*"status":"\([a-z]*\)".*/\1 \2/' "$T/out6" | while read -r ts st; do
	date -u -d "$ts" +%s
done | awk 'NR > 1 && $1 != prev + 1 { bad = 1 } { prev = $1 } END { exit bad }'
ok $? "wall clock: commands for consecutive whole seconds"
is "$(grep -c '"status":"optimal"' "$T/out6")" "$n" "wall clock: every command optimal (SOC and prices known)"
done_testing
