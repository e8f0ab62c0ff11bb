// SPDX-License-Identifier: GPL-2.0
/*
 * What -o FILE does with each kind of FILE: a regular file is replaced all
 * or nothing (its mode kept), a new file created, symlinks written through,
 * a FIFO or a device written in place, a directory refused; and every
 * failure is exit 2, one line naming the file, the target untouched and no
 * temporary file left.
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cli-run.h"

#define MAX_JSON KSR_FIXTURES "/max.json"

/* The CLI with the arguments fmt makes of path, after the shell words prefix. */
static int run_with(const char *prefix, const char *fmt, const char *path)
{
	char args[512];

	snprintf(args, sizeof(args), fmt, path);
	return run_cli(prefix, args);
}

static int run(const char *fmt, const char *path)
{
	return run_with("", fmt, path);
}

static void put(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) == EOF, 0);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, mode), 0);
}

/* Fails unless the file at path holds exactly text. */
static void holds(const char *path, const char *text)
{
	size_t len;
	char *s = slurp(path, &len);

	if (len != strlen(text) || memcmp(s, text, len))
		fail_msg("%s holds %zu bytes, not the %zu expected", path, len, strlen(text));
	free(s);
}

/* Fails unless the file at path holds what the fixture max.json does. */
static void holds_max(const char *path)
{
	size_t len;
	char *text = slurp_as_v2(MAX_JSON, &len);

	holds(path, text);
	free(text);
}

/* Fails if directory d holds a temporary file of a save. */
static void no_temp_files(const char *d)
{
	DIR *dp = opendir(d);
	struct dirent *e;

	assert_non_null(dp);
	while ((e = readdir(dp)))
		if (strstr(e->d_name, ".tmp-"))
			fail_msg("%s/%s left behind", d, e->d_name);
	closedir(dp);
}

/* Fails unless standard error is the one line "kvm-safe-rules: CMD: PATH: PROBLEM". */
static void one_error(const char *cmd, const char *path, const char *problem)
{
	char line[512];
	size_t len;
	char *s = slurp(err_path, &len);

	snprintf(line, sizeof(line), "kvm-safe-rules: %s: %s: %s\n", cmd, path, problem);
	if (strcmp(s, line))
		fail_msg("standard error is not \"%s\" but:\n%s", line, s);
	free(s);
}

static mode_t mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	return st.st_mode;
}

/*
 * A node of the same device as the character device dev (/dev/null,
 * /dev/full) in the scratch directory, so that a regression replaces it and
 * not the host's; dev itself where mknod() is not allowed (not root: then a
 * regression cannot replace dev either). Skips the test if dev does not exist.
 */
static const char *device(const char *dev, const char *name, dev_t *rdev)
{
	const char *path = at(name);
	struct stat st;
	int fd;

	if (stat(dev, &st) || !S_ISCHR(st.st_mode)) {
		print_message("%s: no such character device\n", dev);
		skip();
	}
	*rdev = st.st_rdev;
	if (mknod(path, S_IFCHR | 0666, st.st_rdev))
		return dev;
	/* Usable (not on a nodev file system)? */
	fd = open(path, O_WRONLY);
	if (fd < 0) {
		unlink(path);
		return dev;
	}
	close(fd);
	return path;
}

static void is_device(const char *path, dev_t rdev)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	assert_int_equal(major(st.st_rdev), major(rdev));
	assert_int_equal(minor(st.st_rdev), minor(rdev));
}

static void test_regular_file(void **state)
{
	const char *path = at("regular.json");
	struct stat before, after;

	(void)state;
	put(path, "old\n", 0600);
	assert_int_equal(stat(path, &before), 0);
	assert_int_equal(run("profile --profile max.json -o %s", path), 0);
	holds_max(path);
	assert_int_equal(stat(path, &after), 0);
	/* Its mode kept (not the umask's 0644), a new inode: renamed over, not rewritten. */
	assert_int_equal(after.st_mode & 07777, 0600);
	assert_true(after.st_ino != before.st_ino);
	no_temp_files(dir);
}

static void test_regular_file_write_error(void **state)
{
	const char *path = at("limited.json");

	(void)state;
	put(path, "old\n", 0640);
	/* Files limited to one block: the 80 kB profile cannot be written (EFBIG). */
	assert_int_equal(run_with("trap '' XFSZ; ulimit -f 1;", "profile --profile max.json -o %s",
				  path), 2);
	one_error("profile", path, "File too large");
	holds(path, "old\n");
	assert_int_equal(mode_of(path) & 07777, 0640);
	no_temp_files(dir);
}

static void test_new_file(void **state)
{
	const char *path = at("new.json");
	mode_t old = umask(027);

	(void)state;
	assert_int_equal(run("profile --profile max.json -o %s", path), 0);
	umask(old);
	holds_max(path);
	assert_int_equal(mode_of(path) & 07777, 0640);
	no_temp_files(dir);
}

static void test_symlink(void **state)
{
	const char *sub = at("links"), *target = at("links/target.json"), *link = at("links/link.json");
	const char *outer = at("outer.json");
	char text[64];
	ssize_t n;

	(void)state;
	assert_int_equal(mkdir(sub, 0755), 0);
	put(target, "old\n", 0600);
	/* outer.json -> links/link.json -> target.json, both relative to their own directory. */
	assert_int_equal(symlink("target.json", link), 0);
	assert_int_equal(symlink("links/link.json", outer), 0);
	assert_int_equal(run("profile --profile max.json -o %s", outer), 0);
	holds_max(target);
	assert_int_equal(mode_of(target) & 07777, 0600);
	assert_true(S_ISLNK(mode_of(outer)));
	assert_true(S_ISLNK(mode_of(link)));
	n = readlink(link, text, sizeof(text) - 1);
	assert_true(n > 0);
	text[n] = '\0';
	assert_string_equal(text, "target.json");
	no_temp_files(dir);
	no_temp_files(sub);
}

