#!/bin/sh
# man-examples.sh: the manual pages' EXAMPLES are run as written, as examples.sh runs the
# README's: each literal block of commands runs in a scratch folder (bash, set -e and pipefail,
# the built tools first on PATH) and must end with status 0. The file names the pages use stand
# for the bundled extracts of the same sources (a table below: DE-LU_electricity_prices_2023.csv
# is data/de-lu-prices-2023-03.csv, the same EPEX SPOT export cut to a month). A block runs when
# every file it reads is such an extract or is written earlier in the same block; the others
# (a broker, curl, GNU parallel, files of your own such as site.csv or tou.tariff) are named as
# skipped with the reason, and so are blocks that show a file's contents rather than commands.
# Two files of your own are made first, as the pages make them: site.csv (bess-dispatch(1)'s
# walkthrough: b111's January load and Agile prices on one hourly grid) and tou.tariff (the
# first tariff of bess-tariff(5)'s EXAMPLES).
. "$(dirname "$0")/../lib.sh"
command -v python3 >/dev/null || skip_all "python3 not installed"
command -v bash >/dev/null || skip_all "bash not installed"
export BESS_NO_CONFIG=1
python3 - "$top/man" "$T/ex" <<'EOF'
# Split each page's EXAMPLES into its literal blocks: "page<TAB>kind" then the text, one file a block.
import os, re, sys
mandir, out = sys.argv[1], sys.argv[2]
os.makedirs(out)
def text(l):	# mdoc escapes the examples use, as a reader sees them
	for a, b in (('\\e', '\\'), ('\\(Po', '\u00a3'), ('\\(en', '\u2013'), ('\\&', ''), ('\\-', '-')):
		l = l.replace(a, b)
	return l
n = 0
for page in sorted(os.listdir(mandir)):
	lines = open(os.path.join(mandir, page), encoding='utf-8').read().split('\n')
	inex = lit = False
	cur = []
	for l in lines:
		if l.startswith('.Sh '):
			inex = l.strip() == '.Sh EXAMPLES'
			continue
		if not inex:
			continue
		if l.startswith('.Bd -literal'):
			lit, cur = True, []
		elif l.startswith('.Ed') and lit:
			lit = False
			body = [text(x) for x in cur]
			first = next((x for x in body if x.strip()), '')
			kind = 'cmd' if re.match(r'\s*(bess-|for |PATH=)', first) else 'file'
			n += 1
			with open('%s/%03d' % (out, n), 'w', encoding='utf-8') as f:
				f.write('%s\t%s\n%s\n' % (page, kind, '\n'.join(body)))
		elif lit:
			cur.append(l)
EOF
ok $? "the manual pages' examples are read ($(ls "$T/ex" | wc -l) blocks)"

# The pages' file names, each the bundled extract of the same source ("WHERE NAME DATA-FILE";
# WHERE is * for every page, a page, or PAGE#K for its K-th literal block of EXAMPLES). bms.csv
# stands for nothing: the pages' bms.csv is a data service's telemetry, not the spreadsheet
# export data/bms-sample.csv is.
cat >"$T/standins" <<'EOF'
* site.csv @site.csv
* tou.tariff @tou.tariff
* DE-LU_electricity_prices_2023.csv de-lu-prices-2023-03.csv
* US-TEX-ERCO_electricity_prices_2023.csv ercot-prices-2023-11-dst.csv
* AU-NSW_electricity_prices_2023.csv au-nsw-prices-2023-02-dup.csv
* agile_2023.csv agile-octopus-2023-01.csv
* agile-2023.csv agile-octopus-2023-01.csv
* b111_2023.csv b111-load-2023-01.csv
* b111-load-2023.csv b111-load-2023-01.csv
* serf_east_15min_ac_power.csv serf-east-pv-2016-07-01.csv
* data_2011-2012.csv ausgrid-c12-2011-10-dst.csv
* tztest.010 maccor-dst-test-extract.010
* cell.070 maccor-dst-test-extract.010
* log.ndjson soc-log.ndjson
bess-bill.1 b111.csv b111-load-2023-01.csv
bess-optimize.1#1 prices.csv de-lu-prices-2023-03.csv
EOF

# Blocks the stand-ins do not fit, with the reason ("PAGE#K reason").
cat >"$T/unfit" <<'EOF2'
bess-optimize.1#2 its site's 250 kW import limit is below the 280 kW peak of b111 in site.csv (exit 3, infeasible)
EOF2

