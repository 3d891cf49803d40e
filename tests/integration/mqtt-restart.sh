#!/bin/sh
# mqtt-restart.sh: the broker is stopped in the middle of a stream and started again: nothing is lost; a persistent subscriber gets what it missed; a broker that is not there yet is waited for.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/mqtt-common.inc"

P=$(free_port)
mkdir -p "$T/db"
# persistence: the broker saves sessions and queued messages when it is stopped (SIGTERM)
start() {
	mq_broker "$P" "persistence true" "persistence_location $T/db/" || return 1
	BROKER_PID=$MOSQ_PID
}
stop() {
	kill "$BROKER_PID"
	wait "$BROKER_PID" 2>/dev/null
}
start || skip_all "mosquitto did not start"
H="-h 127.0.0.1 -p $P"

for qos in 1 2; do
	# a stream through a FIFO: half before the broker goes, half while it is away
	mkfifo "$T/f$qos"
	# no -C: a message in flight when the broker went may come twice.
	# QoS 1: the session is kept only while running; QoS 2: --persistent
	persist=""
	[ $qos = 2 ] && persist="--persistent -i restart-sub"
	bess-mqtt sub $H -q $qos $persist -t "r$qos/#" -v \
	    >"$T/out$qos" 2>"$T/sub$qos.err" &
	SUB=$!
	wait_grep "$T/sub$qos.err" "subscribed"
	bess-mqtt pub $H -q $qos -t "r$qos/x" -v <"$T/f$qos" 2>"$T/pub$qos.err" &
	PUB=$!
	exec 3>"$T/f$qos"
	seq_ndjson 1 1000 >&3
	wait_lines "$T/out$qos" 1000 20
	stop
	seq_ndjson 1001 2000 >&3	# published while the broker is down
	sleep 0.5
	start 3>&-	# the broker must not hold the FIFO open
	exec 3>&-
	wait_pid $PUB 60
	is "$ST" 0 "QoS $qos: pub exits 0 once all 2000 are acknowledged"
	# until 2000 different messages are in (or 30 s), then stop the subscriber
	i=0
	while [ "$(seqs "$T/out$qos" | sort -u | wc -l)" -lt 2000 ] && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -TERM $SUB
	wait_pid $SUB 10
	is "$ST" 0 "QoS $qos: sub stops cleanly on SIGTERM"
	grep -q "lost the connection" "$T/pub$qos.err"
	ok $? "QoS $qos: pub saw the broker go"
	grep -q "connected to 127.0.0.1:$P again" "$T/pub$qos.err"
	ok $? "QoS $qos: ... and reconnected"
	# the broker is away at least 0.5 s: tries at 0.1 s, then 0.2 s later, then 0.4 s later
	for who in pub sub; do
		grep -q "cannot reconnect to 127.0.0.1:$P: Connection refused; next try in 0.2 s" "$T/$who$qos.err" &&
		    grep -q "next try in 0.4 s" "$T/$who$qos.err"
		ok $? "QoS $qos: $who backs off 0.1 s, 0.2 s, 0.4 s"
	done
	check_set "$T/out$qos" 1 2000 "QoS $qos across a broker restart"
	# mosquitto 2.0.11 may send a few again after its restart (at QoS 2 too): allowed, counted
	dups=$(seqs "$T/out$qos" | sort -n | uniq -d | wc -l | tr -d ' ')
	echo "# QoS $qos: $dups sent twice across the restart"
done

# a persistent subscriber away while messages are published and the broker restarts
bess-mqtt sub $H -q 1 -i away --persistent -t 'away/#' -W 0.3 2>/dev/null
is "$?" 0 "persistent subscriber: first visit leaves a session"
seq_ndjson 1 50 | bess-mqtt pub $H -q 1 -t away/x
stop
start
bess-mqtt sub $H -q 1 -i away --persistent -t 'away/#' -C 50 -W 10 -v >"$T/away.out" 2>"$T/away.err"
is "$?" 0 "persistent subscriber comes back"
grep -q "session resumed" "$T/away.err"
ok $? "... to its session"
check_set "$T/away.out" 1 50 "persistent subscriber gets what was published while it was away"
# without --persistent the session kept while running ends with the client:
# MQTT 5 says so in its DISCONNECT, 3.1.1 needs a clean connect
for v in 5 311; do
	bess-mqtt sub $H -V $v -q 1 -i brief$v -t "brief$v/#" -W 0.3 2>/dev/null
	seq_ndjson 1 5 | bess-mqtt pub $H -q 1 -t brief$v/x
	bess-mqtt sub $H -V $v -q 1 -i brief$v -t "brief$v/#" -W 1 >"$T/brief$v.out" 2>/dev/null
	is "$(wc -l <"$T/brief$v.out" | tr -d ' ')" 0 "MQTT $v: without --persistent nothing waits for the client"
done

# signals: the first stops reading and waits for acknowledgements, a second gives up
mkfifo "$T/sig1.fifo" "$T/sig2.fifo"
bess-mqtt pub $H -q 1 -t sig/x -v <"$T/sig1.fifo" 2>"$T/sig1.err" &
PUB=$!
exec 3>"$T/sig1.fifo"
seq_ndjson 1 3 >&3
wait_grep "$T/sig1.err" "connected"
sleep 0.5
kill -TERM $PUB
wait_pid $PUB 10
is "$ST" 0 "pub: SIGTERM with its input still open ends it once all is acknowledged"
exec 3>&-
bess-mqtt pub $H -q 1 -t sig/x -v <"$T/sig2.fifo" 2>"$T/sig2.err" &
PUB=$!
exec 3>"$T/sig2.fifo"
wait_grep "$T/sig2.err" "connected"
stop
seq_ndjson 1 3 >&3	# the broker is away: they stay unacknowledged
sleep 0.5
kill -TERM $PUB
sleep 0.5
kill -0 $PUB 2>/dev/null
ok $? "pub: the first SIGTERM waits for the 3 messages not yet acknowledged"
kill -TERM $PUB
wait_pid $PUB 10
is "$ST" 1 "pub: a second SIGTERM gives up, exit status 1"
is "$(grep -c '^bess-mqtt: interrupted with 3 messages not acknowledged$' "$T/sig2.err")" 1 "... saying how many"
exec 3>&-
start

# broker not there at start: an error, or with --wait a wait (a session kept beforehand receives)
bess-mqtt sub $H -q 1 -i waiter --persistent -t 'w/#' -W 0.2 2>/dev/null
stop
echo '{"a":1}' | bess-mqtt pub $H -t w/x 2>"$T/nobroker.err"
is "$?" 1 "broker unreachable: exit status 1"
is "$(cat "$T/nobroker.err")" "bess-mqtt: cannot connect to 127.0.0.1:$P: Connection refused" "... with a clear message"
seq_ndjson 1 3 >"$T/w.in"
bess-mqtt pub $H -q 1 -t w/x --wait <"$T/w.in" 2>"$T/wait.err" &
PUB=$!
sleep 1
kill -0 $PUB 2>/dev/null
ok $? "pub --wait is still waiting a second later"
start
wait_pid $PUB 20
is "$ST" 0 "pub --wait publishes once the broker is up"
bess-mqtt sub $H -q 1 -i waiter --persistent -t 'w/#' -C 3 -W 10 >"$T/w.out" 2>/dev/null
check_set "$T/w.out" 1 3 "pub --wait"

done_testing
