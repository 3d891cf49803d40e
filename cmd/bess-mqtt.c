/* bess-mqtt: the bridge between record pipes and MQTT devices — sub writes messages as records, pub publishes records as messages. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_mqtt.h"
#include "bess_mqttrec.h"
#include "bess_mqttrun.h"
#include "bess_opt.h"
#include "bess_payload.h"
#include "bess_rec.h"
#include "cli.h"

enum {
	O_HOST = CLI_O_OWN, O_PORT, O_PROTOCOL, O_ID, O_KEEPALIVE,
	O_PERSISTENT, O_SESSEXP, O_USER, O_PWFILE, O_CAFILE, O_CAPATH, O_CERT, O_KEY,
	O_INSECURE, O_WILLTOPIC, O_WILLPAYLOAD, O_WILLQOS, O_WILLRETAIN, O_AVAIL, O_WAIT,
	O_RECONNECTMAX, O_INFLIGHT, O_TOPIC, O_QOS, O_PAYLOAD, O_FIELDS, O_VERBOSE, O_QUIET,
	/* sub only */
	O_COUNT, O_TIMEOUT, O_FORMAT, O_NORETAINED,
	/* pub only */
	O_RETAIN, O_EXPIRY, O_INFMT,
	O_MAX
};

static const struct bess_optdef opts[] = {
	CLI_OPT_ROWS_NO_OUTPUT,
	{ "host", 'h', BESS_OPT_ARG, O_HOST },
	{ "port", 'p', BESS_OPT_ARG, O_PORT },
	{ "protocol", 'V', BESS_OPT_ARG, O_PROTOCOL },
	{ "id", 0, BESS_OPT_ARG, O_ID },
	{ "id", 'i', BESS_OPT_ARG | BESS_OPT_OLD, O_ID },	/* mosquitto's; -i is --input-format elsewhere */
	{ "keepalive", 0, BESS_OPT_ARG, O_KEEPALIVE },
	{ "keepalive", 'k', BESS_OPT_ARG | BESS_OPT_OLD, O_KEEPALIVE },	/* mosquitto's; -k is --keep elsewhere */
	{ "persistent", 0, BESS_OPT_FLAG, O_PERSISTENT },
	{ "session-expiry", 0, BESS_OPT_ARG, O_SESSEXP },
	{ "session-expiry", 'x', BESS_OPT_ARG | BESS_OPT_OLD, O_SESSEXP },	/* mosquitto's; -x is --speed in bess-replay */
	{ "username", 'u', BESS_OPT_ARG, O_USER },
	{ "password-file", 0, BESS_OPT_ARG, O_PWFILE },
	{ "cafile", 0, BESS_OPT_ARG, O_CAFILE },
	{ "capath", 0, BESS_OPT_ARG, O_CAPATH },
	{ "cert", 0, BESS_OPT_ARG, O_CERT },
	{ "key", 0, BESS_OPT_ARG, O_KEY },
	{ "insecure", 0, BESS_OPT_FLAG, O_INSECURE },
	{ "will-topic", 0, BESS_OPT_ARG, O_WILLTOPIC },
	{ "will-payload", 0, BESS_OPT_ARG, O_WILLPAYLOAD },
	{ "will-qos", 0, BESS_OPT_ARG, O_WILLQOS },
	{ "will-retain", 0, BESS_OPT_FLAG, O_WILLRETAIN },
	{ "availability", 0, BESS_OPT_ARG, O_AVAIL },
	{ "wait", 0, BESS_OPT_FLAG, O_WAIT },
	{ "reconnect-max", 0, BESS_OPT_ARG, O_RECONNECTMAX },
	{ "max-inflight", 'M', BESS_OPT_ARG, O_INFLIGHT },
	{ "topic", 't', BESS_OPT_ARG, O_TOPIC },
	{ "qos", 0, BESS_OPT_ARG, O_QOS },
	{ "qos", 'q', BESS_OPT_ARG | BESS_OPT_OLD, O_QOS },	/* mosquitto's; -q is --quiet elsewhere */
	{ "payload", 0, BESS_OPT_ARG, O_PAYLOAD },
	{ "fields", 0, BESS_OPT_ARG, O_FIELDS },
	{ "verbose", 'v', BESS_OPT_FLAG, O_VERBOSE },
	{ "quiet", 0, BESS_OPT_FLAG, O_QUIET },
	{ "count", 'C', BESS_OPT_ARG, O_COUNT },
	{ "timeout", 'W', BESS_OPT_ARG, O_TIMEOUT },
	{ "format", 'f', BESS_OPT_ARG, O_FORMAT },
	{ "no-retained", 'R', BESS_OPT_FLAG, O_NORETAINED },
	{ "retain", 'r', BESS_OPT_FLAG, O_RETAIN },
	{ "expiry", 0, BESS_OPT_ARG, O_EXPIRY },
	{ "input-format", 0, BESS_OPT_ARG, O_INFMT },
	{ NULL, 0, 0, 0 }
};