# the files of your own (see the top)
mkdir -p "$T/gen"
(cd "$T/gen" && PATH="$top/bin:$PATH" &&
	bess-ingest --utc --interval 1h -m 'equipment load [kWh]=load_kw' "$top/data/b111-load-2023-01.csv" >load.csv &&
	bess-ingest --utc -m 'Electricity Pricing [£/kWh]=price' "$top/data/agile-octopus-2023-01.csv" >prices.csv &&
	bess-resample --step 1h prices.csv load.csv >site.csv)
ok $? "site.csv made from data/ as bess-dispatch(1)'s walkthrough makes it"
for e in "$T"/ex/[0-9][0-9][0-9]; do
	if [ "$(head -n 1 "$e")" = "$(printf 'bess-tariff.5\tfile')" ]; then
		tail -n +2 "$e" >"$T/gen/tou.tariff"
		break
	fi
done
[ -s "$T/gen/tou.tariff" ]
ok $? "tou.tariff is bess-tariff(5)'s first example"

ran=0
prev=""
k=0
for e in "$T"/ex/[0-9][0-9][0-9]; do
	page=$(head -n 1 "$e" | cut -f 1)
	kind=$(head -n 1 "$e" | cut -f 2)
	cmd=$(tail -n +2 "$e")
	one=$(printf '%s' "$cmd" | tr '\n' ' ' | sed 's/\\ */ /g; s/[ 	][ 	]*/ /g; s/^ //')
	short=$(printf '%s' "$one" | cut -c 1-100)
	if [ "$page" = "$prev" ]; then k=$((k + 1)); else k=1; prev=$page; fi
	if [ "$kind" = file ]; then
		skip "$page: the contents of a file, not a command: $(printf '%s' "$cmd" | head -n 1 | cut -c 1-60)"
		continue
	fi
	case $one in
	*'...'*|*curl*|*bess-mqtt*|*parallel*|*glpsol*|*' ssh '*|*rsync*|*crontab*|*mlr*)
		skip "$page: needs a broker, a server, another program or files of your own: $short"
		continue ;;
	esac
	why=$(awk -v pk="$page#$k" '$1 == pk { $1 = ""; sub(/^ /, ""); print }' "$T/unfit")
	if [ -n "$why" ]; then
		skip "$page: the files that stand in do not fit: $why: $short"
		continue
	fi
	rm -rf "$T/run"
	mkdir -p "$T/run"
	ln -s "$top/data" "$T/run/data"
	awk -v p="$page" -v pk="$page#$k" '$1 == "*" || $1 == p || $1 == pk { print $2, $3 }' "$T/standins" |
	while read -r name file; do
		case $file in
		@*) ln -sf "$T/gen/${file#@}" "$T/run/$name" ;;
		*) ln -sf "$top/data/$file" "$T/run/$name" ;;
		esac
	done
	# the files it writes: the words after an output option or a redirection
	outs=$(printf '%s\n' "$one" | awk '{
		for (i = 1; i <= NF; i++) {
			w = $i
			if ($(i - 1) ~ /^(-o|--output|--summary|--breakdown|--per-device|--emit-lp|--event-report|--state|>|>>)$/) print w
			else if (w ~ /^>>?[^>]/) { sub(/^>>?/, "", w); print w }
		} }')
	# the files it reads: other words like NAME.EXT (not options' values that are not files)
	missing=$(printf '%s\n' "$one" | awk -v outs="$outs" 'BEGIN { n = split(outs, o, "\n"); for (i = 1; i <= n; i++) out[o[i]] = 1 } {
		for (i = 1; i <= NF; i++) {
			w = $i; gsub(/\047|"/, "", w)
			if (w in out || $(i - 1) ~ /^(-o|--output|--summary|--breakdown|--per-device|--emit-lp|--event-report|>|>>)$/ || w ~ /^>/) continue
			if (w ~ /^[A-Za-z_][A-Za-z0-9_\/.-]*\.[A-Za-z0-9]+$/ && w !~ /^(data\/|https?:)/ && w !~ /=/) print w
		} }' | while read -r f; do [ -e "$T/run/$f" ] || echo "$f"; done | sort -u | tr '\n' ' ')
	if [ -n "$missing" ]; then
		skip "$page: reads files of your own, not in data/ (${missing% }): $short"
		continue
	fi
	ran=$((ran + 1))
	(cd "$T/run" && PATH="$top/bin:$PATH" bash -ec "set -o pipefail
$cmd") >"$T/got" 2>"$T/err"
	st=$?
	is "$st" 0 "$page: status 0: $short$( [ "$st" -ne 0 ] && [ -s "$T/err" ] && echo " ($(head -n 1 "$T/err"))")"
done
[ "$ran" -ge 10 ]
ok $? "at least 10 of the pages' example blocks run on data/ ($ran did)"
done_testing
