/* bess-mqtt: the bridge between record pipes and MQTT devices — sub writes messages as records, pub publishes records as messages. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bess_mqtt.h"
#include "bess_mqttrec.h"
#include "bess_opt.h"
#include "bess_payload.h"
#include "bess_qty.h"
#include "bess_rec.h"
#include "bess_time.h"
#include "bess_topic.h"
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
	{ "help", 0, BESS_OPT_FLAG | BESS_OPT_CLI, CLI_O_HELP },
	{ "version", 0, BESS_OPT_FLAG | BESS_OPT_CLI, CLI_O_VERSION },
	{ "config", 'c', BESS_OPT_ARG | BESS_OPT_CLI, CLI_O_CONFIG },
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

/* A duration: "30" (seconds), "30s", "5m", "PT1H"; into milliseconds. */
static int
dur_arg(const char *arg, long long *ms, struct bess_err *err)
{
	struct bess_qty q;
	char why[256];

	if (bess_qty_parse(arg, BESS_DIM_DURATION | BESS_DIM_NONE, &q, why, sizeof(why)) != 0)
		return bess_err_set(err, NULL, 0, "%s", why);
	if (!(q.value > 0) || q.value > 4e9)
		return bess_err_set(err, NULL, 0, "'%s' is not a positive duration", arg);
	*ms = (long long)ceil(q.value * 1000);
	return 0;
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
	if (cli_common_opt(id, arg, usage, NULL))
		return 0;
	switch (id) {
	case O_HOST: case O_ID: case O_USER: case O_PWFILE: case O_CAFILE: case O_CAPATH:
	case O_CERT: case O_KEY: case O_WILLTOPIC: case O_WILLPAYLOAD: case O_AVAIL:
		return cli_str_opt(&c->strs[id], arg, err);
	case O_PORT:
		if (cli_int_opt(arg, 1, 65535, &v, err) != 0)
			return -1;
		c->mo.port = (int)v;
		c->port_set = 1;
		return 0;
	case O_PROTOCOL:
		if (!strcmp(arg, "5") || !strcmp(arg, "mqttv5") || !strcmp(arg, "v5"))
			c->mo.protocol = 5;
		else if (!strcmp(arg, "311") || !strcmp(arg, "mqttv311") ||
		    !strcmp(arg, "3.1.1") || !strcmp(arg, "v311"))
			c->mo.protocol = 311;
		else
			return bess_err_set(err, NULL, 0, "'%s' is not 5 or 311", arg);
		return 0;
	case O_KEEPALIVE:
		if (cli_int_opt(arg, 5, 65535, &v, err) != 0)
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
		if (dur_arg(arg, &ms, err) != 0)
			return -1;
		c->mo.session_expiry_s = (ms + 999) / 1000;
		return 0;
	case O_INSECURE:
		c->mo.insecure = 1;
		return 0;
	case O_WILLQOS:
		if (cli_int_opt(arg, 0, 2, &v, err) != 0)
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
		if (dur_arg(arg, &ms, err) != 0)
			return -1;
		c->mo.backoff_max_ms = ms;
		return 0;
	case O_INFLIGHT:
		if (cli_int_opt(arg, 1, 65000, &v, err) != 0)
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
		if (cli_int_opt(arg, 0, 2, &v, err) != 0)
			return -1;
		c->qos = (int)v;
		return 0;
	case O_PAYLOAD:
		if (cli_str_opt(&c->strs[id], arg, err) != 0)
			return -1;
		if (bess_payload_spec_parse(c->strs[id], &c->spec, why, sizeof(why)) != 0)
			return bess_err_set(err, NULL, 0, "%s", why);
		c->payload_set = 1;
		return 0;
	case O_FIELDS:	/* the last --fields counts */
		cli_list_free(c->fields, c->nfields);
		c->fields = NULL;
		c->nfields = 0;
		if (cli_list_add(&c->fields, &c->nfields, arg, err) != 0)
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
		if (cli_int_opt(arg, 1, 2000000000L, &v, err) != 0)
			return -1;
		c->count = (unsigned long long)v;
		return 0;
	case O_TIMEOUT:
		return dur_arg(arg, &c->timeout_ms, err);
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
		if (dur_arg(arg, &ms, err) != 0)
			return -1;
		c->expiry_s = (ms + 999) / 1000;
		return 0;
	case O_INFMT:
		return cli_fmt_opt(arg, 0, &c->infmt, err);
	}
	return bess_err_set(err, NULL, 0, "unhandled option");
}

