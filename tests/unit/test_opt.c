/* test_opt.c: unit tests for lib/opt.c (argv, config files, environment, precedence), printing TAP. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bess_opt.h"
#include "tap.h"

/*
 * Where the expectations come from (never from this code's output):
 *   [gnu]   GNU getopt_long conventions: --name=value, --name value,
 *           -xVALUE, -x VALUE, bundled flags -ab (the last may take the rest
 *           as its argument), "--" ends options, operands may come anywhere
 *           and keep their order, "-" is an operand.
 *   [doc]   lib/bess_opt.h and man/bess.7 (OPTIONS AND CONFIGURATION):
 *           precedence, lowest first: system file, user file
 *           (${XDG_CONFIG_HOME:-~/.config}/bess/bess.conf), BESS_*
 *           environment, -c FILE, command line.
 */

enum { O_POWER, O_VERBOSE, O_QUIET, O_OUTPUT, O_CONFIG, O_TZ, O_SOCMIN, O_DRY, O_HELP };

static const struct bess_optdef defs[] = {
	{ "help", 'h', BESS_OPT_FLAG | BESS_OPT_CLI, O_HELP },
	{ "config", 'c', BESS_OPT_ARG | BESS_OPT_CLI, O_CONFIG },
	{ "output", 'o', BESS_OPT_ARG | BESS_OPT_CLI, O_OUTPUT },
	{ "power", 'p', BESS_OPT_ARG, O_POWER },
	{ "verbose", 'v', BESS_OPT_FLAG, O_VERBOSE },
	{ "quiet", 'q', BESS_OPT_FLAG, O_QUIET },
	{ "tz", 0, BESS_OPT_ARG, O_TZ },
	{ "soc-min", 0, BESS_OPT_ARG, O_SOCMIN },
	{ "dry-run", 'n', BESS_OPT_FLAG, O_DRY },
	{ NULL, 0, 0, 0 }
};

/* What the setter saw, as "name=arg@src;" (name alone for a flag; src "cli", "env" or file:line). */
struct log {
	char s[4096];
};

static int
setter(void *ctx, int id, const char *arg, const struct bess_optsrc *src, struct bess_err *err)
{
	struct log *l = ctx;
	size_t n = strlen(l->s);
	const struct bess_optdef *d;
	char where[300];

	for (d = defs; d->name && d->id != id; d++)
		;
	if (arg && strcmp(arg, "bad") == 0)
		return bess_err_set(err, NULL, 0, "'%s' is not a power", arg);
	if (strcmp(src->file, "command line") == 0)
		snprintf(where, sizeof(where), "cli");
	else if (strcmp(src->file, "environment") == 0)
		snprintf(where, sizeof(where), "env");
	else {
		const char *base = strrchr(src->file, '/');

		snprintf(where, sizeof(where), "%s:%ld", base ? base + 1 : src->file, src->line);
	}
	snprintf(l->s + n, sizeof(l->s) - n, "%s%s%s@%s;", d->name, arg ? "=" : "", arg ? arg : "",
	    where);
	return 0;
}

/* Run bess_opt_argv over the words of line (split on spaces, "_" = an empty word). */
static int
run_argv(const char *line, struct log *l, char *ops, size_t opslen, char *errbuf, size_t errlen)
{
	char copy[512], *argv[64], *w;
	int argc = 0, first = -1, rc, i;
	struct bess_err err;

	snprintf(copy, sizeof(copy), "prog %s", line);
	for (w = strtok(copy, " "); w && argc < 63; w = strtok(NULL, " "))
		argv[argc++] = strcmp(w, "_") == 0 ? w + 1 : w;
	argv[argc] = NULL;
	l->s[0] = '\0';
	ops[0] = errbuf[0] = '\0';
	bess_err_clear(&err);
	rc = bess_opt_argv(defs, argc, argv, setter, l, &first, &err);
	if (rc != 0) {
		bess_err_str(&err, errbuf, errlen);
		return rc;
	}
	for (i = first; i < argc; i++) {
		size_t n = strlen(ops);

		snprintf(ops + n, opslen - n, "%s%s", i > first ? " " : "", argv[i]);
	}
	return rc;
}

