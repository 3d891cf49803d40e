#!/bin/sh
# dispatch-batteries.sh: bess-dispatch --once and --live with several batteries (--battery): one
# command per battery with its device, two identical batteries each given half of the command of
# one twice the size, a stale battery's own safe command while the other follows the plan, a
# record for an unknown device, the state per battery, and 72 --once runs equal to the --live
# loop on three days of the bundled b111 load and Agile prices.
. "$(dirname "$0")/../lib.sh"

# Prices 0.10 in the first hour and 0.30 in the second, no load, export paid at the import price,
# the batteries empty, 90 % efficient each way. Buying at 0.10 and selling at 0.30 pays whatever
# the losses (0.30 x 0.81 > 0.10), and in one hour a battery takes at most its power: 50 kW x 1 h
# x 0.9 into 100 kWh leaves room.
# So one 200 kWh / 100 kW battery charges 100 kW, and two 100 kWh / 50 kW batteries 50 kW each:
# each battery of the pair gets half of the one battery's command.
printf '%s\n' '{"ts":"2026-01-01T00:00:00Z","price":0.1}' '{"ts":"2026-01-01T01:00:00Z","price":0.3}' \
    '{"ts":"2026-01-01T00:00:00Z","device":"a","soc_kwh":0}' '{"ts":"2026-01-01T00:00:00Z","device":"b","soc_pct":0}' \
    >"$T/in.ndjson"
ONCE="--once --now 2026-01-01T00:00:00Z --step 1h --charge-efficiency 90% --discharge-efficiency 90%"
PAIR="--battery a:capacity=100kWh,power=50kW --battery b:capacity=100kWh,power=50kW"
bess-dispatch $ONCE --state "$T/one.json" --capacity 200kWh --power 100kW "$T/in.ndjson" >"$T/one.out"
ok $? "one battery of 200 kWh: a command"
bess-dispatch $ONCE --state "$T/two.json" $PAIR "$T/in.ndjson" >"$T/two.out"
ok $? "two batteries of 100 kWh: a command each"
one=$(sed -n 's/.*"battery_kw":\([^,]*\),.*/\1/p' "$T/one.out")
is "$one" 100 "one battery: 100 kW, its power"
is "$(sed -n 's/{"ts":"[^"]*","device":"\([^"]*\)","battery_kw":\([^,]*\),.*/\1 \2/p' "$T/two.out" | tr '\n' ' ')" \
    "a $((one / 2)) b $((one / 2)) " "two batteries: each half of the one battery's command, in the order given"
# one battery given the old way: the command and the state file of before (no device, version 1)
is "$(cat "$T/one.out")" '{"ts":"2026-01-01T00:00:00Z","battery_kw":100,"target_charge_kw":100,"target_discharge_kw":0,"soc_kwh":0,"plan_soc_kwh":90,"price":0.1,"status":"optimal","reason":null,"horizon_steps":2,"replanned":true,"grid_target_kw":100,"import_cap_kw":null,"relaxed_steps":0}' \
    "one battery the old way: the command record of before (100 kW x 1 h x 0.9 = 90 kWh planned)"
is "$(cat "$T/one.json")" '{"runs":1,"ts":"2026-01-01T00:00:00Z","battery_kw":100,"status":"optimal","soc_kwh":0,"soc_ts":"2026-01-01T00:00:00Z","peak_bill":null}' \
    "one battery the old way: the state file of before (version 1)"
grep -q '^{"state_version":2,.*"soc_kwh/a":0,"soc_ts/a":"2026-01-01T00:00:00Z","battery_kw/a":50,"status/a":"optimal","soc_kwh/b":0,.*"battery_kw/b":50,' "$T/two.json"
ok $? "two batteries: the state keeps each one's SOC, time and command (version 2)"

