#!/bin/sh
# plot-injection.sh: hostile column names, titles and labels reach the real gnuplot only as text — no command runs.
. "$(dirname "$0")/../lib.sh"
command -v gnuplot >/dev/null 2>&1 || skip_all "gnuplot not installed (Debian: gnuplot-nox)"

# The payloads: gnuplot's system() inside double quotes, inside single quotes,
# backquote substitution, a macro, and a newline that would start a new command.
dq='x"; system("touch '$T'/owned1"); "'
sq="'; system('touch $T/owned2'); '"
bq='`touch '$T'/owned3`'
nl='p
system("touch '$T'/owned4")'
mac='@GPVAL_TERM" . system("touch '$T'/owned5") . "'

# First show the payloads are live: pasted into gnuplot the naive way, they run.
printf 'set title "%s"\n' "$dq" | gnuplot --default-settings -e 'set terminal dumb' - >/dev/null 2>&1
printf "set title '%s'\n" "$sq" | gnuplot --default-settings -e 'set terminal dumb' - >/dev/null 2>&1
printf 'set title "%s"\n' "$bq" | gnuplot --default-settings -e 'set terminal dumb' - >/dev/null 2>&1
printf 'set title "%s"\n' "$nl" | gnuplot --default-settings -e 'set terminal dumb' - >/dev/null 2>&1
printf 'set title "%s"\n' "$mac" | gnuplot --default-settings -e 'set terminal dumb' - >/dev/null 2>&1
n=0
for i in 1 2 3 4 5; do [ -e "$T/owned$i" ] && n=$((n + 1)); done
is "$n" 5 "control: all 5 payloads run a command when pasted into gnuplot unquoted"
rm -f "$T"/owned*

# NDJSON records whose keys are the payloads (JSON::PP, core perl, does the escaping).
DQ=$dq SQ=$sq BQ=$bq NL=$nl MAC=$mac perl -MJSON::PP -e '
	my $j = JSON::PP->new->canonical;
	my @k = @ENV{qw(DQ SQ BQ NL MAC)};
	for my $r ([ "2023-01-01T00:00:00Z", 0.1, 50, 1 ], [ "2023-01-01T01:00:00Z", 0.3, -50, 2 ]) {
		my %o = (ts => $r->[0], price => $r->[1], battery_kw => $r->[2]);
		$o{$k[$_]} = $r->[3] + $_ for 0 .. $#k;
		print $j->encode(\%o), "\n";
	}' >"$T/evil.ndjson"
cols="price,battery_kw,$dq,$sq,$bq,$nl,$mac"

for f in png svg pdf html text; do
	bess-plot -f "$f" -o "$T/chart.$f" --columns "$cols" --title "$sq" --currency "$dq" "$T/evil.ndjson" 2>"$T/err"
	st=$?
	n=0
	for i in 1 2 3 4 5; do [ -e "$T/owned$i" ] && n=$((n + 1)); done
	is "$st:$n:$(cat "$T/err")" "0:0:" "$f: chart made, none of the 5 payloads ran, no message"
done
# the names are there as labels, as text (gnuplot escapes < and & in SVG itself)
grep -F "<text>x\"; system(\"touch $T/owned1\"); \"</text>" "$T/chart.svg" >/dev/null
ok $? "svg: the double-quote payload is a legend label, verbatim"
grep -F "<text>'; system('touch $T/owned2'); '</text>" "$T/chart.svg" >/dev/null
ok $? "svg: the single-quote payload (title) is the title, verbatim"
grep -F "<text>p system(\"touch $T/owned4\")</text>" "$T/chart.svg" >/dev/null
ok $? "svg: the newline payload is one label, the newline a space"
grep -F 'x"; system("touch' "$T/chart.text" >/dev/null
ok $? "text: the payload shows as a label"
# the --script text, run by a user later, is just as safe
bess-plot --script --columns "$cols" --title "$bq" "$T/evil.ndjson" >"$T/evil.gp" && gnuplot "$T/evil.gp" >/dev/null 2>&1
ok $? "--script: the written script runs in gnuplot"
n=0
for i in 1 2 3 4 5; do [ -e "$T/owned$i" ] && n=$((n + 1)); done
is "$n" 0 "--script: none of the payloads ran"
# file names never reach gnuplot: bess-plot collects gnuplot's standard output itself
mkdir -p "$T/dir"
name='a'"'"'b"; system("touch owned6").png'
(cd "$T/dir" && bess-plot -o "$name" "$T/evil.ndjson" 2>/dev/null)
is "$?:$(ls "$T/dir")" "0:$name" "an output name full of quotes is just a file name, and nothing else appeared"

