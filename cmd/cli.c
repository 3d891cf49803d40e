/* cli.c: diagnostics, option setters, inputs, record output and atomic files shared by the bess-* programs. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bess_atomic.h"
#include "bess_qty.h"
#include "bess_summary.h"
#include "cli.h"

#ifndef BESS_VERSION
#define BESS_VERSION "0.1.0"
#endif

const char *cli_prog = "bess";

static struct bess_atomic out_file;	/* the -o file being written */
static int out_open;			/* out holds a file (not stdout) */

static void
cleanup(void)
{
	if (out_open) {
		bess_atomic_abort(&out_file);
		out_open = 0;
	}
}

static void
on_signal(int sig)
{
	bess_atomic_unlink_all();	/* async-signal-safe */
	signal(sig, SIG_DFL);
	raise(sig);
}

void
cli_std_fds(void)
{
	int fd;

	/*
	 * A descriptor 0, 1 or 2 closed at start (2>&- from a daemon) would be
	 * taken by the next open: a warning would land in the -o file. Hold
	 * each on /dev/null first: reading gets end of file, writes vanish.
	 */
	for (fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
			int nfd = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);

			if (nfd < 0)
				abort();	/* no /dev/null: nothing safe is left to do */
			if (nfd != fd) {
				dup2(nfd, fd);
				close(nfd);
			}
		}
}

void
cli_init(const char *prog)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa, old;
	size_t i;

	cli_std_fds();
	cli_prog = prog;
	signal(SIGPIPE, SIG_DFL);
	atexit(cleanup);
	/* temporary files go when a signal ends the program (an ignored signal stays ignored: nohup) */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
			sigaction(sigs[i], &sa, NULL);
	/* large buffer for the data on stdout */
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
}

void
cli_error(const struct bess_err *err)
{
	char buf[1024];

	fprintf(stderr, "%s: %s\n", cli_prog, bess_err_str(err, buf, sizeof(buf)));
}

void
cli_errorf(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cli_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
cli_warnf(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: warning: ", cli_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
cli_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cli_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help'.\n", cli_prog);
	exit(EXIT_USAGE);
}

void
cli_usage_err(const struct bess_err *err)
{
	char buf[1024];

	cli_usage("%s", bess_err_str(err, buf, sizeof(buf)));
}

void
cli_version(void)
{
	printf("%s %s\n", cli_prog, BESS_VERSION);
	exit(cli_finish(0));
}

FILE *
cli_open_in(const char *path, const char **name)
{
	FILE *fp;

	if (path == NULL || strcmp(path, "-") == 0) {
		*name = "<stdin>";
		return stdin;
	}
	*name = path;
	if ((fp = fopen(path, "r")) == NULL) {
		cli_errorf("%s: %s", path, strerror(errno));
		return NULL;
	}
	return fp;
}

void
cli_close_in(FILE *fp)
{
	if (fp != NULL && fp != stdin)
		fclose(fp);
}

FILE *
cli_out_open(const char *path)
{
	struct bess_err err;

	if (path == NULL || strcmp(path, "-") == 0)
		return stdout;
	cleanup();
	if (bess_atomic_open(&out_file, path, &err) != 0) {
		cli_error(&err);
		return NULL;
	}
	out_open = 1;
	return out_file.fp;
}

int
cli_out_commit(void)
{
	struct bess_err err;

	if (!out_open)
		return 0;
	out_open = 0;
	if (bess_atomic_commit(&out_file, &err) != 0) {
		cli_error(&err);
		return -1;
	}
	return 0;
}

void
cli_out_abort(void)
{
	cleanup();
}

int
cli_side_write(const char *path, const char *buf, size_t len)
{
	struct bess_err err;

	if (bess_write_atomic(path, buf, len, &err) != 0) {
		cli_error(&err);
		return -1;
	}
	return 0;
}

static int stdout_gone;	/* the reader of stdout went away */

void
cli_stdout_gone(void)
{
	stdout_gone = 1;
}

int
cli_finish(int status)
{
	if (stdout_gone) {
		/* what was not written stays with its source; the error flag would say "Success" */
		fclose(stdout);
		return status;
	}
	/*
	 * A write to stdout that failed while the tool ran was reported where it failed (the
	 * record writers' "write error"); a failing tool does not say it twice.
	 */
	if (status != 0 && ferror(stdout)) {
		fclose(stdout);
		return status;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno != EPIPE) {
			cli_errorf("stdout: %s", strerror(errno));
			status = status ? status : EXIT_DATA;
		}
	}
	if (fclose(stdout) != 0 && errno != EPIPE && status == 0) {
		cli_errorf("stdout: %s", strerror(errno));
		status = EXIT_DATA;
	}
	return status;
}

