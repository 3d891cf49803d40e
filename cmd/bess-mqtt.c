/* bess-mqtt: the bridge between record pipes and MQTT devices — sub writes messages as records, pub publishes records as messages. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bess_mqtt.h"
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

/* The password: BESS_MQTT_PASSWORD, or the first line of --password-file; never argv. */
static char *
password(const struct conf *c)
{
	const char *env = getenv("BESS_MQTT_PASSWORD");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *fp;

	if (c->strs[O_PWFILE] == NULL)
		return env ? strdup(env) : NULL;
	if ((fp = fopen(c->strs[O_PWFILE], "r")) == NULL) {
		cli_errorf("%s: %s", c->strs[O_PWFILE], strerror(errno));
		exit(cli_finish(EXIT_DATA));
	}
	errno = 0;
	n = getline(&line, &cap, fp);
	fclose(fp);
	if (n < 0) {
		free(line);
		if (errno != 0)	/* a folder: EISDIR */
			cli_errorf("%s: %s", c->strs[O_PWFILE], strerror(errno));
		else
			cli_errorf("%s: the password file is empty", c->strs[O_PWFILE]);
		exit(cli_finish(EXIT_DATA));
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
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

/* ---- sub ---- */

struct sub {
	struct conf *c;			/* options */
	struct bess_topic_pat *pat;	/* the parsed -t filters */
	size_t npat;
	struct bess_fields f;		/* the message being turned into a record */
	struct bess_writer *w;		/* on stdout */
	struct bess_view view;		/* the columns written */
	struct bess_rec rec;		/* the record written */
	char **names;			/* the message's field names, for the view */
	size_t names_cap;		/* slots in names */
	char **cols;			/* fixed columns: --fields, or a CSV's first message */
	size_t ncols;
	char **warned;			/* fields warned about (dropped from CSV, overridden), once each */
	const char *topic;		/* the message's topic, for messages */
	size_t nwarned;
	unsigned long long n;		/* records written */
	int oom;			/* an allocation failed in a callback */
	int closed;			/* stdout was closed by the reader (EPIPE) */
};

static void
add_level(void *ctx, const char *name, const char *val, size_t len)
{
	struct sub *s = ctx;

	if (bess_fields_set(&s->f, name, strlen(name), val, len, BESS_K_STR) != 0)
		s->oom = 1;
}

/* Has name been warned about (else remember it)? */
static int
warned_once(struct sub *s, const char *name)
{
	size_t i;
	char **q;

	for (i = 0; i < s->nwarned; i++)
		if (strcmp(s->warned[i], name) == 0)
			return 1;
	if ((q = realloc(s->warned, (s->nwarned + 1) * sizeof(*q))) == NULL)
		return 1;
	s->warned = q;
	if ((q[s->nwarned] = strdup(name)) == NULL)
		return 1;
	s->nwarned++;
	return 0;
}

/*
 * A field taken from the topic (a named level, or "topic" itself) set
 * again after the payload: the broker authorises by topic, so a payload's
 * "site":"s2" on bess/s1/... must not speak for another site.
 */
static void
topic_wins(void *ctx, const char *name, const char *val, size_t len)
{
	struct sub *s = ctx;
	int k = bess_fields_find(&s->f, name);

	if (k >= 0 && s->f.val_len[k] == len && memcmp(bess_fields_value(&s->f, (size_t)k), val, len) == 0)
		return;
	char key[80];

	snprintf(key, sizeof(key), "\x01%s", name);	/* apart from warn_dropped's names */
	if (k >= 0 && !s->c->quiet && !warned_once(s, key))
		cli_warnf("topic '%s': field '%s' of the payload differs from the topic's; the topic's "
		    "is kept (warned once per field)", s->topic, name);
	add_level(ctx, name, val, len);
}

/* Is name one of the fixed columns? */
static int
is_col(const struct sub *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->ncols; i++)
		if (strcmp(s->cols[i], name) == 0)
			return 1;
	return 0;
}

static void
warn_dropped(struct sub *s, const char *name)
{
	if (warned_once(s, name))
		return;
	if (!s->c->quiet)
		cli_warnf("field '%s' is not a CSV column (the first message's fields are; "
		    "name them all with --fields); dropped", name);
}

/* Write the fields of s->f as one record. 0, or -1 after printing why. */
static int
write_record(struct sub *s)
{
	const struct bess_schema *vs;
	struct bess_err err;
	size_t i;

	if (s->cols == NULL && s->c->fmt == BESS_FMT_CSV) {
		/* a CSV header is written once: the first message's fields make it */
		if ((s->cols = calloc(s->f.n + 1, sizeof(*s->cols))) == NULL)
			return -1;
		for (i = 0; i < s->f.n; i++)
			if ((s->cols[s->ncols++] = strdup(bess_fields_name(&s->f, i))) == NULL)
				return -1;
	}
	if (s->cols) {
		if (bess_rec_resize(&s->rec, s->ncols) != 0)
			return -1;
		for (i = 0; i < s->ncols; i++) {
			int k = bess_fields_find(&s->f, s->cols[i]);

			s->rec.v[i] = k < 0 ? "" : bess_fields_value(&s->f, (size_t)k);
			s->rec.len[i] = k < 0 ? 0 : s->f.val_len[k];
			s->rec.kind[i] = k < 0 ? BESS_K_NULL : s->f.kind[k];
		}
		if (s->c->fields == NULL)
			for (i = 0; i < s->f.n; i++)
				if (!is_col(s, bess_fields_name(&s->f, i)))
					warn_dropped(s, bess_fields_name(&s->f, i));
		vs = bess_view_set(&s->view, s->cols, s->ncols);
	} else {
		if (s->f.n > s->names_cap) {
			char **q = realloc(s->names, s->f.n * sizeof(*q));

			if (q == NULL)
				return -1;
			s->names = q;
			s->names_cap = s->f.n;
		}
		if (bess_rec_resize(&s->rec, s->f.n) != 0)
			return -1;
		for (i = 0; i < s->f.n; i++) {
			s->names[i] = (char *)bess_fields_name(&s->f, i);
			s->rec.v[i] = bess_fields_value(&s->f, i);
			s->rec.len[i] = s->f.val_len[i];
			s->rec.kind[i] = s->f.kind[i];
		}
		vs = bess_view_set(&s->view, s->names, s->f.n);
	}
	if (vs == NULL)
		return -1;
	if (bess_writer_write(s->w, vs, &s->rec, &err) != 0) {
		cli_error(&err);
		return -1;
	}
	return 0;
}

/* A message arrived (network thread): one record out, flushed so pipes see it at once. */
static int
on_message(void *ctx, const char *topic, const void *payload, size_t len, int retain)
{
	struct sub *s = ctx;
	char ts[BESS_TIME_BUFSZ], why[256];
	struct timespec now;
	bess_time_t t;
	size_t i;
	int k;

	if (retain && s->c->no_retained)
		return 0;
	clock_gettime(CLOCK_REALTIME, &now);
	t = (bess_time_t)now.tv_sec * BESS_US_PER_S + now.tv_nsec / 1000000 * 1000;
	bess_fields_clear(&s->f);
	bess_time_format(t, ts);
	if (bess_fields_set(&s->f, "ts", 2, ts, strlen(ts), BESS_K_STR) != 0 ||
	    bess_fields_set(&s->f, "topic", 5, topic, strlen(topic), BESS_K_STR) != 0)
		s->oom = 1;
	for (i = 0; i < s->npat; i++)
		if (bess_topic_pat_match(&s->pat[i], topic, add_level, s))
			break;
	if (!s->oom && bess_payload_decode(&s->c->spec, payload, len, &s->f, why,
	    sizeof(why)) != 0) {
		if (!s->c->quiet)
			cli_warnf("topic '%s': %s; skipped", topic, why);
		return 0;
	}
	/* what the topic says wins over what the payload claims */
	s->topic = topic;
	topic_wins(s, "topic", topic, strlen(topic));
	for (i = 0; i < s->npat; i++)
		if (bess_topic_pat_match(&s->pat[i], topic, topic_wins, s))
			break;
	/* a payload's own time must be a time ("ts":"garbage" was passed on) */
	if ((k = bess_fields_find(&s->f, "ts")) >= 0) {
		const char *v = bess_fields_value(&s->f, (size_t)k);

		if (bess_time_parse(v, s->f.val_len[k], NULL, &t, why, sizeof(why)) != BESS_TP_OK) {
			if (!s->c->quiet)
				cli_warnf("topic '%s': field 'ts': %s; skipped", topic, why);
			return 0;
		}
		/* an offset becomes UTC with Z, as every bess record has it; a Z time stays as sent */
		if (s->f.val_len[k] == 0 || v[s->f.val_len[k] - 1] != 'Z') {
			bess_time_format(t, ts);
			if (bess_fields_set(&s->f, "ts", 2, ts, strlen(ts), BESS_K_STR) != 0)
				s->oom = 1;
		}
	}
	if (s->oom || write_record(s) != 0) {
		if (s->oom)
			cli_errorf("out of memory");
		return -1;
	}
	if (bess_writer_flush(s->w) != 0) {
		if (errno == EPIPE) {
			s->closed = 1;
			cli_stdout_gone();
			return 2;	/* not taken: a persistent session gets it again */
		}
		cli_errorf("stdout: %s", strerror(errno));
		return -1;
	}
	s->n++;
	return s->c->count && s->n >= s->c->count ? 1 : 0;
}

static int
run_sub(struct conf *c, int nops)
{
	struct sub s;
	struct bess_err err;
	struct bess_writer_opts wo;
	struct bess_mqtt *m = NULL;
	char **filters = NULL;
	size_t i;
	int status = 0;

	if (nops > 0)
		cli_usage("'bess-mqtt sub' reads no files (give topic filters with -t)");
	if (c->ntopics == 0)
		cli_usage("which topics? give a filter with -t, e.g. -t 'bess/+site/+device/state'");
	memset(&s, 0, sizeof(s));
	s.c = c;
	bess_fields_init(&s.f);
	bess_view_init(&s.view);
	bess_rec_init(&s.rec);
	if ((s.pat = calloc(c->ntopics, sizeof(*s.pat))) == NULL ||
	    (filters = calloc(c->ntopics, sizeof(*filters))) == NULL) {
		cli_errorf("out of memory");
		status = EXIT_DATA;
		goto done;
	}
	for (i = 0; i < c->ntopics; i++) {
		if (bess_topic_pat_parse(c->topics[i], &s.pat[i], &err) != 0)
			cli_usage("-t: %s", err.msg);
		s.npat++;
		filters[i] = s.pat[i].filter;
	}
	if (c->fields) {
		s.cols = c->fields;	/* borrowed */
		s.ncols = c->nfields;
	}
	memset(&wo, 0, sizeof(wo));
	wo.fmt = c->fmt;
	if ((s.w = bess_writer_new(stdout, &wo)) == NULL) {
		cli_errorf("out of memory");
		status = EXIT_DATA;
		goto done;
	}
	c->mo.filters = filters;
	c->mo.nfilters = (int)c->ntopics;
	c->mo.sub_qos = c->qos;
	/* QoS 1/2: the broker keeps what comes while we reconnect (session kept while running) */
	c->mo.keep_session = c->qos > 0;
	c->mo.on_message = on_message;
	c->mo.ctx = &s;
	c->mo.stop = &stop_soft;
	if ((m = bess_mqtt_new(&c->mo, &err)) == NULL)
		cli_usage("%s", err.msg);
	if (bess_mqtt_start(m, &err) != 0 ||
	    bess_mqtt_wait(m, c->timeout_ms, &err) != 0) {
		if (err.msg[0])
			cli_error(&err);
		status = EXIT_DATA;
	}
	if (bess_mqtt_stop(m, &err) != 0 && status == 0 && !c->quiet)
		cli_warnf("%s", err.msg);
	if (c->verbose)
		fprintf(stderr, "%s: %llu record%s written\n", cli_prog, s.n, s.n == 1 ? "" : "s");
	/* a CSV with no records still gets its header */
	if (!s.closed && bess_writer_finish(s.w, s.cols ? bess_view_set(&s.view, s.cols, s.ncols) :
	    NULL, &err) != 0 &&
	    errno != EPIPE) {
		cli_errorf("stdout: %s", strerror(errno));
		status = EXIT_DATA;
	}
done:
	bess_mqtt_free(m);
	bess_writer_free(s.w);
	for (i = 0; i < s.npat; i++)
		bess_topic_pat_free(&s.pat[i]);
	free(s.pat);
	free(filters);
	if (s.cols != c->fields) {
		for (i = 0; i < s.ncols; i++)
			free(s.cols[i]);
		free(s.cols);
	}
	for (i = 0; i < s.nwarned; i++)
		free(s.warned[i]);
	free(s.warned);
	bess_view_free(&s.view);
	free(s.names);
	bess_rec_free(&s.rec);
	bess_fields_free(&s.f);
	return status;
}

/* ---- pub ---- */

/* Where pub's messages come from: the inputs, read in a thread of their own. */
struct pubsrc {
	struct conf *c;			/* options */
	char **ops;			/* input files ("-" = stdin) */
	int nops, next;			/* how many, the next to open */
	FILE *fp;			/* the open input */
	const char *name;		/* its name for messages */
	struct bess_reader *r;		/* its reader */
	struct bess_reader_opts ro;	/* reader options */
	struct bess_topic_tmpl tmpl;	/* -t */
	struct bess_payload_enc *enc;	/* --payload */
	struct bess_rec rec;		/* filled by the reader, which owns its arrays */
	unsigned long long n;		/* messages handed over */
};

static void
pub_close(struct pubsrc *s)
{
	bess_reader_close(s->r);
	s->r = NULL;
	cli_close_in(s->fp);
	s->fp = NULL;
}

/* The next message: 1, 0 at the end (or after a signal), -1 with err. */
static int
pub_next(void *ctx, struct bess_mqtt_msg *msg, struct bess_err *err)
{
	struct pubsrc *s = ctx;
	struct bess_err e;
	char why[256];
	int rc;

	for (;;) {
		if (stop_soft)
			return 0;
		if (s->r == NULL) {
			if (s->next >= s->nops)
				return 0;
			if ((s->fp = cli_open_in(s->ops[s->next++], &s->name)) == NULL) {
				bess_err_set(err, NULL, 0, "%s", "");	/* reported */
				return -1;
			}
			if ((s->r = bess_reader_open(s->fp, s->name, &s->ro, err)) == NULL)
				return stop_soft ? 0 : -1;
		}
		rc = bess_reader_next(s->r, &s->rec, err);
		if (rc == 1) {
			const struct bess_schema *sc = bess_reader_schema(s->r);

			if ((msg->topic = bess_topic_tmpl_expand(&s->tmpl, sc, &s->rec, &e)) == NULL)
				return bess_err_set(err, s->name, s->rec.line, "%s", e.msg);
			if ((msg->payload = bess_payload_enc_record(s->enc, sc, &s->rec, &msg->len,
			    why, sizeof(why))) == NULL)
				return bess_err_set(err, s->name, s->rec.line, "%s", why);
			s->n++;
			return 1;
		}
		if (rc < 0)
			return stop_soft ? 0 : -1;	/* a read cut short by a signal is the end */
		pub_close(s);
	}
}

static int
run_pub(struct conf *c, int nops, char **ops)
{
	static char *stdin_only[] = { "-", NULL };
	static struct pubsrc s;	/* static: a source thread left blocked may still read it */
	struct bess_mqtt *m = NULL;
	struct bess_mqtt_pub pp;
	struct bess_err err;
	int status = 0;

	if (c->ntopics != 1)
		cli_usage(c->ntopics ? "'bess-mqtt pub' takes one -t TEMPLATE" :
		    "which topic? give one with -t, e.g. -t 'bess/{site}/{device}/set'");
	memset(&s, 0, sizeof(s));
	s.c = c;
	s.ops = nops ? ops : stdin_only;
	s.nops = nops ? nops : 1;
	if (bess_topic_tmpl_parse(c->topics[0], &s.tmpl, &err) != 0)
		cli_usage("-t: %s", err.msg);
	if (!c->payload_set || c->spec.mode == BESS_PL_AUTO)
		c->spec.mode = BESS_PL_JSON;
	if (c->fields && c->spec.mode != BESS_PL_JSON)
		cli_usage("--fields chooses the fields of a JSON payload (--payload json)");
	if (c->expiry_s > 0 && c->mo.protocol != 5)
		cli_usage("--expiry needs MQTT 5 (-V 5)");
	if ((s.enc = bess_payload_enc_new(&c->spec, (const char *const *)c->fields,
	    c->nfields)) == NULL) {
		cli_errorf("out of memory");
		bess_topic_tmpl_free(&s.tmpl);
		return EXIT_DATA;
	}
	bess_rec_init(&s.rec);
	s.ro.fmt = c->infmt;
	s.ro.skip = -1;
	if (c->infmt == BESS_FMT_CSV) {
		/* a CSV given as such needs no look-ahead, so a live stream flows */
		s.ro.delim = ',';
		s.ro.skip = 0;
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
	if (bess_mqtt_publish_all(m, pub_next, &s, &pp, &err) != 0) {
		if (err.msg[0])
			cli_error(&err);
		status = EXIT_DATA;
	}
	if (bess_mqtt_stop(m, &err) != 0 && !c->quiet)
		cli_warnf("%s", err.msg);
	if (c->verbose)
		fprintf(stderr, "%s: %llu message%s published, %llu acknowledged\n", cli_prog,
		    s.n, s.n == 1 ? "" : "s", bess_mqtt_acked(m));
	if (bess_mqtt_source_busy(m)) {
		/* the reading thread is blocked in read(2): leave its state to exit() */
		bess_mqtt_free(m);
		return status;
	}
done:
	pub_close(&s);
	bess_mqtt_free(m);
	bess_payload_enc_free(s.enc);
	bess_topic_tmpl_free(&s.tmpl);
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
	if (c.mo.username)
		c.mo.password = pw = password(&c);
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
