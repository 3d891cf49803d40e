/* test_atomic.c: lib/atomic.c, the one writer of output, state and summary files: modes, links, folders and the signal clean-up. */
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "bess_atomic.h"
#include "tap.h"

/* Entries in dir besides "." and "..". */
static int
entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	if (d)
		closedir(d);
	return n;
}

int
main(void)
{
	char dir[] = "/tmp/bess-atomic.XXXXXX", f[96], g[96], link[96], sub[96], nul[96];
	struct bess_atomic a, b;
	struct bess_err err;
	struct stat st;
	FILE *fp;
	char buf[16] = "";

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(f, sizeof(f), "%s/f", dir);
	snprintf(g, sizeof(g), "%s/g", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	snprintf(sub, sizeof(sub), "%s/sub", dir);

	/* a new file: 0666 less the umask, as open(2) gives */
	umask(027);
	ok(bess_write_atomic(f, "abc\n", 4, &err) == 0, "a new file is written");
	ok(stat(f, &st) == 0 && (st.st_mode & 0777) == 0640, "... with mode 0666 & ~027 = 0640");
	/* an old file keeps its mode, whatever the umask */
	chmod(f, 0604);
	umask(077);
	ok(bess_write_atomic(f, "xy\n", 3, &err) == 0 && stat(f, &st) == 0 && (st.st_mode & 0777) == 0604,
	    "a replaced file keeps its mode 0604 under umask 077");
	/* a link stays a link; its target is replaced */
	ok(symlink("f", link) == 0 && bess_write_atomic(link, "via\n", 4, &err) == 0, "written through a link");
	ok(lstat(link, &st) == 0 && S_ISLNK(st.st_mode), "... which is still a link");
	fp = fopen(f, "r");
	ok(fp && fgets(buf, sizeof(buf), fp) && strcmp(buf, "via\n") == 0, "... and its target holds the text");
	if (fp)
		fclose(fp);
	/* a folder is refused by name */
	mkdir(sub, 0755);
	ok(bess_write_atomic(sub, "x", 1, &err) != 0 && strcmp(err.file, sub) == 0 &&
	    strcmp(err.msg, "Is a directory") == 0, "a folder: '%s'", err.msg);

	/* two files open at once; the signal clean-up removes both temporary files, nothing else */
	ok(bess_atomic_open(&a, f, &err) == 0 && bess_atomic_open(&b, g, &err) == 0, "two files open at once");
	ok(entries(dir) == 5, "... two temporary files beside f, link and sub (%d entries)", entries(dir));
	ok(strcmp(bess_atomic_name(&a), f) != 0 && access(bess_atomic_name(&a), F_OK) == 0,
	    "the name to write is the temporary file");
	bess_atomic_unlink_all();
	ok(entries(dir) == 3, "bess_atomic_unlink_all (what a SIGTERM runs) removed both (%d entries)",
	    entries(dir));
	bess_atomic_abort(&a);
	bess_atomic_abort(&b);
	ok(access(g, F_OK) != 0, "an aborted new file never appears");

	/* a device is written in place, never replaced (as root a private one: a broken writer would replace /dev/null) */
	snprintf(nul, sizeof(nul), "%s", "/dev/null");
	if (geteuid() == 0 && (snprintf(nul, sizeof(nul), "%s/null", dir), mknod(nul, S_IFCHR | 0666, makedev(1, 3))) != 0)
		snprintf(nul, sizeof(nul), "%s", "/dev/null");
	ok(bess_write_atomic(nul, "x", 1, &err) == 0 && stat(nul, &st) == 0 && S_ISCHR(st.st_mode),
	    "a device (%s) is written in place and stays a device", nul);
	if (strcmp(nul, "/dev/null") != 0)
		unlink(nul);
	/* a full device: the error names it */
	if (access("/dev/full", W_OK) == 0)
		ok(bess_write_atomic("/dev/full", "x", 1, &err) != 0 && strcmp(err.file, "/dev/full") == 0 &&
		    strcmp(err.msg, "No space left on device") == 0, "/dev/full: '%s'", err.msg);
	else
		ok(1, "# SKIP no /dev/full");

	unlink(link);
	unlink(f);
	rmdir(sub);
	rmdir(dir);
	return done();
}
