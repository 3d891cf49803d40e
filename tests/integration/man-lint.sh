#!/bin/sh
# man-lint.sh: every manual page is mandoc -Tlint clean (standard section order: EXIT STATUS
# before EXAMPLES; no macro shown as text); only "referenced manual not found" is allowed, as
# the pages are not installed where mandoc looks.
. "$(dirname "$0")/../lib.sh"
command -v mandoc >/dev/null || skip_all "mandoc not installed (Debian package mandoc)"
for m in "$top"/man/*.[1-9]; do
	mandoc -Tlint "$m" 2>&1 | grep -v 'referenced manual not found' | grep -v 'mandoc\.db' >"$T/lint"
	is "$(cat "$T/lint")" "" "$(basename "$m"): mandoc -Tlint is clean"
done
# headings render their macros (bess-dispatch(1) once showed "Fl -simulate" as text)
mandoc -Tascii "$top/man/bess-dispatch.1" | sed 's/.\x08//g' >"$T/d.txt"
grep -q '^   The simulator (--simulate)$' "$T/d.txt" &&
    grep -q '^   Live (--live) and cron (--once)$' "$T/d.txt" && ! grep -q 'Fl -' "$T/d.txt"
ok $? "bess-dispatch(1): headings show --simulate, --live, --once as options"
done_testing
