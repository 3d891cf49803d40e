# bash completion for bess-optimize                                   -*- shell-script -*-
_bess_optimize()
{
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	case $prev in
	-o|--output|--summary|--emit-lp|-c|--config)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	--tariff|--events|--baseline-from|--devices|--per-device|--offer|--event-report)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	-f|--format)
		COMPREPLY=($(compgen -W "csv ndjson json" -- "$cur"))
		return ;;
	-i|--input-format)
		COMPREPLY=($(compgen -W "csv ndjson" -- "$cur"))
		return ;;
	--method)
		COMPREPLY=($(compgen -W "auto simplex interior" -- "$cur"))
		return ;;
	--milp)
		COMPREPLY=($(compgen -W "auto on off" -- "$cur"))
		return ;;
	--time-limit)
		COMPREPLY=($(compgen -W "10s 60s 5m none" -- "$cur"))
		return ;;
	--mip-gap)
		return ;;
	--export)
		COMPREPLY=($(compgen -W "auto none import-price column" -- "$cur"))
		return ;;
	--soc-final)
		COMPREPLY=($(compgen -W "init free" -- "$cur"))
		return ;;
	--terminal-value)
		COMPREPLY=($(compgen -W "min" -- "$cur"))
		return ;;
	--capacity|--power|--charge-power|--discharge-power|--soc-min|--soc-max|--soc-init|\
	--efficiency|--charge-efficiency|--discharge-efficiency|--self-discharge|--cycle-cost|\
	--max-cycles|--import-limit|--export-limit|--peak-so-far|--battery)
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "--help --version --config --output --format --summary
			--emit-lp --method --input-format --quiet --capacity --power --charge-power
			--discharge-power --soc-min --soc-max --soc-init --soc-final --efficiency
			--charge-efficiency --discharge-efficiency --self-discharge --cycle-cost
			--max-cycles --import-limit --export-limit --no-export --export --tariff
			--peak-so-far --milp --mip-gap --time-limit --terminal-value --no-grid-charge
			--events --baseline-from --devices --per-device --offer --event-report
			--battery" -- "$cur"))
		return
	fi
	compopt -o filenames 2>/dev/null
	COMPREPLY=($(compgen -f -- "$cur"))
}
complete -F _bess_optimize bess-optimize
