#!/bin/sh
# ingest-influx.sh: line protocol from bess-ingest goes into a real influxd (Debian's influxdb,
# started here on a loopback port) and the same values come back through its query API.
. "$(dirname "$0")/../lib.sh"
command -v influxd >/dev/null || skip_all "influxd not installed (Debian package influxdb)"
command -v curl >/dev/null || skip_all "curl not installed"

start_influxd
ok $? "influxd listens on 127.0.0.1:$INFLUX_PORT"
url="http://127.0.0.1:$INFLUX_PORT"
i=0
until curl -sf "$url/ping" >/dev/null || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
curl -sf -XPOST "$url/query" --data-urlencode 'q=CREATE DATABASE bess' >/dev/null
ok $? "database created"

# a week of German prices (naive Berlin time, EUR/MWh) with site and device tags
bess-ingest --tz Europe/Berlin --dst-gap skip -m 'Price (EUR/MWh)=price' \
	--tag site=de-lu --tag 'device=epex spot' -f lp --measurement prices \
	--end 2023-03-08T00:00:00+01:00 "$DATA/de-lu-prices-2023-03.csv" >"$T/prices.lp"
ok $? "bess-ingest writes line protocol"
n=$(wc -l <"$T/prices.lp" | tr -d ' ')
is "$n" "168" "7 days of hourly prices (1-7 March, no DST change)"
curl -sf -XPOST "$url/write?db=bess&precision=ns" --data-binary "@$T/prices.lp" -o "$T/write.out" \
	-w '%{http_code}' >"$T/code"
is "$(cat "$T/code")" "204" "influxd accepts every line (HTTP 204)"

q() { curl -sf -G "$url/query" --data-urlencode "db=bess" --data-urlencode "epoch=s" --data-urlencode "q=$1"; }
# count and sum through InfluxQL, compared with awk over the source (EUR/MWh / 1000)
want_sum=$(awk -F, 'NR > 1 && $1 < "2023-03-08" { s += $2 } END { printf "%.6f", s / 1000 }' "$DATA/de-lu-prices-2023-03.csv")
got=$(q 'SELECT count(price), sum(price) FROM prices' | sed -n 's/.*"values":\[\[\([^]]*\)\]\].*/\1/p')
cnt=$(echo "$got" | awk -F, '{ print $2 }')
sum=$(echo "$got" | awk -F, '{ printf "%.6f", $3 }')
is "$cnt" "168" "influx counts 168 points"
is "$sum" "$want_sum" "influx sum of price equals the source's / 1000"
# one point exactly: 2023-03-01 00:00 CET = 2023-02-28T23:00:00Z = 1677625200 s
want=$(awk -F, '$1 == "2023-03-01 00:00:00" { printf "%.6f", $2 / 1000 }' "$DATA/de-lu-prices-2023-03.csv")
got=$(q 'SELECT price, site, device FROM prices WHERE time = 1677625200s')
echo "$got" | grep -q '"values":\[\[1677625200,' ; ok $? "the first point is at 1677625200 s"
is "$(echo "$got" | sed 's/.*"values":\[\[[0-9]*,\([-0-9.e]*\),.*/\1/' | awk '{ printf "%.6f", $1 }')" "$want" "its price"
echo "$got" | grep -q '"de-lu","epex spot"' ; ok $? "tags come back, the space in 'epex spot' unescaped"
tags=$(q 'SHOW TAG KEYS FROM prices')
echo "$tags" | grep -q '"device"' && echo "$tags" | grep -q '"site"'
ok $? "site and device are tags, not fields"
done_testing
