#!/bin/sh
# plot-checks.sh: the numbers bess-plot hands gnuplot, recomputed independently with awk from the raw records.
. "$(dirname "$0")/../lib.sh"
here=$top/tests/integration
# a year at 15 minutes: 35,040 records from 2023-01-01T00:00:00Z (1672531200 s)
awk -v start=1672531200 -v n=35040 -f "$here/plot-gen.awk" >"$T/year.csv"

# epoch seconds of an RFC 3339 UTC time, from the civil date (days-from-civil, written here again)
EPOCH='function epoch(s,  y, m, d, era, yoe, doy, doe) {
	y = substr(s, 1, 4) + 0; m = substr(s, 6, 2) + 0; d = substr(s, 9, 2) + 0
	if (m <= 2) y--
	era = int(y / 400); yoe = y - era * 400
	doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
	doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
	return (era * 146097 + doe - 719468) * 86400 + substr(s, 12, 2) * 3600 + substr(s, 15, 2) * 60 + substr(s, 18, 2)
}'
block() { awk -v b="\$$1 << EOD" '$0 == b { f = 1; next } /^EOD$/ { f = 0 } f' "$2"; }

# --- min/max per pixel column: default PNG is 1200 px wide, the plot area 1200 - 80 - 30 = 1090
# columns over [first, last + 900 s) = [1672531200, 1704067200): 31536000 s / 1090 each
bess-plot --script "$T/year.csv" >"$T/year.gp"
ok $? "year: script written"
x0=1672531200 w=$(awk 'BEGIN { printf "%.17g", 31536000 / 1090 }')
COL='function col(t,  c) { c = int((t - x0) / w); while (c + 1 < 1090 && t >= x0 + w * (c + 1)) c++; while (c > 0 && t < x0 + w * c) c--; return c }'
awk -F, -v x0=$x0 -v w="$w" "$EPOCH $COL"'
	NR > 1 { c = col(epoch($1)); v = $2 + 0; if (!(c in lo) || v < lo[c]) lo[c] = v; if (!(c in hi) || v > hi[c]) hi[c] = v
		b = $3 + 0; up = b > 0 ? b : 0; dn = b < 0 ? b : 0
		if (!(c in bu) || up > bu[c]) bu[c] = up; if (!(c in bd) || dn < bd[c]) bd[c] = dn }
	END { for (c = 0; c < 1090; c++) printf "%d %.6g %.6g %.6g %.6g\n", c, lo[c], hi[c], bu[c], bd[c] }' "$T/year.csv" >"$T/want"
block p0s0 "$T/year.gp" >"$T/price.blk"
block p1s0 "$T/year.gp" >"$T/bars.blk"
n=$(wc -l <"$T/price.blk" | tr -d ' ')
[ "$n" -le 2180 ] && [ "$n" -ge 1090 ]
ok $? "price: $n points for 35040 records (at most 2 per column of 1090)"
awk -v x0=$x0 -v w="$w" "$COL"'
	FNR == NR { c = col($1); if ($2 == "NaN") next; if (!(c in lo) || $2 + 0 < lo[c]) lo[c] = $2 + 0; if (!(c in hi) || $2 + 0 > hi[c]) hi[c] = $2 + 0; next }
	{ bad += (lo[$1] != $2 || hi[$1] != $3) } END { print bad + 0 }' "$T/price.blk" "$T/want" >"$T/bad"
is "$(cat "$T/bad")" 0 "price: every column holds the min and the max of its records"
# a year of bars is drawn as filled steps: each column is two rows, its start and its end, at
# the column's largest charge and discharge (row pair k is column k: starts x0 + k w, ends x0 + (k + 1) w)
awk -v x0=$x0 -v w="$w" 'FNR == NR { if (FNR % 2 == 1) { c = (FNR - 1) / 2; st[c] = $1; up[c] = $2; dn[c] = $3; n++ }
		else { c = (FNR - 2) / 2; e = $1 - (x0 + w * (c + 1)); if (e < 0) e = -e; if (e > 1e-3 || $2 != up[c] || $3 != dn[c]) bad++ }
		next }
	{ e = st[$1] - (x0 + w * $1); if (e < 0) e = -e; bad += (e > 1e-3 || up[$1] != $4 || dn[$1] != $5) } END { print bad + 0, n }' "$T/bars.blk" "$T/want" >"$T/bad"
is "$(cat "$T/bad")" "0 1090" "battery: 1090 columns as filled steps, each the largest charge and discharge of its column"

