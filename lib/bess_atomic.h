/* bess_atomic.h: the one way bess writes an output, state or summary file — readers see the old file or the new one, never a part. */
#ifndef BESS_ATOMIC_H
#define BESS_ATOMIC_H

#include <stddef.h>
#include <stdio.h>

#include "bess_err.h"

/*
 * A file being written. A regular file (or a name that does not exist yet)
 * is written to a temporary file beside it, which bess_atomic_commit
 * flushes to disk and renames over the name. The rules, the same for every
 * output, state and summary file:
 *  - a device, FIFO or socket (/dev/null, /dev/stdout to a terminal) is
 *    written in place: renaming over it would replace it (as root, the
 *    device itself);
 *  - a symbolic link keeps being a link: its target is replaced (a link
 *    that does not resolve is written through, in place);
 *  - an existing file is replaced only when it is writable (access(2)), and
 *    the new one keeps its permission bits; a new file gets 0666 less the
 *    umask, as open(2) would give it;
 *  - the temporary file is removed on failure, on abort, and (through
 *    bess_atomic_unlink_all, which the programs call from their signal
 *    handlers) when the process is killed by SIGINT, SIGTERM or SIGHUP.
 */
struct bess_atomic {
	FILE *fp;		/* write the contents here */
	char *path;		/* the name written: the link's target for a link */
	char *tmp;		/* the temporary file, NULL when written in place */
	int slot;		/* its entry in the table of files to remove on a signal, -1 none */
};

/* Start writing path. 0 with a->fp open, or -1 with err ("path: why"). */
int bess_atomic_open(struct bess_atomic *a, const char *path, struct bess_err *err);
/*
 * The name a library that opens files by name (GLPK) should write: the
 * temporary file, or path itself when written in place.
 */
const char *bess_atomic_name(const struct bess_atomic *a);
/* Flush, sync and rename into place; a is then closed. 0, or -1 with err (nothing replaced). */
int bess_atomic_commit(struct bess_atomic *a, struct bess_err *err);
/* Close a and drop the temporary file: path is left as it was. */
void bess_atomic_abort(struct bess_atomic *a);

/* Write len bytes of buf to path by the rules above. 0, or -1 with err. */
int bess_write_atomic(const char *path, const char *buf, size_t len, struct bess_err *err);

/*
 * Remove every temporary file still open. Async-signal-safe: for a signal
 * handler, before the process dies of the signal.
 */
void bess_atomic_unlink_all(void);

#endif
