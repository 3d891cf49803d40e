# bash completion for bess-mqtt(1)
_bess_mqtt()
{
	local cur prev words cword
	_init_completion || return

	local common="-h --host -p --port -V --protocol -i --id -k --keepalive --persistent
		-x --session-expiry -u --username --password-file --cafile --capath --cert --key
		--insecure --will-topic --will-payload --will-qos --will-retain --availability
		--wait --reconnect-max -M --max-inflight -t --topic -q --qos --payload --fields
		-v --verbose --quiet -c --config --help --version"
	local subopts="-C --count -W --timeout -R --no-retained -f --format"
	local pubopts="-r --retain --expiry --input-format"

	case $prev in
	-q|--qos|--will-qos)
		COMPREPLY=($(compgen -W "0 1 2" -- "$cur")); return ;;
	-V|--protocol)
		COMPREPLY=($(compgen -W "5 311" -- "$cur")); return ;;
	-f|--format)
		COMPREPLY=($(compgen -W "ndjson csv" -- "$cur")); return ;;
	--input-format)
		COMPREPLY=($(compgen -W "csv ndjson" -- "$cur")); return ;;
	--payload)
		COMPREPLY=($(compgen -W "auto json value value: command command:" -- "$cur")); return ;;
	--cafile|--cert|--key|--password-file|-c|--config)
		_filedir; return ;;
	--capath)
		_filedir -d; return ;;
	-h|--host)
		_known_hosts_real -- "$cur"; return ;;
	-p|--port|-i|--id|-k|--keepalive|-x|--session-expiry|-u|--username|--will-topic|\
	--will-payload|--availability|--reconnect-max|-M|--max-inflight|-t|--topic|--fields|\
	-C|--count|-W|--timeout|--expiry)
		return ;;
	esac

	local sub="" w
	for w in "${words[@]:1:cword-1}"; do
		case $w in sub|pub) sub=$w; break ;; esac
	done
	if [[ -z $sub ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--help --version" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "sub pub" -- "$cur"))
		fi
		return
	fi
	if [[ $cur == -* ]]; then
		if [[ $sub == sub ]]; then
			COMPREPLY=($(compgen -W "$common $subopts" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$common $pubopts" -- "$cur"))
		fi
	elif [[ $sub == pub ]]; then
		_filedir
	fi
}
complete -F _bess_mqtt bess-mqtt
