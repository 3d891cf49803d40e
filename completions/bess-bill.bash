# bash completion for bess-bill                                     -*- shell-script -*-
_bess_bill()
{
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	case $prev in
	-f|--format)
		COMPREPLY=($(compgen -W 'csv text' -- "$cur")); return ;;
	-i|--input-format)
		COMPREPLY=($(compgen -W 'csv ndjson' -- "$cur")); return ;;
	--export)
		COMPREPLY=($(compgen -W 'auto none import-price column' -- "$cur")); return ;;
	--tariff|--after|-o|--output|-c|--config)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--peak-so-far)
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W '--tariff --export --peak-so-far --after --compare --format
			--input-format --output --config --help --version' -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _bess_bill bess-bill
