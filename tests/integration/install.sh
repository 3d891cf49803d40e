#!/bin/sh
# install.sh: make install puts programs, man pages (1, 5, 7) and completions under DESTDIR/PREFIX; uninstall takes them away.
. "$(dirname "$0")/../lib.sh"
d="$T/root"
# the build's own SYSCONFDIR: another one would rebuild the tree with other flags halfway through
# the suite (the sanitizer pass then ran every later test on plain binaries)
sc=$(sed -n 's/.*-DBESS_SYSCONFDIR=\([^ ]*\).*/\1/p' "$top/build/flags")
flags=$(cat "$top/build/flags")
make -s -C "$top" install DESTDIR="$d" PREFIX=/opt/bess ${sc:+SYSCONFDIR="$sc"} >"$T/log" 2>&1
ok $? "make install DESTDIR=... PREFIX=/opt/bess"
is "$(cat "$top/build/flags")" "$flags" "make install did not rebuild the tree with other flags"
for p in "$top"/bin/bess-*; do
	n=$(basename "$p")
	[ -x "$d/opt/bess/bin/$n" ]; ok $? "$n installed"
	[ -f "$d/opt/bess/share/man/man1/$n.1" ]; ok $? "$n.1 installed"
	[ -f "$d/opt/bess/share/bash-completion/completions/$n" ]; ok $? "$n bash completion installed"
	[ -f "$d/opt/bess/share/zsh/site-functions/_$n" ]; ok $? "$n zsh completion installed"
	"$d/opt/bess/bin/$n" --version >/dev/null; ok $? "installed $n runs"
done
[ -f "$d/opt/bess/share/man/man7/bess.7" ]; ok $? "bess.7 installed"
[ -f "$d/opt/bess/share/man/man5/bess.conf.5" ]; ok $? "bess.conf.5 installed"
MANPATH="$d/opt/bess/share/man" man -w bess-ingest >/dev/null 2>&1; ok $? "man finds bess-ingest under the installed MANPATH"
make -s -C "$top" uninstall DESTDIR="$d" PREFIX=/opt/bess ${sc:+SYSCONFDIR="$sc"} >"$T/log" 2>&1
ok $? "make uninstall"
left=$(find "$d" -type f | wc -l | tr -d ' ')
is "$left" "0" "nothing left behind"
is "$(cat "$top/build/flags")" "$flags" "... and the tree keeps its build flags"
done_testing
