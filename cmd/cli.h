/* cli.h: what every bess-* main shares — diagnostics, exit statuses, reading the operands, the -o file and side files, progress, and the library's errors printed. */
#ifndef BESS_CLI_H
#define BESS_CLI_H

#include <stdio.h>

#include "bess_err.h"
#include "bess_opt.h"
#include "bess_rec.h"
#include "bess_rows.h"
#include "bess_table.h"

#define EXIT_DATA	1	/* data or runtime failure */
#define EXIT_USAGE	2	/* bad command line */

extern const char *cli_prog;	/* "bess-ingest", for messages */

/*
 * The first call of every main: cli_std_fds, then the program name,
 * buffered stdout, SIGPIPE's default action, and temporary files removed
 * when SIGINT, SIGTERM or SIGHUP ends the program.
 */
void cli_init(const char *prog);

/* "prog: file:line: msg" for a library error. */
void cli_error(const struct bess_err *err);
/* "prog: msg" printf-style. */
void cli_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "prog: warning: msg". */
void cli_warnf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The library's report hooks (ctx unused): a warning with file:line, a warning, an error. */
void cli_warn_err(void *ctx, const struct bess_err *w);
void cli_warn_msg(void *ctx, const char *msg);
void cli_error_hook(void *ctx, const struct bess_err *err);
/* Usage error: "prog: msg" and "Try 'prog --help'." then exit 2. */
void cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* Usage error from a library error, naming its file:line (a config file's): then exit 2. */
void cli_usage_err(const struct bess_err *err) __attribute__((noreturn));

/* Open an input operand: "-" is stdin (named "<stdin>"). NULL after printing an error. */
FILE *cli_open_in(const char *path, const char **name);
void cli_close_in(FILE *fp);

/*
 * Output: NULL or "-" is stdout; a path is written by lib/atomic.c (see
 * bess_atomic.h: a temporary file renamed into place by cli_out_commit;
 * devices and FIFOs in place; a link's target replaced; the old file's
 * mode or the umask kept; removed on failure, on exit without commit and
 * on SIGINT/SIGTERM/SIGHUP). NULL after printing an error.
 */
FILE *cli_out_open(const char *path);
/* Flush, sync and rename into place; 0, or -1 after printing an error. */
int cli_out_commit(void);
/* Drop the temporary file (nothing is written to path). */
void cli_out_abort(void);
/* A side file (--summary, --breakdown) of len bytes written by the same rules; 0, or -1 after printing an error. */
int cli_side_write(const char *path, const char *buf, size_t len);
/* The same, with "-" for stderr (--summary -, --per-device -: beside the data on stdout); 0, or -1 (stderr: when it failed). */
int cli_side_text(const char *path, const char *buf, size_t len);

/* The reader of stdout went away (a write failed with EPIPE): cli_finish stays quiet about stdout. */
void cli_stdout_gone(void);
/* Flush and close stdout; a closed pipe (EPIPE) is quiet. Returns the exit status to use. */
int cli_finish(int status);

/* Is stderr a terminal (for progress lines)? */
int cli_interactive(void);


/* Is fp a pipe, socket or terminal: a live stream, whose records go out as they come? */
int cli_is_live(FILE *fp);

/*
 * Is out standard output appending (>>) to a regular file that is not
 * empty? Then a CSV log is continued without a second header.
 */
int cli_out_appends(FILE *out);


/* ---- option setters: the cases the tools share ---- */

/*
 * The option ids every tool gives --help, --version, -c/--config and
 * -o/--output in its table; the tool's own ids start at CLI_O_OWN.
 */
enum { CLI_O_HELP = 1, CLI_O_VERSION, CLI_O_CONFIG, CLI_O_OUTPUT, CLI_O_OWN };

/* The rows every tool's option table starts with: --help, --version, -c/--config and -o/--output. */
#define CLI_OPT_ROWS_NO_OUTPUT \
	{ "help", 0, BESS_OPT_FLAG | BESS_OPT_CLI, CLI_O_HELP }, \
	{ "version", 0, BESS_OPT_FLAG | BESS_OPT_CLI, CLI_O_VERSION }, \
	{ "config", 'c', BESS_OPT_ARG | BESS_OPT_CLI, CLI_O_CONFIG }
#define CLI_OPT_ROWS \
	CLI_OPT_ROWS_NO_OUTPUT, \
	{ "output", 'o', BESS_OPT_ARG | BESS_OPT_CLI, CLI_O_OUTPUT }


/*
 * bess_opt_load (built-in defaults, config files, BESS_* environment, -c,
 * argv) of the tool named cli_prog, each option handed to the shared setter cases (--help, --version, -c, -o)
 * first (usage for --help, output for -o; NULL: the tool has none) and to
 * set when it is the tool's own. 0 with *first the first operand, or -1
 * with err (a usage error).
 */
int cli_opt_load(const struct bess_optdef *opts, int argc, char **argv, bess_opt_fn set, void *ctx,
    void (*usage)(void), const char **output, int *first, struct bess_err *err);


/* --tz ZONE loaded: NULL when name is NULL; a zone that does not load is a usage error "--tz: why". */
struct bess_tz *cli_tz_load(const char *name);

/*
 * A time option (--begin, --end), checked once --tz is known: RFC 3339, or
 * a naive time in zone tz (in UTC with naive_utc). Anything else is a usage
 * error "--what: why".
 */
bess_time_t cli_time_opt(const char *what, const char *s, const struct bess_tz *tz, int naive_utc);

/* ---- records: reading the operands, writing results ---- */

/* What to do with one input: read records from r (named name). 0, or -1 after printing an error. */
typedef int (*cli_input_fn)(struct bess_reader *r, const char *name, void *ctx);

/*
 * Open the operands argv[first..argc) in turn (stdin when there are none)
 * as record readers with rd (NULL: the defaults) and hand each to fn; stop
 * at the first failure. 0, or -1 after printing an error.
 */
int cli_each_input(const struct bess_reader_opts *rd, int argc, char **argv, int first,
    cli_input_fn fn, void *ctx);
/* cli_each_input appending every record to t. */
int cli_read_table(struct bess_table *t, const struct bess_reader_opts *rd, int argc, char **argv,
    int first);
/*
 * cli_read_table, then the regular step of its times in *step_us: no records,
 * one record or times off a regular grid are errors. 0, or -1 after printing.
 */
int cli_read_grid(struct bess_table *t, const struct bess_reader_opts *rd, int argc, char **argv,
    int first, long long *step_us);

/* ---- several inputs open at once, then records written (bess-ingest, bess-resample) ---- */

/* The operands opened together: every header is known before the output starts. */
struct cli_inputs {
	FILE **fp;		/* the operands opened, in order (stdin for "-") */
	const char **name;	/* their names for messages ("<stdin>" for "-") */
	size_t n;		/* how many are open */
};

/* One operand opened (k-th, named name) handed to the engine. 0, or -1 with err. */
typedef int (*cli_add_fn)(void *ctx, size_t k, FILE *fp, const char *name, struct bess_err *err);

/*
 * Open the operands argv[first..argc) (none: "-", stdin) in turn and hand
 * each to add. 0, or -1 after printing an error (what was opened is closed
 * by cli_inputs_close).
 */
int cli_inputs_open(struct cli_inputs *in, int argc, char **argv, int first, cli_add_fn add,
    void *ctx);
void cli_inputs_close(struct cli_inputs *in);

/*
 * The records' writer on the -o output (cli_out_open), wo (zeroed, the
 * tool's measurement and tags set) given fmt, each record flushed when an
 * input is live (a pipe), no second CSV header when standard output appends
 * to a log, and, unless an input is live or quiet, progress on a terminal
 * every `every` records with consumed(obj) bytes read. NULL after printing
 * an error.
 */
struct bess_writer *cli_records_out(const char *output, enum bess_fmt fmt,
    const struct cli_inputs *in, struct bess_writer_opts *wo, long every,
    long long (*consumed)(const void *), const void *obj, int quiet);
/*
 * The end of a run that wrote records: the progress line cleared; then, when
 * rc is not 0, err printed and the output dropped, else the output
 * committed. 0, or EXIT_DATA.
 */
int cli_records_end(int rc, const struct bess_err *err);

/* bess_table_column, printing its error. 0, or -1 after printing an error. */
int cli_table_num(const struct bess_table *t, const char *name, double **out, int *idx);


#endif
