/* bess_mqttrec.h: MQTT messages as records (bess-mqtt sub) and records as messages (bess-mqtt pub). */
#ifndef BESS_MQTTREC_H
#define BESS_MQTTREC_H

#include <signal.h>
#include <stdio.h>

#include "bess_err.h"
#include "bess_mqtt.h"
#include "bess_payload.h"
#include "bess_rec.h"
#include "bess_topic.h"

/* ---- messages in, records out ---- */

/* How received messages become records. */
struct bess_mqttsub_opts {
	const struct bess_topic_pat *pat;	/* the -t filters: their named levels become fields */
	size_t npat;
	const struct bess_payload_spec *spec;	/* how payloads are decoded */
	char *const *fields;		/* fixed columns (--fields), NULL: a CSV's first message's, NDJSON each's own */
	size_t nfields;
	enum bess_fmt fmt;		/* BESS_FMT_NDJSON or BESS_FMT_CSV */
	int no_retained;		/* skip the broker's retained copies */
	unsigned long long count;	/* stop after this many records, 0 = no limit */
	FILE *out;			/* where the records go (flushed after each one) */
	const char *out_name;		/* its name for messages ("stdout") */
	void *ctx;			/* for the hooks */
	/* a message skipped or a field dropped or overridden (each field once); NULL = quiet */
	void (*warn)(void *ctx, const char *msg);
	/* a failure that ends the subscription (out of memory, a write error) */
	void (*error)(void *ctx, const struct bess_err *err);
};

/*
 * Each message becomes one record: ts (the receive time, RFC 3339 UTC to
 * the millisecond), topic, the filter's named levels, then the payload's
 * fields. A field the topic gives (topic, a named level) wins over the
 * payload's of the same name (the broker authorises by topic), with a
 * warning once per field. A payload's own ts must be a time (else the
 * message is skipped with a warning) and is written in UTC with Z. In CSV
 * the columns are --fields or the first message's; other fields are dropped
 * with a warning once each.
 */
struct bess_mqttsub;
/* NULL when out of memory. o is copied; what it points to must outlive s. */
struct bess_mqttsub *bess_mqttsub_new(const struct bess_mqttsub_opts *o);
/* The on_message callback of struct bess_mqtt_opts, with ctx the bess_mqttsub. */
int bess_mqttsub_message(void *ctx, const char *topic, const void *payload, size_t len, int retain);
/* Records written so far. */
unsigned long long bess_mqttsub_count(const struct bess_mqttsub *s);
/* 1 when the reader of out went away (EPIPE): nothing more is written. */
int bess_mqttsub_closed(const struct bess_mqttsub *s);
/* End the output (a CSV with no records still gets its header when the columns are known). 0, or -1 with err. */
int bess_mqttsub_finish(struct bess_mqttsub *s, struct bess_err *err);
void bess_mqttsub_free(struct bess_mqttsub *s);

/* ---- records in, messages out ---- */

/*
 * The source of bess_mqtt_publish_all: the records of inputs (in turn, "-"
 * = standard input), each a message to the topic tmpl expands to, its
 * payload from enc. The end of the inputs, or *stop set (a read cut short
 * by a signal), ends it.
 */
struct bess_mqttpub;
/* NULL when out of memory. The arguments must outlive p. */
struct bess_mqttpub *bess_mqttpub_new(char *const *inputs, int ninputs, const struct bess_reader_opts *ro,
    struct bess_topic_tmpl *tmpl, struct bess_payload_enc *enc, volatile sig_atomic_t *stop);
/*
 * The bess_mqtt_source, with ctx the bess_mqttpub: 1 with msg filled, 0 at
 * the end, -1 with err (an input that does not open, bad data, a topic or
 * payload that cannot be made from a record: file:line).
 */
int bess_mqttpub_next(void *ctx, struct bess_mqtt_msg *msg, struct bess_err *err);
/* Messages handed over so far. */
unsigned long long bess_mqttpub_count(const struct bess_mqttpub *p);
/* Close what is open and free p (not while its thread may still read: bess_mqtt_source_busy). */
void bess_mqttpub_free(struct bess_mqttpub *p);

/*
 * The password: the first line of path (its line end dropped), or, with
 * path NULL, the environment's BESS_MQTT_PASSWORD (NULL if unset: no
 * password). 0 with *pw malloc'd (or NULL); -1 with err ("path: why", or
 * "path: the password file is empty").
 */
int bess_mqtt_password(const char *path, char **pw, struct bess_err *err);

#endif
