// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile files and output targets, table-driven, on the built CLI:
 *  - every command that reads a file (profiles, --config, --input) with a
 *    file missing, unreadable, empty, truncated, oversized (over the 16 MiB
 *    limit), binary, not of its format, of its format with a wrong value,
 *    or a directory;
 *  - every command that writes -o FILE with each kind of target: a regular
 *    file, a new one, a symlink, a device, a FIFO (read, or its reader gone),
 *    a full device, a directory, a path without permission, a path under a
 *    file, a dangling link into no directory;
 *  - every command that prints, with standard output full, a closed pipe or
 *    a closed descriptor.
 * Expected of every failure: exit 2, one line on standard error naming the
 * file (and the line or JSON path when parsing), nothing on standard output,
 * no output file made, no temporary file left, the target untouched.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli-run.h"

/* Runs "CLI args" in the fixture directory, standard output to the shell words out. */
static int run_to(const char *args, const char *out)
{
	char cmd[4096];
	int status;

	snprintf(cmd, sizeof(cmd), "cd %s && %s %s < /dev/null %s 2> %s", KSR_FIXTURES, KSR_CLI, args,
		 out, err_path);
	status = system(cmd);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* Fails unless standard error is exactly line (with its newline). */
static void stderr_is(const char *what, const char *line)
{
	size_t len;
	char *s = slurp(err_path, &len);

	if (strcmp(s, line))
		fail_msg("%s: standard error is not \"%s\" but:\n%s", what, line, s);
	free(s);
}

static void put_bytes(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void put(const char *path, const char *text)
{
	put_bytes(path, text, strlen(text));
}

/* ---- standard output ---------------------------------------------------- */

/*
 * Every command that prints, each with output to print (an accept, a reject,
 * a report); %s is the scratch directory.
 */
static const char *const printers[] = {
	"help",
	"dump --profile max.json",
	"dump --json --profile max.json",
	"values ID_AA64ISAR0_EL1 --profile max.json",
	"values ID_AA64ISAR0_EL1.AES --json --profile max.json",
	"check ID_AA64ISAR0_EL1=0x11120 --profile cortex-a57.json",
	"check ID_AA64ISAR0_EL1=0x10011120 --profile cortex-a57.json",
	"check --json ID_AA64ISAR0_EL1=0x11120 --profile cortex-a57.json",
	"check --batch --input %s/batch.txt --profile cortex-a57.json",
	"clamp ID_AA64ISAR0_EL1=0x10011120 --profile cortex-a57.json",
	"clamp --json ID_AA64ISAR0_EL1=0x10011120 --profile cortex-a57.json",
	"clamp ID_AA64ISAR0_EL1=0x10011120 --profile cortex-a57.json -o /dev/null",
	"baseline cortex-a57.json cortex-a72.json",
	"baseline --json cortex-a57.json cortex-a72.json",
	"baseline cortex-a57.json cortex-a72.json -o /dev/null",
	"baseline a64fx.json cortex-a53.json",
	"migrate-check --from cortex-a57.json --to cortex-a72.json --both-ways",
	"migrate-check --json --from cortex-a72.json --to cortex-a57.json",
	"diff cortex-a57.json cortex-a72.json",
	"diff --json cortex-a57.json cortex-a72.json",
	"diff max.json max.json",
};

/* Standard output full (/dev/full), its pipe's reader gone, closed. */
static void test_stdout(void **state)
{
	int p[2];
	char closed_pipe[32];
	const struct {
		const char *out, *problem;
	} targets[] = {
		{ "> /dev/full", "No space left on device" },
		{ closed_pipe, "Broken pipe" },
		{ ">&-", "Bad file descriptor" },
	};

	(void)state;
	/* A pipe whose read end is closed: any write is EPIPE (or SIGPIPE). */
	assert_int_equal(pipe(p), 0);
	close(p[0]);
	snprintf(closed_pipe, sizeof(closed_pipe), ">&%d", p[1]);
	put(at("batch.txt"), "ID_AA64ISAR0_EL1 0x11120\n");
	for (size_t i = 0; i < sizeof(printers) / sizeof(printers[0]); i++) {
		for (size_t t = 0; t < sizeof(targets) / sizeof(targets[0]); t++) {
			char args[512], what[640], line[128];
			int ret;

			snprintf(args, sizeof(args), printers[i], dir);
			snprintf(what, sizeof(what), "%s %s", args, targets[t].out);
			snprintf(line, sizeof(line), "kvm-safe-rules: standard output: %s\n",
				 targets[t].problem);
			ret = run_to(args, targets[t].out);
			if (ret != 2)
				fail_msg("%s: exit %d, not 2", what, ret);
			stderr_is(what, line);
		}
	}
	close(p[1]);
}

/* ---- checks -------------------------------------------------------------- */

static char *text_of(const char *path)
{
	size_t len;

	return slurp(path, &len);
}

/*
 * Fails unless standard error is one line "kvm-safe-rules: CMD: ..." that
 * names path and says each of problems (NULL-terminated), and standard output
 * is empty.
 */
static void failed(const char *what, const char *cmd, const char *path, const char *const *problems)
{
	char *err = text_of(err_path), *out = text_of(out_path), head[64];
	char *nl = strchr(err, '\n');

	snprintf(head, sizeof(head), "kvm-safe-rules: %s: ", cmd);
	if (!nl || nl[1] || strncmp(err, head, strlen(head)) || !strstr(err, path))
		fail_msg("%s: standard error is not one line \"%s...%s...\" but:\n%s", what, head, path,
			 err);
	for (; *problems; problems++)
		if (!strstr(err, *problems))
			fail_msg("%s: standard error does not say \"%s\":\n%s", what, *problems, err);
	if (*out)
		fail_msg("%s: standard output is not empty:\n%s", what, out);
	free(err);
	free(out);
}

static bool exists(const char *path)
{
	struct stat st;

	return !lstat(path, &st);
}

/* Fails if directory d holds a temporary file of a save. */
static void no_temp_files(const char *what, const char *d)
{
	DIR *dp = opendir(d);
	struct dirent *e;

	assert_non_null(dp);
	while ((e = readdir(dp)))
		if (strstr(e->d_name, ".tmp-"))
			fail_msg("%s: %s/%s left behind", what, d, e->d_name);
	closedir(dp);
}

/* ---- files read ----------------------------------------------------------- */

enum file_type { PROFILE, CONFIG, INPUT };

/* Commands that read a file of a type: %1$s the file, %2$s the scratch directory. */
static const struct reader {
	const char *cmd, *fmt;
	enum file_type type;
} readers[] = {
	{ "dump", "dump --profile %1$s", PROFILE },
	{ "dump", "dump --json --profile %1$s", PROFILE },
	{ "values", "values ID_AA64ISAR0_EL1 --profile %1$s", PROFILE },
	{ "profile", "profile --profile %1$s -o %2$s/result", PROFILE },
	{ "check", "check --profile %1$s ID_AA64ISAR0_EL1=0x11120", PROFILE },
	{ "check", "check --batch --profile %1$s --input %2$s/batch.txt", PROFILE },
	{ "clamp", "clamp --profile %1$s ID_AA64ISAR0_EL1=0x11120 -o %2$s/result", PROFILE },
	{ "baseline", "baseline max.json %1$s -o %2$s/result", PROFILE },
	{ "baseline", "baseline %1$s max.json", PROFILE },
	{ "migrate-check", "migrate-check --from %1$s --to max.json", PROFILE },
	{ "migrate-check", "migrate-check --from max.json --to %1$s --both-ways", PROFILE },
	{ "diff", "diff max.json %1$s", PROFILE },
	{ "diff", "diff %1$s max.json", PROFILE },
	{ "check", "check --profile max.json --config %1$s", CONFIG },
	{ "check", "check --json --profile max.json --config %1$s", CONFIG },
	{ "clamp", "clamp --profile max.json --config %1$s -o %2$s/result", CONFIG },
	{ "clamp", "clamp --profile max.json --config %1$s", CONFIG },
	{ "migrate-check", "migrate-check --from max.json --to max.json --config %1$s", CONFIG },
	{ "check", "check --batch --profile max.json --input %1$s", INPUT },
};

/* A kind of hostile file: its name in the scratch directory, what it holds per type. */
struct bad_file {
	const char *name;
	const char *problem[3];		/* per file type: said on standard error (NULL: any) */
};

/* What a profile cut inside a string says: its line and column, from make_bad_files(). */
static char truncated_profile[96];

static const struct bad_file bad_files[] = {
	{ "missing", { "No such file or directory", "No such file or directory",
		       "No such file or directory" } },
	{ "empty", { "line 1, column 1: not JSON", "no register: an empty configuration",
		     "no 'REG VALUE' line to check" } },
	{ "truncated", { truncated_profile, ":2: expected",
			 ":2: expected" } },
	{ "oversized", { "larger than 16 MiB", "larger than 16 MiB", "larger than 16 MiB" } },
	{ "binary", { "contains a NUL byte", "contains a NUL byte", ":1: contains a NUL byte" } },
	{ "text", { "line 1, column 1: not JSON", ":1: expected", ":1: expected" } },
	{ "wrong", { "registers[0].name: must be a string", "registers[0].value: must be a string",
		     ":2: '0x0x1' is not a 64-bit hex value" } },
	{ "a-directory", { NULL, NULL, "Is a directory" } },
};

/* The hostile files of type in the scratch directory (made again each time: cheap). */
static void make_bad_files(enum file_type type)
{
	static const char binary[] = "\x7f" "ELF\x02\x01\x01\0\0\0garbage\xff\xfe\n";
	size_t len;
	char *max = slurp(KSR_FIXTURES "/max.json", &len), *big, *name, *cut, *line;
	unsigned int lines = 1;
	FILE *f;

	put(at("empty"), "");
	if (type == PROFILE) {
		/*
		 * Cut in the middle of the registers, inside the key "rule": the
		 * parser names the end of the text (line, column after its last
		 * character).
		 */
		assert_true(len > 3000);
		cut = strstr(max + 3000, "\"rule\"");
		assert_non_null(cut);
		cut += strlen("\"rule");
		line = max;
		for (char *c = max; c < cut; c++)
			if (*c == '\n') {
				lines++;
				line = c + 1;
			}
		snprintf(truncated_profile, sizeof(truncated_profile),
			 "line %u, column %u: not JSON: a string without its end", lines,
			 (unsigned int)(cut - line) + 1);
		put_bytes(at("truncated"), max, (size_t)(cut - max));
		put(at("text"), "hello { world ]]\n");
		/* Of the format, with a wrong value at registers[0].name. */
		name = strstr(max, "\"name\": \"ID_PFR0_EL1\"");
		assert_non_null(name);
		f = fopen(at("wrong"), "w");
		assert_non_null(f);
		fprintf(f, "%.*s\"name\": 3%s", (int)(name - max), max, name + strlen("\"name\": \"ID_PFR0_EL1\""));
		assert_int_equal(fclose(f), 0);
	} else {
		put(at("truncated"), "ID_AA64ISAR0_EL1 0x0000000000011120\nID_AA64PFR0_E");
		put(at("text"), "hello { world ]]\n");
		if (type == CONFIG)
			put(at("wrong"), "{ \"schema\": \"kvm-safe-rules-config/v1\", \"registers\": "
			    "[ { \"name\": \"ID_AA64ISAR0_EL1\", \"value\": 5 } ] }\n");
		else
			put(at("wrong"), "ID_AA64ISAR0_EL1 0x11120\nID_AA64ISAR0_EL1 0x0x1\n");
	}
	put_bytes(at("binary"), binary, sizeof(binary) - 1);
	/* 16 MiB and one byte of blank lines: over the limit, and no error of its content. */
	big = malloc((16u << 20) + 1);
	assert_non_null(big);
	memset(big, '\n', (16u << 20) + 1);
	put_bytes(at("oversized"), big, (16u << 20) + 1);
	free(big);
	free(max);
	unlink(at("missing"));
	rmdir(at("a-directory"));
	assert_int_equal(mkdir(at("a-directory"), 0755), 0);
}

static void run_readers(enum file_type type, const char *name, const char *const *problems)
{
	char path[256], to_out[128];

	snprintf(path, sizeof(path), "%s", at(name));
	snprintf(to_out, sizeof(to_out), "> %s", out_path);
	for (size_t r = 0; r < sizeof(readers) / sizeof(readers[0]); r++) {
		char args[1024], what[1200];
		int ret;

		if (readers[r].type != type)
			continue;
		snprintf(args, sizeof(args), readers[r].fmt, path, dir);
		snprintf(what, sizeof(what), "%s (%s)", args, name);
		unlink(at("result"));
		ret = run_to(args, to_out);
		if (ret != 2)
			fail_msg("%s: exit %d, not 2", what, ret);
		failed(what, readers[r].cmd, path, problems);
		if (exists(at("result")))
			fail_msg("%s: wrote %s", what, at("result"));
		no_temp_files(what, dir);
	}
}

static void test_files_read(void **state)
{
	(void)state;
	put(at("batch.txt"), "ID_AA64ISAR0_EL1 0x11120\n");
	for (enum file_type type = PROFILE; type <= INPUT; type++) {
		make_bad_files(type);
		for (size_t k = 0; k < sizeof(bad_files) / sizeof(bad_files[0]); k++) {
			const char *problems[2] = { bad_files[k].problem[type], NULL };

			run_readers(type, bad_files[k].name, problems[0] ? problems : problems + 1);
		}
	}
}

/* A file its reader may not read: root reads any, so skipped as root. */
static void test_file_unreadable(void **state)
{
	static const char *const problems[] = { "Permission denied", NULL };

	(void)state;
	if (!geteuid()) {
		print_message("skipped: root reads a file of mode 0000 (CAP_DAC_OVERRIDE); "
			      "the other unreadable files (a directory) are in test_files_read\n");
		skip();
	}
	put(at("batch.txt"), "ID_AA64ISAR0_EL1 0x11120\n");
	for (enum file_type type = PROFILE; type <= INPUT; type++) {
		unlink(at("unreadable"));
		put(at("unreadable"), type == PROFILE ? "{}\n" : "ID_AA64ISAR0_EL1 0x11120\n");
		assert_int_equal(chmod(at("unreadable"), 0), 0);
		run_readers(type, "unreadable", problems);
	}
}

/* ---- files written -------------------------------------------------------- */

/* Commands that write -o %s; large: more than a pipe holds (64 KiB). */
static const struct writer {
	const char *cmd, *fmt;
	bool large;
} writers[] = {
	{ "profile", "profile --profile max.json -o %s", true },
	{ "clamp", "clamp --profile cortex-a53.json ID_AA64MMFR0_EL1=0x112f -o %s", false },
	{ "clamp", "clamp --json --profile cortex-a53.json ID_AA64MMFR0_EL1=0x112f -o %s", false },
	{ "baseline", "baseline cortex-a57.json cortex-a72.json -o %s", false },
	{ "baseline", "baseline --json --by-encoding cortex-a57.json cortex-a72.json -o %s", false },
};

enum target_kind {
	T_REGULAR,	/* an existing regular file: replaced */
	T_NEW,		/* none yet: created */
	T_SYMLINK,	/* a link to a regular file: followed, the file replaced */
	T_NULL,		/* a character device (/dev/null): written in place */
	T_FIFO,		/* a FIFO with a reader: written in place */
	T_FIFO_GONE,	/* a FIFO whose reader leaves at once: EPIPE */
	T_FULL,		/* /dev/full: ENOSPC */
	T_DIRECTORY,	/* refused */
	T_DIR_LINK,	/* a link to a directory: refused */
	T_NO_PERMISSION,	/* /sys/NAME: sysfs makes no file, not even for root */
	T_UNDER_FILE,	/* FILE/NAME: ENOTDIR */
	T_DANGLING,	/* a link into a directory that does not exist */
};

static const struct target {
	enum target_kind kind;
	const char *name, *problem;	/* problem NULL: success expected */
} targets[] = {
	{ T_REGULAR, "regular", NULL },
	{ T_NEW, "new", NULL },
	{ T_SYMLINK, "link", NULL },
	{ T_NULL, "null", NULL },
	{ T_FIFO, "fifo", NULL },
	{ T_FIFO_GONE, "fifo-gone", "Broken pipe" },
	{ T_FULL, "full", "No space left on device" },
	{ T_DIRECTORY, "a-dir", "Is a directory" },
	{ T_DIR_LINK, "dir-link", "Is a directory" },
	{ T_NO_PERMISSION, "/sys/ksr-cli-hostile.out", "Permission denied" },
	{ T_UNDER_FILE, "plain/out", "Not a directory" },
	{ T_DANGLING, "dangling", "No such file or directory" },
};

/*
 * A node of the character device dev's numbers in the scratch directory (so
 * that a regression replaces it, not the host's); dev itself where mknod()
 * is not allowed (not root: then a regression cannot replace dev either).
 */
static const char *device(const char *dev, const char *path)
{
	struct stat st;

	assert_int_equal(stat(dev, &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	unlink(path);
	if (mknod(path, S_IFCHR | 0666, st.st_rdev))
		return dev;
	return path;
}

static bool is_chr(const char *path, const char *like)
{
	struct stat a, b;

	return !lstat(path, &a) && !stat(like, &b) && S_ISCHR(a.st_mode) && a.st_rdev == b.st_rdev;
}

/* A reader of fifo: reads all into dir/fifo.read (gone: opens and closes at once). */
static pid_t fifo_reader(const char *fifo, bool gone)
{
	char got[256];
	pid_t pid;

	snprintf(got, sizeof(got), "%s/fifo.read", dir);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char buf[4096];
		ssize_t n;
		int in, out;

		alarm(30);
		in = open(fifo, O_RDONLY);
		if (in < 0)
			_exit(1);
		if (gone)
			_exit(close(in) ? 1 : 0);
		out = open(got, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (out < 0)
			_exit(1);
		while ((n = read(in, buf, sizeof(buf))) > 0)
			if (write(out, buf, (size_t)n) != n)
				_exit(1);
		_exit(n < 0 || close(out) ? 1 : 0);
	}
	return pid;
}

static void write_to(const struct writer *w, const struct target *t)
{
	char path[256], real[256], args[1024], what[1200], to_out[128];
	const char *problems[2] = { t->problem, NULL };
	struct stat before, after, real_before;
	pid_t reader = -1;
	int ret, status;

	snprintf(path, sizeof(path), "%s", t->name[0] == '/' ? t->name : at(t->name));
	snprintf(real, sizeof(real), "%s", path);
	switch (t->kind) {
	case T_REGULAR:
		put(path, "old\n");
		assert_int_equal(chmod(path, 0640), 0);
		break;
	case T_NEW:
	case T_NO_PERMISSION:
		unlink(path);
		break;
	case T_SYMLINK:
		snprintf(real, sizeof(real), "%s", at("link-target"));
		put(real, "old\n");
		unlink(path);
		assert_int_equal(symlink("link-target", path), 0);
		break;
	case T_NULL:
		snprintf(path, sizeof(path), "%s", device("/dev/null", at(t->name)));
		break;
	case T_FULL:
		snprintf(path, sizeof(path), "%s", device("/dev/full", at(t->name)));
		break;
	case T_FIFO:
	case T_FIFO_GONE:
		unlink(path);
		assert_int_equal(mkfifo(path, 0600), 0);
		reader = fifo_reader(path, t->kind == T_FIFO_GONE);
		break;
	case T_DIRECTORY:
		rmdir(path);
		assert_int_equal(mkdir(path, 0755), 0);
		break;
	case T_DIR_LINK:
		rmdir(at("a-dir"));
		assert_int_equal(mkdir(at("a-dir"), 0755), 0);
		unlink(path);
		assert_int_equal(symlink("a-dir", path), 0);
		break;
	case T_UNDER_FILE:
		put(at("plain"), "old\n");
		break;
	case T_DANGLING:
		unlink(path);
		assert_int_equal(symlink("no-such-dir/out", path), 0);
		break;
	}
	if (t->kind == T_NO_PERMISSION && (stat("/sys/kernel", &before) || exists(path))) {
		print_message("%s: no sysfs here: case skipped\n", path);
		return;
	}
	lstat(real, &real_before);
	snprintf(args, sizeof(args), w->fmt, path);
	snprintf(what, sizeof(what), "%s (%s)", args, t->name);
	snprintf(to_out, sizeof(to_out), "> %s", out_path);
	ret = run_to(args, to_out);
	if (reader > 0) {
		assert_int_equal(waitpid(reader, &status, 0), reader);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	if (t->problem) {
		if (ret != 2)
			fail_msg("%s: exit %d, not 2", what, ret);
		failed(what, w->cmd, path, problems);
	} else {
		char *err = text_of(err_path);

		if (ret || *err)
			fail_msg("%s: exit %d:\n%s", what, ret, err);
		free(err);
	}
	/* What became of the target. */
	switch (t->kind) {
	case T_REGULAR:
	case T_SYMLINK: {
		char *text = text_of(real);

		assert_int_equal(lstat(real, &after), 0);
		if (!S_ISREG(after.st_mode) || (after.st_mode & 07777) != (real_before.st_mode & 07777) ||
		    after.st_ino == real_before.st_ino || !strcmp(text, "old\n") || !*text)
			fail_msg("%s: %s not replaced as a regular file of its mode", what, real);
		free(text);
		if (t->kind == T_SYMLINK) {
			assert_int_equal(lstat(path, &after), 0);
			assert_true(S_ISLNK(after.st_mode));
		}
		break;
	}
	case T_NEW:
		assert_int_equal(lstat(path, &after), 0);
		assert_true(S_ISREG(after.st_mode));
		break;
	case T_NULL:
		assert_true(is_chr(path, "/dev/null"));
		break;
	case T_FULL:
		assert_true(is_chr(path, "/dev/full"));
		break;
	case T_FIFO:
	case T_FIFO_GONE: {
		assert_int_equal(lstat(path, &after), 0);
		assert_true(S_ISFIFO(after.st_mode));
		if (t->kind == T_FIFO) {
			char got[256], *text;

			snprintf(got, sizeof(got), "%s/fifo.read", dir);
			text = text_of(got);
			if (!*text)
				fail_msg("%s: nothing came through the FIFO", what);
			free(text);
		}
		break;
	}
	case T_DIRECTORY:
	case T_DIR_LINK: {
		DIR *dp = opendir(at("a-dir"));
		struct dirent *e;

		assert_non_null(dp);
		while ((e = readdir(dp)))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				fail_msg("%s: wrote %s in the directory", what, e->d_name);
		closedir(dp);
		if (t->kind == T_DIR_LINK) {
			assert_int_equal(lstat(path, &after), 0);
			assert_true(S_ISLNK(after.st_mode));
		}
		break;
	}
	case T_NO_PERMISSION:
		assert_false(exists(path));
		break;
	case T_UNDER_FILE: {
		char *text = text_of(at("plain"));

		assert_string_equal(text, "old\n");
		free(text);
		break;
	}
	case T_DANGLING:
		assert_int_equal(lstat(path, &after), 0);
		assert_true(S_ISLNK(after.st_mode));
		break;
	}
	no_temp_files(what, dir);
}

static void test_files_written(void **state)
{
	(void)state;
	for (size_t w = 0; w < sizeof(writers) / sizeof(writers[0]); w++)
		for (size_t t = 0; t < sizeof(targets) / sizeof(targets[0]); t++) {
			/*
			 * What fits in the pipe's buffer is written before the
			 * reader leaves, and rightly succeeds: only a large
			 * output meets the closed pipe for sure.
			 */
			if (targets[t].kind == T_FIFO_GONE && !writers[w].large)
				continue;
			write_to(&writers[w], &targets[t]);
		}
}

/*
 * A directory its writer may not write in: root writes any (and is covered
 * by the /sys case of test_files_written), so skipped as root.
 */
static void test_file_unwritable_dir(void **state)
{
	static const char *const problems[] = { "Permission denied", NULL };
	char path[256];

	(void)state;
	if (!geteuid()) {
		print_message("skipped: root writes in a directory of mode 0555 (CAP_DAC_OVERRIDE); "
			      "test_files_written has a path root may not write (/sys)\n");
		skip();
	}
	assert_int_equal(mkdir(at("read-only"), 0555), 0);
	snprintf(path, sizeof(path), "%s/out", at("read-only"));
	for (size_t w = 0; w < sizeof(writers) / sizeof(writers[0]); w++) {
		char args[1024];
		char to_out[128];

		snprintf(args, sizeof(args), writers[w].fmt, path);
		snprintf(to_out, sizeof(to_out), "> %s", out_path);
		assert_int_equal(run_to(args, to_out), 2);
		failed(args, writers[w].cmd, path, problems);
		assert_false(exists(path));
		no_temp_files(args, at("read-only"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_files_read),
		cmocka_unit_test(test_file_unreadable),
		cmocka_unit_test(test_files_written),
		cmocka_unit_test(test_file_unwritable_dir),
		cmocka_unit_test(test_stdout),
	};

	/* SIGPIPE left as it is: an ignored signal would be the CLI's from exec on. */
	return cmocka_run_group_tests_name("cli-hostile", tests, setup, teardown);
}
