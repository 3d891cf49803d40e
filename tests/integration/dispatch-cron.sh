#!/bin/sh
# dispatch-cron.sh: --once --state FILE as cron runs it — one command for now, the state replaced
# atomically, and a lock so that of two overlapping runs only one acts (the other exits 75 and
# writes nothing).
. "$(dirname "$0")/../lib.sh"

[ -r /proc/locks ] || skip_all "no /proc/locks to watch the lock"
BAT="--capacity 2kWh --power 1kW --charge-efficiency 100% --discharge-efficiency 90%"
S=$T/state.json
# prices for four hours from 00:00; by hand (see the live-events case) the plan from empty at 00:00
# buys 1 kWh in each of the first two hours and sells in the last two
{
	echo '{"ts":"2025-01-06T00:00:00Z","price":0.1}'
	echo '{"ts":"2025-01-06T01:00:00Z","price":0.1}'
	echo '{"ts":"2025-01-06T02:00:00Z","price":0.9}'
	echo '{"ts":"2025-01-06T03:00:00Z","price":0.8}'
} >"$T/prices.ndjson"
echo '{"ts":"2025-01-06T00:05:00Z","soc_kwh":0}' >"$T/soc.ndjson"
# field NAME FILE
field() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p" "$2"; }

# --- two runs at once: A holds the lock while it waits for its input (a FIFO)
mkfifo "$T/slow"
bess-dispatch --once --state "$S" --now 2025-01-06T00:10:00Z --step 1h --horizon 4h $BAT \
    "$T/prices.ndjson" "$T/slow" >"$T/a.out" 2>"$T/a.err" &
a=$!
track $a
# held LOCKFILE: someone holds a flock on it (read from /proc/locks, which takes no lock itself)
held() {
	[ -e "$1" ] && grep -q "FLOCK.*:$(stat -c %i "$1") " /proc/locks
}
i=0
while ! held "$S.lock" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
held "$S.lock"
ok $? "run A holds the lock while it waits for its input"
bess-dispatch --once --state "$S" --now 2025-01-06T00:10:00Z --step 1h --horizon 4h $BAT \
    "$T/prices.ndjson" "$T/soc.ndjson" >"$T/b.out" 2>"$T/b.err"
is "$?" 75 "run B, overlapping, exits 75"
is "$(cat "$T/b.err")" "bess-dispatch: $S: another run holds the lock ($S.lock); nothing done" \
    "run B says why"
is "$(wc -c <"$T/b.out")" 0 "run B wrote no command"
[ ! -e "$S" ]
ok $? "run B wrote no state"
cat "$T/soc.ndjson" >"$T/slow"
wait $a
is "$?" 0 "run A finishes once its input arrives"
is "$(wc -l <"$T/a.out")" 1 "run A wrote one command"
is "$(field ts "$T/a.out") $(field battery_kw "$T/a.out") $(field status "$T/a.out")" \
    "2025-01-06T00:00:00Z 1 optimal" "the command for the hour holding 00:10: charge 1 kW"
is "$(field runs "$S")" 1 "the state counts one run that acted"
is "$(field soc_kwh "$S") $(field soc_ts "$S")" "0 2025-01-06T00:05:00Z" "the state keeps the SOC reported and when"
ls "$T" | grep -c 'state.json\.' | grep -qx 1
ok $? "no temporary state file is left behind (only state.json.lock beside it)"

# --- the next run has no SOC in its input: the state's (35 minutes old) is used
bess-dispatch --once --state "$S" --now 2025-01-06T00:40:00Z --step 1h --horizon 4h $BAT \
    "$T/prices.ndjson" >"$T/c.out"
ok $? "a run with prices only"
is "$(field status "$T/c.out") $(field soc_kwh "$T/c.out")" "optimal 0" "it plans from the state's SOC"
is "$(field runs "$S")" 2 "two runs acted"
# --- at 01:20 that SOC is 75 minutes old (over the 1 h default): a safe command, idle
bess-dispatch --once --state "$S" --now 2025-01-06T01:20:00Z --step 1h --horizon 4h $BAT \
    "$T/prices.ndjson" >"$T/d.out"
is "$(field status "$T/d.out") $(field battery_kw "$T/d.out")" "safe 0" "a stale SOC gives the safe command"
is "$(field reason "$T/d.out")" "the soc is stale (last reported at 2025-01-06T00:05:00Z)" "with the reason"
is "$(field status "$S")" safe "the state records the safe command"

# --- many at once: each run either acts (0) or exits 75; every one that acted wrote one command
rm -f "$S"
for k in 1 2 3 4 5 6; do
	(bess-dispatch --once --state "$S" --now 2025-01-06T00:10:00Z --step 1h --horizon 4h $BAT \
	    "$T/prices.ndjson" "$T/soc.ndjson" >"$T/m$k.out" 2>/dev/null; echo $? >"$T/m$k.st") &
done
wait
acted=0 other=0 cmds=0
for k in 1 2 3 4 5 6; do
	case $(cat "$T/m$k.st") in 0) acted=$((acted + 1)) ;; 75) ;; *) other=$((other + 1)) ;; esac
	cmds=$((cmds + $(wc -l <"$T/m$k.out")))
done
is "$other" 0 "six runs at once: every one exits 0 or 75"
is "$cmds" "$acted" "as many commands as runs that acted ($acted)"
is "$(field runs "$S")" "$acted" "and the state counts exactly those runs"
awk 'END { exit NR != 1 }' "$S"
ok $? "the state file is one whole line"
done_testing
