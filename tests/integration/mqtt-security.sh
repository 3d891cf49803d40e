#!/bin/sh
# mqtt-security.sh: TLS with certificates made here by openssl, passwords from a file or the environment (never argv), and refused topics with clear errors.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/mqtt-common.inc"
command -v openssl >/dev/null 2>&1 || skip_all "openssl is not installed"
command -v mosquitto_passwd >/dev/null 2>&1 || skip_all "mosquitto_passwd is not installed"

# --- certificates: a CA, a server certificate for 127.0.0.1 and localhost,
# one for another name, a client certificate, and a CA nobody trusts
C="$T/pki"
mkdir -p "$C"
key() { openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "$@" 2>/dev/null; }
key -x509 -keyout "$C/ca.key" -out "$C/ca.crt" -days 2 -subj "/CN=bess test CA"
key -x509 -keyout "$C/other.key" -out "$C/other.crt" -days 2 -subj "/CN=someone else"
sign() {	# sign NAME CN [SAN]
	key -keyout "$C/$1.key" -out "$C/$1.csr" -subj "/CN=$2"
	if [ -n "${3:-}" ]; then echo "subjectAltName=$3" >"$C/$1.ext"; else : >"$C/$1.ext"; fi
	openssl x509 -req -in "$C/$1.csr" -CA "$C/ca.crt" -CAkey "$C/ca.key" -CAcreateserial \
	    -out "$C/$1.crt" -days 2 -extfile "$C/$1.ext" 2>/dev/null
}
sign server localhost "IP:127.0.0.1,DNS:localhost"
sign elsewhere elsewhere.example "DNS:elsewhere.example"
sign client bess-client
[ -s "$C/client.crt" ] && [ -s "$C/server.crt" ] || skip_all "openssl could not make certificates"

P=$(free_port)
P2=$(free_port)
mq_broker "$P" "cafile $C/ca.crt" "certfile $C/server.crt" "keyfile $C/server.key" \
    "require_certificate true" \
    "listener $P2 127.0.0.1" "cafile $C/ca.crt" "certfile $C/elsewhere.crt" "keyfile $C/elsewhere.key" ||
    skip_all "mosquitto did not start with TLS"
TLS="--cafile $C/ca.crt --cert $C/client.crt --key $C/client.key"

