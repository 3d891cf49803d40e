#!/bin/sh
# bench-devices.sh: a day at 15 minutes (96 steps) with a 100 kWh / 50 kW battery and 20 devices
# (10 sheddable with windows, daily limits and minimum on/off times, 10 shiftable with 1 to 3
# levels): bess-optimize --devices to a proved optimum, side by side with HiGHS (scipy milp) on
# the same model written from bess-devices(5) (tests/integration/devices-highs.py). Target:
# proved in under 2 s.
. "$(dirname "$0")/lib.sh"
"$PY" -c 'from scipy.optimize import milp' 2>/dev/null || { echo "  no scipy: skipped"; exit 0; }
echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$B/devices" && mkdir -p "$B/devices"
"$PY" "$top/tests/integration/devices-highs.py" --bench "$top/bin/bess-optimize" "$B/devices"
