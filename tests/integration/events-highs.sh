#!/bin/sh
# events-highs.sh: bess-optimize --events against an independent model of bess-optimize(1) THE
# MODEL and the settlement of bess-events(5), solved with HiGHS through scipy, on random small
# sites (efficiencies, self-discharge, cycle cost, solar, export, both end rules) with up to
# three events each (reductions and caps, random baselines, payments and penalties): equal
# objectives, and every event re-settled from the written grid_import_kw. See events-highs.py.
. "$(dirname "$0")/../lib.sh"

PY=/usr/bin/python3
"$PY" -c 'import numpy, scipy; from scipy.optimize import linprog' 2>/dev/null ||
	skip_all "no $PY with numpy and scipy (HiGHS linprog): apt-get install python3-scipy"
n=150
case $(cat "$top/build/flags" 2>/dev/null) in *-fsanitize=*) n=40 ;; esac
exec "$PY" "$(dirname "$0")/events-highs.py" "$top/bin/bess-optimize" "$T" "$n" 1
