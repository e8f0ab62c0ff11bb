// SPDX-License-Identifier: GPL-2.0
/*
 * Peak memory: ru_maxrss of a forked child, and the rise of VmHWM after a
 * reset of the peak.
 */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fail.h"
#include "peakmem.h"

long peakmem_child(long (*fn)(void *arg), void *arg, const char *what, long *reported)
{
	struct rusage ru;
	int status, pipefd[2];
	long value;
	pid_t pid;

	if (pipe(pipefd))
		bench_fail_errno("pipe", errno);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		bench_fail_errno("fork", errno);
	if (!pid) {
		close(pipefd[0]);
		value = fn(arg);
		fflush(NULL);
		_exit(write(pipefd[1], &value, sizeof(value)) == sizeof(value) ? 0 : 1);
	}
	close(pipefd[1]);
	if (read(pipefd[0], &value, sizeof(value)) != sizeof(value))
		value = -1;
	close(pipefd[0]);
	if (wait4(pid, &status, 0, &ru) != pid)
		bench_fail_errno("wait4", errno);
	if (!WIFEXITED(status) || WEXITSTATUS(status) || value < 0)
		bench_fail("the child measuring the memory of %s failed (status %#x)", what, status);
	*reported = value;
	return ru.ru_maxrss;
}

/* A "Key:   N kB" line of /proc/self/status. */
static long status_kib(const char *key)
{
	size_t klen = strlen(key);
	char line[256];
	long kib = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		bench_fail_errno("/proc/self/status", errno);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen) && line[klen] == ':')
			kib = strtol(line + klen + 1, NULL, 10);
	fclose(f);
	if (kib < 0)
		bench_fail("/proc/self/status has no %s", key);
	return kib;
}

long peakmem_mark(void)
{
	FILE *f;

	malloc_trim(0);
	f = fopen("/proc/self/clear_refs", "w");
	if (!f || fputs("5", f) == EOF || fclose(f))
		bench_fail_errno("resetting the peak resident set (/proc/self/clear_refs)", errno);
	return status_kib("VmRSS");
}

long peakmem_since(long mark)
{
	return status_kib("VmHWM") - mark;
}
