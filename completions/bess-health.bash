# bash completion for bess-health                                  -*- shell-script -*-
_bess_health()
{
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	case $prev in
	-f|--format)
		COMPREPLY=($(compgen -W 'csv ndjson lp' -- "$cur")); return ;;
	-i|--input-format)
		COMPREPLY=($(compgen -W 'csv ndjson' -- "$cur")); return ;;
	-o|--output|-c|--config|--summary)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--cell-v-spread|--temp-spread|--cell-v-max|--cell-v-min|--temp-max|--temp-min|--soc-jump|--soc-drift|--capacity|--stuck|--gap|--phase-imbalance|--phase-min|--pcs-temp-max|--cycle-col|--measurement)
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W '--cell-v-spread --temp-spread --cell-v-max --cell-v-min
			--temp-max --temp-min --soc-jump --soc-drift --capacity --stuck --gap
			--phase-imbalance --phase-min --pcs-temp-max --limits --summary --cycles
			--cycle-col --format --measurement --input-format --output --config --help
			--version' -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _bess_health bess-health
