/* cli.c: what the bess-* mains share: diagnostics, the operands read, the -o file and side files (lib/atomic.c), progress, usage errors, and the library's errors printed. */
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

static void cli_version(void) __attribute__((noreturn));
static void cli_progress(struct bess_writer_opts *wo, FILE **inputs, size_t n, long every,
    long long (*consumed)(const void *), const void *obj);
static void cli_progress_end(void);

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

/* Descriptors 0, 1 and 2 closed at start are opened on /dev/null, so no file takes their place. */
static void
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

/* "prog: " what, the message, end: the one way a diagnostic line is written. */
static void __attribute__((format(printf, 3, 0)))
say(const char *what, const char *end, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s", cli_prog, what);
	vfprintf(stderr, fmt, ap);
	fputs(end, stderr);
}

void
cli_errorf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("", "\n", fmt, ap);
	va_end(ap);
}

void
cli_warnf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("warning: ", "\n", fmt, ap);
	va_end(ap);
}

void
cli_warn_err(void *ctx, const struct bess_err *w)
{
	char buf[1024];

	(void)ctx;
	cli_warnf("%s", bess_err_str(w, buf, sizeof(buf)));
}

void
cli_warn_msg(void *ctx, const char *msg)
{
	(void)ctx;
	cli_warnf("%s", msg);
}

void
cli_error_hook(void *ctx, const struct bess_err *err)
{
	(void)ctx;
	cli_error(err);
}

void
cli_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("", "\n", fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help'.\n", cli_prog);
	exit(EXIT_USAGE);
}

void
cli_usage_err(const struct bess_err *err)
{
	char buf[1024];

	cli_usage("%s", bess_err_str(err, buf, sizeof(buf)));
}

/* Print "prog VERSION" and exit 0. */
static void
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

int
cli_side_text(const char *path, const char *buf, size_t len)
{
	if (strcmp(path, "-") == 0) {
		fwrite(buf, 1, len, stderr);
		return fflush(stderr) == 0 ? 0 : -1;
	}
	return cli_side_write(path, buf, len);
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
	if (bess_table_regular(t, step_us, &err) != 0) {
		cli_error(&err);
		return -1;
	}
	return 0;
}

int
cli_inputs_open(struct cli_inputs *in, int argc, char **argv, int first, cli_add_fn add,
    void *ctx)
{
	static char dash[] = "-";
	char *only[] = { dash };
	char **ops = argc > first ? argv + first : only;
	size_t k, n = argc > first ? (size_t)(argc - first) : 1;

	in->n = 0;
	if ((in->fp = calloc(n, sizeof(*in->fp))) == NULL ||
	    (in->name = calloc(n, sizeof(*in->name))) == NULL) {
		cli_errorf("out of memory");
		return -1;
	}
	for (k = 0; k < n; k++) {
		struct bess_err err;

		if ((in->fp[k] = cli_open_in(ops[k], &in->name[k])) == NULL)
			return -1;
		in->n++;
		if (add(ctx, k, in->fp[k], in->name[k], &err) != 0) {
			cli_error(&err);
			return -1;
		}
	}
	return 0;
}

void
cli_inputs_close(struct cli_inputs *in)
{
	size_t k;

	for (k = 0; k < in->n; k++)
		cli_close_in(in->fp[k]);
	free(in->fp);
	free(in->name);
	in->fp = NULL;
	in->name = NULL;
	in->n = 0;
}

struct bess_writer *
cli_records_out(const char *output, enum bess_fmt fmt, const struct cli_inputs *in,
    struct bess_writer_opts *wo, long every, long long (*consumed)(const void *), const void *obj,
    int quiet)
{
	struct bess_writer *w;
	FILE *out;
	size_t k;

	if ((out = cli_out_open(output)) == NULL)
		return NULL;
	wo->fmt = fmt;
	for (k = 0; k < in->n; k++)
		wo->flush_each |= cli_is_live(in->fp[k]);	/* a pipe: each record out as it comes */
	wo->no_header = fmt == BESS_FMT_CSV && cli_out_appends(out);
	if (!wo->flush_each && !quiet)
		cli_progress(wo, in->fp, in->n, every, consumed, obj);	/* a terminal */
	if ((w = bess_writer_new(out, wo)) == NULL)
		cli_errorf("out of memory");
	return w;
}

int
cli_records_end(int rc, const struct bess_err *err)
{
	cli_progress_end();
	if (rc != 0) {
		cli_error(err);
		cli_out_abort();
		return EXIT_DATA;
	}
	return cli_out_commit() != 0 ? EXIT_DATA : 0;
}

int
cli_table_num(const struct bess_table *t, const char *name, double **out, int *idx)
{
	struct bess_err err;

	if (bess_table_column(t, name, out, idx, &err) != 0) {
		cli_error(&err);
		return -1;
	}
	return 0;
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

/*
 * Progress on standard error while a long run writes records, when stderr
 * is a terminal: set wo's progress hook (every `every` records) to a line
 * "prog: N records, X % of the input read, S s" redrawn at most once a
 * second; the share is consumed(obj) (bytes read, as the engine knows them)
 * over the size of the inputs (n of them) that are regular files, shown when
 * there are some. cli_progress_end clears the line.
 */
static void
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

static void
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

/*
 * The setter cases every tool shares, tried first: CLI_O_HELP runs usage()
 * (text to stdout) and exits 0, CLI_O_VERSION prints the version and exits 0,
 * CLI_O_CONFIG does nothing (bess_opt_load reads -c FILE before argv), and
 * CLI_O_OUTPUT sets *output to arg (output NULL: the tool has no -o).
 * Returns 1 when id was one of them, 0 when it is the tool's own.
 */
static int
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

/* What cli_opt_load hands each option to. */
struct opt_load {
	bess_opt_fn set;
	void *ctx;
	void (*usage)(void);
	const char **output;
};

static int
opt_load_set(void *ctx, int id, const char *arg, const struct bess_optsrc *src, struct bess_err *err)
{
	const struct opt_load *ol = ctx;

	if (cli_common_opt(id, arg, ol->usage, ol->output))
		return 0;
	return ol->set(ol->ctx, id, arg, src, err);
}

int
cli_opt_load(const struct bess_optdef *opts, int argc, char **argv, bess_opt_fn set, void *ctx,
    void (*usage)(void), const char **output, int *first, struct bess_err *err)
{
	struct opt_load ol = { set, ctx, usage, output };

	return bess_opt_load(opts, cli_prog, argc, argv, opt_load_set, &ol, first, err);
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
