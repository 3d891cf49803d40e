#!/bin/sh
# plot-charts.sh: the charts people asked for — the plan's set-points, TOU bands with their rates,
# every legend entry and a colour of its own, dense bars as areas, text over a month, page titles.
. "$(dirname "$0")/../lib.sh"
here=$top/tests/integration
block() { awk -v b="\$$1 << EOD" '$0 == b { f = 1; next } /^EOD$/ { f = 0 } f' "$2"; }

# --- set-points: target_charge_kw up, target_discharge_kw down, as steps (the plan)
cat >"$T/sp.csv" <<'CSV'
ts,soc_kwh,target_charge_kw,target_discharge_kw
2025-01-16T08:00:00Z,700,100,50
2025-01-16T09:00:00Z,760,0,80
2025-01-16T10:00:00Z,680,40,0
CSV
bess-plot --script -f svg "$T/sp.csv" >"$T/sp.gp"
ok $? "set-points: script written"
grep -q "title 'target charge'" "$T/sp.gp" && grep -q "title 'target discharge'" "$T/sp.gp"
ok $? "set-points: drawn, titled 'target charge' and 'target discharge'"
# panel 0 is the battery panel: series 0 target charge, series 1 target discharge (negated);
# a step holds each value for the 3600 s step: 08:00 = 1737014400
is "$(block p0s0 "$T/sp.gp" | tr '\n' ' ')" "1737014400 100 1737018000 100 1737018000 0 1737021600 0 1737021600 40 1737025200 40 " \
    "set-points: target charge as steps 100, 0, 40"
is "$(block p0s1 "$T/sp.gp" | tr '\n' ' ')" "1737014400 -50 1737018000 -50 1737018000 -80 1737021600 -80 1737021600 0 1737025200 0 " \
    "set-points: target discharge drawn downward: -50, -80, 0"
grep -q "dt (8,4)" "$T/sp.gp"
ok $? "set-points: dashed, apart from the bars of what the battery did"

# --- TOU bands: peak 07:00-19:00 at 0.30, off-peak the rest at 0.10, over one UTC day
cat >"$T/tou.tariff" <<'TARIFF'
timezone = UTC
[peak]
energy = 0.30
when = 07:00-19:00
[offpeak]
energy = 0.10
TARIFF
awk -v start=1672531200 -v n=96 -f "$here/plot-gen.awk" >"$T/day.csv"
bess-plot --script -f png --tariff "$T/tou.tariff" --currency EUR "$T/day.csv" >"$T/tou.gp"
ok $? "tariff: script written"
# 2023-01-01T00:00Z = 1672531200; 07:00 = +25200 = 1672556400; 19:00 = +68400 = 1672599600;
# the axis ends at the last record + one step: 1672531200 + 96 * 900 = 1672617600
grep '^set object' "$T/tou.gp" | sed 's/ fc rgb.*//' >"$T/rects"
cat >"$T/want" <<'W'
set object 100 rect from 1672531200.000000, graph 0 to 1672556400.000000, graph 1 behind
set object 101 rect from 1672556400.000000, graph 0 to 1672599600.000000, graph 1 behind
set object 102 rect from 1672599600.000000, graph 0 to 1672617600.000000, graph 1 behind
W
cmp -s "$T/rects" "$T/want"
ok $? "tariff: three bands, 00:00-07:00 off-peak, 07:00-19:00 peak, 19:00-24:00 off-peak"
grep -q "title 'peak 0.3 EUR/kWh'" "$T/tou.gp" && grep -q "title 'offpeak 0.1 EUR/kWh'" "$T/tou.gp"
ok $? "tariff: the periods and their rates in the legend"
grep -q "^set label 101 'peak 0.3' at 1672578000" "$T/tou.gp"
ok $? "tariff: the peak band labelled with its rate at its middle (13:00 = 1672578000)"
if command -v gnuplot >/dev/null 2>&1; then
	bess-plot -o "$T/tou.png" --tariff "$T/tou.tariff" "$T/day.csv"
	ok $? "tariff: gnuplot draws it"
fi
bess-plot --tariff "$T/nope.tariff" "$T/day.csv" 2>"$T/err"
is "$?" 1 "tariff: a missing file is an error"

# --- legends and colours: 12 long names, every one in the legend with a colour of its own
awk 'BEGIN { printf "ts"; for (i = 1; i <= 12; i++) printf ",a_rather_long_sensor_name_number_%02d_v", i; print ""
	for (r = 0; r < 48; r++) { printf "2023-01-01T%02d:%02d:00Z", int(r / 4), (r % 4) * 15
		for (i = 1; i <= 12; i++) printf ",%d", i * 10 + r % 5; print "" } }' >"$T/long.csv"