static void test_dangling_symlink(void **state)
{
	const char *link = at("dangling.json"), *target = at("created.json");
	const char *nowhere = at("nowhere.json");

	(void)state;
	/* The file the link names is created; the link stays. */
	assert_int_equal(symlink("created.json", link), 0);
	assert_int_equal(run("profile --profile max.json -o %s", link), 0);
	assert_true(S_ISLNK(mode_of(link)));
	holds_max(target);
	/* Into a directory that does not exist: an error naming the link, nothing made. */
	assert_int_equal(symlink("no-such-dir/x.json", nowhere), 0);
	assert_int_equal(run("profile --profile max.json -o %s", nowhere), 2);
	expect(err_path, nowhere);
	expect(err_path, "No such file or directory");
	assert_true(S_ISLNK(mode_of(nowhere)));
	no_temp_files(dir);
}

static void test_fifo(void **state)
{
	const char *fifo = at("fifo"), *got = at("fifo.read");
	int status;
	pid_t pid;

	(void)state;
	assert_int_equal(mkfifo(fifo, 0600), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* The reader: what comes through the FIFO until EOF, into fifo.read. */
		char buf[4096];
		int in, out;
		ssize_t n;

		alarm(20);
		in = open(fifo, O_RDONLY);
		out = open(got, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (in < 0 || out < 0)
			_exit(1);
		while ((n = read(in, buf, sizeof(buf))) > 0)
			if (write(out, buf, (size_t)n) != n)
				_exit(1);
		_exit(n < 0 || close(out) ? 1 : 0);
	}
	assert_int_equal(run("profile --profile max.json -o %s", fifo), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	holds_max(got);
	assert_true(S_ISFIFO(mode_of(fifo)));
	no_temp_files(dir);
}

static void test_char_device(void **state)
{
	dev_t rdev;
	const char *null = device("/dev/null", "null", &rdev);

	(void)state;
	assert_int_equal(run("profile --profile max.json -o %s", null), 0);
	holds(err_path, "");
	is_device(null, rdev);
	no_temp_files(dir);
}

static void test_dev_full(void **state)
{
	dev_t rdev;
	const char *full = device("/dev/full", "full", &rdev);

	(void)state;
	assert_int_equal(run("profile --profile max.json -o %s", full), 2);
	one_error("profile", full, "No space left on device");
	is_device(full, rdev);
	no_temp_files(dir);
}

static void test_failed_write_prints_no_result(void **state)
{
	dev_t rdev;
	const char *full = device("/dev/full", "full-clamp", &rdev);

	(void)state;
	/* A configuration of a few bytes: the error comes from the final flush. */
	assert_int_equal(run("clamp --profile cortex-a53.json ID_AA64MMFR0_EL1=0x000000000000112f "
			     "-o %s", full), 2);
	one_error("clamp", full, "No space left on device");
	holds(out_path, "");
	assert_int_equal(run("clamp --json --profile cortex-a53.json "
			     "ID_AA64MMFR0_EL1=0x000000000000112f -o %s", full), 2);
	holds(out_path, "");
	assert_int_equal(run("baseline cortex-a57.json cortex-a72.json -o %s", full), 2);
	one_error("baseline", full, "No space left on device");
	holds(out_path, "");
	is_device(full, rdev);
	no_temp_files(dir);
}

static void test_directory(void **state)
{
	const char *d = at("a-dir"), *link = at("dir-link");
	DIR *dp;
	struct dirent *e;

	(void)state;
	assert_int_equal(mkdir(d, 0755), 0);
	assert_int_equal(run("profile --profile max.json -o %s", d), 2);
	one_error("profile", d, "Is a directory");
	assert_int_equal(symlink("a-dir", link), 0);
	assert_int_equal(run("baseline cortex-a57.json cortex-a72.json -o %s", link), 2);
	one_error("baseline", link, "Is a directory");
	assert_true(S_ISDIR(mode_of(d)));
	assert_true(S_ISLNK(mode_of(link)));
	dp = opendir(d);
	assert_non_null(dp);
	while ((e = readdir(dp)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			fail_msg("%s/%s written", d, e->d_name);
	closedir(dp);
	no_temp_files(dir);
}

/*
 * A directory the CLI may not write: root may write any, so as root a
 * directory that does not exist instead.
 */
static void test_unwritable_directory(void **state)
{
	const char *d = at(geteuid() ? "read-only" : "missing"), *path = at(geteuid() ?
		"read-only/p.json" : "missing/p.json");
	struct stat st;

	(void)state;
	if (geteuid())
		assert_int_equal(mkdir(d, 0555), 0);
	assert_int_equal(run("profile --profile max.json -o %s", path), 2);
	expect(err_path, path);
	expect(err_path, geteuid() ? "Permission denied" : "No such file or directory");
	assert_int_not_equal(lstat(path, &st), 0);
	if (geteuid())
		no_temp_files(d);
	no_temp_files(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regular_file),
		cmocka_unit_test(test_regular_file_write_error),
		cmocka_unit_test(test_new_file),
		cmocka_unit_test(test_symlink),
		cmocka_unit_test(test_dangling_symlink),
		cmocka_unit_test(test_fifo),
		cmocka_unit_test(test_char_device),
		cmocka_unit_test(test_dev_full),
		cmocka_unit_test(test_failed_write_prints_no_result),
		cmocka_unit_test(test_directory),
		cmocka_unit_test(test_unwritable_directory),
	};

	return cmocka_run_group_tests_name("cli-output", tests, setup, teardown);
}
