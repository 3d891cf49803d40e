#!/bin/sh
# health.sh: bess-health finds each injected fault at its time and nothing on clean data; formats,
# summary, limits, a live pipe, bad input; capacity per cycle of the real Maccor (BEEP) files
# against the raw current integrated with awk and against the cycler's own Amp-hr counter.
. "$(dirname "$0")/../lib.sh"

gen="$top/tests/integration/health-gen.awk"
awk -f "$gen" >"$T/clean.csv"
awk -v faults=1 -f "$gen" >"$T/faults.csv"

bess-health --capacity 280Ah "$T/clean.csv" >"$T/clean.out"
ok $? "clean data: exits 0"
is "$(cat "$T/clean.out")" "device,start,end,kind,column,severity,value,limit,unit" \
    "clean data (21000 rows, SOC following the current exactly): no events"

# The faults as health-gen.awk injects them (times in s after 00:00:00, samples every 2 s):
#  r1 1000-1100 cell_min_v - 0.08 V: spread ~0.10 > 0.05 V        -> cell_v_spread 00:16:40-00:18:20
#  r2 2000-2060 cell_max_c + 8: spread ~11 > 5 C                   -> temp_spread   00:33:20-00:34:20
#  r1 3000-3010 cells 3.70/3.68 V (spread 0.02): > 3.65 V          -> cell_v_high   00:50:00-00:50:10
#  r2 3500-3510 cells 2.47/2.45 V: < 2.5 V                         -> cell_v_low    00:58:20-00:58:30
#  r1 4000-4020 cells 60/57 C: > 55 C                              -> temp_high     01:06:40-01:07:00
#  r2 4500-4520 cells -22/-24 C: < -20 C                           -> temp_low      01:15:00-01:15:20
#  r1 from 5000 SOC + 10 points, the current unchanged             -> soc_jump      01:23:18-01:23:20 (10)
#  r2 from 6000 SOC + 0.0123 points a sample (to 8000, then held): the drift first exceeds 5 at
#     the 407th sample after 6000 (0.0123 x 406 = 4.99, x 407 = 5.006): 6000 + 814 s = 01:53:34;
#     the gap below restarts the coulomb count, so the last sample with the drift is 8998 s
#                                                                  -> soc_drift     01:53:34-02:29:58 (12.3)
#  r2 no records from 9000 to 9098: 8998 -> 9100 is 102 s > 10 x 2 s -> gap          02:29:58-02:31:40
#  r1 voltage_v frozen 8000-10000: 2000 s >= 30 min                -> stuck         02:13:20-02:46:40
#  pcs1 11000-11100 ac_l3_a 140 A beside ~200: (200-140)/180 > 10 % -> phase_imbalance 03:03:20-03:05:00
#  pcs1 12000-12030 igbt_c 90 > 85 C                               -> pcs_temp_high 03:20:00-03:20:30
bess-health --capacity 280Ah "$T/faults.csv" >"$T/faults.out"
ok $? "faults: exits 0"
cut -d, -f1-4 "$T/faults.out" | sed 's/2025-03-01T//g; s/Z//g' | sort >"$T/got"
sort >"$T/want" <<'EOF2'
device,start,end,kind
r1,00:16:40,00:18:20,cell_v_spread
r2,00:33:20,00:34:20,temp_spread
r1,00:50:00,00:50:10,cell_v_high
r2,00:58:20,00:58:30,cell_v_low
r1,01:06:40,01:07:00,temp_high
r2,01:15:00,01:15:20,temp_low
r1,01:23:18,01:23:20,soc_jump
r2,01:53:34,02:29:58,soc_drift
r2,02:29:58,02:31:40,gap
r1,02:13:20,02:46:40,stuck
pcs1,03:03:20,03:05:00,phase_imbalance
pcs1,03:20:00,03:20:30,pcs_temp_high
EOF2
diff "$T/want" "$T/got" >"$T/diff"
ok $? "faults: each of the 12 kinds found, at its time, nothing else"
sed 's/^/# /' "$T/diff"
is "$(grep -c ',alarm,' "$T/faults.out")" 5 "limits of cells and PCS are alarms (5), the rest warnings"
is "$(awk -F, '$4 == "soc_jump" { print $7 } $4 == "stuck" { print $(NF - 3) "," $(NF - 2) "," $(NF - 1) } $4 == "gap" { print $7 "," $8 }' "$T/faults.out" | tr '\n' ' ')" \
    "10 102,20 warning,2000,1800 " "values: the 10-point jump, 102 s gap over 20 s, 2000 s stuck over 1800 s"

