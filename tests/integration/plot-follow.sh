#!/bin/sh
# plot-follow.sh: bess-plot --follow on a FIFO — the terminal redrawn in place (in tmux), a gnuplot
# that fails mid-stream (the last good chart stays, the stream goes on), staleness, the window.
. "$(dirname "$0")/../lib.sh"
here=$top/tests/integration
command -v gnuplot >/dev/null 2>&1 || skip_all "gnuplot not installed (Debian: gnuplot-nox)"
command -v tmux >/dev/null 2>&1 || skip_all "tmux not installed (Debian: tmux)"

wait_for() {
	_lim=$(($1 * 5)); shift; _i=0
	while [ $_i -lt $_lim ]; do "$@" && return 0; sleep 0.2; _i=$((_i + 1)); done
	return 1
}
# one NDJSON record: rec EPOCH-SECONDS SOC [PRICE]
rec() {
	printf '{"ts":"%s","soc_kwh":%s,"price":%s,"battery_kw":%s}\n' \
	    "$(date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ)" "$2" "${3:-0.1}" "${4:-0}"
}
now=$(date +%s)

# --- the terminal, redrawn in place: a 100x30 tmux pane
sock="bess-plot-test-$$"
tm() { tmux -L "$sock" "$@"; }
mkfifo "$T/tin"
tm new-session -d -x 100 -y 30 "PATH='$PATH' bess-plot --follow --every 0.3s --stale 10m <'$T/tin' 2>'$T/term.err'; sleep 60"
track "$(tm display-message -p '#{pid}')"
exec 3>"$T/tin"
for i in 0 1 2 3 4; do rec $((now - 100 + i * 2)) $((40 + i)) 0.25 10; done >&3
screen_has() { tm capture-pane -p >"$T/screen" 2>/dev/null && grep -q "$1" "$T/screen"; }
wait_for 20 screen_has 'SOC 44 kWh'
ok $? "terminal: the status strip shows the last SOC (44 kWh)"
grep -q 'command: charge 10 kW' "$T/screen" && grep -q 'price now 0.25 per kWh' "$T/screen"
ok $? "terminal: the last command (charge 10 kW) and the price now (0.25)"
for i in 5 6 7 8 9; do rec $((now - 100 + i * 2)) $((140 + i)) 0.3 -20; done >&3
wait_for 20 screen_has 'SOC 149 kWh'
ok $? "terminal: redrawn with the new SOC (149 kWh)"
is "$(grep -c '^SOC [0-9]* kWh |' "$T/screen")" 1 "terminal: in place — one status strip on the screen, not a scroll of them"
grep -q 'command: discharge 20 kW' "$T/screen"
ok $? "terminal: the new command (discharge 20 kW)"
# the chart itself: the dumb terminal's axis, over the 100-column pane
grep -q 'soc_kwh' "$T/screen"
ok $? "terminal: the chart's legend is on the screen"
exec 3>&-
tm kill-server 2>/dev/null

# --- a gnuplot that fails mid-stream: the last good chart stays, the stream goes on
mkdir "$T/bin"
real=$(command -v gnuplot)
cat >"$T/bin/gnuplot" <<GP
#!/bin/sh
if [ -e "$T/fail" ]; then cat >/dev/null; echo "line 1: simulated failure" >&2; exit 3; fi
exec "$real" "\$@"
GP
chmod +x "$T/bin/gnuplot"
mkfifo "$T/in"
PATH="$T/bin:$PATH" bess-plot --follow --every 0.2s --stale off -o "$T/live.svg" <"$T/in" 2>"$T/fail.err" &
pid=$!
track $pid
exec 3>"$T/in"
rec $((now - 10)) 111 >&3
svg_has() { grep -q "$1" "$T/live.svg" 2>/dev/null; }
wait_for 20 svg_has 'SOC 111 kWh'
ok $? "svg: written with SOC 111 kWh in its status strip"
cp "$T/live.svg" "$T/good.svg"
touch "$T/fail"
rec $((now - 8)) 222 >&3
wait_for 20 grep -q 'keeping the last chart' "$T/fail.err"
ok $? "gnuplot failing: a warning, the stream goes on"
grep -q 'bess-plot: gnuplot: line 1: simulated failure' "$T/fail.err"
ok $? "gnuplot failing: its message is shown"
cmp -s "$T/live.svg" "$T/good.svg"
ok $? "gnuplot failing: the last good chart stays, whole"
kill -0 $pid
ok $? "gnuplot failing: bess-plot still runs"
rm -f "$T/fail"
rec $((now - 6)) 333 >&3
wait_for 20 svg_has 'SOC 333 kWh'
ok $? "gnuplot back: the chart is drawn again with the newest record (SOC 333 kWh)"
exec 3>&-
wait $pid
ok $? "the stream ends: exit 0"
if command -v xmllint >/dev/null 2>&1; then
	xmllint --noout "$T/live.svg"
	ok $? "svg: well-formed"
fi

# --- staleness: a record 20 minutes old against --stale 5m
rec $((now - 1200)) 77 >"$T/old.ndjson"
bess-plot --follow --stale 5m -o "$T/stale.html" "$T/old.ndjson"
ok $? "stale: chart written"
grep -q '<div id="status" class="stale"' "$T/stale.html" && grep -q 'STALE: no data for 20 min (stale after 5 min)' "$T/stale.html"
ok $? "stale: the strip says so plainly, in red"
bess-plot --follow --stale off -o "$T/fresh.html" "$T/old.ndjson"
grep -q 'STALE' "$T/fresh.html"
is $? 1 "stale: --stale off never says stale"
# --clock data: a replayed day is judged by its own clock (age 0, never stale)
bess-plot --follow --clock data -o "$T/replay.html" "$T/old.ndjson"
grep -q 'data 0 s old' "$T/replay.html" && ! grep -q STALE "$T/replay.html"
ok $? "--clock data: the data are 0 s old by their own clock"

# --- the window slides: 3 days of 15-minute records, --window 24h: the axis spans the last 24 hours
awk -v start=1672531200 -v n=288 -f "$here/plot-gen.awk" |
awk -F, 'NR > 1 { printf "{\"ts\":\"%s\",\"price\":%s,\"soc_kwh\":%s}\n", $1, $2, $4 }' >"$T/3d.ndjson"
bess-plot --follow --clock data --window 24h -f svg -o "$T/3d.svg" "$T/3d.ndjson"
ok $? "window: chart written"
# last record 1672531200 + 287 * 900 = 1672789500, the axis ends a step later: 1672790400 and
# starts 24 h before: 1672704000 (2023-01-03T00:00Z); the label says the day drawn
grep -q 'time (UTC), 2023-01-03 to 2023-01-03' "$T/3d.svg"
ok $? "window: the axis covers 2023-01-03 only (the newest 24 hours)"

# --- usage
bess-plot --follow --view daily "$T/3d.ndjson" 2>"$T/err"
is $? 2 "usage: --follow draws the time view"
bess-plot --follow -f html "$T/3d.ndjson" 2>"$T/err"
is $? 2 "usage: a live html page needs -o"
bess-plot --follow a b 2>"$T/err"
is $? 2 "usage: one input"
done_testing