static void
conf_free(struct conf *c)
{
	size_t i;

	for (i = 0; i < O_MAX; i++)
		free(c->strs[i]);
	cli_list_free(c->topics, c->ntopics);
	cli_list_free(c->fields, c->nfields);
}

/* "-C/--count" for messages. */
static const char *
opt_name(int id, char *buf, size_t len)
{
	const struct bess_optdef *d;

	for (d = opts; d->name; d++)
		if (d->id == id) {
			if (d->shortopt)
				snprintf(buf, len, "-%c/--%s", d->shortopt, d->name);
			else
				snprintf(buf, len, "--%s", d->name);
			return buf;
		}
	return "?";
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
			cli_usage("%s is for 'bess-mqtt %s'", opt_name(l[i], buf, sizeof(buf)),
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

static const struct conf *conf;	/* for on_event */

static void
on_event(void *ctx, enum bess_mqtt_event ev, const char *msg)
{
	const struct conf *c = conf;

	(void)ctx;

	if (ev == BESS_MQTT_EV_WARN && !c->quiet)
		cli_warnf("%s", msg);
	else if (ev == BESS_MQTT_EV_INFO && c->verbose)
		fprintf(stderr, "%s: %s\n", cli_prog, msg);
}

/* ---- sub: lib/mqttrec.c turns each message into a record ---- */

static void
sub_warn(void *ctx, const char *msg)
{
	(void)ctx;
	cli_warnf("%s", msg);
}

static void
sub_error(void *ctx, const struct bess_err *err)
{
	(void)ctx;
	cli_error(err);
}

static int
run_sub(struct conf *c, int nops)
{
	struct bess_mqttsub_opts so;
	struct bess_mqttsub *s = NULL;
	struct bess_topic_pat *pat = NULL;
	struct bess_err err;
	struct bess_mqtt *m = NULL;
	char **filters = NULL;
	size_t i, npat = 0;
	int status = 0;

	if (nops > 0)
		cli_usage("'bess-mqtt sub' reads no files (give topic filters with -t)");
	if (c->ntopics == 0)
		cli_usage("which topics? give a filter with -t, e.g. -t 'bess/+site/+device/state'");
	if ((pat = calloc(c->ntopics, sizeof(*pat))) == NULL ||
	    (filters = calloc(c->ntopics, sizeof(*filters))) == NULL) {
		cli_errorf("out of memory");
		status = EXIT_DATA;
		goto done;
	}
	for (i = 0; i < c->ntopics; i++) {
		if (bess_topic_pat_parse(c->topics[i], &pat[i], &err) != 0)
			cli_usage("-t: %s", err.msg);
		npat++;
		filters[i] = pat[i].filter;
	}
	memset(&so, 0, sizeof(so));
	so.pat = pat;
	so.npat = npat;
	so.spec = &c->spec;
	so.fields = c->fields;
	so.nfields = c->nfields;
	so.fmt = c->fmt;
	so.no_retained = c->no_retained;
	so.count = c->count;
	so.out = stdout;
	so.out_name = "stdout";
	so.warn = c->quiet ? NULL : sub_warn;
	so.error = sub_error;
	if ((s = bess_mqttsub_new(&so)) == NULL) {
		cli_errorf("out of memory");
		status = EXIT_DATA;
		goto done;
	}
	c->mo.filters = filters;
	c->mo.nfilters = (int)c->ntopics;
	c->mo.sub_qos = c->qos;
	/* QoS 1/2: the broker keeps what comes while we reconnect (session kept while running) */
	c->mo.keep_session = c->qos > 0;
	c->mo.on_message = bess_mqttsub_message;
	c->mo.ctx = s;
	c->mo.stop = &stop_soft;
	if ((m = bess_mqtt_new(&c->mo, &err)) == NULL)
		cli_usage("%s", err.msg);
	if (bess_mqtt_start(m, &err) != 0 ||
	    bess_mqtt_wait(m, c->timeout_ms, &err) != 0) {
		if (err.msg[0])
			cli_error(&err);
		status = EXIT_DATA;
	}
	if (bess_mqttsub_closed(s))
		cli_stdout_gone();
	if (bess_mqtt_stop(m, &err) != 0 && status == 0 && !c->quiet)
		cli_warnf("%s", err.msg);
	if (c->verbose)
		fprintf(stderr, "%s: %llu record%s written\n", cli_prog, bess_mqttsub_count(s),
		    bess_mqttsub_count(s) == 1 ? "" : "s");
	if (bess_mqttsub_finish(s, &err) != 0) {
		cli_error(&err);
		status = EXIT_DATA;
	}
done:
	bess_mqtt_free(m);
	bess_mqttsub_free(s);
	for (i = 0; i < npat; i++)
		bess_topic_pat_free(&pat[i]);
	free(pat);
	free(filters);
	return status;
}

/* ---- pub: lib/mqttrec.c reads the inputs and makes each record a message ---- */

static int
run_pub(struct conf *c, int nops, char **ops)
{
	static char *stdin_only[] = { "-", NULL };
	static struct bess_topic_tmpl tmpl;	/* static: a source thread left blocked may still read it */
	struct bess_mqttpub *src = NULL;
	struct bess_payload_enc *enc;
	struct bess_reader_opts ro;
	struct bess_mqtt *m = NULL;
	struct bess_mqtt_pub pp;
	struct bess_err err;
	int status = 0;

	if (c->ntopics != 1)
		cli_usage(c->ntopics ? "'bess-mqtt pub' takes one -t TEMPLATE" :
		    "which topic? give one with -t, e.g. -t 'bess/{site}/{device}/set'");
	if (bess_topic_tmpl_parse(c->topics[0], &tmpl, &err) != 0)
		cli_usage("-t: %s", err.msg);
	if (!c->payload_set || c->spec.mode == BESS_PL_AUTO)
		c->spec.mode = BESS_PL_JSON;
	if (c->fields && c->spec.mode != BESS_PL_JSON)
		cli_usage("--fields chooses the fields of a JSON payload (--payload json)");
	if (c->expiry_s > 0 && c->mo.protocol != 5)
		cli_usage("--expiry needs MQTT 5 (-V 5)");
	memset(&ro, 0, sizeof(ro));
	ro.fmt = c->infmt;
	ro.skip = -1;
	if (c->infmt == BESS_FMT_CSV) {
		/* a CSV given as such needs no look-ahead, so a live stream flows */
		ro.delim = ',';
		ro.skip = 0;
	}
	if ((enc = bess_payload_enc_new(&c->spec, (const char *const *)c->fields, c->nfields)) == NULL ||
	    (src = bess_mqttpub_new(nops ? ops : stdin_only, nops ? nops : 1, &ro, &tmpl, enc,
	    &stop_soft)) == NULL) {
		cli_errorf("out of memory");
		bess_payload_enc_free(enc);
		bess_topic_tmpl_free(&tmpl);
		return EXIT_DATA;
	}
	/* QoS 1/2 must survive a reconnect: keep the session while running */
	c->mo.keep_session = c->qos > 0;
	c->mo.stop = &stop_hard;
	if ((m = bess_mqtt_new(&c->mo, &err)) == NULL)
		cli_usage("%s", err.msg);
	if (bess_mqtt_start(m, &err) != 0) {
		cli_error(&err);
		status = EXIT_DATA;
		goto done;
	}
	memset(&pp, 0, sizeof(pp));
	pp.qos = c->qos;
	pp.retain = c->retain;
	pp.expiry_s = c->expiry_s;
	/* every QoS 1/2 message is acknowledged before this returns 0 */
	if (bess_mqtt_publish_all(m, bess_mqttpub_next, src, &pp, &err) != 0) {
		if (err.msg[0])
			cli_error(&err);
		status = EXIT_DATA;
	}
	if (bess_mqtt_stop(m, &err) != 0 && !c->quiet)
		cli_warnf("%s", err.msg);
	if (c->verbose)
		fprintf(stderr, "%s: %llu message%s published, %llu acknowledged\n", cli_prog,
		    bess_mqttpub_count(src), bess_mqttpub_count(src) == 1 ? "" : "s", bess_mqtt_acked(m));
	if (bess_mqtt_source_busy(m)) {
		/* the reading thread is blocked in read(2): leave its state to exit() */
		bess_mqtt_free(m);
		return status;
	}
done:
	bess_mqttpub_free(src);
	bess_mqtt_free(m);
	bess_payload_enc_free(enc);
	bess_topic_tmpl_free(&tmpl);
	return status;
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
	if (bess_opt_load(opts, "bess-mqtt", argc, argv, set, &c, &first, &err) != 0)
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
	c.mo.on_event = on_event;
	conf = &c;
	catch_signals();
	if (is_sub)
		status = run_sub(&c, argc - first - 1);
	else
		status = run_pub(&c, argc - first - 1, argv + first + 1);
	if (pw) {
		memset(pw, 0, strlen(pw));
		free(pw);
	}
	conf_free(&c);
	return cli_finish(status);
}
