// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile files and output targets, table-driven: every command that writes
 * standard output with standard output full, a closed pipe or a closed
 * descriptor. Expected everywhere: exit 2 and one line on standard error
 * naming what failed; nothing of a success printed.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stdout),
	};

	/* SIGPIPE left as it is: an ignored signal would be the CLI's from exec on. */
	return cmocka_run_group_tests_name("cli-hostile", tests, setup, teardown);
}
