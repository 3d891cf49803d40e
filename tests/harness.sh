#!/bin/sh
# harness.sh: run every test (unit binaries given as arguments, command cases, integration scripts) and summarise their TAP.
# Usage: sh tests/harness.sh [unit-binary ...]; TESTS='pattern ...' limits which run (shell globs on names, any of them).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
. tests/env.sh

out=tests/out
rm -rf "$out"
mkdir -p "$out"
pat=${TESTS:-*}
files=0 failed_files=0 total=0 failed=0 skipped=0 failures=""

run_one() {	# name command...
	name=$1
	shift
	hit=0
	set -f	# the patterns are matched against names, not expanded as file names
	for p in $pat; do
		case $name in $p) hit=1 ;; esac
	done
	set +f
	[ "$hit" -eq 1 ] || return 0
	log="$out/$(echo "$name" | tr '/' '_').tap"
	echo "# --- $name"
	"$@" >"$log" 2>"$log.err"
	st=$?
	cat "$log"
	n_ok=$(grep -c '^ok ' "$log")
	n_bad=$(grep -c '^not ok ' "$log")
	n_skip=$(grep -Ec '^(ok .*# *SKIP|1\.\.0 *# *SKIP)' "$log")
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\).*/\1/p' "$log" | head -n 1)
	files=$((files + 1))
	total=$((total + n_ok + n_bad))
	failed=$((failed + n_bad))
	skipped=$((skipped + n_skip))
	bad=""
	[ "$n_bad" -gt 0 ] && bad="$n_bad failed"
	[ "$st" -ne 0 ] && bad="${bad:+$bad, }exit status $st"
	[ -z "$plan" ] && bad="${bad:+$bad, }no plan"
	[ -n "$plan" ] && [ "$plan" -ne $((n_ok + n_bad)) ] && bad="${bad:+$bad, }planned $plan, ran $((n_ok + n_bad))"
	if [ -n "$bad" ]; then
		failed_files=$((failed_files + 1))
		failures="$failures
#   $name: $bad (stderr in $log.err)"
		sed 's/^/#   stderr: /' "$log.err" | tail -n 20
	fi
}

for u in "$@"; do
	run_one "unit/$(basename "$u")" "$u"
done
for d in tests/cases/*/; do
	[ -d "$d" ] || continue
	run_one "cases/$(basename "$d")" sh tests/cases.sh "$d"
done
for t in tests/integration/*.sh; do
	[ -e "$t" ] || continue
	run_one "integration/$(basename "$t" .sh)" sh "$t"
done

echo "# ==="
echo "# test files: $files, tests: $total, failed: $failed, skipped: $skipped"
if [ "$failed_files" -gt 0 ]; then
	echo "# FAILED files: $failed_files$failures"
	exit 1
fi
echo "# all passed"
