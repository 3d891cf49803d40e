/* test_topic.c: topic filters with named levels (matching as in MQTT 5.0 section 4.7) and topic templates. */
#include <stdio.h>
#include <string.h>

#include "bess_topic.h"
#include "check.h"

/* Collect named levels as "name=value;" */
static void
collect(void *ctx, const char *name, const char *val, size_t len)
{
	char *out = ctx;

	snprintf(out + strlen(out), 256 - strlen(out), "%s=%.*s;", name, (int)len, val);
}

/* Does filter match topic, and which named levels does it report? */
static void
match(const char *filter, const char *topic, int want, const char *want_levels)
{
	struct bess_topic_pat p;
	struct bess_err err;
	char levels[256] = "", what[300];
	int got;

	if (bess_topic_pat_parse(filter, &p, &err) != 0) {
		check(0, filter);
		return;
	}
	got = bess_topic_pat_match(&p, topic, collect, levels);
	snprintf(what, sizeof(what), "'%s' %s '%s'", filter, want ? "matches" : "does not match", topic);
	check(got == want, what);
	if (want && want_levels) {
		snprintf(what, sizeof(what), "'%s' on '%s' names %s", filter, topic, want_levels);
		same(levels, want_levels, what);
	}
	bess_topic_pat_free(&p);
}

static void
bad_filter(const char *filter, const char *want_why)
{
	struct bess_topic_pat p;
	struct bess_err err = { "", "", 0 };
	char what[300];
	int rc = bess_topic_pat_parse(filter, &p, &err);

	snprintf(what, sizeof(what), "filter '%s' is refused", filter);
	check(rc == -1, what);
	snprintf(what, sizeof(what), "filter '%s': message", filter);
	same(err.msg, want_why, what);
}

static void
expand(const char *tmpl, struct mini *m, const char *want, const char *want_why)
{
	struct bess_topic_tmpl t;
	struct bess_err err = { "", "", 0 };
	char what[300];
	const char *got;

	if (bess_topic_tmpl_parse(tmpl, &t, &err) != 0) {
		check(0, tmpl);
		return;
	}
	got = bess_topic_tmpl_expand(&t, &m->s, &m->r, &err);
	snprintf(what, sizeof(what), "template '%s' gives %s", tmpl, want ? want : want_why);
	if (want)
		same(got, want, what);
	else {
		check(got == NULL, what);
		same(err.msg, want_why, what);
	}
	bess_topic_tmpl_free(&t);
}

static void
bad_tmpl(const char *tmpl, const char *want_why)
{
	struct bess_topic_tmpl t;
	struct bess_err err = { "", "", 0 };
	char what[300];
	int rc = bess_topic_tmpl_parse(tmpl, &t, &err);

	snprintf(what, sizeof(what), "template '%s' is refused", tmpl);
	check(rc == -1, what);
	same(err.msg, want_why, what);
}