# --- a live stream: what a device or a broker can put in it (topic names, device ids, units, a
# status word) reaches the status strip, the page, the terminal and the warnings only as text
html='<script>document.title="owned"</script><img src=x onerror=alert(1)>'
esc=$(printf '\033]0;owned\007\033[2J')
DQ=$dq SQ=$sq BQ=$bq NL=$nl MAC=$mac HT=$html ESC=$esc perl -MJSON::PP -e '
	my $j = JSON::PP->new->canonical;
	my @p = @ENV{qw(DQ SQ BQ NL MAC HT ESC)};
	for my $i (0 .. $#p) {
		my $t = sprintf "2023-01-01T%02d:00:00Z", $i;
		print $j->encode({ ts => $t, topic => "site/$p[$i]/state", device => $p[$i], unit => $p[$i],
			status => $p[$i], soc_kwh => 10 + $i, battery_kw => 5, price => 0.1, $p[$i] => 1 }), "\n";
		# a value where a number belongs: skipped with a warning that quotes it
		print $j->encode({ ts => sprintf("2023-01-01T%02d:30:00Z", $i), price => $p[$i] }), "\n";
	}' >"$T/live.ndjson"
for f in html svg txt; do
	bess-plot --follow --clock data --every 0.1s -o "$T/live.$f" --columns "soc_kwh,price,$dq,$html" \
	    --title "$sq" "$T/live.ndjson" 2>"$T/live-$f.err"
	st=$?
	n=0
	for i in 1 2 3 4 5; do [ -e "$T/owned$i" ] && n=$((n + 1)); done
	is "$st:$n" "0:0" "follow $f: chart made from the hostile stream, none of the payloads ran"
done
is "$(grep -c 'record skipped' "$T/live-html.err")" 7 "follow: the 7 values that are no number skipped with a warning each"
if grep -q "$(printf '\033')" "$T/live-html.err" "$T/live.txt"; then r=1; else r=0; fi
ok $r "follow: no escape byte from the stream reaches the warnings or the text chart"
grep -F 'is not a number' "$T/live-html.err" | grep -qF "'?]0;owned??[2J'"
ok $? "follow: the warning shows the escape sequence with its control bytes as '?'"
# the page: the status word and the column name are text, never markup
if grep -qF '<script>document.title' "$T/live.html" || grep -qF '<img src=x' "$T/live.html"; then r=1; else r=0; fi
ok $r "follow html: the HTML payload appears nowhere as markup"
# the newest status word is the escape payload: printable characters only, ESC and BEL dropped
grep -qF 'command: charge 5 kW (]0;owned[2J) | price now 0.1 per kWh' "$T/live.html"
ok $? "follow html: the status word in the strip, its control bytes dropped"
head -n 1 "$T/live.txt" | grep -qF 'command: charge 5 kW (]0;owned[2J)'
ok $? "follow text: the same strip heads the text chart"
# a status word that is markup: escaped in the strip
printf '{"ts":"2023-01-01T00:00:00Z","soc_kwh":1,"battery_kw":1,"status":"<b>x</b>&"}\n' >"$T/b.ndjson"
bess-plot --follow --clock data -o "$T/b.html" "$T/b.ndjson"
grep -qF '(&lt;b&gt;x&lt;/b&gt;&amp;)' "$T/b.html"
ok $? "follow html: a status word that is markup is escaped in the strip"
if command -v chromium >/dev/null 2>&1; then
	timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	    --disable-background-networking --disable-component-update --disable-sync \
	    --user-data-dir="$T/chrome" --dump-dom "file://$T/live.html" >"$T/live-dom.html" 2>/dev/null
	if grep -q '<title>owned</title>' "$T/live-dom.html" || grep -q '<img src="x"' "$T/live-dom.html"; then r=1; else r=0; fi
	ok $r "follow html: in Chromium the payload neither retitles the page nor adds an element"
fi
done_testing
