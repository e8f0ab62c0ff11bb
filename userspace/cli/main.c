// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-safe-rules: what KVM/arm64 accepts in the ID registers of a VM.
 *
 * main() dispatches from the command table; each command parses its
 * options through cli_parse() (options.c) and runs. Exit statuses: enum
 * cli_status (cli.h), documented in the usage and the manual page.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

const struct cli_cmd *const cli_commands[] = {
	&cli_cmd_regs, &cli_cmd_dump, &cli_cmd_profile, &cli_cmd_check, &cli_cmd_values,
	&cli_cmd_clamp, &cli_cmd_baseline, &cli_cmd_migrate_check, &cli_cmd_diff,
	&cli_cmd_compare, &cli_cmd_try, NULL,
};

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
	cli_watch_stdout();
	return cli_close_stdout(run(argc, argv));
}