cols=$(head -n 1 "$T/long.csv" | cut -d, -f2-)
bess-plot --script -f svg --columns "$cols" "$T/long.csv" >"$T/long.gp"
is "$(grep -o "title 'a_rather_long_sensor_name_number_[0-9]*_v'" "$T/long.gp" | sort -u | wc -l | tr -d ' ')" 12 \
    "legend: 12 entries in the plot command"
is "$(grep -o "lc rgb '#[0-9a-f]*' title 'a_rather" "$T/long.gp" | sort -u | wc -l | tr -d ' ')" 12 \
    "colours: 12 series, 12 different colours"
# each entry 35 characters: 35 * 8.5 + 36 = 333.5 px a column, (1090 + 4) / 333.5 = 3 columns, 4 rows
grep -q 'maxcols 3 maxrows 4' "$T/long.gp"
ok $? "legend: 3 columns by 4 rows reserved above the panel"
if command -v gnuplot >/dev/null 2>&1; then
	bess-plot -f svg -o "$T/long.svg" --columns "$cols" "$T/long.csv"
	is "$(grep -o '<text>a_rather_long_sensor_name_number_[0-9]*_v</text>' "$T/long.svg" | sort -u | wc -l | tr -d ' ')" 12 \
	    "legend: gnuplot shows all 12 names (it dropped 6 when they had one row)"
fi

# --- colours of the site panel: load_kw and grid_import_kw far apart (not two dark greys)
bess-plot --script "$T/day.csv" >"$T/day.gp"
lc() { grep -o "lc rgb '#[0-9a-f]*' title '$1'" "$T/day.gp" | sed "s/lc rgb '#\([0-9a-f]*\)'.*/\1/"; }
a=$(lc load_kw) b=$(lc grid_import_kw)
d=$(awk -v a="$a" -v b="$b" 'function h(s, i) { return index("0123456789abcdef", substr(s, i, 1)) - 1 }
	function c(s, k) { return h(s, 2 * k + 1) * 16 + h(s, 2 * k + 2) }
	BEGIN { for (k = 0; k < 3; k++) { x = c(a, k) - c(b, k); s += x * x }; printf "%d", sqrt(s) }')
[ "$d" -ge 120 ]
ok $? "colours: load_kw #$a and grid_import_kw #$b are $d apart in RGB (at least 120)"

# --- a month of hourly bars: drawn as filled steps, not a dense block of boxes
awk -v start=1672531200 -v n=744 -v step=3600 -f "$here/plot-gen.awk" >"$T/month.csv"
bess-plot --script "$T/month.csv" >"$T/month.gp"
grep -q 'with filledcurves y=0' "$T/month.gp" && ! grep -q 'with boxes' "$T/month.gp"
ok $? "month of hours: battery as filled steps, no boxes"

# --- text over a month: each day's max and min, not a solid block of characters
bess-plot --script -f text "$T/month.csv" >"$T/month-text.gp"
grep -q '^# bess-plot: daily min/max chart of 744 records' "$T/month-text.gp"
ok $? "text month: the daily min/max chart"
block p0s0 "$T/month-text.gp" | awk 'NR % 2 == 1 { print $3, $4 }' >"$T/got"
awk -F, 'NR > 1 { d = substr($1, 1, 10); if (!(d in lo)) k[++n] = d
		if (!(d in lo) || $2 + 0 < lo[d]) lo[d] = $2 + 0; if (!(d in hi) || $2 + 0 > hi[d]) hi[d] = $2 + 0 }
	END { for (i = 1; i <= n; i++) printf "%.6g %.6g\n", lo[k[i]], hi[k[i]] }' "$T/month.csv" >"$T/want"
is "$(wc -l <"$T/got" | tr -d ' ')" 31 "text month: 31 days"
cmp -s "$T/got" "$T/want"
ok $? "text month: each day's price min and max as awk finds them"
grep -q "title 'price' . ' max'" "$T/month-text.gp" && grep -q "title 'price' . ' min'" "$T/month-text.gp"
ok $? "text month: max and min lines in the legend"

# --- the HTML page is titled like the chart
if command -v gnuplot >/dev/null 2>&1; then
	bess-plot -o "$T/day.html" "$T/day.csv"
	grep -q '<title>day.csv</title>' "$T/day.html"
	ok $? "html: the page and the chart are titled by the input's name"
	grep -q "<text>day.csv</text>" "$T/day.html"
	ok $? "html: the chart carries the same title"
fi
done_testing
