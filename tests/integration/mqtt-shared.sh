#!/bin/sh
# mqtt-shared.sh: two subscribers share '$share/GROUP/...': the broker splits the messages between them, none lost, none twice.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/mqtt-common.inc"

N=1000
P=$(free_port)
mq_broker "$P" || skip_all "mosquitto did not start"
H="-h 127.0.0.1 -p $P"

for v in 5 311; do
	bess-mqtt sub $H -V $v -q 1 -t "\$share/workers/fleet$v/+site/+device" -v >"$T/a$v.out" 2>"$T/a$v.err" &
	A=$!
	bess-mqtt sub $H -V $v -q 1 -t "\$share/workers/fleet$v/+site/+device" -v >"$T/b$v.out" 2>"$T/b$v.err" &
	B=$!
	wait_grep "$T/a$v.err" "subscribed"
	wait_grep "$T/b$v.err" "subscribed"
	awk -v n=$N 'BEGIN { for (i = 1; i <= n; i++) printf "{\"seq\":%d,\"site\":\"s%d\",\"device\":\"d%d\"}\n", i, i % 3, i % 7 }' |
	    bess-mqtt pub $H -V $v -q 1 --fields seq -t "fleet$v/{site}/{device}"
	# wait until both together hold N records
	i=0
	while [ $(( $(wc -l <"$T/a$v.out") + $(wc -l <"$T/b$v.out") )) -lt $N ] && [ $i -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	sleep 0.2	# anything extra (a duplicate) would come now
	kill -TERM $A $B
	wait_pid $A 10
	wait_pid $B 10
	na=$(wc -l <"$T/a$v.out" | tr -d ' ')
	nb=$(wc -l <"$T/b$v.out" | tr -d ' ')
	echo "# MQTT $v: the first subscriber got $na, the second $nb"
	ok $([ "$na" -gt 0 ] && [ "$nb" -gt 0 ] && echo 0 || echo 1) "MQTT $v: both subscribers got a share"
	is $((na + nb)) $N "MQTT $v: together exactly $N records"
	cat "$T/a$v.out" "$T/b$v.out" >"$T/all$v.out"
	check_set "$T/all$v.out" 1 $N "MQTT $v shared subscription"
	# the levels named in the filter are fields: site = seq mod 3, device = seq mod 7 (how they were made)
	is "$(awk -F'"seq":' '{ split($2, a, ","); s = a[1] + 0; if ($0 !~ "\"site\":\"s" s % 3 "\"" || $0 !~ "\"device\":\"d" s % 7 "\"") { print "bad: " $0; exit } } END { print "ok" }' "$T/all$v.out" | head -n 1)" \
	    ok "MQTT $v: site and device come from the topic's levels"
done

done_testing
