#!/bin/sh
# ingest-real.sh: every real third-party file in ../shared/data/real ingests with its documented
# command line; counts, first/last instants and converted values are checked against awk and
# GNU date over the raw files (independent of bess's own parsers).
. "$(dirname "$0")/../lib.sh"
R=$SHARED_REAL
[ -d "$R" ] || skip_all "no $R (the real data sits beside the project only on the developers' machines)"

utc() {	# utc 'TZ' 'local time' -> RFC 3339 UTC, by GNU date (glibc's zone code, not ours)
	date -u -d "TZ=\"$1\" $2" +%Y-%m-%dT%H:%M:%SZ
}
rows() { awk 'NR > 1 && NF' "$1" | wc -l | tr -d ' '; }
first_ts() { sed -n '2p' "$1" | cut -d, -f1; }
last_ts() { tail -n 1 "$1" | cut -d, -f1; }
# sortable key of an RFC 3339 UTC time: fraction padded to 6 digits
TKEY='function tkey(t,  f) { sub(/Z$/, "", t); f = t; if (sub(/^[^.]*\./, "", f)) sub(/\..*/, "", t); else f = ""; return t "." substr(f "000000", 1, 6) }'
# strictly increasing (or with "nondecreasing" as $2, never going back) ts in column 1
increasing() {
	awk -F, -v strict="${2:-strict}" "$TKEY"'
	NR > 2 { k = tkey($1); if (k < prev || (strict == "strict" && k == prev)) bad = 1 }
	NR > 1 { prev = tkey($1) } END { exit bad }' "$1"
}

# --- DE-LU day-ahead prices: naive Berlin time, EUR/MWh; 2023-03-26 02:00 does not exist
f=$R/prices/green-dcc_DE-LU_electricity_prices_2023.csv
bess-ingest --tz Europe/Berlin --dst-gap skip --dst-fold earlier -m 'Price (EUR/MWh)=price' \
	-o "$T/de.csv" "$f"
ok $? "DE-LU ingests"
is "$(rows "$T/de.csv")" "$(($(rows "$f") - 1))" "DE-LU: every row but the nonexistent 02:00"
is "$(first_ts "$T/de.csv")" "$(utc Europe/Berlin '2023-01-01 00:00:00')" "DE-LU first instant"
is "$(last_ts "$T/de.csv")" "$(utc Europe/Berlin '2023-12-31 23:00:00')" "DE-LU last instant"
increasing "$T/de.csv"; ok $? "DE-LU strictly increasing"
# EUR/MWh -> /kWh: the extremes divided by 1000
want=$(awk -F, 'NR > 1 && $2 > m { m = $2 } END { printf "%.8g", m / 1000 }' "$f")
got=$(awk -F, 'NR > 1 && $2 > m { m = $2 } END { printf "%.8g", m }' "$T/de.csv")
is "$got" "$want" "DE-LU maximum price per kWh"
is "$(grep -c ',-0.5$' "$T/de.csv")" "$(grep -Ec ',-500(\.0+)?$' "$f")" "DE-LU price floor -500 EUR/MWh = -0.5/kWh"
# the autumn day: 02:00 (earlier = CEST) then 03:00 CET; 01:00Z is missing in the source
grep -q '^2023-10-29T00:00:00Z,' "$T/de.csv" && ! grep -q '^2023-10-29T01:00:00Z,' "$T/de.csv"
ok $? "DE-LU 2023-10-29: 02:00 read as CEST, the repeated hour absent"
gapline=$(grep -n '^2023-03-26 02:00' "$f" | cut -d: -f1)
bess-ingest --tz Europe/Berlin -m 'Price (EUR/MWh)=price' "$f" >/dev/null 2>"$T/err"
is "$?:$(cat "$T/err")" "1:bess-ingest: $f:$gapline: column 'Datetime': '2023-03-26 02:00:00' does not exist in Europe/Berlin (clocks went forward); choose --dst-gap forward|backward|skip" "DE-LU without a policy: the gap is an error at its line"

# --- CAISO: naive UTC, 366 trading days
f=$R/prices/green-dcc_US-CAL-CISO_electricity_prices_2023.csv
bess-ingest --utc -m 'Price (USD/MWh)=price' -o "$T/ca.csv" "$f"
ok $? "CAISO ingests"
is "$(rows "$T/ca.csv")" "8784" "CAISO rows"
is "$(first_ts "$T/ca.csv"),$(last_ts "$T/ca.csv")" "2022-12-31T08:00:00Z,2024-01-01T07:00:00Z" "CAISO first/last"
want=$(awk -F, '$1 == "2023-08-17 02:00:00" { printf "%.7f", $2 / 1000 }' "$f")
is "$(awk -F, '$1 == "2023-08-17T02:00:00Z" { printf "%.7f", $2 }' "$T/ca.csv")" "$want" "CAISO peak hour: USD/MWh / 1000"

