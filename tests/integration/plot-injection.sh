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
done_testing
