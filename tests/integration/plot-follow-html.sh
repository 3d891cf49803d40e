#!/bin/sh
# plot-follow-html.sh: bess-plot --follow -o live.html opened in a real headless Chromium over HTTP;
# new records written to the stream reach the page without a reload (read from its DOM), the
# reader keeps their scroll position, the time axis fits a 1400x900 window, screenshots differ.
. "$(dirname "$0")/../lib.sh"
here=$top/tests/integration
command -v gnuplot >/dev/null 2>&1 || skip_all "gnuplot not installed (Debian: gnuplot-nox)"
command -v chromium >/dev/null 2>&1 || skip_all "chromium not installed (Debian: chromium)"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"

# NDJSON records from the test schedule, ending now: $1 records from $2 seconds ago, 2 s apart,
# SOC replaced by $3 + the record's index (so each batch's last SOC is known: $3 + $1 - 1)
batch() {
	awk -v start="$(($(date +%s) - $2))" -v n="$1" -v step=2 -f "$here/plot-gen.awk" |
	awk -F, -v base="$3" 'NR > 1 { printf "{\"ts\":\"%s\",\"price\":%s,\"battery_kw\":%s,\"soc_kwh\":%d,\"load_kw\":%s,\"grid_import_kw\":%s}\n", $1, $2, $3, base + NR - 2, $5, $7 }'
}
# wait_for SECONDS COMMAND...: poll every 0.2 s until COMMAND succeeds
wait_for() {
	_lim=$(($1 * 5)); shift; _i=0
	while [ $_i -lt $_lim ]; do "$@" && return 0; sleep 0.2; _i=$((_i + 1)); done
	return 1
}
file_has() { grep -q "$1" "$T/www/live.html" 2>/dev/null; }
mkfifo "$T/in"
mkdir "$T/www"
bess-plot --follow --every 1s --window 1h --stale 10m -o "$T/www/live.html" <"$T/in" 2>"$T/plot.err" &
pid=$!
track $pid
exec 3>"$T/in"
batch 30 120 100 >&3
# 30 records: the last SOC is 100 + 29 = 129
wait_for 20 file_has 'SOC 129 kWh'
ok $? "the page is written with the stream's last SOC (129 kWh)"
grep -q '<title>bess (live)</title>' "$T/www/live.html"
ok $? "the page is titled like the chart"

port=$(free_port)
(cd "$T/www" && exec python3 -m http.server --bind 127.0.0.1 "$port") >"$T/http.log" 2>&1 3>&- &
track $!
wait_port "$port" 10
ok $? "an HTTP server serves the page"
dport=$(free_port)
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --remote-debugging-port="$dport" --remote-allow-origins='*' --window-size=1400,900 \
    --user-data-dir="$T/chrome" "http://127.0.0.1:$port/live.html" >"$T/chrome.log" 2>&1 3>&- &
track $!
wait_port "$dport" 30
ok $? "headless chromium listens for DevTools"
ev() { python3 "$here/cdp.py" "$dport" eval "$1" 3>&-; }
has_status() { ev "(document.getElementById('status') || {}).textContent" 2>/dev/null | grep -q "$1"; }
wait_for 30 has_status 'SOC 129 kWh'
ok $? "dom: the status strip shows SOC 129 kWh"
is "$(ev "document.querySelectorAll('#chart svg').length")" 1 "dom: one chart"
# the time axis is inside the window: the bottom of the axis label text at or above 900 px
bottom=$(ev "Math.round([].slice.call(document.querySelectorAll('#chart svg text')).filter(function (t) { return /^time \\(UTC\\)/.test(t.textContent); })[0].getBoundingClientRect().bottom)")
[ "$bottom" -gt 0 ] && [ "$bottom" -le 900 ]
ok $? "dom: the time axis label ends at $bottom px, inside a 1400x900 window"
# mark this document and its chart: a reload would lose both
ev "window.bessMark = 42; document.querySelector('#chart svg').bessOld = 1; 1" >/dev/null
python3 "$here/cdp.py" "$dport" shot "$T/before.png"
ok $? "screenshot before"

batch 20 40 500 >&3
# 20 more: the last SOC is 500 + 19 = 519
wait_for 20 file_has 'SOC 519 kWh'
ok $? "the file is rewritten with SOC 519 kWh"
wait_for 30 has_status 'SOC 519 kWh'
ok $? "dom: the status strip now shows SOC 519 kWh, without the reader doing anything"
is "$(ev "window.bessMark")" 42 "dom: the same document (no reload): the reader keeps their place"
is "$(ev "document.querySelector('#chart svg').bessOld === undefined")" true "dom: the chart was swapped for the new one"
python3 "$here/cdp.py" "$dport" shot "$T/after.png"
ok $? "screenshot after"
if cmp -s "$T/before.png" "$T/after.png"; then r=1; else r=0; fi
ok $r "screenshots before and after differ"

exec 3>&-
wait $pid
ok $? "the stream ends: bess-plot exits 0"
is "$(grep -c . "$T/plot.err")" 0 "no warnings"
done_testing
