#!/bin/sh
# optimize-highs.sh: bess-optimize against an independent model of its documented semantics
# (bess-optimize(1), bess-tariff(5), bess(7)) solved with HiGHS through scipy, on a few hundred
# random instances (fixed seeds): battery limits and efficiencies, SOC rules, self-discharge,
# cycle cost and cap, load/solar/curtailment, export modes and limits, negative prices with
# binaries, tariffs with TOU energy and demand charges per billing period in local time,
# --peak-so-far, infeasible inputs, and negative prices over up to a month (the proved gap and
# bound checked). Each schedule is also re-checked step by step and its cost
# rebuilt from the columns. The model and the checks are in optimize-highs.py.
. "$(dirname "$0")/../lib.sh"

PY=/usr/bin/python3
"$PY" -c 'import numpy, scipy; from scipy.optimize import milp
v = tuple(int(x) for x in scipy.__version__.split(".")[:2]); assert v >= (1, 9)' 2>/dev/null ||
	skip_all "no $PY with numpy and scipy >= 1.9 (HiGHS linprog and milp): apt-get install python3-scipy"

# fewer instances under the sanitizers (each bess-optimize run is then ~10 times slower); then
# the long negative-price family: a day, two weeks, a week and a month of quarter-hours with
# negative midday dips, where binaries are needed and the gap (1e-9) and bound are checked
n=200 long=6
case $(cat "$top/build/flags" 2>/dev/null) in *-fsanitize=*) n=60 long=2 ;; esac
exec "$PY" "$(dirname "$0")/optimize-highs.py" "$top/bin/bess-optimize" "$T" "$n" 1 "$long"
