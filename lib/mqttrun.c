/* mqttrun.c: bess-mqtt's two runs over one broker connection — sub writes messages as records, pub publishes records as messages (lib/mqttrec.c), each with the connection started, waited on and stopped. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_mqttrec.h"
#include "bess_mqttrun.h"
#include "bess_qty.h"
#include "bess_topic.h"

int
bess_mqttrun_protocol(const char *arg, int *protocol, struct bess_err *err)
{
	if (!strcmp(arg, "5") || !strcmp(arg, "mqttv5") || !strcmp(arg, "v5"))
		*protocol = 5;
	else if (!strcmp(arg, "311") || !strcmp(arg, "mqttv311") || !strcmp(arg, "3.1.1") ||
	    !strcmp(arg, "v311"))
		*protocol = 311;
	else
		return bess_err_set(err, NULL, 0, "'%s' is not 5 or 311", arg);
	return 0;
}

int
bess_mqttrun_dur_ms(const char *arg, long long *ms, struct bess_err *err)
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

int
bess_mqttrun_dur_s(const char *arg, long long *s, struct bess_err *err)
{
	long long ms;

	if (bess_mqttrun_dur_ms(arg, &ms, err) != 0)
		return -1;
	*s = (ms + 999) / 1000;
	return 0;
}

/* The connection's events, passed to the run's hooks. */
struct run_ctx {
	struct bess_mqttrun *r;
	struct bess_mqttsub *s;		/* sub: the messages' writer */
};

static void
on_event(void *ctx, enum bess_mqtt_event ev, const char *msg)
{
	const struct bess_mqttrun *r = ((struct run_ctx *)ctx)->r;

	if (ev == BESS_MQTT_EV_WARN && r->warn)
		r->warn(r->ctx, msg);
	else if (ev == BESS_MQTT_EV_INFO && r->info)
		r->info(r->ctx, msg);
}

static int
on_message(void *ctx, const char *topic, const void *payload, size_t len, int retain)
{
	return bess_mqttsub_message(((struct run_ctx *)ctx)->s, topic, payload, len, retain);
}

static int
fail(const struct bess_mqttrun *r, const struct bess_err *err)
{
	r->error(r->ctx, err);
	return -1;
}

static int
oom(const struct bess_mqttrun *r)
{
	struct bess_err err;

	bess_err_set(&err, NULL, 0, "out of memory");
	return fail(r, &err);
}

/* A usage error "-t: why". */
static int
usage_t(struct bess_err *err)
{
	char why[sizeof(err->msg)];

	memcpy(why, err->msg, sizeof(why));
	bess_err_set(err, NULL, 0, "-t: %.500s", why);
	return BESS_MQTTRUN_USAGE;
}

static void
say_info(const struct bess_mqttrun *r, const char *fmt, unsigned long long a, const char *s,
    unsigned long long b)
{
	char msg[128];

	if (r->info == NULL)
		return;
	snprintf(msg, sizeof(msg), fmt, a, s, b);
	r->info(r->ctx, msg);
}

int
bess_mqttrun_sub(struct bess_mqttrun *r, struct bess_err *err)
{
	struct bess_mqttsub_opts so;
	struct run_ctx rc = { r, NULL };
	struct bess_topic_pat *pat = NULL;
	struct bess_mqtt *m = NULL;
	char **filters = NULL;
	size_t i, npat = 0;
	int status = 0;

	if ((pat = calloc(r->ntopics, sizeof(*pat))) == NULL ||
	    (filters = calloc(r->ntopics, sizeof(*filters))) == NULL) {
		status = oom(r);
		goto done;
	}
	for (i = 0; i < r->ntopics; i++) {
		if (bess_topic_pat_parse(r->topics[i], &pat[i], err) != 0) {
			status = usage_t(err);
			goto done;
		}
		npat++;
		filters[i] = pat[i].filter;
	}
	memset(&so, 0, sizeof(so));
	so.pat = pat;
	so.npat = npat;
	so.spec = r->spec;
	so.fields = r->fields;
	so.nfields = r->nfields;
	so.fmt = r->fmt;
	so.no_retained = r->no_retained;
	so.count = r->count;
	so.out = r->out;
	so.out_name = r->out_name;
	so.ctx = r->ctx;
	so.warn = r->warn;
	so.error = r->error;
	if ((rc.s = bess_mqttsub_new(&so)) == NULL) {
		status = oom(r);
		goto done;
	}
	r->mo->filters = filters;
	r->mo->nfilters = (int)r->ntopics;
	r->mo->sub_qos = r->qos;
	/* QoS 1/2: the broker keeps what comes while we reconnect (session kept while running) */
	r->mo->keep_session = r->qos > 0;
	r->mo->on_message = on_message;
	r->mo->on_event = on_event;
	r->mo->ctx = &rc;
	r->mo->stop = r->stop_soft;
	if ((m = bess_mqtt_new(r->mo, err)) == NULL) {
		status = BESS_MQTTRUN_USAGE;
		goto done;
	}
	if (bess_mqtt_start(m, err) != 0 || bess_mqtt_wait(m, r->timeout_ms, err) != 0) {
		if (err->msg[0])
			r->error(r->ctx, err);
		status = -1;
	}
	r->out_closed = bess_mqttsub_closed(rc.s);
	if (bess_mqtt_stop(m, err) != 0 && status == 0 && r->warn)
		r->warn(r->ctx, err->msg);
	say_info(r, "%llu record%s written", bess_mqttsub_count(rc.s),
	    bess_mqttsub_count(rc.s) == 1 ? "" : "s", 0);
	if (bess_mqttsub_finish(rc.s, err) != 0)
		status = fail(r, err);
done:
	bess_mqtt_free(m);
	bess_mqttsub_free(rc.s);
	for (i = 0; i < npat; i++)
		bess_topic_pat_free(&pat[i]);
	free(pat);
	free(filters);
	return status;
}

