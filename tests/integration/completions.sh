#!/bin/sh
# completions.sh: every bess-* tool has bash and zsh completions that offer every long option its --help lists.
. "$(dirname "$0")/../lib.sh"
for p in "$top"/bin/bess-*; do
	tool=$(basename "$p")
	b="$top/completions/$tool.bash"
	z="$top/completions/_$tool"
	[ -f "$b" ]; ok $? "$tool: bash completion exists"
	[ -f "$z" ]; ok $? "$tool: zsh completion exists"
	[ -f "$b" ] && [ -f "$z" ] || continue
	"$p" --help | grep -o -- '--[a-z][a-z0-9-]*' | sort -u >"$T/help"
	# what bash offers after "--" (for tools with subcommands, after "TOOL SUB --")
	sub=$(sed -n 's/^# subcommands: //p' "$b")
	words="$tool${sub:+ ${sub%% *}} --"
	bash -c '
		. "$1"
		set -- $2
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		f=$(complete -p "$1" | sed "s/.*-F \([^ ]*\).*/\1/")
		"$f" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}"' sh "$b" "$words" | sort -u >"$T/bash"
	missing=$(comm -23 "$T/help" "$T/bash" | tr '\n' ' ')
	is "$missing" "" "$tool: bash completes every long option of --help"
	missing=""
	for o in $(cat "$T/help"); do
		grep -q -- "$o" "$z" || missing="$missing$o "
	done
	is "$missing" "" "$tool: zsh completion names every long option of --help"
	if command -v zsh >/dev/null; then
		zsh -n "$z"; ok $? "$tool: zsh completion parses"
	else
		skip "zsh not installed"
	fi
done
done_testing
