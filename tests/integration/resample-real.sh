#!/bin/sh
# resample-real.sh: real prices, load and PV from ../shared/data/real through bess-ingest and
# bess-resample, every output row checked against values computed with awk straight from the
# raw files (local time to UTC by the zones' 2023/2016 rules written out below, not by bess).
. "$(dirname "$0")/../lib.sh"
R=$SHARED_REAL
[ -d "$R" ] || skip_all "no $R (the real data sits beside the project only on the developers' machines)"

# epoch(Y-m-d H:M:S), rfc(epoch), abs(x): days-from-civil and back, written out in awk
AWKLIB=$(cat "$top/tests/cases/resample/civil.awk")
# compare EXPECTED GOT [TOL]: both "ts,value" CSV with a header; prints "rows bad":
# every GOT row must have the expected value (within TOL), or be empty where nothing is expected
compare() {
	awk -F, -v tol="${3:-1e-9}" '
	FNR == 1 { next }
	NR == FNR { want[$1] = $2; next }
	{ n++; if ($1 in want) { if ($2 == "" || (($2 - want[$1]) > tol || (want[$1] - $2) > tol)) { bad++; if (bad < 4) print "#  " $1 " got " $2 " want " want[$1] > "/dev/stderr" } }
	  else if ($2 != "") { bad++; if (bad < 4) print "#  " $1 " got " $2 " want empty" > "/dev/stderr" } }
	END { print n + 0, bad + 0 }' "$1" "$2"
}

# --- DE-LU day-ahead prices 2023, naive Berlin time, EUR/MWh
raw=$R/prices/green-dcc_DE-LU_electricity_prices_2023.csv
bess-ingest --tz Europe/Berlin --dst-gap skip --dst-fold earlier -m 'Price (EUR/MWh)=price' \
	-o "$T/de.csv" "$raw"
ok $? "DE-LU ingests"
# Berlin 2023: CEST (+2) from 03-26 03:00 local until 10-29 03:00 local (02:00 on 10-29 read
# as CEST, the earlier instant, as --dst-fold earlier); 03-26 02:00 does not exist (skipped).
awk -F, "$AWKLIB"'
NR == 1 { print "ts,price"; next }
$1 == "2023-03-26 02:00:00" { next }
{ l = epoch($1); cest = l >= epoch("2023-03-26 03:00:00") && l < epoch("2023-10-29 03:00:00")
  printf "%s,%.15g\n", rfc(l - (cest ? 7200 : 3600)), $2 / 1000 }' "$raw" >"$T/de-want.csv"

bess-resample --step 1h -o "$T/de-1h.csv" "$T/de.csv"
ok $? "DE-LU on an hourly grid"
set -- $(compare "$T/de-want.csv" "$T/de-1h.csv")
is "$1" 8760 "DE-LU 1h: 8760 hours from 2022-12-31T23:00Z to 2023-12-31T22:00Z"
is "$2" 0 "DE-LU 1h: every hour is the raw price / 1000, the missing autumn hour empty"
is "$(grep -c ',$' "$T/de-1h.csv")" 1 "DE-LU 1h: exactly one empty hour"
grep -q '^2023-10-29T01:00:00Z,$' "$T/de-1h.csv"
ok $? "DE-LU 1h: it is 2023-10-29T01:00Z (02:00 CET, absent from the source)"

bess-resample --step 15m -o "$T/de-15m.csv" "$T/de.csv"
ok $? "DE-LU on a 15-minute grid"
# each quarter holds its hour's price: expected value of the hour key
awk -F, 'NR == FNR { if (FNR > 1) want[$1] = $2; next }
FNR > 1 { n++; h = substr($1, 1, 14) "00:00Z"; if ($2 == "") { if (h in want) bad++; empty++; next }
	if (!(h in want) || ($2 - want[h]) > 1e-9 || (want[h] - $2) > 1e-9) bad++; sum += $2 }
END { print n, bad + 0, empty + 0 }' "$T/de-want.csv" "$T/de-15m.csv" >"$T/r"
read -r n bad empty <"$T/r"
is "$n" 35040 "DE-LU 15m: 4 * 8760 quarters"
is "$bad" 0 "DE-LU 15m: every quarter holds its hour's price"
is "$empty" 4 "DE-LU 15m: the four quarters of the missing hour are empty"
s15=$(awk -F, 'NR > 1 { s += $2 } END { printf "%.6f", s }' "$T/de-15m.csv")
s1=$(awk -F, 'NR > 1 { s += 4 * $2 } END { printf "%.6f", s }' "$T/de-want.csv")
near "$s15" "$s1" 1e-6 "DE-LU 15m: the quarters' prices sum to 4 x the hours'"

# local days: the mean of each date's raw rows; coverage 1, but 24 of 25 hours on 10-29
bess-resample --step 1d --tz Europe/Berlin --coverage -o "$T/de-1d.csv" "$T/de.csv"
ok $? "DE-LU by Berlin day"
awk -F, 'NR > 1 && $1 != "2023-03-26 02:00:00" { d = substr($1, 1, 10); if (!(d in n)) o[++k] = d; n[d]++; s[d] += $2 / 1000 }
END { for (i = 1; i <= k; i++) printf "%s %.12g %d\n", o[i], s[o[i]] / n[o[i]], n[o[i]] }' "$raw" >"$T/days-want"
awk -F, 'NR > 1 { print $2, $3 }' "$T/de-1d.csv" | paste -d' ' "$T/days-want" - >"$T/days"
is "$(wc -l <"$T/days" | tr -d ' ')" 365 "DE-LU 1d: 365 local days"
is "$(awk '{ d = $2 - $4; if (d < 0) d = -d; if (d > 1e-9) bad++ } END { print bad + 0 }' "$T/days")" 0 \
	"DE-LU 1d: each day's mean = the mean of its raw rows"
