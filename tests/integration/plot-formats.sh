#!/bin/sh
# plot-formats.sh: bess-plot with the real gnuplot — every format produced and checked by a reader of its own, failures leave no file.
. "$(dirname "$0")/../lib.sh"
here=$top/tests/integration
command -v gnuplot >/dev/null 2>&1 || skip_all "gnuplot not installed (Debian: gnuplot-nox)"
pnginfo() { perl "$here/png-info.pl" "$@"; }
# one day at 15 minutes: cheap night (charging), dear evening (discharging)
awk -v start=1672531200 -v n=96 -f "$here/plot-gen.awk" >"$T/day.csv"

# --- PNG: signature, size from IHDR, the series' colours in the pixels
bess-plot -o "$T/day.png" --size 640x480 "$T/day.csv" 2>"$T/err"
ok $? "png: exit status 0"
is "$(cat "$T/err")" "" "png: nothing on stderr"
is "$(head -c 8 "$T/day.png" | od -An -tx1 | tr -d ' \n')" "89504e470d0a1a0a" "png: PNG signature"
is "$(pnginfo "$T/day.png")" "640 480" "png: IHDR says 640x480, as --size asked"
set -- $(pnginfo "$T/day.png" '#2ca02c' '#d62728' '#1f77b4' '#9467bd')
# the generator charges at 50 kW for hours and discharges for hours: bars hundreds of pixels each
[ "$3" -gt 200 ] && [ "$4" -gt 200 ]
ok $? "png: charge (green, $3 px) and discharge (red, $4 px) bars drawn"
[ "$5" -gt 100 ] && [ "$6" -gt 100 ]
ok $? "png: price (blue, $5 px) and SOC (purple, $6 px) lines drawn"
# default size: 1200 wide, 90 + 220 per panel high; the day has 4 panels -> 970
bess-plot -o "$T/default.png" "$T/day.csv"
is "$(pnginfo "$T/default.png")" "1200 970" "png: default size 1200 x (90 + 4 * 220)"
bess-plot -f png "$T/day.csv" >"$T/stdout.png"
is "$(pnginfo "$T/stdout.png")" "1200 970" "png: -f png to standard output"

# --- SVG: parses as XML, legend texts present
bess-plot -o "$T/day.svg" --size 640x480 "$T/day.csv"
ok $? "svg: exit status 0"
if command -v xmllint >/dev/null 2>&1; then
	xmllint --noout "$T/day.svg"
	ok $? "svg: well-formed XML (xmllint)"
else
	skip "xmllint not installed (Debian: libxml2-utils)"
fi
n=0
for w in price charge discharge soc_kwh load_kw solar_kw grid_import_kw grid_export_kw; do
	grep -q "<text>$w</text>" "$T/day.svg" && n=$((n + 1))
done
is "$n" 8 "svg: all 8 legend entries present"
grep -q '<svg' "$T/day.svg" && ! grep -q 'gnuplot_svg' "$T/day.svg"
ok $? "svg: plain SVG, without the mouse script"

# --- PDF: header, trailer, one page of 640x480 px at 96 px/in = 480x360 pt
bess-plot -o "$T/day.pdf" --size 640x480 "$T/day.csv"
ok $? "pdf: exit status 0"
is "$(head -c 5 "$T/day.pdf")" "%PDF-" "pdf: header"
tail -c 32 "$T/day.pdf" | grep -q '%%EOF'
ok $? "pdf: %%EOF trailer"
grep -aq 'MediaBox \[ 0 0 480 360 \]' "$T/day.pdf"
ok $? "pdf: page 480 x 360 pt"

# --- text: for terminals and mails
bess-plot --size 80x40 "$T/day.csv" >"$T/day.txt"
ok $? "text: exit status 0 (the default on standard output)"
is "$(wc -l <"$T/day.txt" | tr -d ' ')" 40 "text: 40 lines, as --size 80x40 asked"
grep -q 'time (UTC), 2023-01-01 to 2023-01-01' "$T/day.txt" && grep -q 'soc_kwh' "$T/day.txt"
ok $? "text: axis label and legend in the text"
is "$(head -c 1 "$T/day.txt" | od -An -c | tr -d ' ')" "" "text: no form feed at the start"
bess-plot -o "$T/chart.txt" "$T/day.csv" && cmp -s "$T/chart.txt" "$(bess-plot "$T/day.csv" >"$T/c2.txt"; echo "$T/c2.txt")"
ok $? "text: -o chart.txt writes what standard output gets"

# --- HTML: one page, the SVG with gnuplot's mouse script inline, nothing fetched
bess-plot -o "$T/day.html" --size 640x480 --title 'Day <1>' "$T/day.csv"
ok $? "html: exit status 0"
head -n 1 "$T/day.html" | grep -q '^<!DOCTYPE html>$' && grep -q '<title>Day &lt;1&gt;</title>' "$T/day.html" &&
    grep -q 'gnuplot_svg.Init' "$T/day.html"
ok $? "html: an HTML page with the title escaped and gnuplot's mouse script"
! grep -Eq '(src|href)="(https?:|file:|/)' "$T/day.html"
ok $? "html: self-contained (no external src or href)"

# --- one record: every format still works (drawn as one step of an hour)
head -n 2 "$T/day.csv" >"$T/one.csv"
for f in png svg pdf html text; do
	bess-plot -f "$f" -o "$T/one.$f" "$T/one.csv" 2>"$T/err"
	st=$?
	is "$st:$(cat "$T/err")" "0:" "one record: $f chart, no warning"
done
is "$(pnginfo "$T/one.png")" "1200 970" "one record: png is a full chart"

# --- gnuplot failing: its message shown, exit 1, no file, an old file untouched
mkdir -p "$T/bad"
real=$(command -v gnuplot)
printf '#!/bin/sh\n# the real gnuplot, handed one bad command before the script\nexec "%s" "$@" -e "set terminal nosuchterminal" -\n' "$real" >"$T/bad/gnuplot"
chmod +x "$T/bad/gnuplot"
mkdir "$T/out"
echo old >"$T/out/old.png"
PATH="$T/bad:$PATH" bess-plot -o "$T/out/new.png" "$T/day.csv" 2>"$T/err"
is "$?" 1 "failing gnuplot: exit status 1"
is "$(head -n 1 "$T/err")" "bess-plot: gnuplot failed (exit status 1):" "failing gnuplot: said so"
grep -q '^bess-plot: gnuplot: .*unknown or ambiguous terminal type' "$T/err"
ok $? "failing gnuplot: gnuplot's own message shown"
PATH="$T/bad:$PATH" bess-plot -o "$T/out/old.png" "$T/day.csv" 2>/dev/null
is "$(ls "$T/out" | tr '\n' ' ')$(cat "$T/out/old.png")" "old.png old" "failing gnuplot: no new file, no temporary file, old file kept"
# bad data with -o: the old chart stays as it was
printf 'ts,price\n' | bess-plot -o "$T/out/old.png" 2>/dev/null
is "$?:$(cat "$T/out/old.png")" "1:old" "no records: exit 1, old chart untouched"
done_testing
