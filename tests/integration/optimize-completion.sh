#!/bin/sh
# optimize-completion.sh: every long option bess-optimize --help lists is offered by the bash and
# zsh completions, and the bash completion really completes (run in bash).
. "$(dirname "$0")/../lib.sh"

opts=$(bess-optimize --help | grep -o -- '--[a-z][a-z-]*' | sort -u)
[ -n "$opts" ]
ok $? "bess-optimize --help lists long options"
missing_b="" missing_z=""
for o in $opts; do
	grep -q -- "$o\\b" "$top/completions/bess-optimize.bash" || missing_b="$missing_b $o"
	grep -q -- "$o\\[\\|,$o}" "$top/completions/_bess-optimize" || missing_z="$missing_z $o"
done
is "$missing_b" "" "the bash completion knows every option"
is "$missing_z" "" "the zsh completion knows every option"
if command -v bash >/dev/null 2>&1; then
	got=$(bash -c '. "$1"; COMP_WORDS=(bess-optimize --milp ""); COMP_CWORD=2; _bess_optimize; echo "${COMPREPLY[*]}"' _ \
	    "$top/completions/bess-optimize.bash")
	is "$got" "auto on off" "bash completes --milp with its modes"
	got=$(bash -c '. "$1"; COMP_WORDS=(bess-optimize --soc-f); COMP_CWORD=1; _bess_optimize; echo "${COMPREPLY[*]}"' _ \
	    "$top/completions/bess-optimize.bash")
	is "$got" "--soc-final" "bash completes an option name"
else
	skip "no bash"
	skip "no bash"
fi
done_testing