static void
argv_is(const char *line, const char *want_log, const char *want_ops)
{
	struct log l;
	char ops[512], e[600];
	int rc = run_argv(line, &l, ops, sizeof(ops), e, sizeof(e));

	ok(rc == 0 && strcmp(l.s, want_log) == 0 && strcmp(ops, want_ops) == 0,
	    "argv '%s'", line);
	if (!(rc == 0 && strcmp(l.s, want_log) == 0 && strcmp(ops, want_ops) == 0))
		diag("rc %d, log '%s' (want '%s'), operands '%s' (want '%s'), error '%s'", rc, l.s,
		    want_log, ops, want_ops, e);
}

static void
argv_err(const char *line, const char *want)
{
	struct log l;
	char ops[512], e[600];
	int rc = run_argv(line, &l, ops, sizeof(ops), e, sizeof(e));

	if (rc == 0) {
		ok(0, "argv '%s' is an error", line);
		diag("log '%s', operands '%s'", l.s, ops);
		return;
	}
	is_str(e, want, "argv '%s' is an error", line);
}

static void
test_argv(void)
{
	/* [gnu] */
	argv_is("--power=5 --power 6 -p7 -p 8", "power=5@cli;power=6@cli;power=7@cli;power=8@cli;", "");
	argv_is("-vq", "verbose@cli;quiet@cli;", "");
	argv_is("-vqp9", "verbose@cli;quiet@cli;power=9@cli;", "");
	argv_is("-vp q", "verbose@cli;power=q@cli;", "");
	argv_is("-pv", "power=v@cli;", "");
	argv_is("a --power 5 b -v c", "power=5@cli;verbose@cli;", "a b c");
	argv_is("- -v", "verbose@cli;", "-");
	argv_is("-v -- -q --power=1 x", "verbose@cli;", "-q --power=1 x");
	argv_is("x -- --", "", "x --");
	argv_is("--power -v", "power=-v@cli;", "");
	argv_is("--power=", "power=@cli;", "");
	argv_is("--power _", "power=@cli;", "");
	argv_is("--tz=Europe/Berlin --soc-min=10%", "tz=Europe/Berlin@cli;soc-min=10%@cli;", "");
	argv_is("--power=a=b", "power=a=b@cli;", "");
	/* -c is read by bess_opt_load before everything else; the argv pass skips it */
	argv_is("-c x.conf --config=y.conf -v", "verbose@cli;", "");
	argv_is("", "", "");
	argv_is("--help", "help@cli;", "");
	/* errors: [gnu] wording of GNU getopt, lower-case */
	argv_err("--nope", "unknown option '--nope'");
	argv_err("--nope=3", "unknown option '--nope'");
	/* no abbreviations, but the one option a prefix names is suggested */
	argv_err("--pow=3", "unknown option '--pow'; did you mean '--power'?");
	argv_err("--powr 3", "unknown option '--powr'; did you mean '--power'?");
	argv_err("--verbsoe", "unknown option '--verbsoe'; did you mean '--verbose'?");
	/*
	 * The nearest name by edits (insert, delete, change, swap neighbours), by hand:
	 * "socmin" -> "soc-min" 1 insertion; "qiuet" -> "quiet" 1 swap; "dryrun" ->
	 * "dry-run" 1; "t" abbreviates "tz" alone; "qq" is 2 from "tz" (over the cap of 1
	 * for short names); "xyzzy" is 4 or more from every name.
	 */
	is_str(bess_opt_nearest(defs, "socmin", 6), "soc-min", "nearest: socmin");
	is_str(bess_opt_nearest(defs, "qiuet", 5), "quiet", "nearest: qiuet (a swap)");
	is_str(bess_opt_nearest(defs, "dryrun", 6), "dry-run", "nearest: dryrun");
	is_str(bess_opt_nearest(defs, "t", 1), "tz", "nearest: t abbreviates tz alone");
	ok(bess_opt_nearest(defs, "qq", 2) == NULL, "nearest: qq is too far from tz");
	ok(bess_opt_nearest(defs, "xyzzy", 5) == NULL, "nearest: xyzzy has none");
	{
		/* a tool's table joined with a group's: every row once, in order, then the end */
		static const struct bess_optdef group[] = {
			{ "horizon", 0, BESS_OPT_ARG, 900 }, { "step", 0, BESS_OPT_ARG, 901 }, { NULL, 0, 0, 0 }
		};
		static const struct bess_optdef none[] = { { NULL, 0, 0, 0 } };
		struct bess_optdef *all = bess_opt_join((const struct bess_optdef *const[]){ defs, none, group, NULL });
		size_t n = 0;

		while (defs[n].name)
			n++;
		ok(all != NULL && all[0].id == defs[0].id && all[n - 1].id == defs[n - 1].id &&
		    strcmp(all[n].name, "horizon") == 0 && all[n + 1].id == 901 && all[n + 2].name == NULL,
		    "join: the tool's %zu rows, then the group's 2, then the end", n);
		is_str(all ? bess_opt_nearest(all, "stp", 3) : NULL, "step", "join: a group's option is suggested");
		free(all);
	}
	argv_err("-x", "unknown option '-x'");
	argv_err("-vx", "unknown option '-x'");
	argv_err("--power", "option '--power' needs an argument");
	argv_err("-p", "option '-p' needs an argument");
	argv_err("-vp", "option '-p' needs an argument");
	argv_err("--verbose=yes", "option '--verbose' takes no argument");
	/* the setter's complaint, named after the option */
	argv_err("--power bad", "--power: 'bad' is not a power");
	argv_err("-p bad", "--power: 'bad' is not a power");
	argv_err("--power=bad", "--power: 'bad' is not a power");
}

