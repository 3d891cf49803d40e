#!/bin/sh
# bill-real.sh: a real year of building load (Cambridge b111, hourly, 2023) billed under a
# UK-style time-of-use tariff in Europe/London, checked line by line to the cent against a
# bill worked out independently here in awk (its own calendar and its own BST rule).
. "$(dirname "$0")/../lib.sh"

RAW=$SHARED_REAL/load/ucam_UCam_Building_b111_electricity_2023.csv
[ -r "$RAW" ] || skip_all "no real data in $SHARED_REAL"

cat >"$T/tou.tariff" <<'END'
timezone = Europe/London
fixed = 30
[peak]
energy = 0.35
demand = 8/kW
when = weekday 16:00-19:00
[day]
energy = 0.25
when = 07:00-23:00
[night]
energy = 0.12
END

bess-ingest --utc --interval 1h -m 'equipment load [kWh]=load_kw' -o "$T/b111.csv" "$RAW"
ok $? "b111 load ingests"
bess-bill --tariff "$T/tou.tariff" -o "$T/bill.csv" "$T/b111.csv"
ok $? "bess-bill bills the year"

# The same bills in awk. Local time: UTC + 1 h during BST, which in 2023 ran from the last
# Sunday of March (31 March 2023 was a Friday: the 26th) 01:00Z to the last Sunday of October
# (31 October was a Tuesday: the 29th) 01:00Z. Weekday from days since 1970-01-01 (a Thursday).
awk -F, '
function days(y, m, d) {	# days since 1970-01-01 of a proleptic Gregorian date
	if (m <= 2) { y--; m += 12 }
	return 365 * y + int(y / 4) - int(y / 100) + int(y / 400) + int((153 * (m - 3) + 2) / 5) + d - 719469
}
function civil(z) {	# days since 1970-01-01 into CY, CM, CD
	z += 719468; era = int(z / 146097); doe = z - era * 146097
	yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
	CY = yoe + era * 400; doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
	mp = int((5 * doy + 2) / 153); CD = doy - int((153 * mp + 2) / 5) + 1
	CM = mp < 10 ? mp + 3 : mp - 9; if (CM <= 2) CY++
}
BEGIN { bst0 = days(2023, 3, 26) * 24 + 1; bst1 = days(2023, 10, 29) * 24 + 1 }
NR == 1 { next }
{
	h = days(substr($1, 1, 4) + 0, substr($1, 6, 2) + 0, substr($1, 9, 2) + 0) * 24 + substr($1, 12, 2)
	if (h >= bst0 && h < bst1) h++
	dd = int(h / 24); hr = h - dd * 24; wd = (dd + 4) % 7; civil(dd)
	bill = sprintf("%04d-%02d", CY, CM)
	p = (wd >= 1 && wd <= 5 && hr >= 16 && hr < 19) ? "peak" : (hr >= 7 && hr < 23) ? "day" : "night"
	kwh[bill "," p] += $2
	if (p == "peak" && $2 > peak[bill]) peak[bill] = $2
	if (!(bill in seen)) { seen[bill] = 1; order[++nb] = bill }
}
END {
	rate["peak"] = 0.35; rate["day"] = 0.25; rate["night"] = 0.12
	for (i = 1; i <= nb; i++) {
		b = order[i]; tot = 30
		for (j = 1; j <= 3; j++) {
			p = j == 1 ? "peak" : j == 2 ? "day" : "night"
			if ((b "," p) in kwh) {
				printf "%s,energy,%s,%.6f\n", b, p, kwh[b "," p] * rate[p]
				tot += kwh[b "," p] * rate[p]
			}
		}
		printf "%s,demand,peak,%.6f\n", b, peak[b] * 8; tot += peak[b] * 8
		printf "%s,fixed,,30.000000\n", b
		printf "%s,total,,%.6f\n", b, tot; all += tot
	}
	printf "all,total,,%.6f\n", all
}' "$T/b111.csv" >"$T/awk.csv"
ok $? "the awk bill runs"
awk -F, 'NR > 1 && $2 != "export" { printf "%s,%s,%s,%.6f\n", $1, $2, $3, $9 }' "$T/bill.csv" >"$T/bess.csv"
is "$(wc -l <"$T/awk.csv" | tr -d ' ')" 73 "twelve bills of six lines and the grand total"
is "$(cut -d, -f1-3 "$T/bess.csv")" "$(cut -d, -f1-3 "$T/awk.csv")" "the same lines in the same order"
# to the cent: every amount within half a cent of awk's (both carry six decimals)
paste -d, "$T/awk.csv" "$T/bess.csv" | awk -F, '{ d = $4 - $8; if (d < 0) d = -d; if (d > worst) worst = d
	if (d >= 0.005) { bad++; print "#   " $0 } } END { print "# worst difference " worst + 0; exit bad > 0 }'
ok $? "every line of every bill agrees with awk to the cent"
near "$(awk -F, '$1 == "all" { print $4 }' "$T/bess.csv")" "$(awk -F, '$1 == "all" { print $4 }' "$T/awk.csv")" \
    0.005 "the year's total: $(awk -F, '$1 == "all" { printf "%.2f", $4 }' "$T/awk.csv")"

# The same year with no battery, given as import_kw and as load_kw, bills the same.
sed '1s/load_kw/import_kw/' "$T/b111.csv" >"$T/imp.csv"
bess-bill --tariff "$T/tou.tariff" --after "$T/imp.csv" "$T/b111.csv" |
    awk -F, '$1 == "all" { print $13 }' >"$T/saving"
is "$(cat "$T/saving")" 0 "the same meter as import_kw: saving 0"
done_testing
