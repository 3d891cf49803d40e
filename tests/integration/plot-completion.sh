#!/bin/sh
# plot-completion.sh: the bash and zsh completions know every option --help lists, and complete values.
. "$(dirname "$0")/../lib.sh"
comp=$top/completions
command -v bash >/dev/null 2>&1 || skip_all "bash not installed"
# the long options --help prints, e.g. "  -o, --output FILE" -> --output
bess-plot --help | grep -oE '(^| )--[a-z][a-z-]*' | tr -d ' ' | sort -u >"$T/help"
for o in $(cat "$T/help"); do
	grep -q -- "$o" "$comp/bess-plot.bash" || echo "bash lacks $o"
	grep -q -- "$o" "$comp/_bess-plot" || echo "zsh lacks $o"
done >"$T/missing"
is "$(cat "$T/missing")" "" "completions: every option of --help ($(wc -l <"$T/help" | tr -d ' ') of them)"
c() { bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _bess_plot; echo "${COMPREPLY[*]}"' _ "$comp/bess-plot.bash" "$@"; }
is "$(c bess-plot --view d)" "daily" "bash: --view d -> daily"
is "$(c bess-plot -f p)" "png pdf" "bash: -f p -> png pdf"
is "$(c bess-plot --panels price,s)" "price,soc price,site" "bash: a panel list completes its last item"
is "$(c bess-plot --tz Europe/Berl)" "Europe/Berlin" "bash: --tz from the zone files"
if command -v zsh >/dev/null 2>&1; then
	zsh -n "$comp/_bess-plot"
	ok $? "zsh: completion parses"
else
	skip "zsh not installed"
fi
done_testing
