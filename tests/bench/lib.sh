# lib.sh: helpers for benchmarks (sourced): timing, peak memory, ratios. Benchmarks print; they never assert times.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/env.sh"
B="$top/tests/out/bench"
mkdir -p "$B"
PY=/usr/bin/python3	# Debian's python with python3-pandas / python3-scipy

# measure NAME CMD...: run CMD (stdout to /dev/null unless redirected inside),
# best of ${RUNS:-3} wall times; sets SECS, KB (peak RSS of that run) and CPU (its user + system
# seconds), prints a row.
measure() {
	_name=$1
	shift
	SECS="" KB="" CPU=""
	_i=0
	while [ $_i -lt "${RUNS:-3}" ]; do
		/usr/bin/time -f "%e %M %U %S" -o "$B/.time" "$@" >/dev/null 2>"$B/.err" || {
			echo "bench: '$_name' failed:"; tail -n 5 "$B/.err"; return 1; }
		read -r _s _k _u _y <"$B/.time"
		if [ -z "$SECS" ] || awk -v a="$_s" -v b="$SECS" 'BEGIN { exit !(a < b) }'; then
			SECS=$_s
			KB=$_k
			CPU=$(awk -v u="$_u" -v y="$_y" 'BEGIN { print u + y }')
		fi
		_i=$((_i + 1))
	done
	printf '  %-44s %8.2f s %9.1f MB\n' "$_name" "$SECS" "$(awk -v k="$KB" 'BEGIN { print k / 1024 }')"
}

# ratio A B LABEL: print "LABEL: A/B = x.xx"
ratio() {
	awk -v a="$1" -v b="$2" -v l="$3" 'BEGIN { if (b <= 0) b = 0.005; printf "  %s: %.1fx\n", l, a / b }'
}

# gen_office STEPS FILE: STEPS quarter-hours from 2023-01-01T00:00Z (ts,price,load_kw), deterministic:
# a daily price shape with weekly drift and noise, an office-like load (bench-dispatch's year,
# bench-devices' week).
gen_office() {
	awk -v n="$1" 'BEGIN {
		srand(7); print "ts,price,load_kw"
		for (i = 0; i < n; i++) {
			h = (i % 96) / 4
			p = 0.12 + 0.06 * sin((h - 6) * 3.14159 / 12) + 0.04 * (rand() - 0.5) + 0.03 * sin(i * 6.28318 / 672)
			printf "%s,%.5f,%.2f\n", strftime("%Y-%m-%dT%H:%M:%SZ", 1672531200 + i * 900, 1), p,
			    300 + 120 * sin((h - 9) * 3.14159 / 12) + 60 * rand()
		}
	}' >"$2"
}

# gen_sine SEED STEPS FILE: STEPS quarter-hours from 2025-01-06T00:00Z, a Monday (ts,price,load_kw),
# from awk's generator seeded SEED: a price of 0.10 +- 0.08 on a daily sine with noise up to
# 0.05, a load of 300 +- 150 kW on a daily sine with noise up to 50 kW (bench-batteries, bench-events).
gen_sine() {
	awk -v seed="$1" -v n="$2" 'BEGIN {
		srand(seed); t0 = 1736121600
		print "ts,price,load_kw"
		for (i = 0; i < n; i++) {
			t = t0 + i * 900; h = (t % 86400) / 3600
			p = 0.10 + 0.08 * sin((h - 9) / 24 * 2 * 3.14159265) + 0.05 * rand()
			l = 300 + 150 * sin((h - 6) / 24 * 2 * 3.14159265) + 50 * rand()
			printf "%s,%.5f,%.3f\n", strftime("%Y-%m-%dT%H:%M:%SZ", t, 1), p, l
		}
	}' >"$3"
}

# load_note [WHAT]: "(load average L on N processors[; WHAT])", beside a speed figure.
load_note() {
	awk -v l="$(cut -d' ' -f1 /proc/loadavg 2>/dev/null)" -v n="$(nproc)" -v w="${1:-}" 'BEGIN {
		if (l != "") printf "  (load average %s on %d processors%s)\n", l, n, w != "" ? "; " w : "" }'
}

# flat_memory KB_FULL ROWS KB_HALF HALF KB_PANDAS: the peak memory line of a streaming tool at two
# sizes (target flat, under 16 MB) beside pandas'.
flat_memory() {
	awk -v a="$1" -v n="$2" -v b="$3" -v h="$4" -v p="$5" 'BEGIN {
		printf "  peak memory: %.1f MB at %d rows, %.1f MB at %d (target < 16 MB, flat); pandas %.0f MB\n",
		    a / 1024, n, b / 1024, h, p / 1024 }'
}
