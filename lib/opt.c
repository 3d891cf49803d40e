/* opt.c: option parsing shared by argv, config files and the environment, so they never drift apart. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bess_line.h"
#include "bess_opt.h"
#include "bess_qty.h"

#ifndef BESS_SYSCONFDIR
#define BESS_SYSCONFDIR "/etc"
#endif

static const struct bess_optsrc cli_src = { "command line", 0 };

static const struct bess_optdef *
find_long(const struct bess_optdef *d, const char *name, size_t len)
{
	for (; d->name; d++)
		if (!(d->flags & BESS_OPT_OLD) && strlen(d->name) == len &&
		    strncmp(d->name, name, len) == 0)
			return d;
	return NULL;
}

/* Optimal string alignment distance between a (na bytes) and b, or a number above cap. */
static size_t
edits(const char *a, size_t na, const char *b, size_t cap)
{
	size_t nb = strlen(b), i, j, row[3][64];

	if (na >= 64 || nb >= 64)
		return cap + 1;
	if ((na > nb ? na - nb : nb - na) > cap)
		return cap + 1;
	for (j = 0; j <= nb; j++)
		row[0][j] = j;
	for (i = 1; i <= na; i++) {
		size_t *cur = row[i % 3], *prev = row[(i + 2) % 3], *prev2 = row[(i + 1) % 3];

		cur[0] = i;
		for (j = 1; j <= nb; j++) {
			size_t v = prev[j - 1] + (a[i - 1] != b[j - 1]);

			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			cur[j] = v;
		}
	}
	return row[na % 3][nb];
}

struct bess_optdef *
bess_opt_join(const struct bess_optdef *const *tables)
{
	struct bess_optdef *all;
	size_t n = 0, t, i;

	for (t = 0; tables[t]; t++)
		for (i = 0; tables[t][i].name; i++)
			n++;
	if ((all = calloc(n + 1, sizeof(*all))) == NULL)
		return NULL;
	n = 0;
	for (t = 0; tables[t]; t++)
		for (i = 0; tables[t][i].name; i++)
			all[n++] = tables[t][i];
	return all;
}

const char *
bess_opt_label(const struct bess_optdef *defs, int id, char *buf, size_t len)
{
	const struct bess_optdef *d;

	for (d = defs; d->name; d++)
		if (d->id == id) {
			if (d->shortopt)
				snprintf(buf, len, "-%c/--%s", d->shortopt, d->name);
			else
				snprintf(buf, len, "--%s", d->name);
			return buf;
		}
	return "?";
}

const char *
bess_opt_nearest(const struct bess_optdef *defs, const char *name, size_t len)
{
	const struct bess_optdef *d, *pre = NULL, *best = NULL;
	size_t cap = len <= 4 ? 1 : len <= 8 ? 2 : 3, bestd = cap + 1;
	int npre = 0;

	if (len == 0)
		return NULL;
	for (d = defs; d->name; d++) {
		size_t e;

		if (d->flags & BESS_OPT_OLD)
			continue;
		if (strlen(d->name) > len && strncmp(d->name, name, len) == 0) {
			pre = d;
			npre++;
		}
		if ((e = edits(name, len, d->name, cap)) < bestd) {
			bestd = e;
			best = d;
		}
	}
	if (npre == 1)
		return pre->name;
	return best ? best->name : NULL;
}

static const struct bess_optdef *
find_short(const struct bess_optdef *d, int c)
{
	for (; d->name; d++)
		if (d->shortopt == c)
			return d;
	return NULL;
}

int
bess_opt_bool(const char *s)
{
	if (!strcasecmp(s, "true") || !strcasecmp(s, "yes") || !strcasecmp(s, "on") ||
	    !strcmp(s, "1"))
		return 1;
	if (!strcasecmp(s, "false") || !strcasecmp(s, "no") || !strcasecmp(s, "off") ||
	    !strcmp(s, "0"))
		return 0;
	return -1;
}

