#!/bin/sh
# lib-layers.sh: the library's modules call each other one way only (no cycle), read from the
# objects' symbols (nm): who defines each bess_ symbol, who uses it; tsort finds any loop.
# The time modules are layered: civil.c (calendar arithmetic) uses no other module, tz.c (zones)
# only civil.c and err.c, btime.c (parsing and formatting) sits on both.
. "$(dirname "$0")/../lib.sh"
command -v nm >/dev/null || skip_all "nm not installed (binutils)"
command -v tsort >/dev/null || skip_all "tsort not installed (coreutils)"
ls "$top"/build/lib/*.o >/dev/null 2>&1 || skip_all "no objects in build/lib (run make first)"

for o in "$top"/build/lib/*.o; do
	m=$(basename "$o" .o)
	[ -f "$top/lib/$m.c" ] || continue	# a stale object of a removed source
	nm --defined-only "$o" | awk -v m="$m" '$2 ~ /^[TDBR]$/ && $3 ~ /^bess_/ { print $3, m }' >>"$T/defs"
	nm -u "$o" | awk -v m="$m" '$2 ~ /^bess_/ { print $2, m }' >>"$T/uses"
done
sort -o "$T/defs" "$T/defs"
sort -o "$T/uses" "$T/uses"
# "user module" -> "defining module", one line per pair
join "$T/uses" "$T/defs" | awk '$2 != $3 { print $2, $3 }' | sort -u >"$T/deps"
test -s "$T/deps"
ok $? "the modules' calls between each other are read ($(wc -l <"$T/deps" | tr -d ' ') pairs)"

tsort "$T/deps" >/dev/null 2>"$T/loop"
ok $? "no module calls back into a module that calls it (tsort: $(tr '\n' ' ' <"$T/loop"))"

is "$(awk '$1 == "civil"' "$T/deps")" "" "civil.c uses no other module"
is "$(awk '$1 == "tz" { print $2 }' "$T/deps" | tr '\n' ' ')" "civil err " "tz.c uses civil.c and err.c only"
is "$(awk '$1 == "btime" && ($2 == "tz" || $2 == "civil") { print $2 }' "$T/deps" | tr '\n' ' ')" \
    "civil tz " "btime.c (parsing, formatting) sits on civil.c and tz.c"

done_testing