for host in localhost 127.0.0.1; do
	bess-mqtt sub -h $host -p $P $TLS -t 'tls/#' -C 2 -v >"$T/tls-$host.out" 2>"$T/tls-$host.err" &
	SUB=$!
	wait_grep "$T/tls-$host.err" "subscribed"
	printf '{"n":1}\n{"n":2}\n' | bess-mqtt pub -h $host -p $P $TLS -t tls/x
	is "$?" 0 "TLS to $host: pub with CA, client certificate and key"
	wait_pid $SUB 10
	is "$(sed 's/"ts":"[^"]*",//' "$T/tls-$host.out" | tr '\n' ' ')" \
	    '{"topic":"tls/x","n":1} {"topic":"tls/x","n":2} ' "TLS to $host: the records arrive"
done
echo '{"n":1}' | bess-mqtt pub -h 127.0.0.1 -p $P --cafile "$C/other.crt" --cert "$C/client.crt" \
    --key "$C/client.key" -t tls/x 2>"$T/untrusted.err"
is "$?" 1 "a broker certificate from an untrusted CA: exit status 1"
is "$(cat "$T/untrusted.err")" "bess-mqtt: cannot connect to 127.0.0.1:$P: TLS: certificate verify failed (is the broker's certificate signed by --cafile, for this host name?)" \
    "... certificate verify failed"
echo '{"n":1}' | bess-mqtt pub -h 127.0.0.1 -p $P2 --cafile "$C/ca.crt" -t tls/x 2>"$T/name.err"
is "$?" 1 "a certificate for another host name: exit status 1 (verification is on by default)"
grep -q "certificate verify failed" "$T/name.err"
ok $? "... certificate verify failed"
echo '{"n":1}' | bess-mqtt pub -h 127.0.0.1 -p $P2 --cafile "$C/ca.crt" --insecure -t tls/x 2>"$T/insecure.err"
is "$?" 0 "--insecure skips the host name check"
echo '{"n":1}' | bess-mqtt pub -h 127.0.0.1 -p $P --cafile "$C/ca.crt" -t tls/x 2>"$T/nocert.err"
is "$?" 1 "no client certificate where the broker wants one: exit status 1"
grep -q "client certificate" "$T/nocert.err"
ok $? "... and a hint"
echo '{"n":1}' | bess-mqtt pub -h 127.0.0.1 -p $P --cafile "$C/ca.crt" --cert "$C/client.crt" -t tls/x 2>"$T/halfcert.err"
is "$?" 2 "--cert without --key is a usage error"

# --- user names and passwords (mosquitto_passwd), and an ACL file
mosquitto_passwd -c -b "$T/passwd" alice 's3cret word' >/dev/null 2>&1
printf 'user alice\ntopic readwrite bess/#\ntopic read public/#\n' >"$T/acl"
Q=$(free_port)
mq_broker "$Q" "allow_anonymous false" "password_file $T/passwd" "acl_file $T/acl" ||
    skip_all "mosquitto did not start with a password file"
printf 's3cret word\n' >"$T/pw"
printf 'wrong\n' >"$T/badpw"
HQ="-h 127.0.0.1 -p $Q -u alice"
mosquitto_sub -h 127.0.0.1 -p $Q -u alice -P 's3cret word' -t 'bess/#' -C 2 -W 10 >"$T/pw.out" &
MS=$!
sleep 0.3
echo '{"via":"file"}' | bess-mqtt pub $HQ --password-file "$T/pw" -t bess/a
is "$?" 0 "password from --password-file"
echo '{"via":"env"}' | BESS_MQTT_PASSWORD='s3cret word' bess-mqtt pub $HQ -t bess/a
is "$?" 0 "password from BESS_MQTT_PASSWORD"
wait_pid $MS 10
is "$(tr '\n' ' ' <"$T/pw.out")" '{"via":"file"} {"via":"env"} ' "both arrive"
echo '{"x":1}' | bess-mqtt pub $HQ --password-file "$T/badpw" -t bess/a 2>"$T/bad.err"
is "$?" 1 "a wrong password: exit status 1"
is "$(cat "$T/bad.err")" "bess-mqtt: 127.0.0.1:$Q refused the connection: Not authorized" "... refused, with the reason (MQTT 5)"
echo '{"x":1}' | bess-mqtt pub -V 311 $HQ --password-file "$T/badpw" -t bess/a 2>"$T/bad311.err"
is "$(cat "$T/bad311.err")" "bess-mqtt: 127.0.0.1:$Q refused the connection: Connection Refused: not authorised." \
    "... and with MQTT 3.1.1's CONNACK code"
echo '{"x":1}' | bess-mqtt pub -h 127.0.0.1 -p $Q -t bess/a 2>/dev/null
is "$?" 1 "no user name where one is needed: exit status 1"
# while it runs, the password is nowhere on the command line
bess-mqtt sub $HQ --password-file "$T/pw" -t 'bess/#' -v 2>"$T/ps.err" &
SUB=$!
wait_grep "$T/ps.err" "subscribed"
tr '\0' ' ' <"/proc/$SUB/cmdline" | grep -q "s3cret"
is "$?" 1 "the running client's command line does not hold the password"
kill $SUB
wait $SUB 2>/dev/null
# the ACL: MQTT 5 carries the refusal back in the PUBACK
echo '{"x":1}' | bess-mqtt pub $HQ --password-file "$T/pw" -q 1 -t secret/a 2>"$T/acl.err"
is "$?" 1 "MQTT 5: publishing to a denied topic fails"
is "$(cat "$T/acl.err")" "bess-mqtt: the broker refused the message to 'secret/a': Not authorized" "... naming topic and reason"
# the refusal ends pub at once, even while its input stays open
mkfifo "$T/deny.fifo"
bess-mqtt pub $HQ --password-file "$T/pw" -q 1 -t secret/a <"$T/deny.fifo" 2>"$T/deny.err" &
PUB=$!
exec 3>"$T/deny.fifo"
echo '{"x":1}' >&3
wait_pid $PUB 10
is "$ST" 1 "a refusal ends pub while its input is still open"
exec 3>&-
is "$(cat "$T/deny.err")" "bess-mqtt: the broker refused the message to 'secret/a': Not authorized" "... with the same message"
echo '{"x":1}' | bess-mqtt pub $HQ --password-file "$T/pw" -q 1 -t public/a 2>"$T/acl2.err"
is "$?" 1 "MQTT 5: a read-only topic refuses a publish too"
# MQTT 3.1.1 has no way to say no to a publish: the broker acknowledges and drops it (see bess-mqtt(1))
echo '{"x":1}' | bess-mqtt pub -V 311 $HQ --password-file "$T/pw" -q 1 -t secret/a 2>/dev/null
is "$?" 0 "MQTT 3.1.1: a denied publish cannot be told from an accepted one"

# --- refused subscriptions: mosquitto's acl_file never refuses a SUBSCRIBE (it
# filters deliveries); its dynamic-security plugin does, with a SUBACK code
DYN=/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so
[ -e "$DYN" ] || DYN=$(ls /usr/lib/*/mosquitto_dynamic_security.so 2>/dev/null | head -n 1)
if [ -n "$DYN" ] && [ -e "$DYN" ] && command -v mosquitto_ctrl >/dev/null 2>&1 &&
    mosquitto_ctrl dynsec init "$T/dynsec.json" admin adminpw >/dev/null 2>&1; then
	D=$(free_port)
	mq_broker "$D" "plugin $DYN" "plugin_opt_config_file $T/dynsec.json"
	ctl() { mosquitto_ctrl -h 127.0.0.1 -p $D -u admin -P adminpw dynsec "$@" >/dev/null 2>&1; }
	ctl createClient alice -p 's3cret word' && ctl createRole bess &&
	    ctl addRoleACL bess publishClientSend 'bess/#' allow &&
	    ctl addRoleACL bess subscribePattern 'bess/#' allow && ctl addClientRole alice bess
	ok $? "dynamic security: user alice may use bess/# only"
	HD="-h 127.0.0.1 -p $D -u alice --password-file $T/pw"
	bess-mqtt sub $HD -t 'secret/#' -W 2 >"$T/dsub.out" 2>"$T/dsub.err"
	is "$?" 1 "MQTT 5: a refused subscription fails at once"
	is "$(cat "$T/dsub.err")" "bess-mqtt: the broker refused the subscription to 'secret/#': Not authorized" \
	    "... naming the filter and the SUBACK reason"
	bess-mqtt sub -V 311 $HD -t 'bess/ok' -t 'secret/#' -W 2 >/dev/null 2>"$T/dsub311.err"
	is "$?" 1 "MQTT 3.1.1: a refused subscription fails too"
	is "$(cat "$T/dsub311.err")" "bess-mqtt: the broker refused the subscription to 'secret/#': refused (MQTT 3.1.1 gives no reason; the broker's log has it)" \
	    "... naming the filter (3.1.1's SUBACK has no reason)"
	bess-mqtt sub $HD -t 'bess/#' -W 0.5 >/dev/null 2>&1
	is "$?" 0 "an allowed subscription works"
else
	skip "mosquitto's dynamic security plugin is not available (5 tests)"
fi

done_testing
