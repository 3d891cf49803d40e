/* gnuplot.c: find gnuplot on PATH and run it on a script through pipes, collecting the chart and its messages. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bess_grow.h"
#include "bess_gnuplot.h"

int
bess_buf_add(struct bess_buf *b, const char *s, size_t n)
{
	char *q;

	if ((q = bess_grow(b->p, &b->cap, b->n + n + 1, 65536, 1)) == NULL)
		return -1;
	b->p = q;
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
	return 0;
}

void
bess_buf_free(struct bess_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->n = b->cap = 0;
}

char *
bess_gnuplot_find(void)
{
	const char *path = getenv("PATH"), *p, *colon;
	struct stat st;

	if (path == NULL)
		path = "/usr/bin:/bin";
	for (p = path;; p = colon + 1) {
		size_t len;
		char *full;

		colon = strchr(p, ':');
		len = colon ? (size_t)(colon - p) : strlen(p);
		if ((full = malloc(len + sizeof("/gnuplot") + 1)) == NULL)
			return NULL;
		if (len == 0)
			strcpy(full, "./gnuplot");
		else
			sprintf(full, "%.*s/gnuplot", (int)len, p);
		if (stat(full, &st) == 0 && S_ISREG(st.st_mode) && access(full, X_OK) == 0)
			return full;
		free(full);
		if (colon == NULL)
			return NULL;
	}
}

int
bess_gnuplot_run(const char *gnuplot, const char *script, size_t len, struct bess_buf *out,
    struct bess_buf *errb, struct bess_err *err)
{
	int in[2] = { -1, -1 }, po[2] = { -1, -1 }, pe[2] = { -1, -1 }, status, failed = 0;
	size_t off = 0;
	pid_t pid;
	struct sigaction ign, old;

	if (pipe(in) != 0 || pipe(po) != 0 || pipe(pe) != 0) {
		bess_err_set(err, NULL, 0, "pipe: %s", strerror(errno));
		goto fail;
	}
	fflush(NULL);
	if ((pid = fork()) < 0) {
		bess_err_set(err, NULL, 0, "fork: %s", strerror(errno));
		goto fail;
	}
	if (pid == 0) {
		char *argv[] = { "gnuplot", "--default-settings", NULL };

		dup2(in[0], 0);
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(in[0]);
		close(in[1]);
		close(po[0]);
		close(po[1]);
		close(pe[0]);
		close(pe[1]);
		execv(gnuplot, argv);
		dprintf(2, "cannot run %s: %s\n", gnuplot, strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(po[1]);
	close(pe[1]);
	in[0] = po[1] = pe[1] = -1;
	fcntl(in[1], F_SETFL, fcntl(in[1], F_GETFL) | O_NONBLOCK);
	/* gnuplot may stop reading early (an error): a write then fails with EPIPE, not a signal */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &old);
	while (po[0] >= 0 || pe[0] >= 0) {
		struct pollfd fds[3];
		int nf = 0, k;
		char chunk[65536];

		if (in[1] >= 0) {
			fds[nf].fd = in[1];
			fds[nf++].events = POLLOUT;
		}
		if (po[0] >= 0) {
			fds[nf].fd = po[0];
			fds[nf++].events = POLLIN;
		}
		if (pe[0] >= 0) {
			fds[nf].fd = pe[0];
			fds[nf++].events = POLLIN;
		}
		if (poll(fds, (nfds_t)nf, -1) < 0) {
			if (errno == EINTR)
				continue;
			bess_err_set(err, NULL, 0, "poll: %s", strerror(errno));
			failed = 1;
			break;
		}
		for (k = 0; k < nf; k++) {
			ssize_t got;

			if (fds[k].revents == 0)
				continue;
			if (fds[k].fd == in[1]) {
				got = write(in[1], script + off, len - off);
				if (got > 0)
					off += (size_t)got;
				if ((got < 0 && errno != EAGAIN && errno != EINTR) || off == len) {
					close(in[1]);
					in[1] = -1;
				}
				continue;
			}
			got = read(fds[k].fd, chunk, sizeof(chunk));
			if (got > 0 && bess_buf_add(fds[k].fd == po[0] ? out : errb, chunk, (size_t)got) != 0) {
				if (!failed)
					bess_err_set(err, NULL, 0, "out of memory");
				failed = 1;
				got = 0;
			}
			if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) {
				close(fds[k].fd);
				if (fds[k].fd == po[0])
					po[0] = -1;
				else
					pe[0] = -1;
			}
		}
	}
	for (status = 0; status < 3; status++) {
		int *fd = status == 0 ? &in[1] : status == 1 ? &po[0] : &pe[0];

		if (*fd >= 0)
			close(*fd);
		*fd = -1;
	}
	sigaction(SIGPIPE, &old, NULL);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return bess_err_set(err, NULL, 0, "waitpid: %s", strerror(errno));
	if (failed)
		return -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
fail:
	for (status = 0; status < 2; status++) {
		if (in[status] >= 0)
			close(in[status]);
		if (po[status] >= 0)
			close(po[status]);
		if (pe[status] >= 0)
			close(pe[status]);
	}
	return -1;
}

void
bess_gnuplot_lines(const char *text, void (*fn)(void *ctx, const char *line, size_t n), void *ctx)
{
	const char *p = text, *nl;

	if (p == NULL)
		return;
	for (; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		if (nl > p && !(nl - p == 1 && *p == '\r'))
			fn(ctx, p, (size_t)(nl - p));
		if (*nl == '\0')
			break;
	}
}
