#!/bin/sh
# hostile.sh: hostile inputs and surroundings that need another user, sizes or timing, against every bess tool.
. "$(dirname "$0")/../lib.sh"
printf 'ts,price\n2023-01-01T00:00:00Z,5\n' >"$T/one.csv"

# --- -o onto a read-only file: refused, the file untouched (rename(2) would
# replace it, as only the folder's permissions count). Root may write
# anything, so as root the check runs as 'nobody' in a world-writable folder.
as_user=""
if [ "$(id -u)" -eq 0 ]; then
	if command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
		as_user="setpriv --reuid=nobody --regid=$(id -g nobody) --clear-groups"
	fi
fi
if [ "$(id -u)" -eq 0 ] && [ -z "$as_user" ]; then
	skip "read-only -o: running as root without setpriv and 'nobody'"
else
	d="$T/ro"
	chmod 711 "$T"	# so that nobody reaches $d
	mkdir "$d" && chmod 777 "$d" && cp "$T/one.csv" "$d/in.csv" && chmod 644 "$d/in.csv"
	echo keep >"$d/out.csv" && chmod 444 "$d/out.csv"
	env HOME="$d" XDG_CONFIG_HOME="$d" $as_user bess-ingest --utc -o "$d/out.csv" "$d/in.csv" \
		2>"$T/ro.err"
	is "$?:$(cat "$d/out.csv")" "1:keep" "-o onto a read-only file fails and leaves it alone"
	is "$(cat "$T/ro.err")" "bess-ingest: $d/out.csv: Permission denied" "... naming the file"
	is "$(ls -A "$d" | tr '\n' ' ')" "in.csv out.csv " "... and no temporary file is left"
fi

# --- bess-optimize on more steps than one model takes: refused before GLPK
# starts (200000 is the documented limit: 600000 was, and solves of 100000 and
# 600000 steps did not finish in 300 s), and GLPK running out of memory
# (it abort()s after its error hook) is an error message, not SIGABRT
awk 'BEGIN { print "ts,price"; for (i = 0; i < 200001; i++) printf "%.0f,%d\n", 1672531200 + 900 * i, i % 7 }' |
	bess-ingest --epoch s -u price=EUR/MWh >"$T/200k1.csv"
bess-optimize --capacity 10kWh --power 5kW "$T/200k1.csv" >"$T/opt.out" 2>"$T/opt.err"
is "$?:$(cat "$T/opt.err")" "1:bess-optimize: 200001 steps are more than one model takes (200000); optimise shorter periods" \
	"bess-optimize: 200001 steps refused"
if grep -q sanitize "$top/build/flags" 2>/dev/null; then
	skip "GLPK out of memory: ulimit -v does not mix with ASan"
else
	# 200000 steps need about 1 GB (1,012,072 KB peak measured); allow 500 MB of address space
	sed 200001q "$T/200k1.csv" >"$T/200k.csv"
	(ulimit -v 500000; exec bess-optimize --capacity 10kWh --power 5kW "$T/200k.csv") \
		>"$T/opt.out" 2>"$T/opt.err"
	is "$?:$(cat "$T/opt.err")" "1:bess-optimize: the solver failed on 200000 steps (out of memory?)" \
		"bess-optimize: GLPK out of memory is exit 1 with a message"
fi

# --- bess-mqtt pub: a topic template filled past MQTT's 65535 bytes is a data
# error naming the line (the broker is real: the check comes after connecting)
if [ -x /usr/sbin/mosquitto ]; then
	port=$(free_port)
	start_mosquitto "$port" "user root"
	# bess/ + 65530 + /p = 65537 bytes
	awk 'BEGIN { printf "ts,site\n2023-01-01T00:00:00Z,"; for (i = 0; i < 65530; i++) printf "a"; print "" }' \
		>"$T/longsite.csv"
	bess-mqtt pub -h 127.0.0.1 -p "$port" -t 'bess/{site}/p' "$T/longsite.csv" 2>"$T/mq.err"
	is "$?:$(cat "$T/mq.err")" "1:bess-mqtt: $T/longsite.csv:2: the topic would be 65537 bytes (MQTT allows 65535)" \
		"bess-mqtt: a filled topic over 65535 bytes"
else
	skip "mosquitto (the broker) is not installed"
fi
done_testing
