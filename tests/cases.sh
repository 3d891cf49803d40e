#!/bin/sh
# cases.sh: run the command cases under one folder and print TAP.
# A case is a folder with: cmd (a shell command line, run in the case folder
# with $T a fresh temporary folder and $DATA the project's data/), and
# optionally stdin, stdout, stderr (expected, compared exactly) and status
# (expected exit status, default 0). Missing stdout/stderr files mean "not checked",
# except that an absent stderr with status 0 expects stderr to be empty.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/env.sh"
dir=${1%/}
n=0
for c in "$dir"/*/; do
	[ -f "$c/cmd" ] && n=$((n + 1))
done
echo "1..$n"
i=0
for c in "$dir"/*/; do
	c=${c%/}
	[ -f "$c/cmd" ] || continue
	i=$((i + 1))
	name="$(basename "$dir")/$(basename "$c")"
	T=$(mktemp -d "${TMPDIR:-/tmp}/bess-case.XXXXXX")
	export T
	in=/dev/null
	[ -f "$c/stdin" ] && in="$c/stdin"
	(cd "$c" && sh -c "$(cat cmd)") <"$in" >"$T/.stdout" 2>"$T/.stderr"
	st=$?
	want_st=0
	[ -f "$c/status" ] && want_st=$(cat "$c/status")
	why=""
	[ "$st" -eq "$want_st" ] || why="exit status $st, expected $want_st"
	if [ -f "$c/stdout" ] && ! cmp -s "$c/stdout" "$T/.stdout"; then
		why="${why:+$why; }stdout differs"
	fi
	if [ -f "$c/stderr" ]; then
		cmp -s "$c/stderr" "$T/.stderr" || why="${why:+$why; }stderr differs"
	elif [ "$want_st" -eq 0 ] && [ -s "$T/.stderr" ]; then
		why="${why:+$why; }unexpected stderr"
	fi
	if [ -z "$why" ]; then
		echo "ok $i - $name"
	else
		echo "not ok $i - $name: $why"
		echo "#   cmd: $(cat "$c/cmd")"
		[ -f "$c/stdout" ] && diff -u "$c/stdout" "$T/.stdout" | head -n 20 | sed 's/^/#   /'
		[ -f "$c/stderr" ] && diff -u "$c/stderr" "$T/.stderr" | head -n 10 | sed 's/^/#   /'
		[ -f "$c/stderr" ] || sed 's/^/#   stderr: /' "$T/.stderr" | head -n 10
	fi
	rm -rf "$T"
done