# without --capacity there is no coulomb count: the drift is not checked, jumps still are
bess-health "$T/faults.csv" | cut -d, -f4 | sort | uniq -c | awk '{ print $2 ":" $1 }' | tr '\n' ' ' >"$T/kinds"
is "$(cat "$T/kinds")" "cell_v_high:1 cell_v_low:1 cell_v_spread:1 gap:1 kind:1 pcs_temp_high:1 phase_imbalance:1 soc_jump:1 stuck:1 temp_high:1 temp_low:1 temp_spread:1 " \
    "without --capacity: every kind but soc_drift"

# formats
bess-health --capacity 280Ah -f ndjson "$T/faults.csv" | grep '"kind":"gap"' >"$T/gap.ndjson"
is "$(cat "$T/gap.ndjson")" '{"device":"r2","start":"2025-03-01T02:29:58Z","end":"2025-03-01T02:31:40Z","kind":"gap","column":"ts","severity":"warning","value":102,"limit":20,"unit":"s"}' \
    "NDJSON: numbers as numbers"
bess-health --capacity 280Ah -f lp "$T/faults.csv" | grep 'kind=gap' >"$T/gap.lp"
is "$(cat "$T/gap.lp")" 'bess_health,column=ts,device=r2,kind=gap,severity=warning end="2025-03-01T02:31:40Z",value=102,limit=20,unit="s" 1740796198000000000' \
    "line protocol: tags sorted, the start as the time (1740796198 s = 2025-03-01T02:29:58Z)"