is "$(awk '$5 != 1 { print $1, $3, $5 }' "$T/days")" "2023-10-29 24 0.96" \
	"DE-LU 1d: only 2023-10-29 is short: 24 prices for 25 hours"
is "$(awk -F, '$1 == "2023-03-25T23:00:00Z" || $1 == "2023-10-28T22:00:00Z" { printf "%s ", $1 }' "$T/de-1d.csv")" \
	"2023-03-25T23:00:00Z 2023-10-28T22:00:00Z " "DE-LU 1d: the change days start at local midnight"

# --- joined with a building's hourly load (naive UTC, kWh per hour = average kW)
rawl=$R/load/ucam_UCam_Building_b111_electricity_2023.csv
bess-ingest --utc --interval 1h -m 'equipment load [kWh]=load_kw' -o "$T/b111.csv" "$rawl"
ok $? "b111 load ingests"
bess-resample --step 15m -o "$T/join.csv" "$T/de.csv" "$T/b111.csv"
ok $? "prices and load joined on 15 minutes"
is "$(sed -n 1p "$T/join.csv")" "ts,price,load_kw" "join: columns ts, price, load_kw"
awk -F, "$AWKLIB"'
FILENAME == ARGV[1] { if (FNR > 1) p[$1] = $2; next }
FILENAME == ARGV[2] { if (FNR > 1) l[rfc(epoch($1))] = $2; next }
FNR > 1 { n++; h = substr($1, 1, 14) "00:00Z"
	if ((h in p) != ($2 != "") || (h in l) != ($3 != "")) { bad++; next }
	if ((h in p) && abs($2 - p[h]) > 1e-9) bad++
	if ((h in l) && abs($3 - l[h]) > 1e-9) bad++ }
END { print n, bad + 0 }' "$T/de-want.csv" "$rawl" "$T/join.csv" >"$T/r"
read -r n bad <"$T/r"
# the grid runs from the first price (2022-12-31T23:00Z) to the last load hour (2023-12-31T23:00Z)
is "$n" 35044 "join: 8761 hours of quarters"
is "$bad" 0 "join: every quarter has its hour's price and load, empty only where the source has none"

# --- SERF East PV: 15 minutes, fixed -07:00 offsets, W
rawp=$R/pv/pvanalytics_serf_east_15min_ac_power.csv
bess-ingest -m ac_power=solar_kw -u ac_power=W -o "$T/pv.csv" "$rawp"
ok $? "SERF PV ingests"
awk -F, "$AWKLIB"'NR == 1 { print "ts,solar_kw"; next } NF { printf "%s,%.15g\n", rfc(epoch($1) + 7 * 3600), $2 / 1000 }' \
	"$rawp" >"$T/pv-want.csv"
bess-resample --step 15m -o "$T/pv-15m.csv" "$T/pv.csv"
set -- $(compare "$T/pv-want.csv" "$T/pv-15m.csv")
is "$1 $2" "10000 0" "PV 15m: 10000 quarters, each the raw W / 1000 at local + 7 h"
# hours: the mean of the four quarters in each UTC hour
awk -F, 'NR > 1 { h = substr($1, 1, 14) "00:00Z"; if (!(h in n)) o[++k] = h; n[h]++; s[h] += $2 }
END { print "ts,solar_kw"; for (i = 1; i <= k; i++) printf "%s,%.15g\n", o[i], s[o[i]] / n[o[i]] }' \
	"$T/pv-want.csv" >"$T/pvh-want.csv"
bess-resample --step 1h -o "$T/pv-1h.csv" "$T/pv.csv"
set -- $(compare "$T/pvh-want.csv" "$T/pv-1h.csv")
is "$1 $2" "2500 0" "PV 1h: 2500 hours, each the mean of its four quarters"
e15=$(awk -F, 'NR > 1 { s += $2 * 0.25 } END { printf "%.6f", s }' "$T/pv-want.csv")
e1=$(awk -F, 'NR > 1 { s += $2 } END { printf "%.6f", s }' "$T/pv-1h.csv")
near "$e1" "$e15" 1e-6 "PV: the energy (kWh) of the hourly means equals that of the quarters"
# as energy: kW -> kWh per step via twmean x hours equals a sum of kWh quarters
awk -F, 'NR == 1 { print "ts,solar_kwh"; next } { printf "%s,%.15g\n", $1, $2 * 0.25 }' "$T/pv-want.csv" >"$T/pv-kwh.csv"
bess-resample --step 1d -o "$T/pv-1d.csv" "$T/pv-kwh.csv"
d1=$(awk -F, 'NR > 1 { s += $2 } END { printf "%.6f", s }' "$T/pv-1d.csv")
near "$d1" "$e15" 1e-6 "PV: daily sums of kWh quarters keep the total energy"
done_testing
