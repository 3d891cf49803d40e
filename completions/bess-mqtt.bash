# bash completion for bess-mqtt                                     -*- shell-script -*-
# subcommands: sub pub
_bess_mqtt()
{
	local cur prev sub="" w i
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	local common='--host --port --protocol --id --keepalive --persistent --session-expiry
		--username --password-file --cafile --capath --cert --key --insecure --will-topic
		--will-payload --will-qos --will-retain --availability --wait --reconnect-max
		--max-inflight --topic --qos --payload --fields --verbose --quiet --config --help --version'
	local subopts='--count --timeout --no-retained --format'
	local pubopts='--retain --expiry --input-format'

	case $prev in
	-q|--qos|--will-qos)
		COMPREPLY=($(compgen -W '0 1 2' -- "$cur")); return ;;
	-V|--protocol)
		COMPREPLY=($(compgen -W '5 311' -- "$cur")); return ;;
	-f|--format)
		COMPREPLY=($(compgen -W 'ndjson csv' -- "$cur")); return ;;
	--input-format)
		COMPREPLY=($(compgen -W 'csv ndjson' -- "$cur")); return ;;
	--payload)
		COMPREPLY=($(compgen -W 'auto json value value: command command:' -- "$cur")); return ;;
	--cafile|--cert|--key|--password-file|-c|--config)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--capath)
		COMPREPLY=($(compgen -d -- "$cur")); return ;;
	-h|--host)
		COMPREPLY=($(compgen -A hostname -- "$cur")); return ;;
	-p|--port|-i|--id|-k|--keepalive|-x|--session-expiry|-u|--username|--will-topic|\
	--will-payload|--availability|--reconnect-max|-M|--max-inflight|-t|--topic|--fields|\
	-C|--count|-W|--timeout|--expiry)
		return ;;
	esac
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in sub|pub) sub=$w; break ;; esac
	done
	if [[ -z $sub ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W '--help --version' -- "$cur"))
		else
			COMPREPLY=($(compgen -W 'sub pub' -- "$cur"))
		fi
		return
	fi
	if [[ $cur == -* ]]; then
		# every option, as --help lists them (the other subcommand's are refused clearly)
		COMPREPLY=($(compgen -W "$common $subopts $pubopts" -- "$cur"))
	elif [[ $sub == pub ]]; then
		COMPREPLY=($(compgen -f -- "$cur"))
	fi
}
complete -F _bess_mqtt bess-mqtt
