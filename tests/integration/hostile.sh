#!/bin/sh
# hostile.sh: hostile inputs and surroundings that need another user, sizes or timing, against every bess tool.
. "$(dirname "$0")/../lib.sh"
printf 'ts,price\n2023-01-01T00:00:00Z,5\n' >"$T/one.csv"

# --- -o onto a read-only file: refused, the file untouched (rename(2) would
# replace it, as only the folder's permissions count). Root may write
# anything, so as root the check runs as 'nobody' in a world-writable folder.
as_user=""
if [ "$(id -u)" -eq 0 ]; then
	if command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
		as_user="setpriv --reuid=nobody --regid=$(id -g nobody) --clear-groups"
	fi
fi
if [ "$(id -u)" -eq 0 ] && [ -z "$as_user" ]; then
	skip "read-only -o: running as root without setpriv and 'nobody'"
else
	d="$T/ro"
	chmod 711 "$T"	# so that nobody reaches $d
	mkdir "$d" && chmod 777 "$d" && cp "$T/one.csv" "$d/in.csv" && chmod 644 "$d/in.csv"
	echo keep >"$d/out.csv" && chmod 444 "$d/out.csv"
	env HOME="$d" XDG_CONFIG_HOME="$d" $as_user bess-ingest --utc -o "$d/out.csv" "$d/in.csv" \
		2>"$T/ro.err"
	is "$?:$(cat "$d/out.csv")" "1:keep" "-o onto a read-only file fails and leaves it alone"
	is "$(cat "$T/ro.err")" "bess-ingest: $d/out.csv: Permission denied" "... naming the file"
	is "$(ls -A "$d" | tr '\n' ' ')" "in.csv out.csv " "... and no temporary file is left"
fi
done_testing
