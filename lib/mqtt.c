/* mqtt.c: a reliable MQTT connection over libmosquitto — start-up checks, a network loop in the caller's thread that reconnects with backoff, bounded QoS 1/2 publishing fed by a producer thread, subscriptions. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <mosquitto.h>
#include <mqtt_protocol.h>

#include "bess_mqtt.h"

#define NMID		65536		/* message ids are 16 bits */
#define CONNACK_MS	30000		/* how long start waits for CONNACK and SUBACK */
#define LEAVE_MS	5000		/* how long stop waits for "offline" and DISCONNECT */
#define KEPT_EXPIRY_S	3600		/* MQTT 5 expiry of a session kept only across reconnects */
#define TICK_MS		100		/* longest sleep between looks at *stop and timers */
#define STABLE_MS	10000		/* a connection up this long resets the reconnect backoff */

/*
 * libmosquitto is used without its threads: every call and callback is in
 * the caller's thread, which polls the socket itself (mosquitto_loop_read,
 * _write, _misc). That avoids the library's cross-thread wake-ups and lock
 * traffic, which cost more than the messages. Only the source of
 * bess_mqtt_publish_all runs in a thread of its own, handing messages over
 * through a bounded queue.
 */
struct bess_mqtt {
	struct bess_mqtt_opts o;	/* options (strings owned by the caller) */
	char *client_id;		/* the client id in use (owned) */
	char *where;			/* "host:port" for messages */
	struct mosquitto *mosq;		/* the client */
	mosquitto_property *conn_props;	/* MQTT 5 CONNECT properties */
	mosquitto_property *exp_props;	/* MQTT 5 PUBLISH properties with a message expiry */

	int started;			/* bess_mqtt_start succeeded: losses are mended here */
	int connected;			/* the broker accepted the current connection */
	int ever_connected;		/* it did once */
	int got_connack;		/* a CONNACK arrived since the last connect */
	int connack_rc;			/* its reason code when it refused */
	int lost;			/* the connection was lost and is not back */
	int stopping;			/* bess_mqtt_stop runs: do not reconnect */
	long long delay_ms;		/* the next reconnect delay */
	long long up_since;		/* when the current connection was accepted (monotonic ms) */
	int down;			/* the loss of the socket has been planned for (mark_lost) */
	long long next_try;		/* when to try reconnecting (monotonic ms) */
	int window;			/* QoS > 0 messages unacknowledged at most (MQTT 5: also the broker's receive maximum) */
	int sub_mid;			/* the SUBACK awaited, 0 = none */
	int subscribed;			/* a SUBACK arrived once */
	int fatal;			/* a failure that ends the run */
	struct bess_err ferr;		/* ... and its message */
	int done;			/* on_message asked to stop */
	int cut;			/* the connection was cut so that a message not written goes unacknowledged */
	long unacked;			/* QoS > 0 messages published, not yet acknowledged */
	unsigned long long acked;	/* acknowledged so far */
	char **mid_topic;		/* [NMID] topic of each unacknowledged message we published */
	int off_mid;			/* the "offline" message, 0 = none */
	int off_acked;			/* ... was acknowledged */
	char last_log[256];		/* the last error libmosquitto logged (TLS details) */
	int source_busy;		/* publish_all gave up on a source still blocked (reading) */
};

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
stop_asked(const struct bess_mqtt *m)
{
	return m->o.stop != NULL && *m->o.stop != 0;
}