# Two hours on, only b reports (its SOC 45 kWh at 02:00, prices 0.10 then 0.30 again): a's SOC,
# kept in the state from 00:00, is older than --stale (1h). a gets the safe command, idle (its SOC
# is not known) with the reason; b alone follows the plan: 50 kW, as above (45 + 50 x 0.9 = 90 kWh
# fits in 100).
printf '%s\n' '{"ts":"2026-01-01T02:00:00Z","price":0.1}' '{"ts":"2026-01-01T03:00:00Z","price":0.3}' \
    '{"ts":"2026-01-01T02:00:00Z","device":"b","soc_kwh":45}' >"$T/in2.ndjson"
bess-dispatch $ONCE --now 2026-01-01T02:00:00Z --state "$T/two.json" $PAIR --summary "$T/sum.json" \
    "$T/in2.ndjson" >"$T/stale.out"
ok $? "a stale battery: still a command each"
grep -q '^{"mode":"once","ts":"2026-01-01T02:00:00Z","battery_kw":50,"status":"safe","commands":\[{"ts":"2026-01-01T02:00:00Z","device":"a",.*},{"ts":"2026-01-01T02:00:00Z","device":"b",.*}\],"cost":' "$T/sum.json"
ok $? "--summary: the site's sum and status, then each battery's command"
is "$(sed -n 's/.*"device":"a","battery_kw":\([^,]*\),.*"status":"\([a-z]*\)","reason":"\([^"]*\)".*/\1 \2 \3/p' "$T/stale.out")" \
    "0 safe the soc is stale (last reported at 2026-01-01T00:00:00Z)" "battery a: the safe command, idle, and why"
is "$(sed -n 's/.*"device":"b","battery_kw":\([^,]*\),.*"status":"\([a-z]*\)".*"grid_target_kw":\([^,]*\),.*/\1 \2 \3/p' "$T/stale.out")" \
    "50 optimal 50" "battery b: the plan without a (50 kW, the site's grid target its alone)"
grep -q '"runs":2,.*"status":"safe",.*"soc_kwh/a":0,"soc_ts/a":"2026-01-01T00:00:00Z","battery_kw/a":0,"status/a":"safe","soc_kwh/b":45,"soc_ts/b":"2026-01-01T02:00:00Z","battery_kw/b":50,"status/b":"optimal"' "$T/two.json"
ok $? "the state: a's old SOC kept, a safe, b's new SOC and command"

# A record for a device that is not a battery: --once stops at its line (nothing written),
# --live skips it with the same message and goes on. (With --clock events the interval's commands
# are made at the first SOC reading dated at its start: b reports a second before, a at 00:00.)
printf '{"ts":"2026-01-01T00:00:00Z","device":"c","soc_kwh":1}\n' >"$T/bad.ndjson"
bess-dispatch $ONCE --state "$T/bad.json" $PAIR "$T/in.ndjson" "$T/bad.ndjson" >"$T/bad.out" 2>"$T/bad.err"
is "$?:$(cat "$T/bad.err"):$(wc -c <"$T/bad.out")" \
    "1:bess-dispatch: $T/bad.ndjson:1: column 'device': 'c' is not a battery (--battery):0" \
    "--once: an unknown device is an error at its line, no command"
[ ! -e "$T/bad.json" ]
ok $? "... and no state written"
{ cat "$T/bad.ndjson"; sed -n '1,2p' "$T/in.ndjson"
  echo '{"ts":"2025-12-31T23:59:59Z","device":"b","soc_kwh":0}'; sed -n 3p "$T/in.ndjson"; } |
    bess-dispatch --live --clock events --step 1h $PAIR >"$T/live.out" 2>"$T/live.err"
is "$?:$(cat "$T/live.err")" "0:bess-dispatch: warning: <stdin>:1: column 'device': 'c' is not a battery (--battery) (record skipped)" \
    "--live: the same record is skipped with the message"
is "$(grep -c '"status":"optimal"' "$T/live.out")" 2 "--live: and both batteries are commanded"

# Three days of b111 load and Agile prices, two batteries of different size and cycle cost. Each
# hour a device reports each battery's SOC (b a second before the hour, a at the hour, which
# moves the events' clock and makes the hour's command): arbitrary values within the limits, the
# same on both sides. The live loop's 144 commands (72 hours x 2) equal those of 72 --once runs,
# each given the forecasts and that hour's readings, with the state file carried from run to run.
D=$top/data
bess-ingest --utc --interval 1h -m 'equipment load [kWh]=load_kw' "$D/b111-load-2023-01.csv" >"$T/load.csv" 2>/dev/null &&
bess-ingest --utc -m 'Electricity Pricing [£/kWh]=price' "$D/agile-octopus-2023-01.csv" >"$T/prices.csv" 2>/dev/null &&
bess-resample --step 1h "$T/prices.csv" "$T/load.csv" | head -n 73 >"$T/site.csv"
ok $? "three days of the bundled b111 load and Agile prices"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	{ printf "{\"ts\":\"%s\",\"price\":%s,\"load_kw\":%s}\n", $1, $c["price"], $c["load_kw"] }' "$T/site.csv" >"$T/fc.ndjson"
awk -F, 'NR > 1 { 
	cmd = "date -u -d \"" $1 " 1 second ago\" +%Y-%m-%dT%H:%M:%SZ"; cmd | getline b; close(cmd)
	printf "%s,%s,%d,%d\n", $1, b, (NR * 37) % 180 + 10, (NR * 23) % 80 + 10 }' "$T/site.csv" >"$T/socs.csv"
FLEET="--battery a:capacity=200kWh,power=100kW --battery b:capacity=100kWh,power=30kW,cycle-cost=0.02 --soc-final free --horizon 24h --step 1h --stale 1000h"
{ cat "$T/fc.ndjson"
  awk -F, '{ printf "{\"ts\":\"%s\",\"device\":\"b\",\"soc_kwh\":%s}\n{\"ts\":\"%s\",\"device\":\"a\",\"soc_kwh\":%s}\n", $2, $4, $1, $3 }' "$T/socs.csv"
} >"$T/events.ndjson"
bess-dispatch --live --clock events $FLEET <"$T/events.ndjson" >"$T/live.ndjson"
ok $? "the live loop"
: >"$T/once.csv"
while IFS=, read -r ts before sa sb; do
	{ cat "$T/fc.ndjson"
	  printf '{"ts":"%s","device":"b","soc_kwh":%s}\n{"ts":"%s","device":"a","soc_kwh":%s}\n' "$before" "$sb" "$ts" "$sa"
	} >"$T/in-once.ndjson"
	bess-dispatch --once --state "$T/cron.json" --now "$ts" $FLEET "$T/in-once.ndjson" >"$T/once.out" || break
	sed -n 's/{"ts":"\([^"]*\)","device":"\([^"]*\)","battery_kw":\([^,]*\),.*/\1,\2,\3/p' "$T/once.out" >>"$T/once.csv"
done <"$T/socs.csv"
sed -n 's/{"ts":"\([^"]*\)","device":"\([^"]*\)","battery_kw":\([^,]*\),.*"replanned":true.*/\1,\2,\3/p' "$T/live.ndjson" >"$T/plan.csv"
awk -F, 'NR == FNR { pl[$1 "," $2] = $3; next }
	(($1 "," $2) in pl) { n++; d = $3 - pl[$1 "," $2]; if (d < 0) d = -d; if (d > worst) worst = d
	  if ($3 != 0) moved[$2]++ }
	END { printf "%d %.3g %d %d\n", n, worst, moved["a"], moved["b"] }' "$T/plan.csv" "$T/once.csv" >"$T/cmp"
read -r n worst ma mb <"$T/cmp"
is "$n" 144 "cron: a command per battery from each of the 72 runs, each matched by a planned live command"
near "$worst" 0 1e-9 "cron: each equals the live loop's (worst difference $worst kW)"
[ "$ma" -gt 0 ] && [ "$mb" -gt 0 ]
ok $? "both batteries work (a moves in $ma hours, b in $mb)"
done_testing
