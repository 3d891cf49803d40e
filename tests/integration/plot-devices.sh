#!/bin/sh
# plot-devices.sh: per-device records (bess-optimize --per-device) drawn as one power and one SOC series per device, with gnuplot.
. "$(dirname "$0")/../lib.sh"
block() { awk -v b="\$$1 << EOD" '$0 == b { f = 1; next } /^EOD$/ { f = 0 } f' "$2"; }

# two batteries and a sheddable pump over three hours, written by hand in the long form
# (ts,device,kind,command,power_kw,soc_kwh,soc_pct,cost): three records a time
cat >"$T/dev.csv" <<'CSV'
ts,device,kind,command,power_kw,soc_kwh,soc_pct,cost
2023-01-01T00:00:00Z,a,battery,charge,50,0,0,0
2023-01-01T00:00:00Z,b,battery,idle,0,20,20,0
2023-01-01T00:00:00Z,pump,sheddable,ON,5,,,0.5
2023-01-01T01:00:00Z,a,battery,idle,0,50,50,0
2023-01-01T01:00:00Z,b,battery,discharge,-10,20,20,0.1
2023-01-01T01:00:00Z,pump,sheddable,OFF,0,,,1
2023-01-01T02:00:00Z,a,battery,discharge,-25,50,50,0
2023-01-01T02:00:00Z,b,battery,idle,0,10,10,0
2023-01-01T02:00:00Z,pump,sheddable,ON,5,,,0.5
CSV
bess-plot --script -f svg "$T/dev.csv" >"$T/dev.gp" 2>"$T/err"
is "$?:$(cat "$T/err")" "0:" "script: written, nothing on stderr (the device column is found by itself)"
head -n 1 "$T/dev.gp" | grep -q 'time chart of 9 records of 3 devices'
ok $? "script: 9 records of 3 devices, said in its first line"
# panels in order: battery (p0), SOC (p1), site (p2); no price in per-device records
is "$(grep -o "title '[a-z]* [a-z_]*'" "$T/dev.gp" | tr '\n' ';')" \
    "title 'a power_kw';title 'b power_kw';title 'a soc_kwh';title 'b soc_kwh';title 'pump power_kw';" \
    "series: a and b's power (battery panel), their SOC, the pump's power (site panel); the pump has no SOC"
# 00:00Z = 1672531200; each power held for the 3600 s step, as the set-points are
is "$(block p0s0 "$T/dev.gp" | tr '\n' ' ')" \
    "1672531200 50 1672534800 50 1672534800 0 1672538400 0 1672538400 -25 1672542000 -25 " \
    "a's power as steps: 50, 0, -25 kW"
is "$(block p0s1 "$T/dev.gp" | tr '\n' ' ')" \
    "1672531200 0 1672534800 0 1672534800 -10 1672538400 -10 1672538400 0 1672542000 0 " \
    "b's power as steps: 0, -10, 0 kW"
is "$(block p1s0 "$T/dev.gp" | tr '\n' ' ')" "1672531200 0 1672534800 50 1672538400 50 " \
    "a's SOC as a line: 0, 50, 50 kWh"
is "$(block p1s1 "$T/dev.gp" | tr '\n' ' ')" "1672531200 20 1672534800 20 1672538400 10 " \
    "b's SOC as a line: 20, 20, 10 kWh"
is "$(block p2s0 "$T/dev.gp" | tr '\n' ' ')" \
    "1672531200 5 1672534800 5 1672534800 0 1672538400 0 1672538400 5 1672542000 5 " \
    "the pump's power drawn in the site panel: 5, 0 (shed), 5 kW"
lc() { grep -o "lc rgb '#[0-9a-f]*' title '$1'" "$T/dev.gp" | sed "s/lc rgb '\(#[0-9a-f]*\)'.*/\1/"; }
[ -n "$(lc 'a power_kw')" ] && [ "$(lc 'a power_kw')" = "$(lc 'a soc_kwh')" ] &&
    [ "$(lc 'b power_kw')" = "$(lc 'b soc_kwh')" ] && [ "$(lc 'a power_kw')" != "$(lc 'b power_kw')" ]