static int
call(bess_opt_fn fn, void *ctx, const struct bess_optdef *d, const char *arg,
    const struct bess_optsrc *src, struct bess_err *err)
{
	bess_err_clear(err);
	if (strcmp(d->name, "config") == 0)
		return 0;	/* read before the other flags by bess_opt_load */
	if (fn(ctx, d->id, arg, src, err) == 0)
		return 0;
	{
		char msg[sizeof(err->msg)];	/* err->msg cannot be both source and target */

		snprintf(msg, sizeof(msg), "%s", err->msg);
		if (src->line > 0)
			return bess_err_set(err, src->file, src->line, "%s: %s", d->name, msg);
		return bess_err_set(err, NULL, 0, "%s%s: %s",
		    src == &cli_src ? "--" : "", d->name, msg);
	}
}

/* Prefix err's message with the variable's name. */
static int
env_err(struct bess_err *err, const char *var)
{
	char msg[sizeof(err->msg)];

	snprintf(msg, sizeof(msg), "%s", err->msg);
	return bess_err_set(err, NULL, 0, "%s: %s", var, msg);
}

int
bess_opt_argv(const struct bess_optdef *defs, int argc, char **argv, bess_opt_fn fn,
    void *ctx, int *first, struct bess_err *err)
{
	char **ops;
	int i, nops = 0, k;

	if ((ops = calloc((size_t)argc + 1, sizeof(*ops))) == NULL)
		return bess_err_set(err, NULL, 0, "out of memory");
	for (i = 1; i < argc; i++) {
		char *a = argv[i];
		const struct bess_optdef *d;

		if (strcmp(a, "--") == 0) {
			for (i++; i < argc; i++)
				ops[nops++] = argv[i];
			break;
		}
		if (a[0] != '-' || a[1] == '\0') {
			ops[nops++] = a;
			continue;
		}
		if (a[1] == '-') {
			char *name = a + 2, *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			const char *arg = NULL;

			if ((d = find_long(defs, name, len)) == NULL) {
				const char *near = bess_opt_nearest(defs, name, len);

				free(ops);
				if (near != NULL)
					return bess_err_set(err, NULL, 0, "unknown option '--%.*s'; "
					    "did you mean '--%s'?", (int)len, name, near);
				return bess_err_set(err, NULL, 0, "unknown option '--%.*s'",
				    (int)len, name);
			}
			if ((d->flags & BESS_OPT_ARG)) {
				if (eq)
					arg = eq + 1;
				else if (i + 1 < argc)
					arg = argv[++i];
				else {
					free(ops);
					return bess_err_set(err, NULL, 0,
					    "option '--%s' needs an argument", d->name);
				}
			} else if (eq) {
				free(ops);
				return bess_err_set(err, NULL, 0,
				    "option '--%s' takes no argument", d->name);
			}
			if (call(fn, ctx, d, arg, &cli_src, err) != 0) {
				free(ops);
				return -1;
			}
			continue;
		}
		for (k = 1; a[k]; k++) {
			const char *arg = NULL;

			if ((d = find_short(defs, (unsigned char)a[k])) == NULL) {
				free(ops);
				return bess_err_set(err, NULL, 0, "unknown option '-%c'", a[k]);
			}
			if (d->flags & BESS_OPT_ARG) {
				if (a[k + 1])
					arg = a + k + 1;
				else if (i + 1 < argc)
					arg = argv[++i];
				else {
					free(ops);
					return bess_err_set(err, NULL, 0,
					    "option '-%c' needs an argument", a[k]);
				}
			}
			if (call(fn, ctx, d, arg, &cli_src, err) != 0) {
				/* name the short form in the message */
				char msg[sizeof(err->msg)];

				snprintf(msg, sizeof(msg), "%s", err->msg);
				if (strncmp(msg, "--", 2) == 0)
					bess_err_set(err, NULL, 0, "%s", msg);
				free(ops);
				return -1;
			}
			if (arg)
				break;
		}
	}
	*first = argc - nops;
	memmove(argv + *first, ops, (size_t)nops * sizeof(*ops));
	free(ops);
	return 0;
}

