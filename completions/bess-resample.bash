# bash completion for bess-resample                                -*- shell-script -*-
_bess_resample()
{
	local cur prev funcs='mean twmean sum min max first last count delta rate'
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	case $prev in
	-f|--format)
		COMPREPLY=($(compgen -W 'csv ndjson lp' -- "$cur")); return ;;
	-s|--step)
		COMPREPLY=($(compgen -W '1s 2s 10s 1m 5m 15m 30m 1h 1d' -- "$cur")); return ;;
	--max-gap)
		COMPREPLY=($(compgen -W '10s 1m 15m 1h 1d none' -- "$cur")); return ;;
	-a|--agg)
		if [[ $cur == *=* ]]; then
			COMPREPLY=($(compgen -P "${cur%%=*}=" -W "$funcs" -- "${cur#*=}"))
		else
			COMPREPLY=($(compgen -W "$funcs" -- "$cur"))
		fi
		return ;;
	--fill)
		if [[ $cur == *=* ]]; then
			COMPREPLY=($(compgen -P "${cur%%=*}=" -W 'hold linear' -- "${cur#*=}"))
		else
			COMPREPLY=($(compgen -W 'hold linear' -- "$cur"))
		fi
		return ;;
	--dup)
		COMPREPLY=($(compgen -W 'error first last' -- "$cur")); return ;;
	--tz)
		local zd=${TZDIR:-/usr/share/zoneinfo}
		COMPREPLY=($(cd "$zd" 2>/dev/null && compgen -f -- "$cur" | grep -v -e '\.tab$' -e '^posix' -e '^right'))
		return ;;
	-o|--output|-c|--config)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	-p|--prefix|--begin|--end|-j|--jobs)
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W '--step --tz --begin --end --agg --fill --max-gap --coverage
			--prefix --dup --jobs --output --format --config --help --version' -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _bess_resample bess-resample
