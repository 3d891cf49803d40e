#!/bin/sh
# bench-mqtt.sh: publishing N records at QoS 1 from stdin, bess-mqtt pub vs mosquitto_pub -l, on one local broker; times, ratio, memory, messages actually delivered (counted by a subscriber), and the time until a subscriber has all N with the input held open.
. "$(dirname "$0")/lib.sh"

[ -x /usr/sbin/mosquitto ] || { echo "  mosquitto not installed: skipped"; exit 0; }
command -v mosquitto_pub >/dev/null 2>&1 || { echo "  mosquitto-clients not installed: skipped"; exit 0; }

P=$(perl -MIO::Socket::INET -e 'my $s = IO::Socket::INET->new(Listen => 1, LocalAddr => "127.0.0.1:0", ReuseAddr => 1) or die; print $s->sockport, "\n"')
# a default broker, except that a slow QoS 1 subscriber may queue without limit (the counting needs it)
cat >"$B/mqtt.conf" <<EOF
listener $P 127.0.0.1
allow_anonymous true
max_queued_messages 0
persistence false
EOF
/usr/sbin/mosquitto -c "$B/mqtt.conf" >"$B/mqtt-broker.log" 2>&1 &
BROKER=$!
PIDS=""
trap 'kill $PIDS $BROKER 2>/dev/null' EXIT
trap 'exit 130' INT TERM
i=0
until perl -MIO::Socket::INET -e "exit !IO::Socket::INET->new(PeerAddr => '127.0.0.1:$P')" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 100 ] && { echo "  the broker did not start"; exit 1; }
	sleep 0.05
done

# count TOPIC CMD...: run CMD once with a QoS 1 subscriber on TOPIC; prints how many messages arrived
count() {
	_t=$1
	shift
	mosquitto_sub -h 127.0.0.1 -p $P -q 1 -t "$_t" >"$B/mqtt-count.out" 2>/dev/null &
	_s=$!
	PIDS="$PIDS $_s"
	sleep 0.3
	"$@" >/dev/null 2>&1
	# until nothing more arrives for a second
	_n=-1
	while [ "$(wc -l <"$B/mqtt-count.out")" -ne "$_n" ]; do
		_n=$(wc -l <"$B/mqtt-count.out")
		sleep 1
	done
	kill $_s 2>/dev/null
	wait $_s 2>/dev/null
	echo "$_n" | tr -d ' '
}

# deliver TOPIC CMD...: seconds from starting CMD, fed the records with its stdin held open
# afterwards (mosquitto_pub -l quits at end of input before its queue is sent), until a QoS 1
# subscriber has all N of them; "-" if it never does within 60 s
deliver() {
	_t=$1
	shift
	mosquitto_sub -h 127.0.0.1 -p $P -q 1 -t "$_t" -C "$N" >"$B/mqtt-deliver.out" 2>/dev/null &
	_s=$!
	PIDS="$PIDS $_s"
	sleep 0.3
	rm -f "$B/mqtt-fifo"
	mkfifo "$B/mqtt-fifo"
	_t0=$(date +%s.%N)
	(cat "$B/mqtt-$N.ndjson"; exec sleep 60) >"$B/mqtt-fifo" &
	_f=$!
	"$@" <"$B/mqtt-fifo" >/dev/null 2>&1 &
	_p=$!
	_i=0
	while kill -0 $_s 2>/dev/null && [ $_i -lt 6000 ]; do
		sleep 0.01
		_i=$((_i + 1))
	done
	_t1=$(date +%s.%N)
	kill $_f $_p $_s 2>/dev/null
	wait $_f $_p $_s 2>/dev/null
	if [ "$(wc -l <"$B/mqtt-deliver.out")" -eq "$N" ]; then
		echo "$_t1 $_t0" | awk '{ printf "%.2f\n", $1 - $2 }'
	else
		echo -
	fi
}

for N in ${MQTT_N:-100000 10000}; do
	awk -v n=$N 'BEGIN { for (i = 1; i <= n; i++) printf "{\"ts\":\"2025-01-01T00:00:00Z\",\"seq\":%d,\"battery_kw\":%d.5}\n", i, i % 500 - 250 }' \
	    >"$B/mqtt-$N.ndjson"
	echo "  $N records, QoS 1, from stdin to a local mosquitto 2.0 (best of ${RUNS:-3}):"
	# MQTT 5 (bess-mqtt's default) lets the broker cap unacknowledged messages
	# (mosquitto: 20); mosquitto_pub speaks 3.1.1 by default, which has no cap
	measure "bess-mqtt pub -q 1 (MQTT 5)" sh -c "bess-mqtt pub -h 127.0.0.1 -p $P -q 1 -t bench/a <$B/mqtt-$N.ndjson"
	b5=$SECS
	measure "bess-mqtt pub -q 1 -V 311" sh -c "bess-mqtt pub -h 127.0.0.1 -p $P -q 1 -V 311 -t bench/a <$B/mqtt-$N.ndjson"
	b3=$SECS
	measure "mosquitto_pub -l -q 1 (MQTT 3.1.1)" sh -c "mosquitto_pub -h 127.0.0.1 -p $P -q 1 -l -t bench/b <$B/mqtt-$N.ndjson"
	ms=$SECS
	ratio "$ms" "$b3" "speed, bess-mqtt pub -V 311 vs mosquitto_pub -l (>1 = bess faster)"
	ratio "$ms" "$b5" "speed, bess-mqtt pub (MQTT 5) vs mosquitto_pub -l"
	d5=$(count bench/c bess-mqtt pub -h 127.0.0.1 -p $P -q 1 -t bench/c <"$B/mqtt-$N.ndjson")
	d3=$(count bench/e bess-mqtt pub -h 127.0.0.1 -p $P -q 1 -V 311 -t bench/e <"$B/mqtt-$N.ndjson")
	md=$(count bench/d mosquitto_pub -h 127.0.0.1 -p $P -q 1 -l -t bench/d <"$B/mqtt-$N.ndjson")
	echo "  delivered to a subscriber: bess-mqtt pub $d5 (MQTT 5) and $d3 (3.1.1), mosquitto_pub -l $md, of $N"
	awk -v b5="$b5" -v b3="$b3" -v m="$ms" -v d5="$d5" -v d3="$d3" -v md="$md" 'BEGIN {
		if (b5 > 0 && b3 > 0 && m > 0)
			printf "  delivered per second: bess-mqtt pub %.0f (MQTT 5), %.0f (3.1.1); mosquitto_pub -l %.0f\n",
			    d5 / b5, d3 / b3, md / m }'
	# like for like: until every record has arrived, the input left open
	w5=$(deliver bench/f bess-mqtt pub -h 127.0.0.1 -p $P -q 1 -t bench/f)
	w3=$(deliver bench/g bess-mqtt pub -h 127.0.0.1 -p $P -q 1 -V 311 -t bench/g)
	wm=$(deliver bench/h mosquitto_pub -h 127.0.0.1 -p $P -q 1 -l -t bench/h)
	echo "  until a subscriber has all $N, stdin held open: bess-mqtt pub $w5 s (MQTT 5), $w3 s (3.1.1); mosquitto_pub -l $wm s"
	case "$w5$w3$wm" in
	*-*) ;;
	*)	ratio "$wm" "$w3" "to all delivered, bess-mqtt pub -V 311 vs mosquitto_pub -l (>1 = bess faster)"
		ratio "$wm" "$w5" "to all delivered, bess-mqtt pub (MQTT 5) vs mosquitto_pub -l" ;;
	esac
done
