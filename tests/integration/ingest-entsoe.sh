#!/bin/sh
# ingest-entsoe.sh: the real DE-LU 2023 day-ahead prices rewritten by awk in both ENTSO-E
# Transparency Platform layouts (time ranges, the autumn hours marked (CEST)/(CET), "n/e")
# ingest to the same records as the original file read with explicit DST policies.
. "$(dirname "$0")/../lib.sh"
R=$SHARED_REAL
[ -d "$R" ] || skip_all "no $R (the real data sits beside the project only on the developers' machines)"
f=$R/prices/green-dcc_DE-LU_electricity_prices_2023.csv

# The original: naive Berlin interval starts, one row per hour; 2023-03-26 02:00 does not
# exist (dropped), and 2023-10-29 02:00 appears once (read as the first, CEST).
bess-ingest --tz Europe/Berlin --dst-gap skip --dst-fold earlier -m 'Price (EUR/MWh)=price' \
	-o "$T/orig.csv" "$f"
ok $? "original ingests"

# ENTSO-E layout by awk: each row's end is the next row's start (the spring 01:00 row ends
# at the nonexistent 02:00, the moment clocks jumped); the nonexistent 02:00 row is left
# out; the fold gets "02:00 (CEST) - 02:00 (CET)" and an added "02:00 (CET) - 03:00" row
# whose price is "n/e", as the original has no value for it.
# $1 = layout: old "DD.MM.YYYY HH:MM", new "DD/MM/YYYY HH:MM:SS"
entsoe() {
	awk -F, -v layout="$1" '
	function wall(s,  d, sep, sec) {	# "2023-01-31 05:00:00" -> ENTSO-E wall clock
		sep = layout == "old" ? "." : "/"; sec = layout == "old" ? "" : ":00"
		return substr(s, 9, 2) sep substr(s, 6, 2) sep substr(s, 1, 4) " " substr(s, 12, 5) sec
	}
	BEGIN { n = 0 }
	NR > 1 { t[n] = $1; p[n] = $2; n++ }
	END {
		if (layout == "old")
			printf "\"MTU (CET/CEST)\",\"Day-ahead Price [EUR/MWh]\",\"Currency\",\"BZN|DE-LU\"\r\n"
		else
			printf "\"MTU (CET/CEST)\",\"Area\",\"Sequence\",\"Day-ahead Price (EUR/MWh)\"," \
			    "\"Intraday Period (CET/CEST)\",\"Intraday Price (EUR/MWh)\"\r\n"
		for (i = 0; i < n; i++) {
			if (t[i] == "2023-03-26 02:00:00")
				continue
			a = wall(t[i])
			b = i + 1 < n ? wall(t[i + 1]) : wall("2024-01-01 00:00:00")
			if (t[i] == "2023-10-29 02:00:00") {
				row(a " (CEST) - " a " (CET)", p[i])
				row(a " (CET) - " b, "n/e")
			} else
				row(a " - " b, p[i])
		}
	}
	function row(r, v) {
		if (layout == "old")
			printf "\"%s\",\"%s\",\"EUR\",\"\"\r\n", r, v
		else
			printf "\"%s\",\"BZN|DE-LU\",\"Without Sequence\",\"%s\",\"\",\"\"\r\n", r, v
	}' "$f"
}

# same prices at every instant both define; the only extra instant is the CET 02:00 (01:00Z)
compare() {	# compare ENTSOE-OUTPUT LABEL
	awk -F, -v label="$2" '
	FNR == 1 { next }
	NR == FNR { o[$1] = $2; no++; next }
	{ ne++; if ($1 in o) { both++; if (o[$1] != $2) { bad++; if (bad == 1) print "# differ at " $1 ": " o[$1] " vs " $2 } }
	  else extra = extra " " $1 "=" $2 }
	END {
		printf "%s both=%d orig=%d entsoe=%d bad=%d extra=%s\n", label, both, no, ne, bad + 0, extra
	}' "$T/orig.csv" "$1"
}
n=$(($(awk 'NR > 1 && NF' "$f" | wc -l) - 1))	# rows of the original but the nonexistent one

entsoe old >"$T/old.csv"
bess-ingest --tz Europe/Berlin -m 'Day-ahead Price [EUR/MWh]=price' -k price -o "$T/old-out.csv" \
	"$T/old.csv"
ok $? "old layout ingests with only --tz (no DST policy)"
is "$(compare "$T/old-out.csv" old)" "old both=$n orig=$n entsoe=$((n + 1)) bad=0 extra= 2023-10-29T01:00:00Z=" \
	"old layout: equal wherever both are defined; the CET 02:00 is 01:00Z, empty"

entsoe new >"$T/new.csv"
bess-ingest --tz Europe/Berlin --time-format '%d/%m/%Y %H:%M:%S' \
	-m 'Day-ahead Price (EUR/MWh)=price' -k price -o "$T/new-out.csv" "$T/new.csv"
ok $? "new layout ingests with --tz and --time-format"
is "$(compare "$T/new-out.csv" new)" "new both=$n orig=$n entsoe=$((n + 1)) bad=0 extra= 2023-10-29T01:00:00Z=" \
	"new layout: equal wherever both are defined"

# Without --time-format the slashed dates are refused at the first data line
bess-ingest --tz Europe/Berlin "$T/new.csv" >/dev/null 2>"$T/err"
is "$?:$(cut -d: -f1-3 "$T/err")" "1:bess-ingest: $T/new.csv:2" "new layout without --time-format: file:line error"

# Energy per interval without --interval: price x 1 MWh per 1 h row = the price in kW terms.
# Declared as MWh per row and mapped to a power column, each row's range (1 h) divides it:
# v MWh / 1 h = 1000 v kW, so grid_kw / 1000 must equal the original EUR/MWh figure.
bess-ingest --tz Europe/Berlin -m 'Day-ahead Price [EUR/MWh]=grid_kw' -u 'grid_kw=MWh' -k grid_kw \
	-o "$T/energy.csv" "$T/old.csv"
ok $? "ranges give each row's interval (1 h; the spring 01:00 - 02:00 row too)"
bad=$(awk -F, 'NR == FNR { if (FNR > 1) o[$1] = $2 * 1000; next }
	FNR > 1 && ($1 in o) && $2 != "" { m++; d = $2 / 1000 - o[$1]; if (d > 1e-6 || d < -1e-6) bad++ }
	END { print bad + 0, m + 0 }' "$T/orig.csv" "$T/energy.csv")
is "$bad" "0 $n" "MWh per 1 h range = 1000 x MWh in kW at every hour"

done_testing