int
main(void)
{
	struct bess_topic_pat p;
	struct bess_err err;
	static const char *const kv[] = { "site", "berlin", "device", "7", "bad", "a/b",
	    "empty", "" };
	struct mini m;

	/* the filter sent to the broker loses the names, keeps a $share prefix */
	bess_topic_pat_parse("bess/+site/+device/state", &p, &err);
	same(p.filter, "bess/+/+/state", "names are dropped from the filter sent");
	same(p.match, "bess/+/+/state", "... and from the one matched");
	bess_topic_pat_free(&p);
	bess_topic_pat_parse("$share/g1/bess/+site/#rest", &p, &err);
	same(p.filter, "$share/g1/bess/+/#", "a shared subscription keeps $share/GROUP/");
	same(p.match, "bess/+/#", "received topics are matched without it");
	bess_topic_pat_free(&p);

	/* MQTT 5.0, 4.7.1.2 and 4.7.1.3: the specification's own examples */
	match("sport/tennis/player1/#", "sport/tennis/player1", 1, NULL);
	match("sport/tennis/player1/#", "sport/tennis/player1/ranking", 1, NULL);
	match("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", 1, NULL);
	match("sport/#", "sport", 1, NULL);
	match("sport/tennis/+", "sport/tennis/player1", 1, NULL);
	match("sport/tennis/+", "sport/tennis/player1/ranking", 0, NULL);
	match("sport/+", "sport", 0, NULL);
	match("sport/+", "sport/", 1, NULL);
	match("+/+", "/finance", 1, NULL);
	match("/+", "/finance", 1, NULL);
	match("+", "/finance", 0, NULL);
	/* 4.7.2: wildcards at the first level do not match topics starting with '$' */
	match("#", "$SYS/broker/uptime", 0, NULL);
	match("+/monitor/Clients", "$SYS/monitor/Clients", 0, NULL);
	match("$SYS/#", "$SYS/broker/uptime", 1, NULL);
	match("$SYS/monitor/+", "$SYS/monitor/Clients", 1, NULL);

	/* named levels */
	match("bess/+site/+device/state", "bess/berlin/bat-1/state", 1, "site=berlin;device=bat-1;");
	match("bess/+site/+device/state", "bess/berlin/bat-1/set", 0, NULL);
	match("bess/+site/+device/state", "bess/berlin/state", 0, NULL);
	match("bess/+site/+device/state", "bess//x/state", 1, "site=;device=x;");
	match("bess/+site/#rest", "bess/berlin/a/b/c", 1, "site=berlin;rest=a/b/c;");
	match("bess/+site/#rest", "bess/berlin", 1, "site=berlin;rest=;");
	match("$share/g/bess/+site/+", "bess/x/y", 1, "site=x;");

	bad_filter("", "an empty topic filter");
	bad_filter("a/#/b", "'a/#/b': '#' must be the last level");
	bad_filter("a/b#", "'a/b#': '+' and '#' must start a level (use +name to name one)");
	bad_filter("a/x+", "'a/x+': '+' and '#' must start a level (use +name to name one)");
	bad_filter("a/+s+t", "'a/+s+t': a field name after '+' cannot hold '+' or '#'");
	bad_filter("+a/+a", "'+a/+a': field 'a' is named twice");
	bad_filter("$share/g", "'$share/g': a shared subscription is $share/GROUP/FILTER");
	bad_filter("$share//a", "'$share//a': a shared subscription is $share/GROUP/FILTER");
	bad_filter("$share/g+/a", "'$share/g+/a': the group name cannot hold '+' or '#'");

	/* templates */
	mini(&m, kv, sizeof(kv) / sizeof(kv[0]));
	expand("bess/{site}/{device}/set", &m, "bess/berlin/7/set", NULL);
	expand("{site}", &m, "berlin", NULL);
	expand("plain/topic", &m, "plain/topic", NULL);
	expand("x/{{site}}/{site}", &m, "x/{site}/berlin", NULL);
	expand("bess/{nosuch}/set", &m, NULL, "topic field 'nosuch' is not a column");
	expand("bess/{empty}/set", &m, NULL, "topic field 'empty' is missing");
	expand("bess/{bad}/set", &m, NULL, "topic field 'bad': 'a/b' holds '/', '+', '#' or a NUL byte");
	mini_free(&m);
	bad_tmpl("", "an empty topic");
	bad_tmpl("a/{site", "'a/{site': '{' without '}' (write '{{' for a brace)");
	bad_tmpl("a/site}", "'a/site}': '}' without '{' (write '}}' for a brace)");
	bad_tmpl("a/{}", "'a/{}': '{}' needs a field name inside");
	bad_tmpl("a/+/b", "'a/+/b': a topic to publish to cannot hold '+' or '#'");
	bad_tmpl("a/#", "'a/#': a topic to publish to cannot hold '+' or '#'");

	return done_testing();
}
