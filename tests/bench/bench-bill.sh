#!/bin/sh
# bench-bill.sh: a year of 15-minute meter data (35,040 steps) billed monthly under a
# time-of-use tariff with demand on the peak period, bess-bill side by side with the same bill
# in pandas and in awk; time, peak memory, same totals. Target: bess-bill under 50 ms.
. "$(dirname "$0")/lib.sh"

awk 'BEGIN {	# a year of 15-minute load: a daily shape and noise, UTC
	srand(11); print "ts,load_kw"
	md = "31 28 31 30 31 30 31 31 30 31 30 31"; split(md, len, " ")
	for (m = 1; m <= 12; m++) for (d = 1; d <= len[m]; d++) for (q = 0; q < 96; q++) {
		h = int(q / 4)
		printf "2023-%02d-%02dT%02d:%02d:00Z,%.2f\n", m, d, h, (q % 4) * 15,
		    40 + (h >= 8 && h < 18 ? 60 : 0) + 20 * rand()
	} }' >"$B/bill-year.csv"
cat >"$B/bill.tariff" <<'END'
timezone = UTC
fixed = 30
[peak]
energy = 0.35
demand = 8/kW
when = mon-fri 16:00-19:00
[day]
energy = 0.25
when = 07:00-23:00
[night]
energy = 0.12
END
cat >"$B/bill.py" <<'END'
import sys
import pandas as pd
df = pd.read_csv(sys.argv[1], parse_dates=['ts'])
t = df['ts']; h = t.dt.hour; wd = t.dt.dayofweek
peak = (wd < 5) & (h >= 16) & (h < 19)
day = ~peak & (h >= 7) & (h < 23)
df['period'] = 'night'; df.loc[day, 'period'] = 'day'; df.loc[peak, 'period'] = 'peak'
df['kwh'] = df['load_kw'] * 0.25
df['month'] = t.dt.strftime('%Y-%m')
rate = {'peak': 0.35, 'day': 0.25, 'night': 0.12}
e = df.groupby(['month', 'period'])['kwh'].sum().reset_index()
e['amount'] = e['kwh'] * e['period'].map(rate)
d = df[df['period'] == 'peak'].groupby('month')['load_kw'].max() * 8
tot = e.groupby('month')['amount'].sum() + d + 30
print('%.2f' % tot.sum())
END
cat >"$B/bill.awk" <<'END'
BEGIN { FS = ","; split("0 3 2 5 0 3 5 1 4 6 2 4", mo, " ") }
NR == 1 { next }
{
	y = substr($1, 1, 4) + 0; m = substr($1, 6, 2) + 0; d = substr($1, 9, 2) + 0; h = substr($1, 12, 2) + 0
	yy = m < 3 ? y - 1 : y; wd = (yy + int(yy / 4) - int(yy / 100) + int(yy / 400) + mo[m] + d) % 7
	p = (wd >= 1 && wd <= 5 && h >= 16 && h < 19) ? 0.35 : (h >= 7 && h < 23) ? 0.25 : 0.12
	b = substr($1, 1, 7); e[b] += $2 * 0.25 * p; if (!(b in seen)) { seen[b] = 1; nb++ }
	if (p == 0.35 && $2 > pk[b]) pk[b] = $2
}
END { for (b in e) t += e[b] + 8 * pk[b] + 30; printf "%.2f\n", t }
END

echo "  input: 35,040 steps of 15 minutes, $(($(wc -c <"$B/bill-year.csv") / 1024)) KiB"
RUNS=${RUNS:-5} measure "bess-bill (a year of 15-minute data)" \
	bess-bill --tariff "$B/bill.tariff" -o "$B/bill-bess.csv" "$B/bill-year.csv"
bs=$SECS
RUNS=3 measure "pandas read_csv + groupby (the same bill)" "$PY" "$B/bill.py" "$B/bill-year.csv"
ps=$SECS
RUNS=3 measure "awk (the same bill)" awk -f "$B/bill.awk" "$B/bill-year.csv"
as=$SECS
echo "  bess-bill in $(awk -v s="$bs" 'BEGIN { printf "%.0f", s * 1000 }') ms (target < 50 ms; /usr/bin/time has 10 ms resolution)"
ratio "$ps" "$bs" "bess-bill speed-up over pandas"
ratio "$as" "$bs" "bess-bill speed-up over awk"
b=$(awk -F, '$1 == "all" { printf "%.2f", $9 }' "$B/bill-bess.csv")
p=$("$PY" "$B/bill.py" "$B/bill-year.csv")
a=$(awk -f "$B/bill.awk" "$B/bill-year.csv")
echo "  year's total: bess-bill $b, pandas $p, awk $a"
awk -v l="$(cut -d' ' -f1 /proc/loadavg 2>/dev/null)" 'BEGIN { if (l != "")
	printf "  (load average %s on %d processors)\n", l, '"$(nproc)"' }'
