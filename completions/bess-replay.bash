# bash completion for bess-replay                                  -*- shell-script -*-
_bess_replay()
{
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	case $prev in
	-f|--format)
		COMPREPLY=($(compgen -W 'csv ndjson' -- "$cur")); return ;;
	-o|--output|-c|--config)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	-x|--speed)
		COMPREPLY=($(compgen -W '1 2 10 60' -- "$cur")); return ;;
	--interval|--max-gap|-T|-t|--time-col)
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W '--speed --interval --max-gap --now --time-col --format
			--output --config --help --version' -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _bess_replay bess-replay
