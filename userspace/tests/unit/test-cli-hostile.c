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

/* dir/name (up to 8 at a time). */
static char *at(const char *name)
{
	static char paths[8][256];
	static unsigned int next;
	char *p = paths[next++ % 8];

	snprintf(p, sizeof(paths[0]), "%s/%s", dir, name);
	return p;
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

static const struct bad_file bad_files[] = {
	{ "missing", { "No such file or directory", "No such file or directory",
		       "No such file or directory" } },
	{ "empty", { "line 1, column 1: not JSON", "no register: an empty configuration",
		     "no 'REG VALUE' line to check" } },
	{ "truncated", { "line 137, column 16: not JSON: unexpected end of data", ":2: expected",
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
	char *max = slurp(KSR_FIXTURES "/max.json", &len), *big, *name;
	FILE *f;

	put(at("empty"), "");
	if (type == PROFILE) {
		/* Cut in the middle of the registers. */
		assert_true(len > 3000);
		put_bytes(at("truncated"), max, 3000);
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
		put(at("unreadable"), type == PROFILE ? "{}\n" : "ID_AA64ISAR0_EL1 0x11120\n");
		assert_int_equal(chmod(at("unreadable"), 0), 0);
		run_readers(type, "unreadable", problems);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_files_read),
		cmocka_unit_test(test_file_unreadable),
		cmocka_unit_test(test_stdout),
	};

	/* SIGPIPE left as it is: an ignored signal would be the CLI's from exec on. */
	return cmocka_run_group_tests_name("cli-hostile", tests, setup, teardown);
}
