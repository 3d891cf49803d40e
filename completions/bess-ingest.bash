# bash completion for bess-ingest                                  -*- shell-script -*-
_bess_ingest()
{
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	case $prev in
	-f|--format)
		COMPREPLY=($(compgen -W 'csv ndjson lp' -- "$cur")); return ;;
	-i|--input-format)
		COMPREPLY=($(compgen -W 'csv ndjson' -- "$cur")); return ;;
	--dst-gap)
		COMPREPLY=($(compgen -W 'error forward backward skip' -- "$cur")); return ;;
	--dst-fold)
		COMPREPLY=($(compgen -W 'error earlier later infer skip' -- "$cur")); return ;;
	--dup)
		COMPREPLY=($(compgen -W 'error first last mean keep' -- "$cur")); return ;;
	--epoch)
		COMPREPLY=($(compgen -W 's ms us ns' -- "$cur")); return ;;
	--label)
		COMPREPLY=($(compgen -W 'start end' -- "$cur")); return ;;
	--schema)
		COMPREPLY=($(compgen -W 'telemetry' -- "$cur")); return ;;
	-d|--delimiter)
		COMPREPLY=($(compgen -W ', ; tab |' -- "$cur")); return ;;
	--tz)
		local zd=${TZDIR:-/usr/share/zoneinfo}
		COMPREPLY=($(cd "$zd" 2>/dev/null && compgen -f -- "$cur" | grep -v -e '\.tab$' -e '^posix' -e '^right'))
		return ;;
	-o|--output|-c|--config)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	-T|-t|--time-col|--time-format|--elapsed|--interval|-m|--map|-U|-u|--unit|--capacity|-k|--keep|--drop|--tag|--file-tag|--device|--where|--missing|--skip|--measurement|--lp-tags|--begin|--end|--offset|--limit)
		return ;;
	-j|--jobs)
		COMPREPLY=($(compgen -W '1 2 4' -- "$cur")); return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W '--output --format --measurement --lp-tags --time-col --tz --utc
			--time-format --epoch --elapsed --label --interval --dst-gap --dst-fold --begin --end
			--map --unit --capacity --keep --drop --tag --file-tag --device --where --missing
			--decimal-comma --input-format --delimiter --skip --no-header --ragged --skip-bad
			--sort --sort-memory --dup --jobs --quiet --schema --devices --offset --limit --config --help
			--version' -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _bess_ingest bess-ingest
