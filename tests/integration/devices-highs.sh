#!/bin/sh
# devices-highs.sh: bess-optimize --devices against an independent MILP of bess-devices(5) solved
# with HiGHS through scipy, on random small sites (a battery, 1 to 4 sheddable and shiftable
# devices, a day or two at 15, 30 or 60 minutes): equal objectives, and the per-device records
# re-checked by plain arithmetic. The model and the checks are in devices-highs.py.
. "$(dirname "$0")/../lib.sh"

PY=/usr/bin/python3
"$PY" -c 'import numpy, scipy; from scipy.optimize import milp
v = tuple(int(x) for x in scipy.__version__.split(".")[:2]); assert v >= (1, 9)' 2>/dev/null ||
	skip_all "no $PY with numpy and scipy >= 1.9 (HiGHS milp): apt-get install python3-scipy"
n=40
case $(cat "$top/build/flags" 2>/dev/null) in *-fsanitize=*) n=12 ;; esac
exec "$PY" "$(dirname "$0")/devices-highs.py" "$top/bin/bess-optimize" "$T" "$n" 1