struct conf {
	struct bess_mqtt_opts mo;	/* connection (strings point into argv, config or below) */
	char *strs[O_MAX];		/* owned copies of string options, by id */
	unsigned char on_cli[O_MAX];	/* given on the command line (checked against sub/pub) */
	char **topics;			/* -t, in order */
	size_t ntopics;
	char **fields;			/* --fields */
	size_t nfields;
	int port_set;			/* -p given */
	int qos;			/* -q */
	int verbose, quiet;		/* -v, --quiet */
	int payload_set;		/* --payload given */
	struct bess_payload_spec spec;	/* --payload */
	unsigned long long count;	/* -C, 0 = no limit */
	long long timeout_ms;		/* -W, -1 = none */
	enum bess_fmt fmt;		/* -f */
	int no_retained;		/* -R */
	int retain;			/* -r */
	long long expiry_s;		/* --expiry, 0 = none */
	enum bess_fmt infmt;		/* --input-format */
};

static void
usage(void)
{
	printf("usage: bess-mqtt sub [options] -t FILTER ...\n"
	    "       bess-mqtt pub [options] -t TEMPLATE [file ...]\n"
	    "Bridge record streams and MQTT: 'sub' writes each message it receives as a\n"
	    "record (ts = receive time, topic, topic levels, payload fields); 'pub' reads\n"
	    "records (CSV or NDJSON) and publishes each as a message.\n"
	    "\n"
	    "Connection:\n"
	    "  -h, --host HOST          broker (default localhost)\n"
	    "  -p, --port PORT          port (default 1883, 8883 with TLS)\n"
	    "  -V, --protocol 5|311     MQTT version (default 5)\n"
	    "      --id ID              client id (default bess-PID-HOST)\n"
	    "      --keepalive SECONDS  keepalive (default 60)\n"
	    "      --persistent         keep the session after exit (needs -i)\n"
	    "      --session-expiry DUR MQTT 5 session expiry (default: never with\n"
	    "                           --persistent, 1h for a session kept across reconnects)\n"
	    "  -u, --username USER      user name; the password comes from\n"
	    "      --password-file FILE (first line) or BESS_MQTT_PASSWORD\n"
	    "      --cafile FILE        TLS: trust these CA certificates (turns TLS on)\n"
	    "      --capath DIR         TLS: trust the CA certificates in DIR\n"
	    "      --cert FILE, --key FILE  TLS client certificate and key\n"
	    "      --insecure           TLS: do not check the broker's host name (dangerous)\n"
	    "      --will-topic TOPIC, --will-payload TEXT, --will-qos Q, --will-retain\n"
	    "                           last will, sent by the broker if the connection dies\n"
	    "      --availability TOPIC retained 'online' on connect, 'offline' at exit or\n"
	    "                           as the will\n"
	    "      --wait               broker unreachable at start: keep trying\n"
	    "      --reconnect-max DUR  longest wait between reconnects (default 30s)\n"
	    "  -M, --max-inflight N     QoS 1/2 messages unacknowledged at most (default 100)\n"
	    "      --qos 0|1|2          QoS (default 1)\n"
	    "  -v, --verbose            connection details on stderr\n"
	    "      --quiet              no warnings\n"
	    "sub:\n"
	    "  -t, --topic FILTER       topic filter, repeatable; '+name' and '#name' levels\n"
	    "                           become fields; '$share/GROUP/FILTER' shares the load\n"
	    "  -C, --count N            stop after N records\n"
	    "  -W, --timeout DUR        stop after DUR (e.g. 30, 30s, 5m)\n"
	    "  -R, --no-retained        skip retained messages\n"
	    "  -f, --format FMT         ndjson (default) or csv\n"
	    "      --fields LIST        write these fields (needed for CSV unless the first\n"
	    "                           message has them all)\n"
	    "      --payload MODE       auto (default), json, value[:FIELD], command[:FIELD]\n"
	    "pub:\n"
	    "  -t, --topic TEMPLATE     topic with {field} references, e.g. bess/{site}/set\n"
	    "      --payload MODE       json (default), value:FIELD, command[:FIELD]\n"
	    "                           (CHARGE 100kW / DISCHARGE 50kW / IDLE from battery_kw)\n"
	    "      --fields LIST        json: only these fields, in this order\n"
	    "  -r, --retain             retain the messages\n"
	    "      --expiry DUR         MQTT 5 message expiry\n"
	    "      --input-format F     csv or ndjson (default: detected; give it for a live\n"
	    "                           CSV stream)\n"
	    "  -c, --config FILE        read options from FILE ([bess-mqtt] section)\n"
	    "      --help, --version\n"
	    "\n"
	    "Exit status: 0 success, 1 connection, broker or data failure, 2 usage error.\n"
	    "See bess-mqtt(1) and bess(7).\n");
}

