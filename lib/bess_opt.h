/* bess_opt.h: one option table per tool, read from argv, config files and BESS_* environment by the same code. */
#ifndef BESS_OPT_H
#define BESS_OPT_H

#include "bess_err.h"
#include "bess_rec.h"

/* Argument and scope of an option. */
enum {
	BESS_OPT_FLAG = 0,	/* no argument */
	BESS_OPT_ARG = 1,	/* requires an argument */
	BESS_OPT_CLI = 1 << 4,	/* command line only: not a config key or env variable (-o, --help) */
	BESS_OPT_OLD = 1 << 5	/* an old letter still read for scripts: command line only, found by
				   its letter, never by its name (list it after the option itself;
				   doc/args.txt lists both) */
};

struct bess_optdef {
	const char *name;	/* long name "soc-min"; config key and BESS_SOC_MIN */
	int shortopt;		/* 'o', or 0 */
	int flags;		/* BESS_OPT_FLAG or BESS_OPT_ARG, | BESS_OPT_CLI */
	int id;			/* handed to the setter */
};

/* Where a setting came from, for messages and precedence tracking. */
struct bess_optsrc {
	const char *file;	/* config file, "environment", or "command line" */
	long line;		/* line in the file, 0 otherwise */
};

/*
 * The tool's setter: apply option id with arg (NULL for a flag). Returns 0,
 * or -1 with err->msg filled (file/line are added by the caller).
 */
typedef int (*bess_opt_fn)(void *ctx, int id, const char *arg,
    const struct bess_optsrc *src, struct bess_err *err);

/*
 * Parse argv (GNU style: --name=value, --name value, -x value, -xvalue,
 * bundled flags -ab, "--" ends options, options and operands may mix).
 * Operands are moved, in order, to argv[*first .. argc). Returns 0, or -1
 * with err (a usage error: exit 2). An unknown long option names the
 * nearest known one ("unknown option '--capacty'; did you mean '--capacity'?").
 */
int bess_opt_argv(const struct bess_optdef *defs, int argc, char **argv,
    bess_opt_fn fn, void *ctx, int *first, struct bess_err *err);

/*
 * Read a config file: "key = value" lines (keys are long option names),
 * '#' comments, blank lines, optional double quotes around the value,
 * "[section]" headers. Keys before any section, or in "[tool]", apply; other
 * sections are skipped. Keys unknown to this tool are skipped at top level
 * (they may be another tool's) and are errors inside "[tool]". A flag's value
 * is true/false, yes/no, on/off or 1/0. must_exist=0 ignores a missing file.
 */
int bess_opt_file(const struct bess_optdef *defs, const char *tool, const char *path,
    int must_exist, bess_opt_fn fn, void *ctx, struct bess_err *err);

/* Apply BESS_<NAME> variables (name upper-cased, '-' as '_') for every config-able option. */
int bess_opt_env(const struct bess_optdef *defs, bess_opt_fn fn, void *ctx,
    struct bess_err *err);

/*
 * The whole sequence, lowest precedence first: system file
 * (BESS_SYSCONFDIR/bess/bess.conf), user file
 * (${XDG_CONFIG_HOME:-~/.config}/bess/bess.conf), BESS_* environment,
 * "-c FILE"/"--config FILE" from argv (the table must define "config"),
 * then argv. BESS_NO_CONFIG=1 skips both files (tests use it).
 */
int bess_opt_load(const struct bess_optdef *defs, const char *tool, int argc,
    char **argv, bess_opt_fn fn, void *ctx, int *first, struct bess_err *err);

/*
 * The option of defs whose name is nearest to name (len bytes): a unique
 * one that name abbreviates, else the one within the fewest edits
 * (insert, delete, change or swap two neighbours; at most 1 for names of up
 * to 4 letters, 2 up to 8, 3 beyond), the first in the table on a tie. NULL if none.
 */
const char *bess_opt_nearest(const struct bess_optdef *defs, const char *name, size_t len);

/* An option's name for messages, "-C/--count" or "--fields", from the first row of defs with id; "?" if none. buf: len bytes. */
const char *bess_opt_label(const struct bess_optdef *defs, int id, char *buf, size_t len);

/*
 * Option tables joined in order (tables: a NULL-terminated list of
 * NULL-terminated tables; a tool's own first, then the groups it takes from
 * the library) into a new NULL-terminated array (free() it). NULL when out
 * of memory.
 */
struct bess_optdef *bess_opt_join(const struct bess_optdef *const *tables);

/* Parse a boolean word; 1, 0, or -1 if not one. */
int bess_opt_bool(const char *s);

/* ---- option values: the cases the tools share (they fill err, the caller says which option) ---- */

/*
 * A record format option (-f, -i): csv or ndjson (jsonl, json), and with
 * lp_ok the line protocol (lp, influx, line) too. Sets *fmt and returns 0,
 * or -1 with err "'ARG' is not csv or ndjson" ("csv, ndjson or lp").
 */
int bess_opt_fmt(const char *arg, int lp_ok, enum bess_fmt *fmt, struct bess_err *err);

/*
 * arg as one of words (NULL-terminated): *idx its position; otherwise -1
 * with err "'ARG' is not a, b or c".
 */
int bess_opt_pick(const char *arg, const char *const *words, int *idx, struct bess_err *err);

/* arg as a whole number in [lo, hi]: *v; otherwise -1 with err "'ARG' is not a whole number from LO to HI". */
int bess_opt_int(const char *arg, long lo, long hi, long *v, struct bess_err *err);

/* arg as a duration (bess_duration_parse: 15m, 1h, PT1H, 90s) into *us. 0, or -1 with err saying why. */
int bess_opt_dur(const char *arg, long long *us, struct bess_err *err);

/*
 * arg as a memory size, MiB (a number, or with M or MiB) or GiB (G, GiB),
 * from 1 MiB to 1 PiB, into *bytes. 0, or -1 with err "'ARG' is not a size
 * from 1 MiB to 1 PiB (e.g. 512M, 8G)".
 */
int bess_opt_mem(const char *arg, long long *bytes, struct bess_err *err);
/* Half the machine's physical memory in bytes (a memory bound's default); 0 when unknown. */
long long bess_opt_half_memory(void);

/* An option's text kept: *dst (freed first) becomes a copy of arg. 0, or -1 with err "out of memory". */
int bess_opt_str(char **dst, const char *arg, struct bess_err *err);

/*
 * Append the items of the comma-separated list s (empty items skipped) to
 * *list, which holds *n copies and stays NULL-terminated once it has one.
 * 0, or -1 with err "out of memory".
 */
int bess_opt_list_add(char ***list, size_t *n, const char *s, struct bess_err *err);
/* Free the n strings of list, and list. */
void bess_opt_list_free(char **list, size_t n);

#endif
