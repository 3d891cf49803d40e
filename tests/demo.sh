#!/bin/sh
# demo.sh: the main job on the sample data in data/, results in demo/ (run by 'make demo').
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
PATH="$top/bin:$PATH"
export BESS_NO_CONFIG=1
mkdir -p demo
say() { printf '\n== %s\n' "$*"; }
run() { echo "+ $*"; "$@"; }

say "1. A week of German day-ahead prices (naive Berlin time, EUR/MWh) into the canonical stream"
run bess-ingest --tz Europe/Berlin --dst-gap skip -m 'Price (EUR/MWh)=price' \
	--end 2023-03-08T00:00:00+01:00 -o demo/prices.csv data/de-lu-prices-2023-03.csv
head -n 3 demo/prices.csv

say "2. Onto a 15-minute grid (prices hold for their hour)"
run bess-resample --step 15m -o demo/prices-15m.csv demo/prices.csv
echo "$(($(wc -l <demo/prices-15m.csv) - 1)) steps"

say "3. The cost-optimal schedule of a 500 kWh / 250 kW battery, 90 % round trip"
run bess-optimize --capacity 500kWh --power 250kW --efficiency 90% \
	--summary demo/summary.json -o demo/plan.csv demo/prices-15m.csv
sed 's/,"/,\n  "/g' demo/summary.json | grep -E '"(status|objective|throughput_kwh|cycles|solve_ms)"'

say "4. The chart: prices, battery power and SOC, in Berlin time"
run bess-plot --tz Europe/Berlin --capacity 500kWh --currency EUR \
	--title 'DE-LU day-ahead, 1-7 March 2023: 500 kWh / 250 kW battery' -o demo/plan.png demo/plan.csv
run bess-plot --tz Europe/Berlin --capacity 500kWh --currency EUR -o demo/plan.html demo/plan.csv
run bess-plot --tz Europe/Berlin --panels price,soc --size 100x30 demo/plan.csv

say "5. What would a 200 kWh / 100 kW battery have earned a real UK building in January?"
echo "   (its hourly meter and its dynamic Agile Octopus tariff, naive UTC, joined on one grid)"
run bess-ingest --utc --interval 1h -m 'equipment load [kWh]=load_kw' -o demo/load.csv \
	data/b111-load-2023-01.csv
run bess-ingest --utc -m 'Electricity Pricing [£/kWh]=price' -o demo/tariff.csv \
	data/agile-octopus-2023-01.csv
run bess-resample --step 1h -o demo/site.csv demo/tariff.csv demo/load.csv
run bess-dispatch --backtest --capacity 200kWh --power 100kW --horizon 24h \
	--forecast price=persistence,load=profile --da-publish 16:00 --tz Europe/London \
	--summary demo/backtest.json -o demo/backtest.csv demo/site.csv
sed 's/,"/,\n  "/g' demo/backtest.json | grep -E '"(baseline_cost|cost|optimum_cost|rule_cost|capture_pct|cycles|ms_per_solve)"'
run bess-plot --tz Europe/London --capacity 200kWh --currency GBP \
	--title 'Building b111, January 2023: receding-horizon dispatch' -o demo/backtest.png demo/backtest.csv

say "6. Tomorrow's load of the building, forecast at 16:00 on 25 January from what was known then,"
echo "   against what it turned out to be (ridge regression; P10 and P90 from its own recent errors)"
run bess-forecast --tz Europe/London --issue '2023-01-25 16:00' --lead 8h --horizon 24h \
	-o demo/forecast.csv demo/load.csv
awk -F, 'NR == FNR { if (FNR > 1) a[$1] = $2; next }
	FNR == 1 { printf "   %-20s %8s %8s %8s %8s\n", "hour (UTC)", "actual", "P10", "forecast", "P90"; next }
	{ printf "   %-20s %8.1f %8.1f %8.1f %8.1f\n", $1, a[$1], $4, $3, $6
	  e = a[$1] - $3; s += e < 0 ? -e : e; n++; u += a[$1] <= $6 }
	END { printf "   MAE %.1f kW over %d hours; %d of %d actuals at or under P90\n", s / n, n, u, n }' \
	demo/load.csv demo/forecast.csv
run bess-forecast --backtest -f table --tz Europe/London --at 16:00 --lead 8h --horizon 24h \
	-o demo/forecast-backtest.txt demo/load.csv
sed -n '1,8p' demo/forecast-backtest.txt

say "7. Health checks on four hours of 2-second BMS/PCS telemetry (two racks, one PCS), in which"
echo "   rack r2's weakest cell sags 70 mV below the others from 01:00 to 01:10"
awk -f tests/integration/health-gen.awk | awk -F, 'BEGIN { OFS = "," }
	$2 == "r2" && $1 >= "2025-03-01T01:00:00Z" && $1 <= "2025-03-01T01:10:00Z" { $7 = sprintf("%.4f", $7 - 0.07) }
	{ print }' >demo/bms.csv
run bess-health --capacity 280Ah --summary demo/health-summary.ndjson -o demo/health.csv demo/bms.csv
cat demo/health.csv