static int
set(void *ctx, int id, const char *arg, const struct bess_optsrc *src, struct bess_err *err)
{
	struct conf *c = ctx;
	long v;
	long long ms;
	char why[256];

	if (src && src->file && strcmp(src->file, "command line") == 0 && id > 0 && id < O_MAX)
		c->on_cli[id] = 1;
	switch (id) {
	case O_HOST: case O_ID: case O_USER: case O_PWFILE: case O_CAFILE: case O_CAPATH:
	case O_CERT: case O_KEY: case O_WILLTOPIC: case O_WILLPAYLOAD: case O_AVAIL:
		return bess_opt_str(&c->strs[id], arg, err);
	case O_PORT:
		if (bess_opt_int(arg, 1, 65535, &v, err) != 0)
			return -1;
		c->mo.port = (int)v;
		c->port_set = 1;
		return 0;
	case O_PROTOCOL:
		return bess_mqttrun_protocol(arg, &c->mo.protocol, err);
	case O_KEEPALIVE:
		if (bess_opt_int(arg, 5, 65535, &v, err) != 0)
			return -1;
		c->mo.keepalive_s = (int)v;
		return 0;
	case O_PERSISTENT:
		c->mo.persistent = 1;
		return 0;
	case O_SESSEXP:
		if (strcmp(arg, "never") == 0) {
			c->mo.session_expiry_s = -1;
			return 0;
		}
		return bess_mqttrun_dur_s(arg, &c->mo.session_expiry_s, err);
	case O_INSECURE:
		c->mo.insecure = 1;
		return 0;
	case O_WILLQOS:
		if (bess_opt_int(arg, 0, 2, &v, err) != 0)
			return -1;
		c->mo.will_qos = (int)v;
		return 0;
	case O_WILLRETAIN:
		c->mo.will_retain = 1;
		return 0;
	case O_WAIT:
		c->mo.wait = 1;
		return 0;
	case O_RECONNECTMAX:
		if (bess_mqttrun_dur_ms(arg, &ms, err) != 0)
			return -1;
		c->mo.backoff_max_ms = ms;
		return 0;
	case O_INFLIGHT:
		if (bess_opt_int(arg, 1, 65000, &v, err) != 0)
			return -1;
		c->mo.max_inflight = (int)v;
		return 0;
	case O_TOPIC: {
		char **q = realloc(c->topics, (c->ntopics + 1) * sizeof(*q));

		if (q == NULL || (q[c->ntopics] = strdup(arg)) == NULL) {
			if (q)
				c->topics = q;
			return bess_err_set(err, NULL, 0, "out of memory");
		}
		c->topics = q;
		c->ntopics++;
		return 0;
	}
	case O_QOS:
		if (bess_opt_int(arg, 0, 2, &v, err) != 0)
			return -1;
		c->qos = (int)v;
		return 0;
	case O_PAYLOAD:
		if (bess_opt_str(&c->strs[id], arg, err) != 0)
			return -1;
		if (bess_payload_spec_parse(c->strs[id], &c->spec, why, sizeof(why)) != 0)
			return bess_err_set(err, NULL, 0, "%s", why);
		c->payload_set = 1;
		return 0;
	case O_FIELDS:	/* the last --fields counts */
		bess_opt_list_free(c->fields, c->nfields);
		c->fields = NULL;
		c->nfields = 0;
		if (bess_opt_list_add(&c->fields, &c->nfields, arg, err) != 0)
			return -1;
		if (c->nfields == 0)
			return bess_err_set(err, NULL, 0, "'%s' names no field", arg);
		return 0;
	case O_VERBOSE:
		c->verbose = 1;
		return 0;
	case O_QUIET:
		c->quiet = 1;
		return 0;
	case O_COUNT:
		if (bess_opt_int(arg, 1, 2000000000L, &v, err) != 0)
			return -1;
		c->count = (unsigned long long)v;
		return 0;
	case O_TIMEOUT:
		return bess_mqttrun_dur_ms(arg, &c->timeout_ms, err);
	case O_FORMAT:
		if (bess_fmt_parse(arg, &c->fmt) != 0 || c->fmt == BESS_FMT_LP)
			return bess_err_set(err, NULL, 0, "'%s' is not ndjson or csv", arg);
		return 0;
	case O_NORETAINED:
		c->no_retained = 1;
		return 0;
	case O_RETAIN:
		c->retain = 1;
		return 0;
	case O_EXPIRY:
		return bess_mqttrun_dur_s(arg, &c->expiry_s, err);
	case O_INFMT:
		return bess_opt_fmt(arg, 0, &c->infmt, err);
	}
	return bess_err_set(err, NULL, 0, "unhandled option");
}

