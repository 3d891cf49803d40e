# bash completion for bess-dispatch                                   -*- shell-script -*-
_bess_dispatch()
{
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	case $prev in
	-o|--output|--summary|--breakdown|--state|--tariff|--flexibility|--events|--baseline-from|--per-device|--commands|--devices|-c|--config)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	-f|--format|-i|--input-format)
		COMPREPLY=($(compgen -W "csv ndjson" -- "$cur"))
		return ;;
	--forecast)
		COMPREPLY=($(compgen -W "perfect persistence seasonal profile columns
			price=perfect price=persistence price=seasonal price=profile price=columns
			load=perfect load=persistence load=seasonal load=profile load=columns
			solar=perfect solar=persistence solar=seasonal solar=profile solar=columns" -- "$cur"))
		return ;;
	--by)
		COMPREPLY=($(compgen -W "day month" -- "$cur"))
		return ;;
	--setpoint)
		COMPREPLY=($(compgen -W "grid guard battery" -- "$cur"))
		return ;;
	--nowcast)
		COMPREPLY=($(compgen -W "off 4h" -- "$cur"))
		return ;;
	--amortize)
		COMPREPLY=($(compgen -W "on off" -- "$cur"))
		return ;;
	--follow-meter)
		COMPREPLY=($(compgen -W "off load grid" -- "$cur"))
		return ;;
	--solve)
		COMPREPLY=($(compgen -W "warm cold" -- "$cur"))
		return ;;
	--method)
		COMPREPLY=($(compgen -W "auto simplex interior" -- "$cur"))
		return ;;
	--clock)
		COMPREPLY=($(compgen -W "wall events" -- "$cur"))
		return ;;
	--safe)
		COMPREPLY=($(compgen -W "idle" -- "$cur"))
		return ;;
	--rule)
		COMPREPLY=($(compgen -W "off 0.25,0.75" -- "$cur"))
		return ;;
	--da-publish)
		COMPREPLY=($(compgen -W "none 12:00" -- "$cur"))
		return ;;
	--tz)
		COMPREPLY=($(compgen -W "UTC $(cd /usr/share/zoneinfo 2>/dev/null && compgen -f -- "$cur")" -- "$cur"))
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
	--horizon|--every|--profile-days|--step|--stale|--now|--capacity|--power|--charge-power|\
	--discharge-power|--soc-min|--soc-max|--soc-init|--efficiency|--charge-efficiency|\
	--discharge-efficiency|--self-discharge|--cycle-cost|--max-cycles|--import-limit|\
	--export-limit|--peak-so-far|--battery)
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "--simulate --backtest --live --once --state --horizon --every
			--forecast --profile-days --setpoint --nowcast --amortize --da-publish --tz --rule --no-optimum --solve --method
			--breakdown --by --step --clock --stale --safe --follow-meter --now --flexibility --events --baseline-from --output --format --summary
			--input-format --quiet --config --help --version --capacity --power --charge-power
			--discharge-power --soc-min --soc-max --soc-init --soc-final --efficiency
			--charge-efficiency --discharge-efficiency --self-discharge --cycle-cost
			--max-cycles --import-limit --export-limit --no-export --export --tariff
			--peak-so-far --milp --mip-gap --time-limit --terminal-value --no-grid-charge
			--battery --per-device --commands --devices" -- "$cur"))
		return
	fi
	compopt -o filenames 2>/dev/null
	COMPREPLY=($(compgen -f -- "$cur"))
}
complete -F _bess_dispatch bess-dispatch
