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
