/* test_atomic_fifo.c: the atomic writer (every -o file) writes a FIFO or device in place instead of renaming a file over it (which once replaced /dev/null). */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bess_atomic.h"
#include "tap.h"

int
main(void)
{
	char dir[] = "/tmp/bess-cli-out.XXXXXX", fifo[64], file[64], buf[16] = "";
	struct stat st;
	struct bess_atomic a;
	struct bess_err err;
	FILE *fp;
	int rd;
	ssize_t n;

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	snprintf(file, sizeof(file), "%s/file", dir);
	mkfifo(fifo, 0600);
	rd = open(fifo, O_RDONLY | O_NONBLOCK);	/* a reader, so opening for writing does not block */
	fp = bess_atomic_open(&a, fifo, &err) == 0 ? a.fp : NULL;
	ok(fp != NULL, "a FIFO opens as output");
	if (fp)
		fputs("data\n", fp);
	ok(fp && bess_atomic_commit(&a, &err) == 0, "... and commits");
	ok(stat(fifo, &st) == 0 && S_ISFIFO(st.st_mode), "the FIFO is still a FIFO (not replaced by a file)");
	n = read(rd, buf, sizeof(buf) - 1);
	is_str(n > 0 ? buf : "", "data\n", "what was written went through the FIFO");
	close(rd);
	/* a regular file is still written through a temporary file and renamed */
	fp = bess_atomic_open(&a, file, &err) == 0 ? a.fp : NULL;
	if (fp)
		fputs("x\n", fp);
	ok(stat(file, &st) != 0, "a regular file does not exist before the commit");
	ok(fp && bess_atomic_commit(&a, &err) == 0 && stat(file, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 2,
	    "... and holds the output after it");
	unlink(fifo);
	unlink(file);
	rmdir(dir);
	return done();
}
