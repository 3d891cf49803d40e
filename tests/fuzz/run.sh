#!/bin/sh
# run.sh: build every fuzz target (tests/fuzz/fuzz_*.c) with clang's libFuzzer and run each for SECONDS.
# Usage: sh tests/fuzz/run.sh [SECONDS [TARGET...]]  (or FUZZ_TARGETS='fuzz_csv fuzz_qty' in the environment).
# Seeds come from tests/fuzz/seeds/<target>/ (read only); the growing corpus lives in
# build/fuzz/corpus-<target>/ (kept between runs, removed by make clean); crashes, leaks,
# timeouts and out-of-memory inputs go to tests/out/fuzz/<target>-*.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
secs=${1:-20}
[ $# -gt 0 ] && shift
targets=${*:-${FUZZ_TARGETS:-}}
command -v clang >/dev/null || { echo "fuzz: needs clang (Debian: clang, libclang-rt-14-dev)" >&2; exit 1; }
out=tests/out/fuzz
obj=build/fuzz/obj
mkdir -p "$out" "$obj"
# the same defines and libraries as the Makefile, so every lib/ module builds and links
cflags="-std=c11 -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
	-Ilib -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DBESS_VERSION=\"fuzz\"
	-DBESS_SYSCONFDIR=\"/nonexistent\" $(pkg-config --cflags jansson libmosquitto)"
libs="-lglpk -lcsv $(pkg-config --libs jansson libmosquitto) -lm"
objs=""
for c in lib/*.c; do
	o=$obj/$(basename "$c" .c).o
	if [ ! -e "$o" ] || [ "$c" -nt "$o" ] || [ -n "$(find lib -name '*.h' -newer "$o")" ]; then
		clang $cflags -c "$c" -o "$o"
	fi
	objs="$objs $o"
done
status=0
for f in tests/fuzz/fuzz_*.c; do
	name=$(basename "$f" .c)
	if [ -n "$targets" ]; then
		case " $targets " in *" $name "*) ;; *) continue ;; esac
	fi
	echo "== $name (${secs}s)"
	clang $cflags -fsanitize=fuzzer "$f" $objs -o "$out/$name" $libs
	corpus=build/fuzz/corpus-$name
	mkdir -p "$corpus"
	seeds=tests/fuzz/seeds/$name
	[ -d "$seeds" ] || seeds=""
	rm -f "$out/$name"-crash-* "$out/$name"-leak-* "$out/$name"-timeout-* "$out/$name"-oom-*
	"$out/$name" -artifact_prefix="$out/$name-" -max_total_time="$secs" -timeout=25 \
		-print_final_stats=1 "$corpus" $seeds >"$out/$name.log" 2>&1 || true
	grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|SUMMARY|==[0-9]+==ERROR|fuzz: )' \
		"$out/$name.log" || true
	echo "corpus: $(ls "$corpus" | wc -l) inputs"
	found=$(ls "$out/$name"-crash-* "$out/$name"-leak-* "$out/$name"-timeout-* "$out/$name"-oom-* \
		2>/dev/null || true)
	if [ -n "$found" ]; then
		echo "$found"
		echo "fuzz: $name found a problem (log: $out/$name.log)" >&2
		status=1
	fi
done
[ $status -eq 0 ] && echo "fuzz: all targets ran clean"
exit $status