static char tmpdir[] = "/tmp/bess-test-opt.XXXXXX";

/* Write text to tmpdir/name (creating tmpdir/dir first if name has one); return the path. */
static const char *
put(const char *name, const char *text)
{
	static char path[8][512];
	static int k;
	char *p = path[k++ % 8], *slash;
	FILE *fp;

	snprintf(p, 512, "%s/%s", tmpdir, name);
	for (slash = strchr(p + strlen(tmpdir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(p, 0700);
		*slash = '/';
	}
	if ((fp = fopen(p, "w")) == NULL || fputs(text, fp) == EOF || fclose(fp) != 0) {
		printf("Bail out! cannot write %s\n", p);
		exit(1);
	}
	return p;
}

static void
file_is(const char *text, const char *want_log, const char *what)
{
	struct log l = { "" };
	struct bess_err err;
	const char *path = put("t.conf", text);
	int rc = bess_opt_file(defs, "bess-test", path, 1, setter, &l, &err);

	ok(rc == 0 && strcmp(l.s, want_log) == 0, "config: %s", what);
	if (!(rc == 0 && strcmp(l.s, want_log) == 0))
		diag("rc %d, log '%s', want '%s', error '%s' line %ld", rc, l.s, want_log, err.msg,
		    err.line);
}

static void
file_err(const char *text, long want_line, const char *want_msg, const char *what)
{
	struct log l = { "" };
	struct bess_err err;
	const char *path = put("t.conf", text);
	int rc = bess_opt_file(defs, "bess-test", path, 1, setter, &l, &err);

	ok(rc == -1 && strcmp(err.file, path) == 0 && err.line == want_line &&
	    strcmp(err.msg, want_msg) == 0, "config error: %s", what);
	if (!(rc == -1 && strcmp(err.file, path) == 0 && err.line == want_line &&
	    strcmp(err.msg, want_msg) == 0))
		diag("rc %d, '%s':%ld: '%s' (want line %ld '%s')", rc, err.file, err.line, err.msg,
		    want_line, want_msg);
}

static void
test_file(void)
{
	struct log l = { "" };
	struct bess_err err;
	char path[600];

	/* [doc] key = value, comments, quotes, flags, sections; line numbers count every line */
	file_is("# a comment\n"
	    "; another\n"
	    "\n"
	    "power = 250kW\n"
	    "tz = \"Europe/Berlin\"\n"
	    "verbose\n"
	    "quiet = false\n"
	    "dry-run = yes\n"
	    "unknown-key = 1\n"
	    "output = x.csv\n"
	    "config = other.conf\n"
	    "[bess-plot]\n"
	    "power = 1\n"
	    "nonsense = 2\n"
	    "[ bess-test ]\n"
	    "  soc-min   =   10%  \n"
	    "quiet = On\n"
	    "[bess-plot]\n"
	    "power = 2\n",
	    "power=250kW@t.conf:4;tz=Europe/Berlin@t.conf:5;verbose@t.conf:6;dry-run@t.conf:8;"
	    "soc-min=10%@t.conf:16;quiet@t.conf:17;",
	    "keys, comments, quotes, flags, sections");
	file_is("power = 1\r\nverbose = TRUE\r\n", "power=1@t.conf:1;verbose@t.conf:2;", "CRLF lines");
	file_is("tz = \"a = b\"\npower = \"\"\n", "tz=a = b@t.conf:1;power=@t.conf:2;",
	    "quoted values with '=' and empty");
	file_is("verbose = 0\nquiet = no\ndry-run = off\n", "", "false flags set nothing");
	file_is("", "", "an empty file");
	file_is("\xef\xbb\xbfpower = 1\n", "power=1@t.conf:1;", "a UTF-8 BOM before the first key");
	/* errors: [doc] file:line */
	file_err("power = 1\n[bess-test]\nnonsense = 2\n", 3, "unknown key 'nonsense' for bess-test",
	    "unknown key in the tool's section");
	file_err("[bess-test]\noutput = x\n", 2, "unknown key 'output' for bess-test",
	    "command-line-only option in the tool's section");
	file_err("[bess-test]\nconfig = x\n", 2, "unknown key 'config' for bess-test",
	    "config in the tool's section");
	file_err("verbose = maybe\n", 1, "key 'verbose': 'maybe' is not true or false", "bad flag value");
	file_err("\npower\n", 2, "key 'power' needs a value", "key without value");
	file_err("[bess-test\n", 1, "malformed section header", "section without ]");
	file_err("[bess-optimise]\npower = 1\n", 1, "unknown section '[bess-optimise]' (sections: "
	    "bess-ingest, bess-resample, bess-optimize, bess-dispatch, bess-plot, bess-mqtt)",
	    "a misspelled section is an error (its settings were dropped silently)");
	file_err("[bess-test] x\n", 1, "malformed section header", "junk after ]");
	file_err("tz = \"Europe/Berlin\n", 1, "unterminated quote", "unterminated quote");
	file_err("tz = \"\n", 1, "unterminated quote", "lone quote");
	file_err("# x\npower = bad\n", 2, "power: 'bad' is not a power", "setter error");
	/* missing files */
	snprintf(path, sizeof(path), "%s/none.conf", tmpdir);
	ok(bess_opt_file(defs, "bess-test", path, 0, setter, &l, &err) == 0,
	    "a missing file is fine when it need not exist");
	ok(bess_opt_file(defs, "bess-test", path, 1, setter, &l, &err) == -1 &&
	    strcmp(err.file, path) == 0 && err.line == 0 &&
	    strcmp(err.msg, "No such file or directory") == 0, "a missing -c file is an error");
}

static void
test_env(void)
{
	struct log l = { "" };
	struct bess_err err;
	int rc;

	/* [doc] BESS_<NAME>, '-' as '_', upper case; CLI-only options have none */
	setenv("BESS_POWER", "7kW", 1);
	setenv("BESS_SOC_MIN", "5%", 1);
	setenv("BESS_VERBOSE", "true", 1);
	setenv("BESS_QUIET", "0", 1);
	setenv("BESS_OUTPUT", "x.csv", 1);
	setenv("BESS_CONFIG", "x.conf", 1);
	setenv("BESS_HELP", "1", 1);
	rc = bess_opt_env(defs, setter, &l, &err);
	ok(rc == 0 && strcmp(l.s, "power=7kW@env;verbose@env;soc-min=5%@env;") == 0,
	    "environment, in table order");
	if (strcmp(l.s, "power=7kW@env;verbose@env;soc-min=5%@env;") != 0)
		diag("log '%s'", l.s);
	setenv("BESS_DRY_RUN", "maybe", 1);
	rc = bess_opt_env(defs, setter, &l, &err);
	ok(rc == -1 && strcmp(err.msg, "BESS_DRY_RUN: 'maybe' is not true or false") == 0 &&
	    err.file[0] == '\0' && err.line == 0, "environment: bad flag value (%s)", err.msg);
	unsetenv("BESS_DRY_RUN");
	setenv("BESS_POWER", "bad", 1);
	rc = bess_opt_env(defs, setter, &l, &err);
	is_str(err.msg, "BESS_POWER: power: 'bad' is not a power", "environment: setter error");
	unsetenv("BESS_POWER");
	unsetenv("BESS_SOC_MIN");
	unsetenv("BESS_VERBOSE");
	unsetenv("BESS_QUIET");
	unsetenv("BESS_OUTPUT");
	unsetenv("BESS_CONFIG");
	unsetenv("BESS_HELP");
	ok(bess_opt_bool("YES") == 1 && bess_opt_bool("on") == 1 && bess_opt_bool("1") == 1 &&
	    bess_opt_bool("False") == 0 && bess_opt_bool("no") == 0 && bess_opt_bool("0") == 0 &&
	    bess_opt_bool("") == -1 && bess_opt_bool("2") == -1 && bess_opt_bool("yes ") == -1,
	    "bess_opt_bool words");
}

/* bess_opt_load over the words of line; the log and the operands. */
static int
run_load(const char *line, struct log *l, char *ops, size_t opslen, char *errbuf, size_t errlen)
{
	char copy[512], *argv[64], *w;
	int argc = 0, first = -1, rc, i;
	struct bess_err err;

	snprintf(copy, sizeof(copy), "prog %s", line);
	for (w = strtok(copy, " "); w && argc < 63; w = strtok(NULL, " "))
		argv[argc++] = w;
	argv[argc] = NULL;
	l->s[0] = '\0';
	ops[0] = errbuf[0] = '\0';
	rc = bess_opt_load(defs, "bess-test", argc, argv, setter, l, &first, &err);
	if (rc != 0) {
		bess_err_str(&err, errbuf, errlen);
		return rc;
	}
	for (i = first; i < argc; i++) {
		size_t n = strlen(ops);

		snprintf(ops + n, opslen - n, "%s%s", i > first ? " " : "", argv[i]);
	}
	return 0;
}

static void
load_is(const char *line, const char *want_log, const char *want_ops, const char *what)
{
	struct log l;
	char ops[512], e[600];
	int rc = run_load(line, &l, ops, sizeof(ops), e, sizeof(e));

	ok(rc == 0 && strcmp(l.s, want_log) == 0 && strcmp(ops, want_ops) == 0, "load: %s", what);
	if (!(rc == 0 && strcmp(l.s, want_log) == 0 && strcmp(ops, want_ops) == 0))
		diag("rc %d, log '%s' (want '%s'), operands '%s' (want '%s'), error '%s'", rc, l.s,
		    want_log, ops, want_ops, e);
}

static void
test_load(void)
{
	char xdg[600], home[600], cpath[600], line[1400], want[1400];
	struct log l;
	char ops[512], e[600];

	/* the system file is BESS_SYSCONFDIR/bess/bess.conf: it must not exist here */
	if (access(BESS_SYSCONFDIR "/bess/bess.conf", F_OK) == 0)
		diag("note: %s exists and is read too", BESS_SYSCONFDIR "/bess/bess.conf");
	snprintf(xdg, sizeof(xdg), "%s/xdg", tmpdir);
	snprintf(home, sizeof(home), "%s/home", tmpdir);
	put("xdg/bess/bess.conf", "power = 1\ntz = A\n[bess-test]\nverbose\n");
	put("home/.config/bess/bess.conf", "power = h\n");
	strcpy(cpath, put("c.conf", "power = 3\nsoc-min = 3%\n"));
	unsetenv("BESS_NO_CONFIG");
	setenv("XDG_CONFIG_HOME", xdg, 1);
	setenv("HOME", home, 1);
	setenv("BESS_POWER", "2", 1);
	/* [doc] user file < environment < -c file < command line, each seen in that order */
	snprintf(line, sizeof(line), "in.csv --power 4 -c %s out.csv", cpath);
	load_is(line, "power=1@bess.conf:1;tz=A@bess.conf:2;verbose@bess.conf:4;power=2@env;"
	    "power=3@c.conf:1;soc-min=3%@c.conf:2;power=4@cli;", "in.csv out.csv",
	    "precedence: user file, environment, -c, command line");
	/* the -c spellings [gnu]; bundled after -v, the flag comes last (argv pass) */
	{
		static const char *const spell[] = { "-c%s", "--config %s", "--config=%s", "-vc %s",
		    "-vc%s" };
		size_t k;

		for (k = 0; k < sizeof(spell) / sizeof(*spell); k++) {
			snprintf(line, sizeof(line), spell[k], cpath);
			snprintf(want, sizeof(want), "power=1@bess.conf:1;tz=A@bess.conf:2;"
			    "verbose@bess.conf:4;power=2@env;power=3@c.conf:1;soc-min=3%%@c.conf:2;%s",
			    spell[k][1] == 'v' ? "verbose@cli;" : "");
			load_is(line, want, "", spell[k]);
		}
	}
	/* a -c that is an option's argument or an operand is no config file */
	snprintf(want, sizeof(want), "power=1@bess.conf:1;tz=A@bess.conf:2;verbose@bess.conf:4;"
	    "power=2@env;tz=-c@cli;");
	load_is("--tz -c x", want, "x", "--tz -c: '-c' is the argument of --tz");
	snprintf(want, sizeof(want), "power=1@bess.conf:1;tz=A@bess.conf:2;verbose@bess.conf:4;"
	    "power=2@env;power=-c@cli;");
	load_is("-p -c x", want, "x", "-p -c: '-c' is the argument of -p");
	snprintf(want, sizeof(want), "power=1@bess.conf:1;tz=A@bess.conf:2;verbose@bess.conf:4;"
	    "power=2@env;");
	load_is("-- -c x", want, "-c x", "-- -c: operands");
	/* HOME/.config when XDG_CONFIG_HOME is unset or empty */
	setenv("XDG_CONFIG_HOME", "", 1);
	load_is("", "power=h@bess.conf:1;power=2@env;", "", "empty XDG_CONFIG_HOME: ~/.config");
	unsetenv("XDG_CONFIG_HOME");
	load_is("", "power=h@bess.conf:1;power=2@env;", "", "no XDG_CONFIG_HOME: ~/.config");
	/* [doc] BESS_NO_CONFIG=1 skips the files, not the environment or -c */
	setenv("XDG_CONFIG_HOME", xdg, 1);
	setenv("BESS_NO_CONFIG", "1", 1);
	snprintf(line, sizeof(line), "-c %s -v", cpath);
	load_is(line, "power=2@env;power=3@c.conf:1;soc-min=3%@c.conf:2;verbose@cli;", "",
	    "BESS_NO_CONFIG=1");
	setenv("BESS_NO_CONFIG", "0", 1);
	load_is("", "power=1@bess.conf:1;tz=A@bess.conf:2;verbose@bess.conf:4;power=2@env;", "",
	    "BESS_NO_CONFIG=0 reads the files");
	setenv("BESS_NO_CONFIG", "1", 1);
	/* errors come out with their place */
	snprintf(line, sizeof(line), "-c %s/missing.conf", tmpdir);
	ok(run_load(line, &l, ops, sizeof(ops), e, sizeof(e)) == -1 &&
	    strstr(e, "missing.conf: No such file or directory") != NULL, "load: missing -c file");
	put("bad.conf", "\n[bess-test]\nwhat = 1\n");
	snprintf(line, sizeof(line), "-c %s/bad.conf", tmpdir);
	ok(run_load(line, &l, ops, sizeof(ops), e, sizeof(e)) == -1 &&
	    strstr(e, "bad.conf:3: unknown key 'what' for bess-test") != NULL,
	    "load: -c file error with file:line (%s)", e);
	ok(run_load("--nope", &l, ops, sizeof(ops), e, sizeof(e)) == -1 &&
	    strcmp(e, "unknown option '--nope'") == 0, "load: usage error");
	ok(run_load("-v -c", &l, ops, sizeof(ops), e, sizeof(e)) == -1 &&
	    strcmp(e, "option '-c' needs an argument") == 0, "load: -c without a file");
	unsetenv("BESS_POWER");
	unsetenv("BESS_NO_CONFIG");
	unsetenv("XDG_CONFIG_HOME");
}

int
main(void)
{
	char cmd[600];

	/* run alone, outside the harness: no setting of the caller's may leak in */
	unsetenv("BESS_POWER");
	unsetenv("BESS_VERBOSE");
	unsetenv("BESS_QUIET");
	unsetenv("BESS_TZ");
	unsetenv("BESS_SOC_MIN");
	unsetenv("BESS_DRY_RUN");
	if (mkdtemp(tmpdir) == NULL) {
		printf("Bail out! mkdtemp failed\n");
		return 1;
	}
	test_argv();
	test_file();
	test_env();
	test_load();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		diag("could not remove %s", tmpdir);
	return done();
}
