/* bess_mqttrun.h: bess-mqtt's two runs over one broker connection — sub (messages written as records until a count, a timeout or a signal) and pub (records read and published, every QoS 1/2 message acknowledged). */
#ifndef BESS_MQTTRUN_H
#define BESS_MQTTRUN_H

#include <signal.h>
#include <stdio.h>

#include "bess_err.h"
#include "bess_mqtt.h"
#include "bess_payload.h"
#include "bess_rec.h"

/* A run's return when what it was given cannot work (a usage error): err says why. */
#define BESS_MQTTRUN_USAGE	(-2)

/* --protocol: 5 (mqttv5, v5) or 311 (mqttv311, 3.1.1, v311) into *protocol. 0, or -1 with err. */
int bess_mqttrun_protocol(const char *arg, int *protocol, struct bess_err *err);
/*
 * A duration option (-W, --reconnect-max, --expiry, --session-expiry): "30"
 * (seconds), "30s", "5m", "PT1H", above 0 and at most 4e9 s, into *ms
 * (rounded up to a whole ms). 0, or -1 with err.
 */
int bess_mqttrun_dur_ms(const char *arg, long long *ms, struct bess_err *err);
/* The same in whole seconds, rounded up (--expiry, --session-expiry). */
int bess_mqttrun_dur_s(const char *arg, long long *s, struct bess_err *err);

/* What a run needs beside the connection, and the hooks through which it reports. */
struct bess_mqttrun {
	struct bess_mqtt_opts *mo;	/* the connection; the run sets its filters, hooks, ctx, stop, keep_session */
	char *const *topics;		/* -t: sub's filters ('+name', '#name' levels), or pub's one template */
	size_t ntopics;
	struct bess_payload_spec *spec;	/* --payload; pub: auto (or not given) becomes json */
	int payload_set;		/* --payload was given */
	char *const *fields;		/* --fields, NULL = none */
	size_t nfields;
	int qos;			/* 0, 1 or 2: kept across reconnects when above 0 */
	/* sub */
	enum bess_fmt fmt;		/* BESS_FMT_NDJSON or BESS_FMT_CSV */
	int no_retained;		/* skip the broker's retained copies */
	unsigned long long count;	/* stop after this many records, 0 = no limit */
	long long timeout_ms;		/* stop after this long, ms; -1 = never */
	FILE *out;			/* where the records go */
	const char *out_name;		/* its name for messages */
	/* pub */
	char *const *inputs;		/* record files, "-" = standard input */
	int ninputs;			/* how many (at least 1) */
	enum bess_fmt infmt;		/* BESS_FMT_AUTO: detected; CSV: no look-ahead (a live stream flows) */
	int retain;			/* retain the messages */
	long long expiry_s;		/* MQTT 5 message expiry, s; 0 = none */
	/* stopping (a signal handler sets them) */
	volatile sig_atomic_t *stop_soft;	/* sub ends, pub stops reading */
	volatile sig_atomic_t *stop_hard;	/* pub gives up waiting for acknowledgements */
	void *ctx;			/* handed to every hook */
	void (*warn)(void *ctx, const char *msg);		/* a warning; NULL = quiet */
	void (*info)(void *ctx, const char *msg);		/* connection details, counts; NULL = not asked */
	void (*error)(void *ctx, const struct bess_err *err);	/* a failure that ends the run */
	/* filled by the run */
	int out_closed;			/* sub: the reader of out went away (EPIPE) */
};

/*
 * Subscribe to r->topics and write each message as a record to r->out
 * (lib/mqttrec.c) until r->count records, r->timeout_ms, *r->stop_soft or a
 * failure. 0; -1 after the error hook; BESS_MQTTRUN_USAGE with err (a bad
 * filter, connection options that cannot work).
 */
int bess_mqttrun_sub(struct bess_mqttrun *r, struct bess_err *err);
/*
 * Publish each record of r->inputs as a message to the topic r->topics[0]
 * expands to; returns when every QoS 1/2 message was acknowledged, or
 * *r->stop_hard. 0; -1 after the error hook; BESS_MQTTRUN_USAGE with err (a
 * bad template, --fields without a JSON payload, an expiry without MQTT 5,
 * connection options that cannot work). A reading thread still blocked in
 * read(2) is left, with what it uses, to the process's exit.
 */
int bess_mqttrun_pub(struct bess_mqttrun *r, struct bess_err *err);

#endif
