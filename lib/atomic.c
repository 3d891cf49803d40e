/* atomic.c: the one atomic file writer (temporary file, fsync, rename) behind every output, state and summary file. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bess_atomic.h"

/*
 * Temporary files to remove when a signal kills the process. A handler may
 * only read what is fully written: a slot's name is filled before its live
 * flag is raised, and the flag dropped before the slot is reused.
 */
#define NSLOT 32
static char slot_name[NSLOT][PATH_MAX];		/* temporary file names */
static volatile sig_atomic_t slot_live[NSLOT];	/* 1: slot_name exists on disk */
static int slot_used[NSLOT];			/* taken (under slot_mu) */
static pthread_mutex_t slot_mu = PTHREAD_MUTEX_INITIALIZER;

static int
slot_take(const char *name)
{
	int i, got = -1;

	if (strlen(name) >= PATH_MAX)
		return -1;	/* not removed on a signal, still removed on failure */
	pthread_mutex_lock(&slot_mu);
	for (i = 0; i < NSLOT && got < 0; i++)
		if (!slot_used[i]) {
			slot_used[i] = 1;
			got = i;
		}
	pthread_mutex_unlock(&slot_mu);
	if (got >= 0) {
		memcpy(slot_name[got], name, strlen(name) + 1);
		slot_live[got] = 1;
	}
	return got;
}

static void
slot_drop(int i)
{
	if (i < 0)
		return;
	slot_live[i] = 0;
	pthread_mutex_lock(&slot_mu);
	slot_used[i] = 0;
	pthread_mutex_unlock(&slot_mu);
}

void
bess_atomic_unlink_all(void)
{
	int i;

	for (i = 0; i < NSLOT; i++)
		if (slot_live[i])
			unlink(slot_name[i]);	/* async-signal-safe */
}

/* A fresh temporary file "DIR/.BASE.XXXXXX" opened with mode (umask applies), or -1. */
static int
tmp_create(const char *path, mode_t mode, char **tmp)
{
	static const char abc[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	static unsigned long counter;
	const char *slash = strrchr(path, '/');
	size_t dlen = slash ? (size_t)(slash - path + 1) : 0, len = strlen(path) + 9;
	int tries, fd;

	if ((*tmp = malloc(len)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	for (tries = 0; tries < 1000; tries++) {
		struct timespec ts;
		unsigned long x;
		char *p;
		int k;

		clock_gettime(CLOCK_REALTIME, &ts);
		x = (unsigned long)ts.tv_nsec * 2654435761u ^ (unsigned long)getpid() * 40503u ^
		    __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED) * 2246822519u ^ (unsigned long)tries;
		memcpy(*tmp, path, dlen);
		p = *tmp + dlen;
		*p++ = '.';
		strcpy(p, path + dlen);
		p += strlen(p);
		*p++ = '.';
		for (k = 0; k < 6; k++, x /= 62)
			*p++ = abc[x % 62];
		*p = '\0';
		/* open(2) applies the umask (and a folder's default ACL) as for any new file */
		if ((fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)) >= 0 ||
		    errno != EEXIST)
			break;
	}
	if (fd < 0) {
		int e = errno;

		free(*tmp);
		*tmp = NULL;
		errno = e;
	}
	return fd;
}

int
bess_atomic_open(struct bess_atomic *a, const char *path, struct bess_err *err)
{
	struct stat st;
	mode_t keep = 0;
	int fd, direct = 0;

	memset(a, 0, sizeof(*a));
	a->slot = -1;
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		/* a symbolic link (/dev/stdout to a file): replace its target, keep the link */
		if ((a->path = realpath(path, NULL)) == NULL)
			direct = 1;	/* not to be resolved: never rename over a link */
	}
	if (a->path == NULL && (a->path = strdup(path)) == NULL)
		return bess_err_set(err, path, 0, "out of memory");
	if (!direct && stat(a->path, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			bess_err_set(err, path, 0, "%s", strerror(EISDIR));
			goto fail;
		}
		if (!S_ISREG(st.st_mode))
			direct = 1;	/* a device, FIFO or socket */
		else if (access(a->path, W_OK) != 0) {
			/* rename(2) asks only the folder: refuse what open(2) would */
			bess_err_set(err, path, 0, "%s", strerror(errno));
			goto fail;
		} else
			keep = st.st_mode & 07777;
	}
	if (direct) {
		if ((a->fp = fopen(a->path, "w")) == NULL) {
			bess_err_set(err, path, 0, "%s", strerror(errno));
			goto fail;
		}
		return 0;
	}
	if ((fd = tmp_create(a->path, keep ? 0600 : 0666, &a->tmp)) < 0) {
		bess_err_set(err, path, 0, "%s", strerror(errno));
		goto fail;
	}
	a->slot = slot_take(a->tmp);
	if (keep)
		fchmod(fd, keep);	/* the old file's mode, whatever the umask */
	if ((a->fp = fdopen(fd, "w")) == NULL) {
		bess_err_set(err, path, 0, "%s", strerror(errno));
		close(fd);
		bess_atomic_abort(a);
		return -1;
	}
	setvbuf(a->fp, NULL, _IOFBF, 1 << 16);
	return 0;
fail:
	free(a->path);
	a->path = NULL;
	return -1;
}

const char *
bess_atomic_name(const struct bess_atomic *a)
{
	return a->tmp ? a->tmp : a->path;
}

int
bess_atomic_commit(struct bess_atomic *a, struct bess_err *err)
{
	int bad = 0, e = 0;

	if (a->fp == NULL && a->path == NULL)
		return 0;
	errno = 0;
	if (fflush(a->fp) != 0 || ferror(a->fp) || (a->tmp && fsync(fileno(a->fp)) != 0)) {
		bad = 1;
		e = errno;
	}
	if (fclose(a->fp) != 0 && !bad) {
		bad = 1;
		e = errno;
	}
	a->fp = NULL;
	if (!bad && a->tmp && rename(a->tmp, a->path) != 0) {
		bad = 1;
		e = errno;
	}
	if (bad) {
		bess_err_set(err, a->path, 0, "%s", e ? strerror(e) : "write error");
		bess_atomic_abort(a);
		return -1;
	}
	slot_drop(a->slot);
	free(a->tmp);
	free(a->path);
	memset(a, 0, sizeof(*a));
	a->slot = -1;
	return 0;
}

void
bess_atomic_abort(struct bess_atomic *a)
{
	if (a->fp != NULL)
		fclose(a->fp);
	if (a->tmp != NULL)
		unlink(a->tmp);
	slot_drop(a->slot);
	free(a->tmp);
	free(a->path);
	memset(a, 0, sizeof(*a));
	a->slot = -1;
}

int
bess_write_atomic(const char *path, const char *buf, size_t len, struct bess_err *err)
{
	struct bess_atomic a;

	if (bess_atomic_open(&a, path, err) != 0)
		return -1;
	if (len > 0 && fwrite(buf, 1, len, a.fp) != len) {
		bess_err_set(err, path, 0, "%s", strerror(errno));
		bess_atomic_abort(&a);
		return -1;
	}
	return bess_atomic_commit(&a, err);
}