/* The sections a config file may have: one per tool. */
#define SECTIONS "bess-ingest, bess-resample, bess-optimize, bess-dispatch, bess-plot, bess-mqtt"

static int
known_section(const char *name)
{
	static const char *const tools[] = { "bess-ingest", "bess-resample", "bess-optimize",
	    "bess-dispatch", "bess-plot", "bess-mqtt", NULL };
	size_t i;

	for (i = 0; tools[i]; i++)
		if (strcmp(name, tools[i]) == 0)
			return 1;
	return 0;
}

int
bess_opt_file(const struct bess_optdef *defs, const char *tool, const char *path,
    int must_exist, bess_opt_fn fn, void *ctx, struct bess_err *err)
{
	FILE *fp;
	char *line = NULL, *key, *val, *eq;
	size_t cap = 0;
	long ln = 0;
	int active = 1, in_tool = 0, rc = 0;
	struct bess_optsrc src;

	if ((fp = fopen(path, "r")) == NULL) {
		struct stat st;
		int e = errno;

		/*
		 * An optional file that is not there, or that cannot even be
		 * looked for (a HOME the user may not search), is simply absent;
		 * one that exists but cannot be read is an error.
		 */
		if (!must_exist && (e == ENOENT || e == ENOTDIR || (e == EACCES && stat(path, &st) != 0)))
			return 0;
		return bess_err_set(err, path, 0, "%s", strerror(e));
	}
	src.file = path;
	for (;;) {
		const struct bess_optdef *d;
		ssize_t len = bess_line_read(fp, &line, &cap, BESS_LINE_MAX);

		if (len == -1)
			break;
		ln++;
		if (len == -2) {
			rc = bess_err_set(err, path, ln, "line longer than %d bytes (is this a config file?)",
			    BESS_LINE_MAX);
			break;
		}
		key = line;
		if (ln == 1 && strncmp(key, "\xef\xbb\xbf", 3) == 0)
			key += 3;	/* a UTF-8 byte order mark, as Windows editors write */
		key = bess_line_trim(key);
		if (*key == '\0' || *key == '#' || *key == ';')
			continue;
		if (*key == '[') {
			char *end = strchr(key, ']');

			if (end == NULL || end[1] != '\0') {
				rc = bess_err_set(err, path, ln, "malformed section header");
				break;
			}
			*end = '\0';
			val = bess_line_trim(key + 1);
			if (strcmp(val, tool) != 0 && !known_section(val)) {
				/* "[bess-optimise]" skipped silently would drop every setting under it */
				rc = bess_err_set(err, path, ln, "unknown section '[%s]' (sections: %s)", val,
				    SECTIONS);
				break;
			}
			in_tool = strcmp(val, tool) == 0;
			active = in_tool;
			continue;
		}
		if (!active)
			continue;
		if ((eq = strchr(key, '=')) == NULL) {
			/* a bare key is a flag set to true */
			val = NULL;
		} else {
			*eq = '\0';
			val = bess_line_trim(eq + 1);
			key = bess_line_trim(key);
			if (*val == '"') {
				size_t n = strlen(val);

				if (n < 2 || val[n - 1] != '"') {
					rc = bess_err_set(err, path, ln, "unterminated quote");
					break;
				}
				val[n - 1] = '\0';
				val++;
			}
		}
		d = find_long(defs, key, strlen(key));
		if (d == NULL || (d->flags & BESS_OPT_CLI) || strcmp(key, "config") == 0) {
			if (in_tool) {
				const char *near = d == NULL ? bess_opt_nearest(defs, key, strlen(key)) : NULL;

				if (near != NULL)
					rc = bess_err_set(err, path, ln, "unknown key '%s' for %s; did you "
					    "mean '%s'?", key, tool, near);
				else
					rc = bess_err_set(err, path, ln, "unknown key '%s' for %s", key, tool);
				break;
			}
			continue;
		}
		src.line = ln;
		if (d->flags & BESS_OPT_ARG) {
			if (val == NULL) {
				rc = bess_err_set(err, path, ln, "key '%s' needs a value", key);
				break;
			}
			if ((rc = call(fn, ctx, d, val, &src, err)) != 0)
				break;
		} else {
			int b = val ? bess_opt_bool(val) : 1;

			if (b < 0) {
				rc = bess_err_set(err, path, ln, "key '%s': '%s' is not true or false",
				    key, val);
				break;
			}
			if (b && (rc = call(fn, ctx, d, NULL, &src, err)) != 0)
				break;
		}
	}
	free(line);
	if (rc == 0 && ferror(fp))	/* a folder: "Is a directory" */
		rc = bess_err_set(err, path, 0, "%s", errno ? strerror(errno) : "read error");
	fclose(fp);
	return rc;
}