static void
conf_free(struct conf *c)
{
	size_t i;

	for (i = 0; i < O_MAX; i++)
		free(c->strs[i]);
	bess_opt_list_free(c->topics, c->ntopics);
	bess_opt_list_free(c->fields, c->nfields);
}

/* Options of one subcommand given on the command line to the other are usage errors. */
static void
check_scope(const struct conf *c, int is_sub)
{
	static const int sub_only[] = { O_COUNT, O_TIMEOUT, O_FORMAT, O_NORETAINED };
	static const int pub_only[] = { O_RETAIN, O_EXPIRY, O_INFMT };
	const int *l = is_sub ? pub_only : sub_only;
	size_t i, n = is_sub ? sizeof(pub_only) / sizeof(*l) : sizeof(sub_only) / sizeof(*l);
	char buf[64];

	for (i = 0; i < n; i++)
		if (c->on_cli[l[i]])
			cli_usage("%s is for 'bess-mqtt %s'", bess_opt_label(opts, l[i], buf, sizeof(buf)),
			    is_sub ? "pub" : "sub");
}

static volatile sig_atomic_t stop_soft;	/* first signal: sub stops, pub stops reading */
static volatile sig_atomic_t stop_hard;	/* second signal: pub gives up waiting for acknowledgements */

static void
on_signal(int sig)
{
	(void)sig;
	if (stop_soft)
		stop_hard = 1;
	stop_soft = 1;
}

static void
catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: a blocked read returns */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* ---- the runs: lib/mqttrun.c, these hooks show what they report ---- */

static void
say_info(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "%s: %s\n", cli_prog, msg);
}

