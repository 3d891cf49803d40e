# bash completion for bess-plot (installed as bess-plot in bash-completion's completions folder)
_bess_plot()
{
	local cur prev opts
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	opts="--output --format --size --script --view --panels --columns --title --tz
		--currency --capacity --soc-min --soc-max --all-points --tariff --by-device --follow --every
		--window --stale --clock --config --help --version"
	case $prev in
	-o|--output)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -X '!*.@(png|svg|pdf|html|htm|txt|gp)' -- "$cur") $(compgen -d -- "$cur"))
		return ;;
	-f|--format)
		COMPREPLY=($(compgen -W "png svg pdf html text" -- "$cur")); return ;;
	--view)
		COMPREPLY=($(compgen -W "time daily price" -- "$cur")); return ;;
	-p|--panels)
		# a comma-separated list: complete the last item
		local pre=${cur%,*} last=${cur##*,}
		[ "$pre" = "$cur" ] && pre="" || pre="$pre,"
		COMPREPLY=($(compgen -P "$pre" -W "price battery soc site other" -- "$last"))
		compopt -o nospace 2>/dev/null
		return ;;
	--tz)
		local zi=${TZDIR:-/usr/share/zoneinfo}
		COMPREPLY=($(cd "$zi" 2>/dev/null && compgen -f -- "$cur"))
		return ;;
	--size)
		COMPREPLY=($(compgen -W "1200x800 1600x1000 800x600 100x40" -- "$cur")); return ;;
	-c|--config|--tariff)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--every)
		COMPREPLY=($(compgen -W "1s 5s 30s 1m" -- "$cur")); return ;;
	--window)
		COMPREPLY=($(compgen -W "1h 6h 24h 48h 7d" -- "$cur")); return ;;
	--stale)
		COMPREPLY=($(compgen -W "off 1m 5m 30m" -- "$cur")); return ;;
	--clock)
		COMPREPLY=($(compgen -W "wall data" -- "$cur")); return ;;
	--by-device)
		COMPREPLY=($(compgen -W "auto on off" -- "$cur")); return ;;
	--columns|--title|--currency|--capacity|--soc-min|--soc-max)
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	else
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
	fi
}
complete -F _bess_plot bess-plot