static void event(struct bess_mqtt *m, enum bess_mqtt_event ev, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
event(struct bess_mqtt *m, enum bess_mqtt_event ev, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (m->o.on_event == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	m->o.on_event(m->o.ctx, ev, msg);
}

/* The first failure wins. */
static void set_fatal(struct bess_mqtt *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
set_fatal(struct bess_mqtt *m, const char *fmt, ...)
{
	va_list ap;

	if (m->fatal)
		return;
	m->fatal = 1;
	va_start(ap, fmt);
	vsnprintf(m->ferr.msg, sizeof(m->ferr.msg), fmt, ap);
	va_end(ap);
	m->ferr.file[0] = '\0';
	m->ferr.line = 0;
}

/* Why a CONNACK, SUBACK or PUBACK said no, in words. */
static const char *
reason(const struct bess_mqtt *m, int rc, int connack)
{
	if (m->o.protocol == 5)
		return mosquitto_reason_string(rc);
	if (connack)
		return mosquitto_connack_string(rc);
	return "refused (MQTT 3.1.1 gives no reason; the broker's log has it)";
}

/* The last TLS error libmosquitto logged, in words, with a hint; NULL if none. */
static const char *
tls_why(const struct bess_mqtt *m, char *buf, size_t len)
{
	/* "OpenSSL Error[0]: error:0A000086:SSL routines::certificate verify failed" */
	const char *ssl = strstr(m->last_log, "::"), *hint = "";

	if (ssl == NULL)
		return NULL;
	ssl += 2;
	if (strstr(ssl, "verify failed"))
		hint = " (is the broker's certificate signed by --cafile, for this host name?)";
	else if (strstr(ssl, "certificate required"))
		hint = " (the broker wants a client certificate: --cert and --key)";
	snprintf(buf, len, "TLS: %s%s", ssl, hint);
	return buf;
}

#define TLS_HINT " (over TLS: does the broker want a client certificate, --cert and --key?)"

/* Why a libmosquitto call failed, in words (errno is read for MOSQ_ERR_ERRNO). */
static const char *
mosq_why(struct bess_mqtt *m, int rc, char *buf, size_t len)
{
	int e = errno, tls = m->o.cafile || m->o.capath;

	if (tls && (rc == MOSQ_ERR_TLS || rc == MOSQ_ERR_PROTOCOL || rc == MOSQ_ERR_CONN_LOST ||
	    rc == MOSQ_ERR_ERRNO) && tls_why(m, buf, len) != NULL)
		return buf;
	if (rc == MOSQ_ERR_ERRNO)
		snprintf(buf, len, "%s%s", strerror(e), tls && (e == EPROTO || e == ECONNRESET ||
		    e == EPIPE) ? TLS_HINT : "");
	else if (rc == MOSQ_ERR_TLS)
		snprintf(buf, len, "TLS handshake failed");
	else if (rc == MOSQ_ERR_EAI)
		snprintf(buf, len, "unknown host");
	else
		snprintf(buf, len, "%s%s", mosquitto_strerror(rc), tls && (rc == MOSQ_ERR_PROTOCOL ||
		    rc == MOSQ_ERR_CONN_LOST) ? TLS_HINT : "");
	return buf;
}

/* ---- libmosquitto callbacks (all in the caller's thread) ---- */

static void
on_log(struct mosquitto *mosq, void *obj, int level, const char *str)
{
	struct bess_mqtt *m = obj;

	(void)mosq;
	if (level & MOSQ_LOG_ERR)
		snprintf(m->last_log, sizeof(m->last_log), "%s", str);
}

static void
on_connect(struct mosquitto *mosq, void *obj, int rc, int flags, const mosquitto_property *props)
{
	struct bess_mqtt *m = obj;
	uint16_t recv_max = 65535;
	int mid = 0, src;
	char why[512];

	m->got_connack = 1;
	if (rc != 0) {
		m->connack_rc = rc;
		m->connected = 0;
		if (m->started)
			event(m, BESS_MQTT_EV_WARN, "%s refused the connection: %s", m->where,
			    reason(m, rc, 1));
		return;
	}
	m->connected = 1;
	m->ever_connected = 1;
	m->up_since = now_ms();
	/* MQTT 5: the broker says how many unacknowledged messages it takes; more only queue here */
	if (m->o.protocol == 5 &&
	    mosquitto_property_read_int16(props, MQTT_PROP_RECEIVE_MAXIMUM, &recv_max, false) == NULL)
		recv_max = 65535;
	m->window = m->o.max_inflight < recv_max ? m->o.max_inflight : recv_max;
	if (m->lost)
		event(m, BESS_MQTT_EV_WARN, "connected to %s again%s", m->where,
		    (flags & 1) ? " (session resumed)" : "");
	else
		event(m, BESS_MQTT_EV_INFO, "connected to %s as '%s'%s; up to %d unacknowledged",
		    m->where, m->client_id, (flags & 1) ? " (session resumed)" : "", m->window);
	m->lost = 0;
	if (m->o.availability)
		mosquitto_publish_v5(mosq, NULL, m->o.availability, 6, "online", 1, true, NULL);
	/* a resumed session still holds the subscriptions; subscribing again would resend retained messages */
	if (m->o.nfilters > 0 && (!m->subscribed || !(flags & 1))) {
		src = mosquitto_subscribe_multiple(mosq, &mid, m->o.nfilters, m->o.filters,
		    m->o.sub_qos, 0, NULL);
		if (src != MOSQ_ERR_SUCCESS)
			set_fatal(m, "cannot subscribe: %s", mosq_why(m, src, why, sizeof(why)));
		else
			m->sub_mid = mid;
	}
}

static void
on_disconnect(struct mosquitto *mosq, void *obj, int rc, const mosquitto_property *props)
{
	struct bess_mqtt *m = obj;
	char why[512];

	(void)mosq;
	(void)props;
	if (m->connected && !m->stopping && m->started && !m->cut) {
		m->lost = 1;
		event(m, BESS_MQTT_EV_WARN, "lost the connection to %s (%s); reconnecting",
		    m->where, rc ? mosq_why(m, rc, why, sizeof(why)) : "closed");
	}
	m->connected = 0;
}

static void
on_publish(struct mosquitto *mosq, void *obj, int mid, int rc, const mosquitto_property *props)
{
	struct bess_mqtt *m = obj;
	char *topic;

	(void)mosq;
	(void)props;
	if (mid == m->off_mid && m->off_mid != 0)
		m->off_acked = 1;
	if (mid < 0 || mid >= NMID || (topic = m->mid_topic[mid]) == NULL)
		return;		/* QoS 0, or a message of our own ("online") */
	if (rc >= 0x80)
		set_fatal(m, "the broker refused the message to '%s': %s", topic, reason(m, rc, 0));
	free(topic);
	m->mid_topic[mid] = NULL;
	m->unacked--;
	m->acked++;
}

static void
on_subscribe(struct mosquitto *mosq, void *obj, int mid, int n, const int *granted,
    const mosquitto_property *props)
{
	struct bess_mqtt *m = obj;
	int i;

	(void)mosq;
	(void)props;
	if (mid != m->sub_mid)
		return;
	for (i = 0; i < n && i < m->o.nfilters; i++) {
		if (granted[i] >= 0x80)
			set_fatal(m, "the broker refused the subscription to '%s': %s",
			    m->o.filters[i], reason(m, granted[i], 0));
		else if (granted[i] < m->o.sub_qos)
			event(m, BESS_MQTT_EV_WARN, "subscribed to '%s' with QoS %d (asked for %d)",
			    m->o.filters[i], granted[i], m->o.sub_qos);
		else
			event(m, BESS_MQTT_EV_INFO, "subscribed to '%s' (QoS %d)", m->o.filters[i],
			    granted[i]);
	}
	m->sub_mid = 0;
	m->subscribed = 1;
}

/*
 * A QoS 1/2 message of a persistent session that was not written (stdout
 * closed, -C reached, a failure): its acknowledgement must never reach the
 * broker, which then keeps it for the session's next connection. The
 * acknowledgement is only queued yet (the client runs in threaded mode,
 * see bess_mqtt_new), so cutting the socket here drops it, as a crash would.
 */
static void
not_taken(struct bess_mqtt *m, int qos)
{
	int fd;

	if (qos == 0 || !m->o.persistent || m->cut)
		return;
	if ((fd = mosquitto_socket(m->mosq)) >= 0)
		shutdown(fd, SHUT_RDWR);
	m->cut = 1;
}

static void
on_message(struct mosquitto *mosq, void *obj, const struct mosquitto_message *msg,
    const mosquitto_property *props)
{
	struct bess_mqtt *m = obj;
	int rc;

	(void)mosq;
	(void)props;
	if (m->done || m->fatal || m->o.on_message == NULL) {
		not_taken(m, msg->qos);	/* came in the same read as the last one taken */
		return;
	}
	rc = m->o.on_message(m->o.ctx, msg->topic, msg->payload, (size_t)msg->payloadlen,
	    msg->retain);
	if (rc == 1)
		m->done = 1;
	else if (rc == 2) {
		m->done = 1;
		not_taken(m, msg->qos);
	} else if (rc < 0) {
		set_fatal(m, "%s", "");	/* the callback has reported it */
		not_taken(m, msg->qos);
	}
}

/* ---- set-up ---- */

/* Apply credentials, TLS and protocol to a client; 0 or -1 with err. */
static int
configure(struct bess_mqtt *m, struct mosquitto *mq, struct bess_err *err)
{
	char why[512];
	int rc;

	mosquitto_int_option(mq, MOSQ_OPT_PROTOCOL_VERSION,
	    m->o.protocol == 5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311);
	if (m->o.username && (rc = mosquitto_username_pw_set(mq, m->o.username, m->o.password)) != 0)
		return bess_err_set(err, NULL, 0, "user name: %s", mosq_why(m, rc, why, sizeof(why)));
	if (m->o.cafile || m->o.capath) {
		rc = mosquitto_tls_set(mq, m->o.cafile, m->o.capath, m->o.certfile, m->o.keyfile, NULL);
		if (rc != 0)
			return bess_err_set(err, NULL, 0, "TLS set-up (--cafile, --capath, --cert, "
			    "--key): %s", mosq_why(m, rc, why, sizeof(why)));
		if (m->o.insecure)
			mosquitto_tls_insecure_set(mq, true);
	}
	return 0;
}

struct bess_mqtt *
bess_mqtt_new(const struct bess_mqtt_opts *o, struct bess_err *err)
{
	struct bess_mqtt *m;
	char host[64], why[512];
	int rc, clean;

	if (o->persistent && o->client_id == NULL) {
		bess_err_set(err, NULL, 0, "a persistent session needs a client id (-i)");
		return NULL;
	}
	if ((o->certfile != NULL) != (o->keyfile != NULL) ||
	    (o->certfile && !o->cafile && !o->capath)) {
		bess_err_set(err, NULL, 0, "a client certificate needs --cert, --key and --cafile "
		    "(or --capath) together");
		return NULL;
	}
	if (o->insecure && !o->cafile && !o->capath) {
		/* without a CA there is no TLS at all: "insecure" would go out in plain text */
		bess_err_set(err, NULL, 0, "--insecure relaxes TLS, which --cafile or --capath "
		    "turns on; without one the connection is plain text");
		return NULL;
	}
	if (o->max_inflight < 1 || o->max_inflight > 65000) {
		bess_err_set(err, NULL, 0, "at most 1 to 65000 messages can be in flight");
		return NULL;
	}
	if ((m = calloc(1, sizeof(*m))) == NULL) {
		bess_err_set(err, NULL, 0, "out of memory");
		return NULL;
	}
	m->o = *o;
	if (m->o.backoff_min_ms <= 0)
		m->o.backoff_min_ms = 100;
	if (m->o.backoff_max_ms < m->o.backoff_min_ms)
		m->o.backoff_max_ms = m->o.backoff_min_ms;
	m->delay_ms = m->o.backoff_min_ms;
	m->window = o->max_inflight;
	mosquitto_lib_init();

	if (o->client_id)
		m->client_id = strdup(o->client_id);
	else {
		char id[96];

		if (gethostname(host, sizeof(host)) != 0)
			snprintf(host, sizeof(host), "host");
		host[sizeof(host) - 1] = '\0';
		snprintf(id, sizeof(id), "bess-%ld-%s", (long)getpid(), host);
		id[23] = '\0';	/* MQTT 3.1.1 brokers need only accept 23 bytes */
		m->client_id = strdup(id);
	}
	if ((m->where = malloc(strlen(o->host) + 16)) != NULL)
		sprintf(m->where, "%s:%d", o->host, o->port);
	m->mid_topic = calloc(NMID, sizeof(*m->mid_topic));
	if (m->client_id == NULL || m->where == NULL || m->mid_topic == NULL)
		goto oom;

	clean = !(o->persistent || o->keep_session);
	if ((m->mosq = mosquitto_new(m->client_id, clean, m)) == NULL) {
		bess_err_set(err, NULL, 0, "cannot create the MQTT client: %s", strerror(errno));
		goto fail;
	}
	if (configure(m, m->mosq, err) != 0)
		goto fail;
	/*
	 * A persistent subscriber acknowledges a message only once it is
	 * written: libmosquitto 2.0 queues the PUBACK before the message
	 * callback runs, and without threads writes it at once. In "threaded"
	 * mode it leaves it queued for the next loop_write, which never comes
	 * for a message the callback could not write (see not_taken).
	 */
	if (o->persistent && o->nfilters > 0 && o->sub_qos > 0)
		mosquitto_threaded_set(m->mosq, true);
	mosquitto_int_option(m->mosq, MOSQ_OPT_SEND_MAXIMUM, o->max_inflight);
	if (o->protocol == 5) {
		/*
		 * The broker's own limit paces what it sends. mosquitto 2.0.11, after
		 * a restart, can exceed a client's receive maximum; libmosquitto
		 * then drops the connection, again on every reconnect. Offer the most.
		 */
		mosquitto_int_option(m->mosq, MOSQ_OPT_RECEIVE_MAXIMUM, 65535);
		if (!clean) {
			long long x = o->session_expiry_s >= 0 ? o->session_expiry_s :
			    o->persistent ? (long long)UINT32_MAX : KEPT_EXPIRY_S;

			if (x > (long long)UINT32_MAX)
				x = UINT32_MAX;
			if (mosquitto_property_add_int32(&m->conn_props,
			    MQTT_PROP_SESSION_EXPIRY_INTERVAL, (uint32_t)x) != 0)
				goto oom;
		}
	}
	if (o->availability) {
		rc = mosquitto_will_set_v5(m->mosq, o->availability, 7, "offline", 1, true, NULL);
	} else if (o->will_topic) {
		const char *p = o->will_payload ? o->will_payload : "";

		rc = mosquitto_will_set_v5(m->mosq, o->will_topic, (int)strlen(p), p,
		    o->will_qos, o->will_retain != 0, NULL);
	} else
		rc = 0;
	if (rc != 0) {
		bess_err_set(err, NULL, 0, "last will: %s", mosq_why(m, rc, why, sizeof(why)));
		goto fail;
	}
	mosquitto_log_callback_set(m->mosq, on_log);
	mosquitto_connect_v5_callback_set(m->mosq, on_connect);
	mosquitto_disconnect_v5_callback_set(m->mosq, on_disconnect);
	mosquitto_publish_v5_callback_set(m->mosq, on_publish);
	mosquitto_subscribe_v5_callback_set(m->mosq, on_subscribe);
	mosquitto_message_v5_callback_set(m->mosq, on_message);
	return m;
oom:
	bess_err_set(err, NULL, 0, "out of memory");
fail:
	bess_mqtt_free(m);
	return NULL;
}

void
bess_mqtt_free(struct bess_mqtt *m)
{
	size_t i;

	if (m == NULL)
		return;
	if (m->mosq)
		mosquitto_destroy(m->mosq);
	mosquitto_property_free_all(&m->conn_props);
	mosquitto_property_free_all(&m->exp_props);
	for (i = 0; m->mid_topic && i < NMID; i++)
		free(m->mid_topic[i]);
	free(m->mid_topic);
	free(m->client_id);
	free(m->where);
	mosquitto_lib_cleanup();
	free(m);
}

/* ---- the network loop ---- */

/* Double the reconnect delay, up to the longest. */
static void
backoff(struct bess_mqtt *m)
{
	m->delay_ms = m->delay_ms * 2 < m->o.backoff_max_ms ? m->delay_ms * 2 : m->o.backoff_max_ms;
}

/* The connection is gone (libmosquitto has closed the socket): plan the next try. */
static void
mark_lost(struct bess_mqtt *m, int rc)
{
	char why[512];

	if (m->down)
		return;		/* already planned (several calls may see one loss) */
	m->down = 1;
	if (m->connected && !m->lost && !m->stopping && !m->cut) {
		m->lost = 1;
		event(m, BESS_MQTT_EV_WARN, "lost the connection to %s (%s); reconnecting",
		    m->where, mosq_why(m, rc, why, sizeof(why)));
	}
	m->connected = 0;
	/* a connection that lasted starts the backoff afresh; one that fails at once does not */
	if (m->up_since > 0 && now_ms() - m->up_since >= STABLE_MS)
		m->delay_ms = m->o.backoff_min_ms;
	m->up_since = 0;
	m->next_try = now_ms() + m->delay_ms;
	backoff(m);
}

/*
 * One turn of the loop: wait up to timeout_ms for the socket (or for
 * wake_fd, drained here, when >= 0), then read, write and keep alive;
 * when disconnected, reconnect once the backoff delay has passed.
 */
static void
pump(struct bess_mqtt *m, int timeout_ms, int wake_fd)
{
	struct pollfd pf[2];
	int sock = mosquitto_socket(m->mosq), n = 0, rc;
	char why[512], junk[64];

	if (sock < 0 && m->started && !m->stopping) {
		long long now = now_ms();

		if (now >= m->next_try) {
			errno = 0;
			rc = mosquitto_reconnect(m->mosq);
			if (rc != MOSQ_ERR_SUCCESS) {
				event(m, BESS_MQTT_EV_INFO, "cannot reconnect to %s: %s; next try in "
				    "%.1f s", m->where, mosq_why(m, rc, why, sizeof(why)),
				    (double)m->delay_ms / 1000);
				m->next_try = now + m->delay_ms;
				backoff(m);
			} else
				m->down = 0;	/* a socket again: its loss is a new one */
			return;
		}
		if (timeout_ms > m->next_try - now)
			timeout_ms = (int)(m->next_try - now);
	}
	if (sock >= 0) {
		pf[n].fd = sock;
		pf[n].events = POLLIN | (mosquitto_want_write(m->mosq) ? POLLOUT : 0);
		pf[n++].revents = 0;
	}
	if (wake_fd >= 0) {
		pf[n].fd = wake_fd;
		pf[n].events = POLLIN;
		pf[n++].revents = 0;
	}
	if (poll(pf, (nfds_t)n, timeout_ms) < 0)
		return;		/* a signal: the caller looks at *stop */
	if (wake_fd >= 0 && (pf[n - 1].revents & POLLIN))
		while (read(wake_fd, junk, sizeof(junk)) == (ssize_t)sizeof(junk))
			;
	if (sock < 0)
		return;
	if (pf[0].revents & (POLLIN | POLLHUP | POLLERR)) {
		errno = 0;
		if ((rc = mosquitto_loop_read(m->mosq, 1)) != MOSQ_ERR_SUCCESS) {
			mark_lost(m, rc);
			return;
		}
	}
	if (mosquitto_socket(m->mosq) < 0) {
		mark_lost(m, MOSQ_ERR_CONN_LOST);
		return;
	}
	if (mosquitto_want_write(m->mosq)) {
		errno = 0;
		if ((rc = mosquitto_loop_write(m->mosq, 1)) != MOSQ_ERR_SUCCESS) {
			mark_lost(m, rc);
			return;
		}
	}
	if (mosquitto_socket(m->mosq) >= 0 && (rc = mosquitto_loop_misc(m->mosq)) != MOSQ_ERR_SUCCESS)
		mark_lost(m, rc);
}

/*
 * One attempt: connect and run the loop until the broker has answered
 * CONNACK (and SUBACK). 0 on success, -1 on a failure that retrying
 * cannot mend, -2 on one it may (nobody listening yet).
 */
static int
connect_once(struct bess_mqtt *m, struct bess_err *err)
{
	char why[512];
	long long deadline;
	int rc;

	m->got_connack = 0;
	m->connack_rc = 0;
	m->last_log[0] = '\0';
	event(m, BESS_MQTT_EV_INFO, "connecting to %s (MQTT %s)", m->where,
	    m->o.protocol == 5 ? "5" : "3.1.1");
	errno = 0;
	rc = mosquitto_connect_bind_v5(m->mosq, m->o.host, m->o.port, m->o.keepalive_s, NULL,
	    m->conn_props);
	if (rc != MOSQ_ERR_SUCCESS) {
		bess_err_set(err, NULL, 0, "cannot connect to %s: %s", m->where,
		    mosq_why(m, rc, why, sizeof(why)));
		return rc == MOSQ_ERR_ERRNO || rc == MOSQ_ERR_EAI || rc == MOSQ_ERR_NO_CONN ||
		    rc == MOSQ_ERR_CONN_LOST ? -2 : -1;
	}
	m->down = 0;
	deadline = now_ms() + CONNACK_MS;
	for (;;) {
		if (m->fatal) {
			*err = m->ferr;
			return -1;
		}
		if (m->got_connack && m->connack_rc != 0)
			return bess_err_set(err, NULL, 0, "%s refused the connection: %s", m->where,
			    reason(m, m->connack_rc, 1));
		if (m->connected && (m->o.nfilters == 0 || m->subscribed))
			return 0;
		if (stop_asked(m))
			return bess_err_set(err, NULL, 0, "interrupted while connecting to %s",
			    m->where);
		if (now_ms() > deadline) {
			bess_err_set(err, NULL, 0, "%s did not answer within %d s", m->where,
			    CONNACK_MS / 1000);
			return -2;
		}
		if (mosquitto_socket(m->mosq) < 0) {
			if (m->got_connack && m->connack_rc != 0)
				continue;	/* reported above */
			if (tls_why(m, why, sizeof(why)) != NULL) {
				bess_err_set(err, NULL, 0, "cannot connect to %s: %s", m->where, why);
				return -1;
			}
			bess_err_set(err, NULL, 0, "%s closed the connection before answering%s",
			    m->where, m->o.cafile || m->o.capath ? TLS_HINT : "");
			return -2;
		}
		pump(m, TICK_MS, -1);
	}
}

int
bess_mqtt_start(struct bess_mqtt *m, struct bess_err *err)
{
	long long delay = m->o.backoff_min_ms, until;
	int rc;

	for (;;) {
		rc = connect_once(m, err);
		if (rc == 0)
			break;
		if (rc == -1 || !m->o.wait)
			return -1;
		event(m, BESS_MQTT_EV_INFO, "%s; next try in %.1f s", err->msg, (double)delay / 1000);
		until = now_ms() + delay;
		while (now_ms() < until) {
			if (stop_asked(m))
				return bess_err_set(err, NULL, 0, "interrupted while waiting for %s",
				    m->where);
			poll(NULL, 0, 50);
		}
		delay = delay * 2 < m->o.backoff_max_ms ? delay * 2 : m->o.backoff_max_ms;
	}
	m->started = 1;
	return 0;
}

/* ---- publishing ---- */

/* A message waiting in the queue: topic, NUL, payload. */
struct slot {
	char *buf;		/* topic and payload */
	size_t cap;		/* bytes allocated */
	size_t tlen;		/* topic length */
	size_t plen;		/* payload length */
};

/* What the source thread hands to the caller's thread. */
struct queue {
	pthread_mutex_t mu;		/* guards everything here */
	pthread_cond_t not_full;	/* the source waits on it when the queue is full */
	struct slot *s;			/* ring of n slots */
	size_t n, head, count;		/* capacity, first queued, how many queued */
	int done;			/* the source ended: 1 at end of input, -1 on failure */
	struct bess_err err;		/* the source's failure */
	int sleeping;			/* the caller's thread waits in poll for the queue to fill */
	int full_wait;			/* the source waits for the queue to drain to half */
	int abort;			/* the caller gave up: the source must stop */
	int exited;			/* the source thread has returned */
	int wake[2];			/* pipe: the source wakes the sleeping caller */
	bess_mqtt_source src;		/* the source */
	void *ctx;			/* its argument */
};

static void
wake_caller(struct queue *q)
{
	if (q->sleeping) {
		q->sleeping = 0;
		if (write(q->wake[1], "", 1) < 0) {
			/* a full pipe already wakes it */
		}
	}
}

static void *
source_main(void *arg)
{
	struct queue *q = arg;
	struct bess_mqtt_msg msg;
	struct bess_err err;
	int rc;

	for (;;) {
		pthread_mutex_lock(&q->mu);
		rc = q->abort;
		pthread_mutex_unlock(&q->mu);
		rc = rc ? 0 : q->src(q->ctx, &msg, &err);
		pthread_mutex_lock(&q->mu);
		if (rc <= 0 || q->abort) {
			q->done = rc < 0 ? -1 : 1;
			if (rc < 0)
				q->err = err;
			q->exited = 1;
			wake_caller(q);
			pthread_mutex_unlock(&q->mu);
			return NULL;
		}
		if (q->count == q->n) {
			/* wait until half is free, not one slot: fewer wake-ups both ways */
			q->full_wait = 1;
			while (q->count > q->n / 2 && !q->abort)
				pthread_cond_wait(&q->not_full, &q->mu);
			q->full_wait = 0;
		}
		if (q->abort) {
			q->exited = 1;
			pthread_mutex_unlock(&q->mu);
			return NULL;
		}
		{
			struct slot *sl = &q->s[(q->head + q->count) % q->n];
			size_t tl = strlen(msg.topic), need = tl + 1 + msg.len + 1;

			if (need > sl->cap) {
				char *b = realloc(sl->buf, need);

				if (b == NULL) {
					q->done = -1;
					q->exited = 1;
					bess_err_set(&q->err, NULL, 0, "out of memory");
					wake_caller(q);
					pthread_mutex_unlock(&q->mu);
					return NULL;
				}
				sl->buf = b;
				sl->cap = need;
			}
			memcpy(sl->buf, msg.topic, tl + 1);
			if (msg.len)
				memcpy(sl->buf + tl + 1, msg.payload, msg.len);
			sl->tlen = tl;
			sl->plen = msg.len;
		}
		q->count++;
		wake_caller(q);
		pthread_mutex_unlock(&q->mu);
	}
}

/* Publish one queued message. 0, or -1 with m->fatal set. */
static int
publish_one(struct bess_mqtt *m, const struct slot *sl, const struct bess_mqtt_pub *p)
{
	const char *topic = sl->buf, *payload = sl->buf + sl->tlen + 1;
	char why[512];
	int rc, mid = 0;

	errno = 0;
	rc = mosquitto_publish_v5(m->mosq, &mid, topic, (int)sl->plen, payload, p->qos,
	    p->retain != 0, m->exp_props);
	if (p->qos > 0 && (rc == MOSQ_ERR_SUCCESS || rc == MOSQ_ERR_NO_CONN ||
	    rc == MOSQ_ERR_CONN_LOST || rc == MOSQ_ERR_ERRNO)) {
		/* queued by libmosquitto: sent now, or again after a reconnect */
		if (mid >= 0 && mid < NMID) {
			free(m->mid_topic[mid]);
			if ((m->mid_topic[mid] = strdup(topic)) == NULL) {
				set_fatal(m, "out of memory");
				return -1;
			}
		}
		m->unacked++;
		if (rc != MOSQ_ERR_SUCCESS && mosquitto_socket(m->mosq) < 0)
			mark_lost(m, rc);
		return 0;
	}
	if (rc == MOSQ_ERR_SUCCESS)
		return 0;
	if (p->qos == 0 && (rc == MOSQ_ERR_NO_CONN || rc == MOSQ_ERR_CONN_LOST ||
	    rc == MOSQ_ERR_ERRNO)) {
		event(m, BESS_MQTT_EV_WARN, "a QoS 0 message to '%s' was lost with the connection",
		    topic);
		mark_lost(m, rc);
		return 0;
	}
	set_fatal(m, "cannot publish to '%s': %s", topic, mosq_why(m, rc, why, sizeof(why)));
	return -1;
}

int
bess_mqtt_publish_all(struct bess_mqtt *m, bess_mqtt_source src, void *ctx,
    const struct bess_mqtt_pub *p, struct bess_err *err)
{
	struct queue *q;
	pthread_t thr;
	sigset_t all, old;
	int rc = -1, running, i, fl;

	if ((q = calloc(1, sizeof(*q))) == NULL)
		return bess_err_set(err, NULL, 0, "out of memory");
	q->src = src;
	q->ctx = ctx;
	q->n = (size_t)m->o.max_inflight;
	if ((q->s = calloc(q->n, sizeof(*q->s))) == NULL || pipe(q->wake) != 0) {
		free(q->s);
		free(q);
		return bess_err_set(err, NULL, 0, "out of memory");
	}
	for (i = 0; i < 2; i++) {
		fl = fcntl(q->wake[i], F_GETFL);
		fcntl(q->wake[i], F_SETFL, fl | O_NONBLOCK);
		fcntl(q->wake[i], F_SETFD, FD_CLOEXEC);
	}
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->not_full, NULL);
	mosquitto_property_free_all(&m->exp_props);
	if (p->expiry_s > 0 && m->o.protocol == 5 && mosquitto_property_add_int32(&m->exp_props,
	    MQTT_PROP_MESSAGE_EXPIRY_INTERVAL,
	    (uint32_t)(p->expiry_s > (long long)UINT32_MAX ? UINT32_MAX : p->expiry_s)) != 0) {
		bess_err_set(err, NULL, 0, "out of memory");
		goto out;
	}
	/* the source thread keeps the caller's signal mask and takes the signals while it runs */
	if ((i = pthread_create(&thr, NULL, source_main, q)) != 0) {
		bess_err_set(err, NULL, 0, "cannot start a thread: %s", strerror(i));
		goto out;
	}
	running = 1;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);

	for (;;) {
		int may_sleep, done;
		size_t avail, k;

		if (m->fatal || stop_asked(m))
			break;
		/*
		 * Take what is queued in one go: the slots from head to
		 * head + count are ours until popped, the source writes only past them.
		 */
		pthread_mutex_lock(&q->mu);
		avail = q->count;
		pthread_mutex_unlock(&q->mu);
		for (k = 0; k < avail && !m->fatal &&
		    (p->qos == 0 ? m->connected : m->unacked < m->window); k++)
			publish_one(m, &q->s[(q->head + k) % q->n], p);
		pthread_mutex_lock(&q->mu);
		q->head = (q->head + k) % q->n;
		q->count -= k;
		if (q->full_wait && q->count <= q->n / 2)
			pthread_cond_signal(&q->not_full);
		done = q->done;
		may_sleep = !(q->count > 0 && (p->qos == 0 ? m->connected : m->unacked < m->window));
		/* a new message wakes us only if we wait for one, not for acknowledgements */
		q->sleeping = may_sleep && q->count == 0;
		pthread_mutex_unlock(&q->mu);
		if (done && running) {
			pthread_join(thr, NULL);
			running = 0;
			pthread_sigmask(SIG_SETMASK, &old, NULL);	/* signals come here now */
		}
		if (done && q->count == 0 && m->unacked == 0 && !m->fatal) {
			if (done < 0) {
				*err = q->err;
				rc = -1;
			} else
				rc = 0;
			goto out;
		}
		pump(m, may_sleep ? TICK_MS : 0, q->wake[0]);
	}
	/* a failure, or told to stop */
	if (m->fatal)
		*err = m->ferr;
	else
		bess_err_set(err, NULL, 0, "interrupted with %ld message%s not acknowledged",
		    m->unacked + (long)q->count, m->unacked + (long)q->count == 1 ? "" : "s");
	if (running) {
		long long until = now_ms() + 200;
		int gone;

		pthread_mutex_lock(&q->mu);
		q->abort = 1;
		pthread_cond_signal(&q->not_full);
		pthread_mutex_unlock(&q->mu);
		/* it may be blocked reading: give it a moment, else leave it to the exit */
		do {
			pthread_mutex_lock(&q->mu);
			gone = q->exited;
			pthread_mutex_unlock(&q->mu);
		} while (!gone && now_ms() < until && poll(NULL, 0, 10) == 0);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (!gone) {
			pthread_detach(thr);
			m->source_busy = 1;
			return -1;	/* q stays: the thread still uses it */
		}
		pthread_join(thr, NULL);
	}
	rc = -1;
out:
	for (i = 0; (size_t)i < q->n; i++)
		free(q->s[i].buf);
	free(q->s);
	close(q->wake[0]);
	close(q->wake[1]);
	pthread_cond_destroy(&q->not_full);
	pthread_mutex_destroy(&q->mu);
	free(q);
	return rc;
}

unsigned long long
bess_mqtt_acked(const struct bess_mqtt *m)
{
	return m->acked;
}

int
bess_mqtt_source_busy(const struct bess_mqtt *m)
{
	return m->source_busy;
}

/* ---- subscribing ---- */

int
bess_mqtt_wait(struct bess_mqtt *m, long long timeout_ms, struct bess_err *err)
{
	long long until = timeout_ms >= 0 ? now_ms() + timeout_ms : -1, left;

	while (!m->done && !m->fatal && !stop_asked(m)) {
		left = until < 0 ? TICK_MS : until - now_ms();
		if (left <= 0)
			break;
		pump(m, (int)(left < TICK_MS ? left : TICK_MS), -1);
	}
	if (m->fatal) {
		*err = m->ferr;
		return -1;
	}
	return 0;
}

/* ---- leaving ---- */

static void
on_drop_connect(struct mosquitto *mosq, void *obj, int rc)
{
	(void)mosq;
	*(int *)obj = rc == 0 ? 1 : -1;
}

/* MQTT 3.1.1 has no session expiry: drop a session by connecting once with a clean session. */
static void
drop_session_311(struct bess_mqtt *m)
{
	int answered = 0;
	struct mosquitto *mq = mosquitto_new(m->client_id, true, &answered);
	struct bess_err err;
	long long until;

	if (mq == NULL)
		return;
	mosquitto_connect_callback_set(mq, on_drop_connect);
	if (configure(m, mq, &err) == 0 &&
	    mosquitto_connect(mq, m->o.host, m->o.port, m->o.keepalive_s) == MOSQ_ERR_SUCCESS) {
		/* the CONNECT with a clean session is what drops it; CONNACK says it is done */
		until = now_ms() + LEAVE_MS;
		while (answered == 0 && now_ms() < until)
			if (mosquitto_loop(mq, 50, 1) != MOSQ_ERR_SUCCESS)
				break;
		if (answered > 0)
			mosquitto_disconnect(mq);
	}
	mosquitto_destroy(mq);
}

int
bess_mqtt_stop(struct bess_mqtt *m, struct bess_err *err)
{
	mosquitto_property *props = NULL;
	long long until;
	int rc = 0, mid = 0, drop;

	if (!m->started)
		return 0;
	if (m->cut) {
		/* no goodbye: a DISCONNECT would follow the acknowledgements still queued */
		m->started = 0;
		return 0;
	}
	drop = m->o.keep_session && !m->o.persistent;
	m->stopping = 1;
	if (m->o.availability && m->connected) {
		if (mosquitto_publish_v5(m->mosq, &mid, m->o.availability, 7, "offline", 1, true,
		    NULL) == MOSQ_ERR_SUCCESS) {
			m->off_mid = mid;
			until = now_ms() + LEAVE_MS;
			while (!m->off_acked && m->connected && now_ms() < until)
				pump(m, TICK_MS, -1);
		}
		if (!m->off_acked) {
			bess_err_set(err, NULL, 0, "could not publish 'offline' to '%s'",
			    m->o.availability);
			rc = -1;
		}
	}
	if (m->connected) {
		if (m->o.protocol == 5 && drop)
			mosquitto_property_add_int32(&props, MQTT_PROP_SESSION_EXPIRY_INTERVAL, 0);
		if (mosquitto_disconnect_v5(m->mosq, 0, props) == MOSQ_ERR_SUCCESS) {
			until = now_ms() + LEAVE_MS;
			while (mosquitto_socket(m->mosq) >= 0 && now_ms() < until)
				pump(m, TICK_MS, -1);
		}
		mosquitto_property_free_all(&props);
	}
	m->started = 0;
	if (drop && m->o.protocol != 5 && m->ever_connected)
		drop_session_311(m);
	return rc;
}
