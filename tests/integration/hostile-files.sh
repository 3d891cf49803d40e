#!/bin/sh
# hostile-files.sh: signals against the one atomic writer: SIGTERM leaves no temporary file, an ignored SIGHUP (nohup) stays ignored.
. "$(dirname "$0")/../lib.sh"

# 8 MB of records: more than the reader takes before it starts the output
awk 'BEGIN { print "ts,price"; for (i = 0; i < 300000; i++) printf "%.0f,%d\n", 1735689600 + 60 * i, i % 7 }' |
	bess-ingest --epoch s >"$T/big.csv"

# wait_tmp DIR: until a temporary output file (".NAME.XXXXXX") exists in DIR (5 s at most)
wait_tmp() {
	i=0
	while [ -z "$(ls -A "$1" | grep '^\.out\.csv\.')" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
}

# --- SIGTERM while bess-ingest writes -o: its temporary file goes with it (status 128+15)
mkdir "$T/a"
mkfifo "$T/in"
bess-ingest --utc -o "$T/a/out.csv" "$T/in" 2>"$T/err" &
pid=$!
exec 3>"$T/in"
cat "$T/big.csv" >&3
wait_tmp "$T/a"
is "$(ls -A "$T/a" | sed 's/\.[^.]*$/.X/')" ".out.csv.X" "while bess-ingest runs, a temporary file sits beside out.csv"
kill -TERM $pid
wait $pid
st=$?
exec 3>&-
is "$st:$(ls -A "$T/a")" "143:" "SIGTERM: killed by the signal, no out.csv and no temporary file left"

# --- SIGHUP ignored by the parent (nohup): the writer must not make it fatal
mkdir "$T/b"
sh -c 'trap "" HUP; exec bess-ingest --utc -o "$1" "$2"' sh "$T/b/out.csv" "$T/in" 2>"$T/err" &
pid=$!
exec 3>"$T/in"
cat "$T/big.csv" >&3
wait_tmp "$T/b"
kill -HUP $pid
sleep 0.2
exec 3>&-
wait $pid
st=$?
is "$st:$(cat "$T/b/out.csv" | wc -l):$(ls -A "$T/b")" "0:300001:out.csv" "an ignored SIGHUP stays ignored: the output is committed"

# --- a HOME the user may not search: the user config is absent, not a fatal error (as root every
# folder is searchable, so the check runs as 'nobody' there)
as_user=""
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
	as_user="setpriv --reuid=nobody --regid=$(id -g nobody) --clear-groups"
fi
if [ "$(id -u)" -eq 0 ] && [ -z "$as_user" ]; then
	skip "unsearchable HOME: running as root without setpriv and 'nobody'"
else
	chmod 711 "$T"
	mkdir "$T/home" && chmod 700 "$T/home"
	[ "$(id -u)" -eq 0 ] && chown root "$T/home"
	printf 'ts,price\n2025-01-01T00:00:00Z,1\n' >"$T/one.csv" && chmod 644 "$T/one.csv"
	env -u BESS_NO_CONFIG -u XDG_CONFIG_HOME HOME="$T/home" $as_user bess-ingest "$T/one.csv" \
		>"$T/home.out" 2>"$T/home.err"
	is "$?:$(cat "$T/home.err")" "0:" "a HOME that cannot be searched: no user config, no error"
	mkdir -p "$T/home2/.config/bess" && echo 'utc' >"$T/home2/.config/bess/bess.conf"
	chmod 755 "$T/home2" "$T/home2/.config" "$T/home2/.config/bess"
	chmod 000 "$T/home2/.config/bess/bess.conf"
	env -u BESS_NO_CONFIG -u XDG_CONFIG_HOME HOME="$T/home2" $as_user bess-ingest "$T/one.csv" \
		>"$T/home.out" 2>"$T/home.err"
	is "$?:$(head -n 1 "$T/home.err")" "2:bess-ingest: $T/home2/.config/bess/bess.conf: Permission denied" \
		"a user config that is there but unreadable is still an error"
fi

done_testing
