#!/bin/sh
# tariff-highs.sh: bess-optimize with demand on window means, demand ratchets, a terminal value
# and no grid charging, energy blocks, the minimum and the export cap (with several batteries
# and with sheddable devices), against a model of bess-tariff(5) and bess-optimize(1) written in
# tariff-highs.py and solved with HiGHS through scipy, on random instances (fixed seed).
. "$(dirname "$0")/../lib.sh"
PY=/usr/bin/python3
"$PY" -c 'import numpy, scipy.optimize' 2>/dev/null || skip_all "no $PY with numpy and scipy"
exec "$PY" "$(dirname "$0")/tariff-highs.py" "$top/bin/bess-optimize" "$T" 60 1
