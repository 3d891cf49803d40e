#!/bin/sh
# lib-lineprotocol.sh: the line protocol writer's escaping (lib/recout.c) checked against a real
# influxd: awkward measurement, tag and field names and values go in and come back unchanged.
. "$(dirname "$0")/../lib.sh"
command -v influxd >/dev/null || skip_all "influxd not installed (Debian package influxdb)"
command -v curl >/dev/null || skip_all "curl not installed"
perl -MJSON::PP -e 1 2>/dev/null || skip_all "perl JSON::PP missing"

start_influxd
ok $? "influxd listens on 127.0.0.1:$INFLUX_PORT"
url="http://127.0.0.1:$INFLUX_PORT"
i=0
until curl -sf "$url/ping" >/dev/null || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
curl -sf -XPOST "$url/query" --data-urlencode 'q=CREATE DATABASE t' >/dev/null
ok $? "database created"

# Names and values with every character line protocol treats specially: space, comma,
# equals sign, double quote, backslash (inside and at the end), a line break.
cat >"$T/in.csv" <<'EOF'
ts,device,note,"a b,c=d","C:\dir\"
2025-01-16T10:00:00Z,"rack 1,a=b\c","say ""hi"" \o/",1.5,2
2025-01-16T11:00:00Z,"x\","l1
l2",+5,.5
EOF
bess-ingest -f lp --measurement 'bat,t 1' --lp-tags device "$T/in.csv" >"$T/out.lp"
ok $? "bess-ingest writes line protocol"
is "$(wc -l <"$T/out.lp" | tr -d ' ')" "2" "two lines, the line break in a value not among them"
curl -s -XPOST "$url/write?db=t" --data-binary "@$T/out.lp" -o "$T/write.out" -w '%{http_code}' >"$T/code"
is "$(cat "$T/code")" "204" "influxd accepts both lines (HTTP 204; $(cat "$T/write.out"))"

# The query answer, decoded from JSON by perl: the column names, then one row per point.
q() {
	curl -sf -G "$url/query" --data-urlencode db=t --data-urlencode epoch=s --data-urlencode "q=$1" |
		perl -MJSON::PP -e 'local $/; my $d = decode_json(<STDIN>);
			for my $s (@{$d->{results}[0]{series} || []}) {
				print join("|", @{$s->{columns}}), "\n" if $ENV{COLS};
				for my $v (@{$s->{values}}) {
					print join("|", map { defined $_ ? $_ : "~" } @$v), "\n" } }'
}
is "$(q 'SHOW MEASUREMENTS')" "bat,t 1" "measurement 'bat,t 1' (comma and space escaped)"
is "$(q 'SHOW TAG VALUES FROM "bat,t 1" WITH KEY = "device"' | sort)" "device|rack 1,a=b\\c
device|x" "tag values: space, comma, equals kept; an inner backslash kept; a final one left out"
# [hand] 2025-01-16T10:00:00Z = 1737021600 s (date -u -d 2025-01-16T10:00:00Z +%s); influxd
# lists the columns by name: C:\dir, a b,c=d, device, note
is "$(COLS=1 q 'SELECT * FROM "bat,t 1"')" "time|C:\\dir|a b,c=d|device|note
1737021600|2|1.5|rack 1,a=b\\c|say \"hi\" \\o/
1737025200|0.5|5|x|l1 l2" "fields: escaped keys, quotes and backslash in a string, +5 and .5 as numbers"
done_testing
