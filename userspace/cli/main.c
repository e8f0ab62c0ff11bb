// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-safe-rules: what KVM/arm64 accepts in the ID registers of a VM.
 *
 * main() dispatches from the command table; each command parses its
 * options through cli_parse() (options.c) and runs. Exit statuses: enum
 * cli_status (cli.h), documented in the usage and the manual page.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

const struct cli_cmd *const cli_commands[] = {
	&cli_cmd_regs, &cli_cmd_dump, &cli_cmd_profile, &cli_cmd_check, &cli_cmd_values,
	&cli_cmd_clamp, &cli_cmd_baseline, &cli_cmd_migrate_check, &cli_cmd_diff,
	&cli_cmd_compare, &cli_cmd_try, NULL,
};

/* The errno of the first write to standard output that failed. */
static int stdout_errno;

/*
 * Standard output's writes, remembering the first failure: a write stdio
 * makes directly (a string larger than its buffer) and fails leaves only
 * the stream's error flag, whose errno later calls may have overwritten.
 */
static ssize_t stdout_write(void *cookie, const char *buf, size_t len)
{
	size_t done = 0;

	(void)cookie;
	while (done < len) {
		ssize_t n = write(STDOUT_FILENO, buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (!stdout_errno)
				stdout_errno = n < 0 ? errno : EIO;
			return done ? (ssize_t)done : -1;
		}
		done += (size_t)n;
	}
	return (ssize_t)done;
}

/* stdout through stdout_write(), buffered as before (by line on a terminal). */
static void watch_stdout(void)
{
	FILE *f = fopencookie(NULL, "w", (cookie_io_functions_t){ .write = stdout_write });

	if (!f)
		return;		/* the plain stdout: errors still found, their errno maybe not */
	if (isatty(STDOUT_FILENO))
		setvbuf(f, NULL, _IOLBF, BUFSIZ);
	stdout = f;
}

/*
 * Standard output flushed and closed, each checked: ret, or CLI_BAD after
 * one line on standard error when what a command printed was not all
 * written (a full disk, a closed pipe, a closed descriptor), whatever the
 * command found: its verdict did not reach the caller.
 */
static int close_stdout(int ret)
{
	int err = 0;

	if (fflush(stdout))
		err = stdout_errno ?: errno;
	else if (ferror(stdout))
		err = stdout_errno ?: EIO;
	if (fclose(stdout) && !err)
		err = stdout_errno ?: errno;
	if (!err)
		return ret;
	fprintf(stderr, "kvm-safe-rules: standard output: %s\n", strerror(err));
	return cli_status(CLI_STAGE_OUTPUT, -err);
}

static int run(int argc, char **argv)
{
	struct cli_opts o;
	int ret;

	if (argc < 2)
		return cli_usage_error(NULL, "no command given");
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		cli_usage(NULL);
		return CLI_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("kvm-safe-rules %s\n", ksr_version());
		return CLI_OK;
	}
	for (unsigned int i = 0; cli_commands[i]; i++) {
		if (strcmp(argv[1], cli_commands[i]->name))
			continue;
		ret = cli_parse(cli_commands[i], argc - 1, argv + 1, &o);
		if (ret)
			return ret < 0 ? CLI_OK : ret;
		return cli_commands[i]->run(&o);
	}
	return cli_usage_error(NULL, "unknown command '%s'", argv[1]);
}

int main(int argc, char **argv)
{
	/* A closed pipe is a write error (EPIPE) reported as any other, not a silent death. */
	signal(SIGPIPE, SIG_IGN);
	watch_stdout();
	return close_stdout(run(argc, argv));
}
