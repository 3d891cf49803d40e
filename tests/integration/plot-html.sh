#!/bin/sh
# plot-html.sh: the HTML chart opened in headless Chromium — the series are in the page's DOM and on the screenshot.
. "$(dirname "$0")/../lib.sh"
here=$top/tests/integration
command -v gnuplot >/dev/null 2>&1 || skip_all "gnuplot not installed (Debian: gnuplot-nox)"
command -v chromium >/dev/null 2>&1 || skip_all "chromium not installed (Debian: chromium)"
chrome() {
	timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	    --disable-background-networking --disable-component-update --disable-sync \
	    --user-data-dir="$(mktemp -d "$T/chrome.XXXXXX")" "$@" 2>>"$T/chrome.log"
}
# two days at 15 minutes: 192 records
awk -v start=1672531200 -v n=192 -f "$here/plot-gen.awk" >"$T/days.csv"
bess-plot -o "$T/chart.html" --size 800x700 --title 'Two days' "$T/days.csv"
ok $? "html chart written"

chrome --dump-dom "file://$T/chart.html" >"$T/dom.html"
ok $? "chromium loaded the page"
grep -q '<title>Two days</title>' "$T/dom.html"
ok $? "dom: the page title"
n=0
for w in price charge discharge soc_kwh load_kw solar_kw grid_import_kw grid_export_kw; do
	grep -q "<text>$w</text>" "$T/dom.html" && n=$((n + 1))
done
is "$n" 8 "dom: all 8 legend entries"
# every series is a plot group; 8 series (price, charge, discharge, soc, 4 site lines)
is "$(grep -oE 'id="gnuplot_plot_[0-9]+[a-z]*"' "$T/dom.html" | sort -u | wc -l | tr -d ' ')" 8 "dom: 8 plot groups"
# the lines themselves: price and the 4 site series are steps (2 points per record), SOC a
# plain line: 5 * 384 + 192 = 2112 points, so well over 2000 line segments in the paths
segs=$(tr '\n\t' '  ' <"$T/dom.html" | grep -o ' d="[^"]*"' | grep -o 'L[0-9]' | wc -l | tr -d ' ')
[ "$segs" -gt 2000 ]
ok $? "dom: $segs line segments drawn"
# the page carries gnuplot's mouse script (coordinates, toggling series on click)
grep -q 'gnuplot_svg' "$T/dom.html"
ok $? "dom: gnuplot's mouse script is in the page"

chrome --screenshot="$T/shot.png" --window-size=800,700 "file://$T/chart.html" >/dev/null
ok $? "chromium took a screenshot"
set -- $(perl "$here/png-info.pl" "$T/shot.png" '#2ca02c' '#d62728' '#1f77b4' '#9467bd' '#ffffff')
is "$1x$2" "800x700" "screenshot: 800x700"
[ "$3" -gt 200 ] && [ "$4" -gt 200 ]
ok $? "screenshot: charge ($3 green px) and discharge ($4 red px) bars visible"
[ "$5" -gt 100 ] && [ "$6" -gt 100 ]
ok $? "screenshot: price ($5 blue px) and SOC ($6 purple px) lines visible"
# not blank: white is most of it, but far from all of 560000 pixels
[ "$7" -lt 540000 ]
ok $? "screenshot: not blank ($7 of 560000 pixels white)"
done_testing