# the summary: r2 lost the 50 samples of 9000..9098 s
bess-health --capacity 280Ah --summary "$T/sum.ndjson" "$T/faults.csv" >/dev/null
is "$(sed 's/.*"device":"\([^"]*\)","records":\([0-9]*\).*"events":\([0-9]*\),.*/\1 \2 \3/' "$T/sum.ndjson" | tr '\n' ' ')" \
    "r1 7000 5 r2 6950 5 pcs1 7000 2 " "summary: records and events per device"
want=$(awk -F, 'NR > 1 && $9 != "" { s = $9 - $10; if (!($2 in m) || s > m[$2]) m[$2] = s }
    END { printf "%.6g %.6g", m["r1"], m["r2"] }' "$T/faults.csv")
is "$(grep -o '"max_temp_spread_c":[^,]*' "$T/sum.ndjson" | head -n 2 | cut -d: -f2 | tr '\n' ' ')" "$want " \
    "summary: the widest cell temperature spread per rack, as awk finds it in the file"

# --limits: every limit with its value and source
bess-health --limits >"$T/lim.csv"
is "$(sed -n '4p' "$T/lim.csv")" "cell-v-max,3.65,V,the 3.65 V charge cut-off of LFP cell datasheets" "--limits: values and sources"
bess-health --limits --cell-v-max 3600mV --stuck 1h | grep -E '^(cell-v-max|stuck),' | cut -d, -f1-2 | tr '\n' ' ' >"$T/lim2"
is "$(cat "$T/lim2")" "cell-v-max,3.6 stuck,3600 " "--limits shows options in force (3600mV = 3.6 V, 1h = 3600 s)"

# a live pipe: a condition is written as soon as it is confirmed (end empty, the value so far),
# then again when it closes (its end and worst value). Injected by hand below: the spread
# cell_max_v - cell_min_v is 0.02 V at 00:00:00, 3.40 - 3.30 = 0.10 V at 00:00:02 (over 0.05 V:
# the condition starts), 3.42 - 3.30 = 0.12 V at 00:00:04 (worse), 0.02 V at 00:00:06 (it ends;
# its last sample was 00:00:04). Lines wanted after each write (the header with the first event):
# 0, 0, 2 (header + opening), 2 (nothing new while it holds), 3 (the closing record).
tab=$(printf '\t')
cat >"$T/spec" <<EOF2
0${tab}ts,device,cell_max_v,cell_min_v
0${tab}2025-03-01T00:00:00Z,r1,3.35,3.33
2${tab}2025-03-01T00:00:02Z,r1,3.40,3.30
2${tab}2025-03-01T00:00:04Z,r1,3.42,3.30
3${tab}2025-03-01T00:00:06Z,r1,3.35,3.33
EOF2
perl "$top/tests/integration/live-latency.pl" "$T/spec" "$T" bess-health >"$T/live" 2>&1
ok $? "live: exits 0"
is "$(awk '/^--$/ { exit } { print $2 }' "$T/live" | tr '\n' ' ')" "0 0 2 2 3 " \
    "live: the opening record is out when the first sample over the limit arrives, before the condition ends"
is "$(sed '1,/^--$/d' "$T/live")" 'device,start,end,kind,column,severity,value,limit,unit
r1,2025-03-01T00:00:02Z,,cell_v_spread,"cell_max_v,cell_min_v",warning,0.1,0.05,V
r1,2025-03-01T00:00:02Z,2025-03-01T00:00:04Z,cell_v_spread,"cell_max_v,cell_min_v",warning,0.12,0.05,V' \
    "live: opening (end empty, 0.10 V so far), then closing (00:00:02-00:00:04, worst 0.12 V)"

# the faults file through a pipe: the closing records are the file's output, byte for byte; the
# ten conditions that hold over a run (all kinds but gap and soc_jump) also have an opening
# record with the same start. stuck is confirmed once voltage_v has been flat 30 min: 8000 s +
# 1800 s, value 1800 (its start 8000 s = 02:13:20).
cat "$T/faults.csv" | bess-health --capacity 280Ah >"$T/piped.out"
ok $? "faults piped: exits 0"
awk -F, '$3 != ""' "$T/piped.out" | cmp -s - "$T/faults.out"
ok $? "faults piped: without the opening records, the same bytes as from the file"
is "$(awk -F, '$3 == ""' "$T/piped.out" | cut -d, -f1,2,4 | sed 's/2025-03-01T//; s/Z//' | sort)" \
    "$(grep -v -e ',gap$' -e ',soc_jump$' -e '^device' "$T/want" | cut -d, -f1,2,4 | sort)" \
    "faults piped: an opening record for each run condition, at its start"
is "$(awk -F, '$3 == "" && $4 == "stuck" { print $7 "," $8 }' "$T/piped.out")" "1800,1800" \
    "faults piped: stuck opens once flat for the 30 min limit"

# bad input
printf 'ts,device,soc_pct\n2025-03-01T00:00:02Z,r1,50\n2025-03-01T00:00:00Z,r1,50\n' >"$T/bad.csv"
bess-health "$T/bad.csv" >/dev/null 2>"$T/err"
is "$?" 1 "a time going back: status 1"
is "$(cat "$T/err")" "bess-health: $T/bad.csv:3: time 2025-03-01T00:00:00Z is before the previous record's 2025-03-01T00:00:02Z for device 'r1'; sort the input first (bess-ingest --sort)" \
    "named with file and line"

# --- cycler data: capacity per cycle from the Maccor exports (BEEP test files)
R=$top/../shared/data/real/battery
if [ ! -d "$R" ]; then
	skip "no ../shared/data/real/battery"; skip "-"; skip "-"; skip "-"; skip "-"; skip "-"
	done_testing
fi
for m in xTESLADIAG_000019_CH70.070 PredictionDiagnostics_000109_tztest.010; do
	f=$R/beep_$m
	bess-ingest -t 'DPt Time' --time-format '%m/%d/%Y %H:%M:%S' --tz America/Los_Angeles \
	    --elapsed 'Test (Sec)' --dup keep -m Amps=current_a -k current_a "$f" |
	  bess-health --cycles >"$T/cy.csv"
	ok $? "$m: capacity per cycle"
	# awk over the raw file: cycles start where charging starts after a discharge (|I| <= 0.01 A
	# is rest); each spacing adds (I1 + I2) / 2 x dt (Test (Sec)) / 3600 to the later sample's cycle;
	# and, independently, the cycler's own Amp-hr counter, which restarts at each step: the sum of
	# each C and D step run's highest reading in the cycle
	awk -F'\t' 'NR > 2 && NF > 1 {
		t = $4 + 0; i = $8 + 0; ph = i > 0.01 ? 1 : (i < -0.01 ? -1 : 0)
		if (n == 0 || (ph == 1 && last == -1)) n++
		if (ph != 0) last = ph
		if (have) { q = (pi + i) / 2 * (t - pt) / 3600; if (q > 0) ch[n] += q; else dis[n] -= q }
		have = 1; pt = t; pi = i
		run = $2 " " $3
		if (run != prun) { if (pst == "D") adis[pn] += mx; if (pst == "C") ach[pn] += mx; mx = 0 }
		if ($6 + 0 > mx) mx = $6 + 0
		prun = run; pst = $10; pn = n
	} END {
		if (pst == "D") adis[pn] += mx; if (pst == "C") ach[pn] += mx
		for (k = 1; k <= n; k++) printf "%d %.9f %.9f %.9f %.9f\n", k, ch[k], dis[k], ach[k], adis[k]
	}' "$f" >"$T/awk.txt"
	is "$(($(wc -l <"$T/cy.csv") - 1))" "$(wc -l <"$T/awk.txt" | tr -d ' ')" "$m: as many cycles as awk finds"
	bad=$(tail -n +2 "$T/cy.csv" | cut -d, -f2,6,7 | tr , ' ' | paste -d' ' - "$T/awk.txt" |
	    awk '{ d1 = $2 - $5; d2 = $3 - $6; if (d1 < 0) d1 = -d1; if (d2 < 0) d2 = -d2
		if ($1 != $4 || d1 > 1e-6 || d2 > 1e-6) print "cycle " $1 ": " $2 " " $3 " vs awk " $5 " " $6 }')
	is "$bad" "" "$m: charge and discharge Ah equal awk's integration of the raw current (1e-6)"
	worst=$(tail -n +2 "$T/cy.csv" | cut -d, -f7 | paste -d' ' - "$T/awk.txt" |
	    awk '$6 > 0.1 { d = ($1 - $6) / $6; if (d < 0) d = -d; if (d > w) w = d } END { printf "%.6f", w * 100 }')
	# the cycler counts at its own rate; the log has a sample every few seconds to 30 s
	awk -v w="$worst" 'BEGIN { exit !(w < 0.2) }'
	ok $? "$m: discharge Ah within 0.2 % of the cycler's own Amp-hr counter (worst $worst %)"
done
# the fade: against the first full cycle (cycle 2 of the Tesla file: charges and discharges)
f=$R/beep_xTESLADIAG_000019_CH70.070
bess-ingest -t 'DPt Time' --time-format '%m/%d/%Y %H:%M:%S' --tz America/Los_Angeles \
    --elapsed 'Test (Sec)' --dup keep -m Amps=current_a -k current_a "$f" | bess-health --cycles >"$T/cy.csv"
want=$(awk -F, 'NR == 3 { ref = $7 } NR == 30 { printf "%.4f", 100 * (1 - $7 / ref) }' "$T/cy.csv")
got=$(awk -F, 'NR == 30 { printf "%.4f", $8 }' "$T/cy.csv")
is "$got" "$want" "fade_pct of cycle 29: 100 x (1 - its discharge / cycle 2's)"
done_testing
