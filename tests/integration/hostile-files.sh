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

done_testing
