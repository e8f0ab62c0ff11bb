/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the tests that run the host CLI share: a scratch directory with the
 * files standard output and standard error go to, and checks of them.
 */
#ifndef KSR_CLI_RUN_H
#define KSR_CLI_RUN_H

#include <sys/wait.h>

#include "unit.h"

static char dir[] = "/tmp/ksr-cli-XXXXXX";
static char out_path[64], err_path[64];

/* dir/name, in one of 8 buffers used in turn: copy one kept longer. */
static inline char *at(const char *name)
{
	static char paths[8][256];
	static unsigned int next;
	char *p = paths[next++ % 8];

	snprintf(p, sizeof(paths[0]), "%s/%s", dir, name);
	return p;
}

/*
 * Fails unless the file at path contains text. The message shows the
 * file's first 512 bytes: cmocka cuts an error message at 1023 bytes,
 * newline included, so that with standard error merged into the output
 * the next TAP line would join it and never be counted.
 */
static inline void expect(const char *path, const char *text)
{
	size_t len;
	char *s = slurp(path, &len);

	if (!strstr(s, text)) {
		char head[513];

		snprintf(head, sizeof(head), "%s", s);
		free(s);
		fail_msg("%s has no \"%.200s\":\n%s%s", path, text, head, len > 512 ? "\n..." : "");
	}
	free(s);
}

/*
 * Runs "PREFIX CLI ARGS" (shell words; PREFIX may set limits) in the fixture
 * directory, without standard input; returns its exit status.
 */
static inline int run_cli(const char *prefix, const char *args)
{
	char cmd[2048];
	int status;

	snprintf(cmd, sizeof(cmd), "cd %s && %s %s %s < /dev/null > %s 2> %s", KSR_FIXTURES, prefix,
		 KSR_CLI, args, out_path, err_path);
	status = system(cmd);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static int setup(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(out_path, sizeof(out_path), "%s/out", dir);
	snprintf(err_path, sizeof(err_path), "%s/err", dir);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) ? -1 : 0;
}

#endif