static int
run(struct conf *c, int is_sub, int nops, char **ops)
{
	static char *stdin_only[] = { "-", NULL };
	struct bess_mqttrun r;
	struct bess_err err;
	int rc;

	if (is_sub && nops > 0)
		cli_usage("'bess-mqtt sub' reads no files (give topic filters with -t)");
	if (is_sub && c->ntopics == 0)
		cli_usage("which topics? give a filter with -t, e.g. -t 'bess/+site/+device/state'");
	if (!is_sub && c->ntopics != 1)
		cli_usage(c->ntopics ? "'bess-mqtt pub' takes one -t TEMPLATE" :
		    "which topic? give one with -t, e.g. -t 'bess/{site}/{device}/set'");
	memset(&r, 0, sizeof(r));
	r.mo = &c->mo;
	r.topics = c->topics;
	r.ntopics = c->ntopics;
	r.spec = &c->spec;
	r.payload_set = c->payload_set;
	r.fields = c->fields;
	r.nfields = c->nfields;
	r.qos = c->qos;
	r.fmt = c->fmt;
	r.no_retained = c->no_retained;
	r.count = c->count;
	r.timeout_ms = c->timeout_ms;
	r.out = stdout;
	r.out_name = "stdout";
	r.inputs = nops ? ops : stdin_only;
	r.ninputs = nops ? nops : 1;
	r.infmt = c->infmt;
	r.retain = c->retain;
	r.expiry_s = c->expiry_s;
	r.stop_soft = &stop_soft;
	r.stop_hard = &stop_hard;
	r.warn = c->quiet ? NULL : cli_warn_msg;
	r.info = c->verbose ? say_info : NULL;
	r.error = cli_error_hook;
	rc = is_sub ? bess_mqttrun_sub(&r, &err) : bess_mqttrun_pub(&r, &err);
	if (rc == BESS_MQTTRUN_USAGE)
		cli_usage("%s", err.msg);
	if (r.out_closed)
		cli_stdout_gone();
	return rc == 0 ? 0 : EXIT_DATA;
}

int
main(int argc, char **argv)
{
	struct conf c;
	struct bess_err err;
	char *pw = NULL;
	int first, status, is_sub;

	cli_init("bess-mqtt");
	signal(SIGPIPE, SIG_IGN);	/* a closed stdout is seen as EPIPE and ends sub quietly */
	memset(&c, 0, sizeof(c));
	c.mo.protocol = 5;
	c.mo.keepalive_s = 60;
	c.mo.session_expiry_s = -1;
	c.mo.backoff_min_ms = 100;
	c.mo.backoff_max_ms = 30000;
	c.mo.max_inflight = 100;
	c.qos = 1;
	c.timeout_ms = -1;
	c.fmt = BESS_FMT_NDJSON;
	if (cli_opt_load(opts, argc, argv, set, &c, usage, NULL, &first, &err) != 0)
		cli_usage_err(&err);
	if (first == argc)
		cli_usage("say 'bess-mqtt sub' or 'bess-mqtt pub'");
	if (strcmp(argv[first], "sub") == 0)
		is_sub = 1;
	else if (strcmp(argv[first], "pub") == 0)
		is_sub = 0;
	else
		cli_usage("'%s' is not sub or pub", argv[first]);
	check_scope(&c, is_sub);
	if (c.strs[O_PWFILE] && !c.strs[O_USER])
		cli_usage("--password-file needs a user name (-u)");
	if (c.strs[O_AVAIL] && c.strs[O_WILLTOPIC])
		cli_usage("--availability uses the last will; it excludes --will-topic");
	if (c.strs[O_WILLPAYLOAD] && !c.strs[O_WILLTOPIC])
		cli_usage("--will-payload needs --will-topic");
	c.mo.host = c.strs[O_HOST] ? c.strs[O_HOST] : "localhost";
	c.mo.client_id = c.strs[O_ID];
	c.mo.username = c.strs[O_USER];
	c.mo.cafile = c.strs[O_CAFILE];
	c.mo.capath = c.strs[O_CAPATH];
	c.mo.certfile = c.strs[O_CERT];
	c.mo.keyfile = c.strs[O_KEY];
	c.mo.will_topic = c.strs[O_WILLTOPIC];
	c.mo.will_payload = c.strs[O_WILLPAYLOAD];
	c.mo.availability = c.strs[O_AVAIL];
	if (!c.port_set)
		c.mo.port = c.mo.cafile || c.mo.capath ? 8883 : 1883;
	if (c.mo.username) {
		if (bess_mqtt_password(c.strs[O_PWFILE], &pw, &err) != 0) {
			cli_error(&err);
			conf_free(&c);
			return cli_finish(EXIT_DATA);
		}
		c.mo.password = pw;
	}
	catch_signals();
	status = run(&c, is_sub, argc - first - 1, argv + first + 1);
	if (pw) {
		memset(pw, 0, strlen(pw));
		free(pw);
	}
	conf_free(&c);
	return cli_finish(status);
}
