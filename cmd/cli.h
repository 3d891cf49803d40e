/* cli.h: what every bess-* main shares — diagnostics, exit statuses, inputs and atomic outputs. */
#ifndef BESS_CLI_H
#define BESS_CLI_H

#include <stdio.h>

#include "bess_err.h"

#define EXIT_DATA	1	/* data or runtime failure */
#define EXIT_USAGE	2	/* bad command line */

extern const char *cli_prog;	/* "bess-ingest", for messages */

/* Set the program name, unbuffered-enough stdio, and default signal handling. */
void cli_init(const char *prog);

/* "prog: file:line: msg" for a library error. */
void cli_error(const struct bess_err *err);
/* "prog: msg" printf-style. */
void cli_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "prog: warning: msg". */
void cli_warnf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Usage error: "prog: msg" and "Try 'prog --help'." then exit 2. */
void cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* Print "prog VERSION" and exit 0. */
void cli_version(void) __attribute__((noreturn));

/* Open an input operand: "-" is stdin (named "<stdin>"). NULL after printing an error. */
FILE *cli_open_in(const char *path, const char **name);
void cli_close_in(FILE *fp);

/*
 * Output: NULL or "-" is stdout; a path is written to a temporary file in
 * the same directory and renamed over path by cli_out_commit, so readers
 * never see half a file. On failure, on exit without commit, and on
 * SIGINT/SIGTERM/SIGHUP the temporary file is removed. A path that names a
 * device, FIFO or socket (/dev/null, /dev/stdout) is written in place:
 * renaming over it would replace it.
 */
FILE *cli_out_open(const char *path);
/* Flush, sync and rename into place; 0, or -1 after printing an error. */
int cli_out_commit(void);
/* Drop the temporary file (nothing is written to path). */
void cli_out_abort(void);

/* Flush and close stdout; a closed pipe (EPIPE) is quiet. Returns the exit status to use. */
int cli_finish(int status);

/* Is stderr a terminal (for progress lines)? */
int cli_interactive(void);

#endif
