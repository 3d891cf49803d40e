#!/bin/sh
# usage-refusals.sh: every combination of options that bess-dispatch and bess-optimize refuse is a
# usage error — status 2, one line "prog: message" and "Try 'prog --help'." on stderr, nothing on
# stdout — found from the options (and, for --every against the horizon, the input's step).
# The list is the tools' refusals read from cmd/bess-dispatch.c, cmd/bess-optimize.c and the
# library checks they call (bess_opt_load's one mode, bess_mpc_fleet_check). The message is checked
# for what it must name (the option refused, or its reason), not to the letter: the wording is
# the tools' to change. Numbers in it by hand (in.csv: 1 h steps, so --horizon 2h is 2 steps).
. "$(dirname "$0")/../lib.sh"
export BESS_NO_CONFIG=1
printf 'ts,price\n2026-01-01T00:00:00Z,1\n2026-01-01T01:00:00Z,2\n' >"$T/in.csv"
printf '[heater]\nkind = sheddable\npower = 1kW\n' >"$T/site.devices"
ONE='--capacity 10kWh --power 5kW'
TWO='--battery a:capacity=1kWh,power=1kW --battery b:capacity=2kWh,power=1kW'

# TOOL|ARGUMENTS|what the message (after "TOOL: ") must contain
while IFS='|' read -r tool args want; do
	case $tool in ''|'#'*) continue ;; esac
	# shellcheck disable=SC2086
	(cd "$T" && timeout 20 "$tool" $args <"$T/in.csv" >"$T/out" 2>"$T/err")
	st=$?
	is "$st $(wc -c <"$T/out" | tr -d ' ') $(sed -n '$p' "$T/err")" "2 0 Try '$tool --help'." \
	    "$tool $args: status 2, nothing on stdout, 'Try' last"
	first=$(sed -n '1p' "$T/err")
	case $first in "$tool: "*"$want"*) r=0 ;; *) r=1 ;; esac
	ok $r "... and says why ('$want' in '$first')"
done <<END
# a mode: one, always
bess-dispatch|$ONE in.csv|choose a mode
bess-dispatch|--simulate --backtest $ONE in.csv|one mode at a time
# options of one mode given to another
bess-dispatch|--backtest --flexibility $ONE in.csv|--flexibility is for --once
bess-dispatch|--live --per-device pd.csv $ONE|--per-device is for
bess-dispatch|--backtest --commands in.csv $ONE in.csv|--commands is for --simulate
bess-dispatch|--live --devices site.devices -f csv $ONE|write NDJSON
bess-dispatch|--live --summary s.json $ONE|--summary is for
bess-dispatch|--live -o out.csv $ONE|--live writes to stdout
bess-dispatch|--live $ONE in.csv in.csv|--live reads one input
bess-dispatch|--once $ONE|--once needs --state
# several batteries where one is followed
bess-dispatch|--simulate $TWO in.csv|--commands
bess-dispatch|--once --state st --flexibility - $TWO|--flexibility follows one battery (2 --battery given)
bess-dispatch|--backtest --max-cycles 1 $TWO in.csv|several batteries with --max-cycles
# values that contradict each other
bess-dispatch|--backtest --safe 20kWh $ONE in.csv|--safe: 20 kWh is above the capacity
bess-dispatch|--backtest --tz Mars/Olympus $ONE in.csv|--tz:
bess-dispatch|--backtest --horizon 2h --every 3 $ONE in.csv|--every 3 steps is longer than the horizon (2 steps of 3600 s)
bess-optimize|--per-device pd.csv $ONE in.csv|--per-device needs --devices or --battery
END
done_testing