# --- ERCOT: offsets in the file; 01:00 twice on 2023-11-05 with -05:00 and -06:00
f=$R/prices/green-dcc_US-TEX-ERCO_electricity_prices_2023.csv
bess-ingest -m 'Price (USD/MWh)=price' -o "$T/tx.csv" "$f"
ok $? "ERCOT ingests"
is "$(rows "$T/tx.csv")" "8760" "ERCOT rows"
is "$(first_ts "$T/tx.csv"),$(last_ts "$T/tx.csv")" "2023-01-01T06:00:00Z,2024-01-01T05:00:00Z" "ERCOT first/last"
is "$(grep -c '^2023-11-05T0[67]:00:00Z,' "$T/tx.csv")" "2" "ERCOT: the repeated 01:00 stays two instants"
increasing "$T/tx.csv"; ok $? "ERCOT strictly increasing"

# --- PJM: naive UTC, real-time LMP
f=$R/prices/green-dcc_US-MIDA-PJM_electricity_prices_2023.csv
bess-ingest --utc -m 'Price (USD/MWh)=price' -o "$T/pjm.csv" "$f"
ok $? "PJM ingests"
is "$(rows "$T/pjm.csv"),$(first_ts "$T/pjm.csv"),$(last_ts "$T/pjm.csv")" "8736,2023-01-01T05:00:00Z,2023-12-31T04:00:00Z" "PJM rows, first, last"

# --- AEMO NSW: fixed UTC+10 (NEM time), 11 duplicate hours averaged
f=$R/prices/green-dcc_AU-NSW_electricity_prices_2023.csv
bess-ingest --tz +10:00 -m 'Price (USD/MWh)=price' "$f" >/dev/null 2>"$T/err"
is "$?" "1" "AU-NSW: duplicates are an error without --dup"
bess-ingest --tz +10:00 --dup mean -m 'Price (USD/MWh)=price' -o "$T/au.csv" "$f"
ok $? "AU-NSW ingests with --dup mean"
dups=$(awk -F, 'NR > 1 { n[$1]++ } END { for (k in n) if (n[k] > 1) d++; print d }' "$f")
is "$dups" "11" "AU-NSW source has 11 duplicated hours"
is "$(rows "$T/au.csv")" "$(($(rows "$f") - dups))" "AU-NSW: one record per hour"
want=$(awk -F, '$1 == "2023-02-01 00:00:00" { s += $2; n++ } END { printf "%.9f", s / n / 1000 }' "$f")
got=$(awk -F, '$1 == "2023-01-31T14:00:00Z" { printf "%.9f", $2 }' "$T/au.csv")
is "$got" "$want" "AU-NSW 2023-02-01 00:00 +10: mean of the two values"
is "$(first_ts "$T/au.csv"),$(last_ts "$T/au.csv")" "2022-12-31T14:00:00Z,2023-12-31T14:00:00Z" "AU-NSW first/last"

# --- Agile Octopus: naive UTC, £/kWh (non-ASCII header)
f=$R/prices/ucam_agile_octopus_import_price_regA_2023.csv
bess-ingest --utc -m 'Electricity Pricing [£/kWh]=price' -o "$T/agile.csv" "$f"
ok $? "Agile ingests"
is "$(rows "$T/agile.csv")" "8760" "Agile rows"
is "$(awk -F, 'NR > 1 && $2 < m { m = $2 } END { print m }' "$T/agile.csv")" "-0.1903" "Agile minimum -0.1903/kWh kept"

# --- Cambridge buildings: kWh per hour -> average kW
for b in b111 b25; do
	f=$R/load/ucam_UCam_Building_${b}_electricity_2023.csv
	bess-ingest --utc --interval 1h -m 'equipment load [kWh]=load_kw' -o "$T/$b.csv" "$f"
	ok $? "$b ingests"
	is "$(rows "$T/$b.csv")" "8760" "$b rows"
	want=$(awk -F, 'NR > 1 { s += $2 } END { printf "%.6f", s }' "$f")
	got=$(awk -F, 'NR > 1 { s += $2 } END { printf "%.6f", s }' "$T/$b.csv")
	is "$got" "$want" "$b: kWh per 1 h equals kW, sum preserved"
done
# the 600 zeros upstream put in for missing December data are not guessed away
is "$(awk -F, '$1 >= "2023-12-07" && $2 == 0' "$T/b25.csv" | wc -l | tr -d ' ')" "600" "b25: the 600 upstream zeros pass as they are"

# --- Ausgrid customer 12: empty first header, naive Sydney clock with DST
f=$R/load/ausgrid_customer12_data_2011-2012.csv
bess-ingest --tz Australia/Sydney --dst-gap skip --dst-fold earlier -t 1 -m GC=load_kw -m GG=solar_kw \
	-o "$T/ausgrid.csv" "$f"