int
cli_each_input(const struct bess_reader_opts *rd, int argc, char **argv, int first,
    cli_input_fn fn, void *ctx)
{
	static char dash[] = "-";
	char *only[] = { dash };
	char **ops = argc > first ? argv + first : only;
	int i, n = argc > first ? argc - first : 1, rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		const char *name;
		FILE *fp = cli_open_in(ops[i], &name);
		struct bess_reader *r;
		struct bess_err err;

		if (fp == NULL)
			return -1;
		if ((r = bess_reader_open(fp, name, rd, &err)) == NULL) {
			cli_error(&err);
			rc = -1;
		} else {
			rc = fn(r, name, ctx);
			bess_reader_close(r);
		}
		cli_close_in(fp);
	}
	return rc;
}

static int
into_table(struct bess_reader *r, const char *name, void *ctx)
{
	struct bess_err err;

	(void)name;
	if (bess_table_read(ctx, r, &err) != 0) {
		cli_error(&err);
		return -1;
	}
	return 0;
}

int
cli_read_table(struct bess_table *t, const struct bess_reader_opts *rd, int argc, char **argv,
    int first)
{
	return cli_each_input(rd, argc, argv, first, into_table, t);
}

int
cli_read_grid(struct bess_table *t, const struct bess_reader_opts *rd, int argc, char **argv,
    int first, long long *step_us)
{
	struct bess_err err;

	if (cli_read_table(t, rd, argc, argv, first) != 0)
		return -1;
	if (t->n == 0) {
		cli_errorf("no records");
		return -1;
	}
	if (bess_table_grid(t, step_us, &err) != 0) {
		cli_error(&err);
		return -1;
	}
	if (t->n < 2) {
		cli_errorf("%s: one record is not enough to know the step (need two or more)", t->file[0]);
		return -1;
	}
	return 0;
}

int
cli_table_num(const struct bess_table *t, const char *name, double **out, int *idx)
{
	struct bess_err err;
	int c = bess_table_col(t, name);

	*out = NULL;
	if (idx)
		*idx = c;
	if (c < 0)
		return 0;
	if ((*out = malloc((t->n + 1) * sizeof(double))) == NULL) {
		cli_errorf("out of memory");
		return -1;
	}
	if (bess_table_num(t, c, *out, &err) != 0) {
		cli_error(&err);
		return -1;
	}
	return 0;
}

const char *
cli_num6(double v, char *buf)
{
	return bess_fmt_fig(v, buf);
}

int
cli_rows_open(struct cli_rows *o, FILE *fp, enum bess_fmt fmt, const struct bess_table *t,
    const char *const *cols, const char *omit)
{
	struct bess_writer_opts wo;
	size_t i, k;

	memset(o, 0, sizeof(*o));
	o->t = t;
	bess_schema_init(&o->s);
	bess_rec_init(&o->rec);
	memset(&wo, 0, sizeof(wo));
	wo.fmt = fmt;
	if ((o->w = bess_writer_new(fp, &wo)) == NULL ||
	    (o->keep = malloc((t->schema.n + 1) * sizeof(*o->keep))) == NULL)
		goto oom;
	for (i = 0; i < t->schema.n; i++) {
		int ours = 0;

		for (k = 0; cols[k]; k++)
			ours |= strcmp(t->schema.name[i], cols[k]) == 0;
		if (!ours) {
			o->keep[o->nkeep++] = i;
			if (bess_schema_add(&o->s, t->schema.name[i]) < 0)
				goto oom;
		}
	}
	for (k = 0; cols[k]; k++)
		if ((omit == NULL || strcmp(cols[k], omit) != 0) && bess_schema_add(&o->s, cols[k]) < 0)
			goto oom;
	if (bess_rec_resize(&o->rec, o->s.n) != 0 || (o->num = calloc(o->s.n, sizeof(*o->num))) == NULL)
		goto oom;
	return 0;
oom:
	cli_errorf("out of memory");
	return cli_rows_close(o, 0);
}

void
cli_rows_start(struct cli_rows *o, size_t row)
{
	size_t j;

	for (j = 0; j < o->nkeep; j++)
		bess_rec_set(&o->rec, j, bess_table_get(o->t, row, (int)o->keep[j]),
		    bess_table_kind(o->t, row, (int)o->keep[j]));
	o->rec.line = o->t->line[row];
	o->f = o->nkeep;
}

void
cli_rows_num(struct cli_rows *o, double v)
{
	bess_rec_set(&o->rec, o->f, cli_num6(v, o->num[o->f]), BESS_K_NUM);
	o->f++;
}

void
cli_rows_text(struct cli_rows *o, const char *text, enum bess_kind kind)
{
	bess_rec_set(&o->rec, o->f++, text, kind);
}

int
cli_rows_write(struct cli_rows *o)
{
	struct bess_err err;

	if (bess_writer_write(o->w, &o->s, &o->rec, &err) != 0) {
		cli_error(&err);
		return -1;
	}
	return 0;
}

int
cli_rows_close(struct cli_rows *o, int ok)
{
	struct bess_err err;
	int rc = ok ? 0 : -1;

	if (ok && bess_writer_finish(o->w, &o->s, &err) != 0) {
		cli_error(&err);
		rc = -1;
	}
	bess_writer_free(o->w);
	bess_rec_free(&o->rec);
	bess_schema_free(&o->s);
	free(o->keep);
	free(o->num);
	memset(o, 0, sizeof(*o));
	return rc;
}

