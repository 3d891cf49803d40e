# lib.sh: helpers for integration tests (sourced): TAP output and real servers on free loopback ports.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/env.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/bess-it.XXXXXX")
_t_n=0
_t_fail=0
_t_pids=""

# Stop every server we started and remove the temporary folder, whatever happens.
_t_cleanup() {
	for p in $_t_pids; do
		kill "$p" 2>/dev/null
	done
	for p in $_t_pids; do
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
		kill -9 "$p" 2>/dev/null
	done
	rm -rf "$T"
}
trap _t_cleanup EXIT
trap 'exit 130' INT TERM

plan() { echo "1..$1"; }
skip_all() { echo "1..0 # SKIP $*"; exit 0; }
ok() {	# ok CONDITION-STATUS DESCRIPTION  (use: cmd; ok $? "desc")
	_t_n=$((_t_n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $_t_n - $2"; else echo "not ok $_t_n - $2"; _t_fail=1; fi
}
is() {	# is GOT WANT DESCRIPTION
	_t_n=$((_t_n + 1))
	if [ "$1" = "$2" ]; then echo "ok $_t_n - $3"; else
		echo "not ok $_t_n - $3"; echo "#   got:  '$1'"; echo "#   want: '$2'"; _t_fail=1; fi
}
# near GOT WANT TOL DESCRIPTION: |got - want| <= tol (numbers)
near() {
	_t_n=$((_t_n + 1))
	if awk -v g="$1" -v w="$2" -v t="$3" 'BEGIN { d = g - w; if (d < 0) d = -d; exit !(g != "" && d <= t) }'; then
		echo "ok $_t_n - $4"; else echo "not ok $_t_n - $4"; echo "#   got: '$1' want: '$2' ± $3"; _t_fail=1; fi
}
skip() { _t_n=$((_t_n + 1)); echo "ok $_t_n # SKIP $*"; }
done_testing() { echo "1..$_t_n"; exit $_t_fail; }

# A free TCP port on 127.0.0.1 (the kernel picks it).
free_port() {
	perl -MIO::Socket::INET -e 'my $s = IO::Socket::INET->new(Listen => 1, LocalAddr => "127.0.0.1:0", ReuseAddr => 1) or die; print $s->sockport, "\n"'
}

# Wait until something listens on 127.0.0.1:PORT (up to SECONDS, default 20).
wait_port() {
	_w=0
	_lim=$(( ${2:-20} * 10 ))
	while [ $_w -lt $_lim ]; do
		perl -MIO::Socket::INET -e 'exit !IO::Socket::INET->new(PeerAddr => "127.0.0.1:'"$1"'", Timeout => 1)' 2>/dev/null && return 0
		sleep 0.1
		_w=$((_w + 1))
	done
	return 1
}

# Remember a background process to stop at exit.
track() { _t_pids="$_t_pids $1"; }

# start_mosquitto PORT [extra config lines...]: a broker on 127.0.0.1:PORT; sets MOSQ_PID.
start_mosquitto() {
	_port=$1
	shift
	_conf="$T/mosquitto-$_port.conf"
	{
		echo "listener $_port 127.0.0.1"
		echo "allow_anonymous true"
		echo "max_queued_messages 0"
		echo "persistence false"
		for l in "$@"; do echo "$l"; done
	} >"$_conf"
	/usr/sbin/mosquitto -c "$_conf" >"$T/mosquitto-$_port.log" 2>&1 &
	MOSQ_PID=$!
	track $MOSQ_PID
	wait_port "$_port" 10
}

# start_influxd: InfluxDB 1.x on a free loopback port; sets INFLUX_PORT and INFLUX_PID.
start_influxd() {
	INFLUX_PORT=$(free_port)
	_d="$T/influx"
	mkdir -p "$_d"
	cat >"$_d/influxdb.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:$(free_port)"
[meta]
  dir = "$_d/meta"
[data]
  dir = "$_d/data"
  wal-dir = "$_d/wal"
  query-log-enabled = false
[http]
  enabled = true
  bind-address = "127.0.0.1:$INFLUX_PORT"
  log-enabled = false
[monitor]
  store-enabled = false
[subscriber]
  enabled = false
[continuous_queries]
  enabled = false
CONF
	influxd -config "$_d/influxdb.conf" >"$_d/log" 2>&1 &
	INFLUX_PID=$!
	track $INFLUX_PID
	wait_port "$INFLUX_PORT" 30
}