int
bess_opt_env(const struct bess_optdef *defs, bess_opt_fn fn, void *ctx, struct bess_err *err)
{
	const struct bess_optdef *d;
	char var[128];
	struct bess_optsrc src = { "environment", 0 };

	for (d = defs; d->name; d++) {
		const char *val;
		size_t i;

		if ((d->flags & (BESS_OPT_CLI | BESS_OPT_OLD)) || strcmp(d->name, "config") == 0)
			continue;
		snprintf(var, sizeof(var), "BESS_%s", d->name);
		for (i = 5; var[i]; i++)
			var[i] = var[i] == '-' ? '_' : (char)toupper((unsigned char)var[i]);
		if ((val = getenv(var)) == NULL)
			continue;
		if (d->flags & BESS_OPT_ARG) {
			if (call(fn, ctx, d, val, &src, err) != 0)
				return env_err(err, var);
		} else {
			int b = bess_opt_bool(val);

			if (b < 0)
				return bess_err_set(err, NULL, 0, "%s: '%s' is not true or false",
				    var, val);
			if (b && call(fn, ctx, d, NULL, &src, err) != 0)
				return env_err(err, var);
		}
	}
	return 0;
}

/* Find -c FILE / --config FILE / --config=FILE in argv before "--". */
static const char *
find_config(const struct bess_optdef *defs, int argc, char **argv)
{
	const struct bess_optdef *c = find_long(defs, "config", 6);
	const char *found = NULL;
	int i, k;

	if (c == NULL)
		return NULL;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0)
			break;
		if (strcmp(a, "--config") == 0 && i + 1 < argc)
			found = argv[++i];
		else if (strncmp(a, "--config=", 9) == 0)
			found = a + 9;
		else if (a[0] == '-' && a[1] != '-' && a[1]) {
			/* flags bundled up to the first option that takes an argument: "-vc FILE" */
			for (k = 1; a[k]; k++) {
				const struct bess_optdef *d = find_short(defs, (unsigned char)a[k]);

				if (d == NULL || !(d->flags & BESS_OPT_ARG))
					continue;
				if (d == c && a[k + 1])
					found = a + k + 1;
				else if (d == c && i + 1 < argc)
					found = argv[i + 1];
				if (!a[k + 1])
					i++;	/* skip the argument */
				break;
			}
		} else if (a[0] == '-' && a[1] == '-' && !strchr(a, '=')) {
			const struct bess_optdef *d = find_long(defs, a + 2, strlen(a + 2));

			if (d && (d->flags & BESS_OPT_ARG))
				i++;
		}
	}
	return found;
}

int
bess_opt_load(const struct bess_optdef *defs, const char *tool, int argc, char **argv,
    bess_opt_fn fn, void *ctx, int *first, struct bess_err *err)
{
	const char *cfg, *no = getenv("BESS_NO_CONFIG");
	char path[4096];

	if (no == NULL || bess_opt_bool(no) != 1) {
		const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

		snprintf(path, sizeof(path), "%s/bess/bess.conf", BESS_SYSCONFDIR);
		if (bess_opt_file(defs, tool, path, 0, fn, ctx, err) != 0)
			return -1;
		if (xdg && *xdg)
			snprintf(path, sizeof(path), "%s/bess/bess.conf", xdg);
		else if (home && *home)
			snprintf(path, sizeof(path), "%s/.config/bess/bess.conf", home);
		else
			path[0] = '\0';
		if (path[0] && bess_opt_file(defs, tool, path, 0, fn, ctx, err) != 0)
			return -1;
	}
	if (bess_opt_env(defs, fn, ctx, err) != 0)
		return -1;
	if ((cfg = find_config(defs, argc, argv)) != NULL &&
	    bess_opt_file(defs, tool, cfg, 1, fn, ctx, err) != 0)
		return -1;
	return bess_opt_argv(defs, argc, argv, fn, ctx, first, err);
}

