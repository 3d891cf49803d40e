# bash completion for bess-forecast                                -*- shell-script -*-
_bess_forecast()
{
	local cur prev methods='persistence seasonal profile week-profile ew-profile ridge'
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	case $prev in
	-f|--format)
		COMPREPLY=($(compgen -W 'csv ndjson table' -- "$cur")); return ;;
	-m|--method)
		if [[ $cur == *,* ]]; then
			COMPREPLY=($(compgen -P "${cur%,*}," -W "$methods" -- "${cur##*,}"))
		else
			COMPREPLY=($(compgen -W "$methods" -- "$cur"))
		fi
		return ;;
	--plain)
		COMPREPLY=($(compgen -W 'fc p10 p50 p90' -- "$cur")); return ;;
	--column)
		COMPREPLY=($(compgen -W 'price export_price load_kw solar_kw' -- "$cur")); return ;;
	--horizon|--lead|--step)
		COMPREPLY=($(compgen -W '15m 30m 1h 8h 24h 48h' -- "$cur")); return ;;
	--at)
		COMPREPLY=($(compgen -W '00:00 06:00 12:00 16:00 step' -- "$cur")); return ;;
	--tz)
		local zd=${TZDIR:-/usr/share/zoneinfo}
		COMPREPLY=($(cd "$zd" 2>/dev/null && compgen -f -- "$cur" | grep -v -e '\.tab$' -e '^posix' -e '^right'))
		return ;;
	-o|--output|-c|--config|--forecasts)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--issue|--meter|--weeks|--profile-days|--alpha|--fit-days|--quantile-days)
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W '--column --method --meter --issue --lead --horizon --at --tz
			--step --profile-days --weeks --alpha --fit-days --quantile-days --backtest
			--forecasts --plain --format --output --config --help --version' -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _bess_forecast bess-forecast