ok $? "colours: one per device, the same in the power and SOC panels"

# the long form is told by its device and power_kw columns; --by-device off reads it as before
bess-plot --script --by-device off "$T/dev.csv" >/dev/null 2>"$T/err"
is "$?" 1 "--by-device off: the second record of a time is an error, as one series"
grep -q "dev.csv:3: time '2023-01-01T00:00:00Z' is not after the previous record's" "$T/err"
ok $? "--by-device off: the error names file:line"
# a device with two records at one time is an error naming the line
sed -n '1,2p;2p' "$T/dev.csv" >"$T/twice.csv"
bess-plot --script "$T/twice.csv" >/dev/null 2>"$T/err"
is "$?:$(cat "$T/err")" "1:bess-plot: $T/twice.csv:3: device 'a' has two records at '2023-01-01T00:00:00Z'" \
    "a device twice at one time: error at file:line"
# --by-device on without a device column
printf 'ts,power_kw\n2023-01-01T00:00:00Z,1\n' >"$T/nodev.csv"
bess-plot --script --by-device on "$T/nodev.csv" >/dev/null 2>"$T/err"
is "$?:$(cat "$T/err")" "1:bess-plot: $T/nodev.csv:2: missing device in column 'device'" \
    "--by-device on: no device column is an error at file:line"
# 17 devices: more than a chart keeps apart
awk 'BEGIN { print "ts,device,kind,power_kw,soc_kwh"; for (i = 1; i <= 17; i++) printf "2023-01-01T00:00:00Z,d%02d,battery,1,1\n", i }' >"$T/many.csv"
bess-plot --script "$T/many.csv" >/dev/null 2>"$T/err"
is "$?:$(cat "$T/err")" "1:bess-plot: $T/many.csv:18: device 'd17': too many devices to draw (at most 16)" \
    "17 devices: an error naming the 17th"

command -v gnuplot >/dev/null 2>&1 || { skip "gnuplot not installed (Debian: gnuplot-nox)"; done_testing; }
# --- with gnuplot: one legend entry per device and series, nothing else
bess-plot -o "$T/dev.svg" "$T/dev.csv"
ok $? "svg: drawn by gnuplot"
is "$(grep -o '<text>[a-z]* [a-z_]*</text>' "$T/dev.svg" | sort | tr '\n' ';')" \
    "<text>a power_kw</text>;<text>a soc_kwh</text>;<text>b power_kw</text>;<text>b soc_kwh</text>;<text>pump power_kw</text>;" \
    "svg: a legend entry for each device's power and each battery's SOC"
# a device named to break out of gnuplot's quotes stays a name
printf 'ts,device,kind,power_kw,soc_kwh\n2023-01-01T00:00:00Z,%s,battery,1,2\n2023-01-01T01:00:00Z,%s,battery,3,4\n' \
    "x'\"; system(\"touch $T/owned\") #" "x'\"; system(\"touch $T/owned\") #" >"$T/evil.csv"
bess-plot -o "$T/evil.svg" "$T/evil.csv"
is "$?:$(test -e "$T/owned" && echo owned)" "0:" "a device name with quotes and system(): drawn, nothing ran"
# --- what bess-optimize writes: two batteries, followed live as NDJSON
awk -v start=1672531200 -v n=24 -v step=3600 -f "$top/tests/integration/plot-gen.awk" \
    | cut -d, -f1,2 >"$T/prices.csv"
bess-optimize --battery new:capacity=200kWh,power=100kW --battery old:capacity=100kWh,power=50kW \
    --per-device "$T/bat.ndjson" "$T/prices.csv" >/dev/null
bess-plot --follow --clock data --every 0.1s -f svg -o "$T/live.svg" "$T/bat.ndjson"
ok $? "follow: bess-optimize's per-device NDJSON drawn to the end of the stream"
is "$(grep -o '<text>[a-z]* [a-z_]*</text>' "$T/live.svg" | sort | tr '\n' ';')" \
    "<text>new power_kw</text>;<text>new soc_kwh</text>;<text>old power_kw</text>;<text>old soc_kwh</text>;" \
    "follow: a power and a SOC series for each of the two batteries"
done_testing