int
cli_interactive(void)
{
	return isatty(STDERR_FILENO);
}

static struct {
	long long (*consumed)(const void *);	/* bytes of the inputs read so far */
	const void *obj;	/* ... its argument */
	long long size;		/* their total size, bytes (regular files), 0 unknown */
	double t0, last;	/* start, last line drawn (monotonic s) */
	int shown;		/* a line is on the terminal */
	double every_s;		/* seconds between lines (1; BESS_PROGRESS_INTERVAL for tests) */
} prog;

static double
mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
progress_hook(void *ctx, long long records)
{
	double now = mono_s();
	long long pos;

	(void)ctx;
	if (now - prog.last < prog.every_s)
		return;
	prog.last = now;
	pos = prog.consumed(prog.obj);
	/* the share read, when the inputs are regular files (in blocks, it moves a block at a time) */
	if (prog.size > 0)
		fprintf(stderr, "\r%s: %lld records, %.0f %% of the input read, %.0f s ", cli_prog,
		    records, 100.0 * (double)pos / (double)prog.size, now - prog.t0);
	else
		fprintf(stderr, "\r%s: %lld records, %.0f s ", cli_prog, records, now - prog.t0);
	prog.shown = 1;
}

void
cli_progress(struct bess_writer_opts *wo, FILE **inputs, size_t n, long every,
    long long (*consumed)(const void *), const void *obj)
{
	struct stat st;
	size_t i;

	if (!cli_interactive())
		return;
	prog.consumed = consumed;
	prog.obj = obj;
	prog.size = 0;
	for (i = 0; i < n; i++)
		if (inputs[i] != NULL && fstat(fileno(inputs[i]), &st) == 0 && S_ISREG(st.st_mode))
			prog.size += st.st_size;
	prog.t0 = prog.last = mono_s();
	prog.every_s = getenv("BESS_PROGRESS_INTERVAL") ? atof(getenv("BESS_PROGRESS_INTERVAL")) : 1;
	wo->progress = progress_hook;
	wo->progress_ctx = NULL;
	wo->progress_every = every > 0 ? every : 1;
}

void
cli_progress_end(void)
{
	if (prog.shown)
		fprintf(stderr, "\r\033[K");
	prog.shown = 0;
}

int
cli_is_live(FILE *fp)
{
	struct stat st;

	return fp != NULL && fstat(fileno(fp), &st) == 0 && !S_ISREG(st.st_mode);
}

int
cli_out_appends(FILE *out)
{
	struct stat st;
	int fl;

	return out == stdout && fstat(STDOUT_FILENO, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size > 0 && (fl = fcntl(STDOUT_FILENO, F_GETFL)) != -1 && (fl & O_APPEND);
}

int
cli_common_opt(int id, const char *arg, void (*usage)(void), const char **output)
{
	switch (id) {
	case CLI_O_HELP:
		usage();
		exit(cli_finish(0));
	case CLI_O_VERSION:
		cli_version();
	case CLI_O_CONFIG:
		return 1;
	case CLI_O_OUTPUT:
		if (output == NULL)
			return 0;
		*output = arg;
		return 1;
	}
	return 0;
}

int
cli_fmt_opt(const char *arg, int lp_ok, enum bess_fmt *fmt, struct bess_err *err)
{
	enum bess_fmt f;

	if (bess_fmt_parse(arg, &f) != 0 || (f == BESS_FMT_LP && !lp_ok))
		return bess_err_set(err, NULL, 0, "'%s' is not %s", arg,
		    lp_ok ? "csv, ndjson or lp" : "csv or ndjson");
	*fmt = f;
	return 0;
}

int
cli_pick(const char *arg, const char *const *words, int *idx, struct bess_err *err)
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
cli_int_opt(const char *arg, long lo, long hi, long *v, struct bess_err *err)
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
cli_str_opt(char **dst, const char *arg, struct bess_err *err)
{
	free(*dst);
	if ((*dst = strdup(arg)) == NULL)
		return bess_err_set(err, NULL, 0, "out of memory");
	return 0;
}

int
cli_list_add(char ***list, size_t *n, const char *s, struct bess_err *err)
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
cli_list_free(char **list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

struct bess_tz *
cli_tz_load(const char *name)
{
	struct bess_tz *tz;
	struct bess_err err;

	if (name == NULL)
		return NULL;
	if ((tz = bess_tz_load(name, &err)) == NULL)
		cli_usage("--tz: %s", err.msg);
	return tz;
}

bess_time_t
cli_time_opt(const char *what, const char *s, const struct bess_tz *tz, int naive_utc)
{
	struct bess_tparse tp;
	bess_time_t t;
	char why[256];

	memset(&tp, 0, sizeof(tp));
	tp.tz = tz;
	tp.naive_utc = naive_utc;
	if (bess_time_parse(s, strlen(s), &tp, &t, why, sizeof(why)) != BESS_TP_OK)
		cli_usage("--%s: %s", what, why);
	return t;
}
