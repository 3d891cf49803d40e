#!/bin/sh
# demo.sh: the main job on the sample data in data/, results in demo/ (run by 'make demo').
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
PATH="$top/bin:$PATH"
mkdir -p demo
run() { echo "+ $*" | sed "s|$top/||g"; "$@"; }

# 1. ingest: a month of German day-ahead prices (naive Berlin time, EUR/MWh)
run bess-ingest --tz Europe/Berlin --dst-gap skip -m 'Price (EUR/MWh)=price' \
	-o demo/prices.csv data/de-lu-prices-2023-03.csv
# the UK building's load and its dynamic tariff, naive UTC, joined later
run bess-ingest --utc -m 'equipment load [kWh]=load_kw' --interval 1h \
	-o demo/load.csv data/b111-load-2023-01.csv
run bess-ingest --utc -m 'Electricity Pricing [£/kWh]=price' \
	-o demo/tariff.csv data/agile-octopus-2023-01.csv
echo "demo: wrote demo/prices.csv ($(($(wc -l <demo/prices.csv) - 1)) records)," \
	"demo/load.csv, demo/tariff.csv"