int
bess_mqttrun_pub(struct bess_mqttrun *r, struct bess_err *err)
{
	struct run_ctx rc = { r, NULL };
	/* malloc'd: a source thread left blocked in read(2) may still read it (left to exit) */
	struct bess_topic_tmpl *tmpl;
	struct bess_mqttpub *src = NULL;
	struct bess_payload_enc *enc = NULL;
	struct bess_reader_opts ro;
	struct bess_mqtt *m = NULL;
	struct bess_mqtt_pub pp;
	int status = 0;

	if ((tmpl = calloc(1, sizeof(*tmpl))) == NULL)
		return oom(r);
	if (bess_topic_tmpl_parse(r->topics[0], tmpl, err) != 0) {
		free(tmpl);
		return usage_t(err);
	}
	if (!r->payload_set || r->spec->mode == BESS_PL_AUTO)
		r->spec->mode = BESS_PL_JSON;
	if (r->fields && r->spec->mode != BESS_PL_JSON) {
		bess_err_set(err, NULL, 0, "--fields chooses the fields of a JSON payload (--payload json)");
		status = BESS_MQTTRUN_USAGE;
		goto done;
	}
	if (r->expiry_s > 0 && r->mo->protocol != 5) {
		bess_err_set(err, NULL, 0, "--expiry needs MQTT 5 (-V 5)");
		status = BESS_MQTTRUN_USAGE;
		goto done;
	}
	memset(&ro, 0, sizeof(ro));
	ro.fmt = r->infmt;
	ro.skip = -1;
	if (r->infmt == BESS_FMT_CSV) {
		/* a CSV given as such needs no look-ahead, so a live stream flows */
		ro.delim = ',';
		ro.skip = 0;
	}
	if ((enc = bess_payload_enc_new(r->spec, (const char *const *)r->fields, r->nfields)) == NULL ||
	    (src = bess_mqttpub_new(r->inputs, r->ninputs, &ro, tmpl, enc, r->stop_soft)) == NULL) {
		status = oom(r);
		goto done;
	}
	/* QoS 1/2 must survive a reconnect: keep the session while running */
	r->mo->keep_session = r->qos > 0;
	r->mo->on_event = on_event;
	r->mo->ctx = &rc;
	r->mo->stop = r->stop_hard;
	if ((m = bess_mqtt_new(r->mo, err)) == NULL) {
		status = BESS_MQTTRUN_USAGE;
		goto done;
	}
	if (bess_mqtt_start(m, err) != 0) {
		status = fail(r, err);
		goto done;
	}
	memset(&pp, 0, sizeof(pp));
	pp.qos = r->qos;
	pp.retain = r->retain;
	pp.expiry_s = r->expiry_s;
	/* every QoS 1/2 message is acknowledged before this returns 0 */
	if (bess_mqtt_publish_all(m, bess_mqttpub_next, src, &pp, err) != 0) {
		if (err->msg[0])
			r->error(r->ctx, err);
		status = -1;
	}
	if (bess_mqtt_stop(m, err) != 0 && r->warn)
		r->warn(r->ctx, err->msg);
	say_info(r, "%llu message%s published, %llu acknowledged", bess_mqttpub_count(src),
	    bess_mqttpub_count(src) == 1 ? "" : "s", bess_mqtt_acked(m));
	if (bess_mqtt_source_busy(m)) {
		/* the reading thread is blocked in read(2): leave its state to exit() */
		bess_mqtt_free(m);
		return status;
	}
done:
	bess_mqttpub_free(src);
	bess_mqtt_free(m);
	bess_payload_enc_free(enc);
	bess_topic_tmpl_free(tmpl);
	free(tmpl);
	return status;
}