int
bess_opt_fmt(const char *arg, int lp_ok, enum bess_fmt *fmt, struct bess_err *err)
{
	enum bess_fmt f;

	if (bess_fmt_parse(arg, &f) != 0 || (f == BESS_FMT_LP && !lp_ok))
		return bess_err_set(err, NULL, 0, "'%s' is not %s", arg,
		    lp_ok ? "csv, ndjson or lp" : "csv or ndjson");
	*fmt = f;
	return 0;
}

int
bess_opt_pick(const char *arg, const char *const *words, int *idx, struct bess_err *err)
{
	char list[200] = "";
	int i;

	for (i = 0; words[i]; i++) {
		if (strcmp(arg, words[i]) == 0) {
			*idx = i;
			return 0;
		}
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i == 0 ? "" :
		    words[i + 1] ? ", " : " or ", words[i]);
	}
	return bess_err_set(err, NULL, 0, "'%s' is not %s", arg, list);
}

int
bess_opt_int(const char *arg, long lo, long hi, long *v, struct bess_err *err)
{
	char *end;

	errno = 0;
	*v = strtol(arg, &end, 10);
	if (end == arg || *end || errno || *v < lo || *v > hi)
		return bess_err_set(err, NULL, 0, "'%s' is not a whole number from %ld to %ld",
		    arg, lo, hi);
	return 0;
}

int
bess_opt_dur(const char *arg, long long *us, struct bess_err *err)
{
	char why[256];

	if (bess_duration_parse(arg, us, why, sizeof(why)) != 0)
		return bess_err_set(err, NULL, 0, "%s", why);
	return 0;
}

int
bess_opt_mem(const char *arg, long long *bytes, struct bess_err *err)
{
	char *end;
	double mib;

	errno = 0;
	mib = strtod(arg, &end);
	if (end != arg && (strcmp(end, "G") == 0 || strcmp(end, "GiB") == 0))
		mib *= 1024;
	else if (end == arg || (*end != '\0' && strcmp(end, "M") != 0 && strcmp(end, "MiB") != 0))
		mib = -1;
	if (errno || !(mib >= 1 && mib <= 1 << 30))
		return bess_err_set(err, NULL, 0, "'%s' is not a size from 1 MiB to 1 PiB (e.g. 512M, 8G)",
		    arg);
	*bytes = (long long)(mib * 1048576);
	return 0;
}

long long
bess_opt_half_memory(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);

	return pages > 0 && psz > 0 ? (long long)pages * psz / 2 : 0;
}

int
bess_opt_str(char **dst, const char *arg, struct bess_err *err)
{
	free(*dst);
	if ((*dst = strdup(arg)) == NULL)
		return bess_err_set(err, NULL, 0, "out of memory");
	return 0;
}

int
bess_opt_list_add(char ***list, size_t *n, const char *s, struct bess_err *err)
{
	char *copy = strdup(s), *p, *tok, *save = NULL;

	if (copy == NULL)
		return bess_err_set(err, NULL, 0, "out of memory");
	for (p = copy; (tok = strtok_r(p, ",", &save)) != NULL; p = NULL) {
		char **q = realloc(*list, (*n + 2) * sizeof(**list));

		if (q == NULL || (q[*n] = strdup(tok)) == NULL) {
			if (q)
				*list = q;
			free(copy);
			return bess_err_set(err, NULL, 0, "out of memory");
		}
		*list = q;
		q[++*n] = NULL;
	}
	free(copy);
	return 0;
}

void
bess_opt_list_free(char **list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}
