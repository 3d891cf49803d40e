#!/bin/sh
# run.sh: build every fuzz target (tests/fuzz/fuzz_*.c) with clang's libFuzzer and run each for SECONDS.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
secs=${1:-20}
command -v clang >/dev/null || { echo "fuzz: needs clang (Debian: clang, libclang-rt-14-dev)" >&2; exit 1; }
out=tests/out/fuzz
mkdir -p "$out"
inc="-Ilib $(pkg-config --cflags jansson)"
libs="-lcsv $(pkg-config --libs jansson) -lglpk -lm"
src=$(ls lib/*.c)
for f in tests/fuzz/fuzz_*.c; do
	name=$(basename "$f" .c)
	echo "== $name (${secs}s)"
	clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $inc "$f" $src -o "$out/$name" $libs
	mkdir -p "$out/corpus-$name"
	seeds=tests/fuzz/seeds/$name
	[ -d "$seeds" ] || seeds=""
	"$out/$name" -artifact_prefix="$out/" -max_total_time="$secs" -print_final_stats=1 "$out/corpus-$name" $seeds 2>&1 |
		grep -E '^(stat::number_of_executed_units|stat::peak_rss|==|SUMMARY|.*ERROR)' || true
	ls "$out"/crash-* "$out"/leak-* 2>/dev/null && { echo "fuzz: $name found a crash" >&2; exit 1; }
done
echo "fuzz: all targets ran clean"