ok $? "Ausgrid ingests"
is "$(rows "$T/ausgrid.csv")" "$(($(rows "$f") - 2))" "Ausgrid: the two nonexistent half-hours of 2011-10-02 dropped"
is "$(first_ts "$T/ausgrid.csv")" "$(utc Australia/Sydney '2011-07-01 00:00:00')" "Ausgrid first instant (AEST)"
is "$(last_ts "$T/ausgrid.csv")" "$(utc Australia/Sydney '2012-06-30 23:30:00')" "Ausgrid last instant"
is "$(grep -c "^$(utc Australia/Sydney '2011-10-02 03:00:00')," "$T/ausgrid.csv")" "1" "Ausgrid 03:00 AEDT after the gap"
increasing "$T/ausgrid.csv"; ok $? "Ausgrid strictly increasing"

# --- NREL SERF East PV: -07:00 offsets, W -> kW, two trailing blank lines
f=$R/pv/pvanalytics_serf_east_15min_ac_power.csv
bess-ingest -m ac_power=solar_kw -u ac_power=W -o "$T/serf.csv" "$f"
ok $? "SERF ingests"
is "$(rows "$T/serf.csv")" "10000" "SERF rows (blank lines ignored)"
is "$(first_ts "$T/serf.csv"),$(last_ts "$T/serf.csv")" "2016-07-01T07:00:00Z,2016-10-13T10:45:00Z" "SERF first/last"
want=$(awk -F, 'NR > 1 && NF { s += $2 } END { printf "%.6f", s / 1000 }' "$f")
got=$(awk -F, 'NR > 1 { s += $2 } END { printf "%.6f", s }' "$T/serf.csv")
is "$got" "$want" "SERF: W to kW, sum / 1000"
is "$(awk -F, 'NR > 1 && $2 < 0' "$T/serf.csv" | wc -l | tr -d ' ')" "4767" "SERF: night standby draw stays negative"

# --- NREL system 50: gaps stay empty
f=$R/pv/pvanalytics_system_50_ac_power_2_full_DST.csv
bess-ingest -m ac_power_2=solar_kw -u ac_power_2=W -o "$T/s50.csv" "$f"
ok $? "system 50 ingests"
is "$(rows "$T/s50.csv")" "63169" "system 50 rows"
is "$(awk -F, 'NR > 1 && $2 == ""' "$T/s50.csv" | wc -l | tr -d ' ')" "2279" "system 50: 2279 gaps are empty, not zero"

# --- Maccor cycler exports: tab-separated, CRLF, one preamble line, N/A, local wall clock
for m in xTESLADIAG_000019_CH70.070:11669 PredictionDiagnostics_000109_tztest.010:2165; do
	f=$R/battery/beep_${m%%:*}
	bess-ingest -t 'DPt Time' --time-format '%m/%d/%Y %H:%M:%S' --tz America/Los_Angeles \
		--elapsed 'Test (Sec)' --dup keep -m Amps=current_a -m Volts=voltage_v \
		-o "$T/maccor.csv" "$f"
	ok $? "${m%%:*} ingests"
	is "$(rows "$T/maccor.csv")" "${m#*:}" "${m%%:*} rows"
	# time axis: first wall clock + (Test (Sec) - first Test (Sec)), computed with awk and date
	t0=$(awk -F'\t' 'NR == 3 { print $12 }' "$f")
	e=$(awk -F'\t' 'NR == 3 { e0 = $4 } NR > 2 && NF > 1 { e = $4 } END { printf "%d", e - e0 }' "$f")
	want=$(date -u -d "@$(($(date -d "TZ=\"America/Los_Angeles\" $(echo "$t0" | awk -F'[/ ]' '{ print $3 "-" $1 "-" $2 " " $4 }')" +%s) + e))" +%Y-%m-%dT%H:%M:%S)
	got=$(last_ts "$T/maccor.csv" | cut -c1-19)
	is "$got" "$want" "${m%%:*}: last instant from elapsed seconds"
	increasing "$T/maccor.csv" nondecreasing
	ok $? "${m%%:*}: time never goes back (even where the wall clock does)"
	# N/A became empty: count N/A cells in the WF columns vs empty ones
	want=$(awk -F'\t' 'NR > 2 { for (i = 1; i <= NF; i++) if ($i == "N/A") n++ } END { print n + 0 }' "$f")
	got=$(awk -F, 'NR > 1 { for (i = 1; i <= NF; i++) if ($i == "") n++ } END { print n + 0 }' "$T/maccor.csv")
	is "$got" "$want" "${m%%:*}: every N/A is an empty field"
done
done_testing
