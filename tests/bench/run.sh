#!/bin/sh
# run.sh: run every benchmark (tests/bench/bench-*.sh) and print their tables; BENCH='pattern' picks some.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
. tests/env.sh
mkdir -p tests/out/bench
st=0
for b in tests/bench/bench-*.sh; do
	[ -e "$b" ] || continue
	case $(basename "$b" .sh) in ${BENCH:-*}) ;; *) continue ;; esac
	echo "== $(basename "$b" .sh)"
	sh "$b" || st=1
	echo
done
exit $st
