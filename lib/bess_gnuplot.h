/* bess_gnuplot.h: find gnuplot on PATH and run it on a script, collecting the chart and its messages (no shell). */
#ifndef BESS_GNUPLOT_H
#define BESS_GNUPLOT_H

#include <stddef.h>

#include "bess_err.h"

/* A growing byte buffer, NUL-terminated after its n bytes once it holds any. */
struct bess_buf {
	char *p;		/* the bytes (malloc'd), NULL while empty */
	size_t n;		/* bytes held */
	size_t cap;		/* bytes allocated */
};

/* Append n bytes of s. 0, or -1 when out of memory (b unchanged). */
int bess_buf_add(struct bess_buf *b, const char *s, size_t n);
/* Free the bytes; b is empty again. */
void bess_buf_free(struct bess_buf *b);

/* The path of an executable "gnuplot" on PATH (default /usr/bin:/bin), malloc'd; NULL if none. */
char *bess_gnuplot_find(void);

/*
 * Run gnuplot (a path) as "gnuplot --default-settings" with script (len
 * bytes) on its standard input, no shell involved, appending its standard
 * output to out and its standard error to errb. SIGPIPE is ignored while
 * writing (gnuplot may stop reading early, after an error). Returns its exit
 * status (128 + the signal when killed), or -1 with err filled when it could
 * not be run or its output not collected (pipe, fork, poll, memory).
 */
int bess_gnuplot_run(const char *gnuplot, const char *script, size_t len, struct bess_buf *out,
    struct bess_buf *errb, struct bess_err *err);

/*
 * Call fn once for each non-blank line of gnuplot's messages (text, NUL-
 * terminated), without its newline: line is not NUL-terminated, n bytes.
 */
void bess_gnuplot_lines(const char *text, void (*fn)(void *ctx, const char *line, size_t n),
    void *ctx);

#endif