# --- daily means (UTC days): the block has each day's start and end with mean, min, max
bess-plot --script --view daily "$T/year.csv" >"$T/daily.gp"
block p0s0 "$T/daily.gp" | awk 'NR % 2 == 1 { printf "%s %s %s\n", $2, $3, $4 }' >"$T/got"
awk -F, 'NR > 1 { d = substr($1, 1, 10); if (!(d in n)) k[++nd] = d; s[d] += $2; n[d]++
		if (!(d in lo) || $2 + 0 < lo[d]) lo[d] = $2 + 0; if (!(d in hi) || $2 + 0 > hi[d]) hi[d] = $2 + 0 }
	END { for (i = 1; i <= nd; i++) printf "%.17g %.6g %.6g\n", s[k[i]] / n[k[i]], lo[k[i]], hi[k[i]] }' "$T/year.csv" >"$T/want"
is "$(wc -l <"$T/got" | tr -d ' ')" 365 "daily: 365 UTC days"
paste -d' ' "$T/got" "$T/want" | awk '{ d = $1 - $4; if (d < 0) d = -d; bad += (d > 1e-6 || $2 != $5 || $3 != $6) } END { print bad + 0 }' >"$T/bad"
is "$(cat "$T/bad")" 0 "daily: mean (to 1e-6), min and max of every day as awk finds them"

# --- daily in Berlin: local days, the spring one 23 hours long
bess-plot --script --view daily --tz Europe/Berlin "$T/year.csv" >"$T/ber.gp"
block p0s0 "$T/ber.gp" >"$T/ber.blk"
# 2023-01-01 01:00 local to 2024-01-01 00:45 local: 366 local days, two rows each
is "$(wc -l <"$T/ber.blk" | tr -d ' ')" 732 "daily Berlin: 366 local days"
# 2023-03-26 starts at 00:00 +01:00 = 2023-03-25T23:00Z = 19441 * 86400 + 23 * 3600 = 1679785200
# and ends at 00:00 +02:00 on the 27th = 2023-03-26T22:00Z = 1679785200 + 23 * 3600 = 1679868000
row=$(awk '$1 == 1679785200 { a = $0 } $1 == 1679868000 && a != "" { print a; print $0; exit }' "$T/ber.blk")
want=$(awk -F, "$EPOCH"' NR > 1 { t = epoch($1); if (t >= 1679785200 && t < 1679868000) { s += $2; n++ } }
	END { printf "%d %.17g", n, s / n }' "$T/year.csv")
is "${want%% *}" 92 "daily Berlin: 23 h x 4 = 92 records on 26 March"
near "$(echo "$row" | awk 'NR == 1 { print $2 }')" "${want#* }" 1e-6 "daily Berlin: 26 March mean over exactly those records"
is "$(echo "$row" | wc -l | tr -d ' ')" 2 "daily Berlin: the 26 March step runs from 1679785200 to 1679868000"

# --- hour-of-day profile (UTC): mean price, mean charge, mean discharge per hour
bess-plot --script --view price "$T/year.csv" >"$T/price.gp"
block hours "$T/price.gp" >"$T/got"
awk -F, 'NR > 1 { h = substr($1, 12, 2) + 0; p[h] += $2; b = $3 + 0; u[h] += b > 0 ? b : 0; d[h] += b < 0 ? b : 0; n[h]++ }
	END { for (h = 0; h < 24; h++) printf "%d %.17g %.17g %.17g\n", h, p[h] / n[h], u[h] / n[h], d[h] / n[h] }' "$T/year.csv" >"$T/want"
# the script prints 6 significant digits: a relative error of at most 5e-6
paste -d' ' "$T/got" "$T/want" | awk '{ bad += ($1 != $5); for (i = 2; i <= 4; i++) { d = $i - $(i + 4); if (d < 0) d = -d; v = $(i + 4); if (v < 0) v = -v; if (d > 5e-6 * v + 1e-12) bad++ } } END { print NR, bad + 0 }' >"$T/bad"
is "$(cat "$T/bad")" "24 0" "price view: 24 hours, means as awk finds them"
# every scatter point is a record's (price, battery) pair, in the class of its sign
for cls in 0 1 2; do block "scatter$cls" "$T/price.gp" | sed "s/^/$cls /"; done >"$T/pts"
awk -F'[ ,]' 'FNR == NR { if (NR > 1) seen[sprintf("%.6g %.6g", $2, $3)] = 1; next }
	{ k = $2 " " $3; cls = $3 > 0 ? 0 : $3 < 0 ? 1 : 2; bad += !(k in seen) || cls != $1 } END { print bad + 0, FNR }' "$T/year.csv" "$T/pts" >"$T/bad"
set -- $(cat "$T/bad")
is "$1" 0 "price view: every scatter point ($2 of them) is a record, coloured by its sign"
[ "$2" -lt 35040 ]
ok $? "price view: repeated pixels dropped ($2 of 35040 points kept)"
done_testing
