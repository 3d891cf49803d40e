/* bess_mqtt.h: a reliable MQTT connection for record streams — connect, reconnect with backoff, bounded publishing, subscriptions (libmosquitto, one thread). */
#ifndef BESS_MQTT_H
#define BESS_MQTT_H

#include <signal.h>
#include <stddef.h>

#include "bess_err.h"

/* What the network side reports to the program (the library never prints). */
enum bess_mqtt_event {
	BESS_MQTT_EV_INFO = 0,	/* details: connecting, subscribed, retries (for -v) */
	BESS_MQTT_EV_WARN	/* the connection was lost or came back */
};

struct bess_mqtt_opts {
	const char *host;		/* broker host name or address */
	int port;			/* TCP port */
	int protocol;			/* 311 or 5 */
	const char *client_id;		/* NULL: "bess-mqtt-HOST-PID" */
	int keepalive_s;		/* keepalive, seconds (5..65535) */
	int persistent;			/* keep the session after exit (needs client_id) */
	int keep_session;		/* keep the session across reconnects (QoS > 0), drop it at exit unless persistent */
	long long session_expiry_s;	/* MQTT 5 session expiry of a kept session; -1 = never expires */
	const char *username;		/* or NULL */
	const char *password;		/* or NULL */
	const char *cafile;		/* TLS: trusted CA certificates (PEM); TLS is on when this or capath is set */
	const char *capath;		/* TLS: a directory of CA certificates */
	const char *certfile;		/* TLS: client certificate (PEM) */
	const char *keyfile;		/* TLS: client key (PEM) */
	int insecure;			/* TLS: do not check the broker's host name against its certificate */
	const char *will_topic;		/* last will, or NULL */
	const char *will_payload;	/* its payload ("" if NULL) */
	int will_qos;			/* its QoS */
	int will_retain;		/* its retain flag */
	const char *availability;	/* topic: retained "online" on connect, "offline" as will and at exit */
	int wait;			/* broker unreachable at start: keep trying instead of failing */
	long long backoff_min_ms;	/* first reconnect delay, ms */
	long long backoff_max_ms;	/* longest reconnect delay, ms */
	int max_inflight;		/* QoS > 0 messages published and not yet acknowledged, at most */

	/* subscribing */
	char *const *filters;		/* topic filters as sent to the broker */
	int nfilters;			/* how many (0 = do not subscribe) */
	int sub_qos;			/* requested QoS */
	/*
	 * Called for every message (retain = the broker's retained copy);
	 * return 0 to go on, 1 to stop (bess_mqtt_wait returns), 2 to stop
	 * without having taken this message (stdout closed: a persistent
	 * session's QoS 1/2 message is then not acknowledged, and comes again
	 * to the session's next connection), -1 on a failure the callback has
	 * already reported (bess_mqtt_wait returns -1; the message is not
	 * acknowledged either).
	 */
	int (*on_message)(void *ctx, const char *topic, const void *payload, size_t len, int retain);
	void *ctx;			/* for on_message and on_event */
	void (*on_event)(void *ctx, enum bess_mqtt_event ev, const char *msg);	/* or NULL */

	volatile sig_atomic_t *stop;	/* waits end early when *stop becomes non-zero (a signal handler sets it) */
};

struct bess_mqtt;

/* Check the options and set the client up (no network yet). NULL with err filled. */
struct bess_mqtt *bess_mqtt_new(const struct bess_mqtt_opts *o, struct bess_err *err);

/*
 * Connect and wait for the broker's CONNACK and (when subscribing) its
 * SUBACK. Fails (-1, err) when the broker cannot be reached (unless
 * o->wait: then it keeps trying with backoff), refuses the connection, or
 * refuses a subscription; or when *stop is set while waiting (err says so).
 * Later losses of the connection are mended by reconnecting with
 * exponential backoff while bess_mqtt_wait or bess_mqtt_publish_all run.
 */
int bess_mqtt_start(struct bess_mqtt *m, struct bess_err *err);

/* One message to publish; its memory need only last until the source is called again. */
struct bess_mqtt_msg {
	const char *topic;	/* NUL-terminated topic */
	const void *payload;	/* payload bytes */
	size_t len;		/* payload length */
};

/*
 * Produces the messages to publish: 1 with msg filled, 0 at the end, -1 on
 * a failure described in err. It runs in a thread of its own, which takes
 * the process's signals while it runs (so a blocked read returns EINTR and
 * the source can decide to end); the caller's thread takes them afterwards.
 */
typedef int (*bess_mqtt_source)(void *ctx, struct bess_mqtt_msg *msg, struct bess_err *err);

/* How bess_mqtt_publish_all publishes. */
struct bess_mqtt_pub {
	int qos;		/* 0, 1 or 2 */
	int retain;		/* retain flag */
	long long expiry_s;	/* MQTT 5 message expiry, seconds; 0 = none */
};

/*
 * Publish every message of src, running the connection in the calling
 * thread (reconnecting with backoff). QoS 0 waits for a connection; QoS 1
 * and 2 are kept by the client until the broker acknowledges them, across
 * reconnects, and at most max_inflight are unacknowledged (the source
 * waits when that many are queued). Returns 0 when src has ended and every
 * message is acknowledged; -1 with err when src failed (after publishing
 * what it produced before), the broker refused a message (MQTT 5 reason
 * code), or *stop was set.
 */
int bess_mqtt_publish_all(struct bess_mqtt *m, bess_mqtt_source src, void *ctx,
    const struct bess_mqtt_pub *p, struct bess_err *err);

/* Messages acknowledged so far. */
unsigned long long bess_mqtt_acked(const struct bess_mqtt *m);

/*
 * After bess_mqtt_publish_all failed: 1 if the source's thread could not be
 * stopped (it is blocked reading) and still runs. Then what the source uses
 * must not be freed; the program should exit, which ends the thread.
 */
int bess_mqtt_source_busy(const struct bess_mqtt *m);

/*
 * Run the connection in the calling thread while subscribed (on_message
 * is called from here): until on_message asks to stop (0), *stop is set
 * (0), timeout_ms passes (0; timeout_ms < 0 waits without limit), or a
 * failure (-1 with err: a refused subscription, or on_message said -1).
 */
int bess_mqtt_wait(struct bess_mqtt *m, long long timeout_ms, struct bess_err *err);

/*
 * Leave cleanly: publish "offline" to the availability topic and
 * disconnect, dropping a session kept only across reconnects. 0, or -1
 * with err if the broker could not be told.
 */
int bess_mqtt_stop(struct bess_mqtt *m, struct bess_err *err);

void bess_mqtt_free(struct bess_mqtt *m);

#endif