say "8. The building's January bill under a time-of-use tariff, before and after the battery"
echo "   (its meter alone, and with a 200 kWh / 100 kW battery planned for this tariff; peak 16:00-19:00 on weekdays"
echo "   at 0.35/kWh and 8/kW on the month's peak, day 0.25, night 0.12, a fixed 30 a month)"
cat >demo/tou.tariff <<'END'
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
run bess-optimize --tariff demo/tou.tariff --capacity 200kWh --power 100kW -q -o demo/tou-plan.csv demo/load.csv
run bess-bill --tariff demo/tou.tariff --compare -f text -o demo/bill.txt demo/tou-plan.csv
cat demo/bill.txt

say "9. A live view: one day of the backtest of step 5 replayed as a stream, drawn as its records arrive"
echo "   (open demo/live.html: it refreshes itself in place while bess-plot --follow runs;"
echo "    --clock data judges the replay by its own clock, so it is not called stale)"
run sh -c "grep -E '^(ts|2023-01-16)' demo/backtest.csv | bess-plot --follow --clock data --window 24h \\
	--every 1s --tz Europe/London --capacity 200kWh --currency GBP \\
	--title 'Building b111, 16 January 2023, replayed live' -o demo/live.html"
grep -o '<div id="status"[^>]*>[^<]*' demo/live.html | sed 's/.*>/   status strip: /'

say "10. The time-of-use plan of step 8 with its periods as bands, each with its rate"
run bess-plot --tariff demo/tou.tariff --tz Europe/London --currency GBP --capacity 200kWh \
	--title 'Building b111, January 2023: a plan under a time-of-use tariff' -o demo/tou-plan.png demo/tou-plan.csv

say "11. A demand-response invitation for the building: import 60 kWh less than its baseline"
echo "   on Wednesday 25 January, 17:00-19:00 London time, paid 0.50/kWh, 1.00 per kWh short; the"
echo "   baseline is CAISO's '10 in 10' (the mean of the last 10 weekdays at those hours)"
cat >demo/offer.csv <<'END'
id,start,end,reduce_kwh,payment,penalty,tz
jan25,2023-01-25T17:00,2023-01-25T19:00,60,0.50,1.00,Europe/London
END
run bess-optimize --capacity 200kWh --power 100kW -q --offer demo/offer.csv --baseline-from demo/load.csv \
	--event-report demo/offer-report.csv -o /dev/null demo/site.csv
cut -d, -f2,8,12,14,18,19 demo/offer-report.csv
echo "   accepted: the month planned with it, and the profit and savings report"
run bess-optimize --capacity 200kWh --power 100kW -q --events demo/offer.csv --baseline-from demo/load.csv \
	--summary demo/dr-summary.json -o demo/dr-plan.csv demo/site.csv
sed 's/"events":\[[^]]*\],//; s/,"/,\n  "/g' demo/dr-summary.json | grep -E '^  "(cost|energy_cost|import_kwh|export_kwh|export_revenue|degradation_cost|demand_cost|baseline_cost|saving|dr_payment|dr_penalty|net_cost|net_saving)"'

say "12. Controllable loads: on 8 January the building may switch its 20 kW chiller off at the evening"
echo "   peak (two hours a day at most, an hour at least each time) and must charge a van (30 kWh at"
echo "   3.7, 7.4 or 11 kW between 18:00 and 07:00); the plan sheds, shifts and runs the battery together"
cat >demo/site.devices <<'END'
timezone = Europe/London
[chiller]
kind = sheddable
power = 20kW
cost = 0.05/kWh
max_off = 2h
when = 15:00-20:00
min_off = 1h
[van]
kind = shiftable
power = 0 3.7kW 7.4kW 11kW
energy = 30kWh
window = 18:00-07:00
END
grep -E '^(ts|2023-01-0[89]T0[0-6]|2023-01-08)' demo/site.csv >demo/site-0108.csv
run bess-optimize --capacity 200kWh --power 100kW --devices demo/site.devices \
	--per-device demo/devices.csv --summary demo/devices.json -o demo/devices-plan.csv demo/site-0108.csv
grep -E ',(chiller,sheddable,OFF|van,shiftable,ON),' demo/devices.csv
echo "   the profit and savings report: bought, sold, wear, demand charges, what shedding and shifting"
echo "   saved against no action, and the total against no battery and no control"
sed 's/"shed_shift_by_device".*//; s/,"/,\n  "/g' demo/devices.json |
	grep -E '^  "(status|cost|energy_cost|import_kwh|export_kwh|export_revenue|degradation_cost|demand_cost|baseline_cost|shed_kwh|shed_cost|shed_saving|shift_kwh|shift_saving|net_cost|net_saving)"'
echo "   the plan settled as if the day had gone so (--simulate --devices, the same device records):"
run bess-dispatch --simulate --capacity 200kWh --power 100kW --devices demo/site.devices \
	--commands demo/devices.csv --summary demo/devices-run.json --breakdown - --by day -o /dev/null \
	demo/devices-plan.csv 2>&1 | cut -d, -f1,3,4,16-

say "done: demo/live.html, demo/devices.csv, demo/tou-plan.png, demo/plan.png, demo/plan.html, demo/plan.csv, demo/summary.json, demo/backtest.png, demo/backtest.json, demo/forecast.csv, demo/health.csv, demo/bill.txt"
