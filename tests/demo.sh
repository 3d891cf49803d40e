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

say "done: demo/plan.png, demo/plan.html, demo/plan.csv, demo/summary.json"
