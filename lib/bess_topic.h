/* bess_topic.h: MQTT topic filters with named levels ("bess/+site/+device/state") and topic templates ("bess/{site}/{device}/set"). */
#ifndef BESS_TOPIC_H
#define BESS_TOPIC_H

#include <stddef.h>

#include "bess_err.h"
#include "bess_rec.h"

/*
 * A subscription filter whose wildcard levels may carry a field name:
 * "+site" matches one level and names it 'site', "#rest" matches the
 * remaining levels (joined with '/') and names them 'rest'. A plain "+" or
 * "#" matches without naming. A "$share/GROUP/" prefix (MQTT 5 shared
 * subscription, also understood by mosquitto for 3.1.1) is kept in the
 * filter sent to the broker and left out when matching received topics.
 */
struct bess_topic_pat {
	char *filter;		/* what is sent to the broker: "$share/g/bess/+/+/state" */
	char *match;		/* what received topics are matched against: "bess/+/+/state" */
	size_t nlev;		/* levels of match */
	char **lev;		/* each level of match ("bess", "+", "+", "state") */
	char **name;		/* per level: the field name of a named wildcard, else NULL */
	size_t nnamed;		/* how many levels are named */
};

/* Parse s; 0, or -1 with err filled ("'a/#/b': '#' must be the last level"). */
int bess_topic_pat_parse(const char *s, struct bess_topic_pat *p, struct bess_err *err);
void bess_topic_pat_free(struct bess_topic_pat *p);

/*
 * Does topic match p? Follows MQTT: '+' is exactly one level (possibly
 * empty), '#' is the parent level and any below it, and a topic starting
 * with '$' is not matched by a filter starting with a wildcard. Returns 1 or 0.
 * When it matches and cb is not NULL, cb is called for every named level
 * with the name and the level's text (not NUL-terminated).
 */
int bess_topic_pat_match(const struct bess_topic_pat *p, const char *topic,
    void (*cb)(void *ctx, const char *name, const char *val, size_t len), void *ctx);

/* One piece of a template: literal text or a field reference. */
struct bess_tmpl_part {
	char *text;		/* literal text, or the field name */
	int is_field;		/* 1 = "{name}" */
};

/*
 * A topic template: literal text with "{field}" references; "{{" and "}}"
 * stand for literal braces. Literal parts must not contain '+' or '#'.
 */
struct bess_topic_tmpl {
	size_t n;			/* parts */
	struct bess_tmpl_part *part;	/* in order */
	char *buf;			/* the last expansion (NUL-terminated) */
	size_t cap;			/* bytes allocated for buf */
};

int bess_topic_tmpl_parse(const char *s, struct bess_topic_tmpl *t, struct bess_err *err);
void bess_topic_tmpl_free(struct bess_topic_tmpl *t);

/*
 * Expand t with the fields of rec (named by schema s). Returns the topic
 * (valid until the next call), or NULL with err filled (no file or line) when a field is
 * missing or its value holds '/', '+', '#' or a NUL (which would change
 * the topic's levels or make it a filter), or when out of memory.
 */
const char *bess_topic_tmpl_expand(struct bess_topic_tmpl *t, const struct bess_schema *s,
    const struct bess_rec *rec, struct bess_err *err);

#endif
