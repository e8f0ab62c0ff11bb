// SPDX-License-Identifier: GPL-2.0
/*
 * /init of the kvm-safe-rules test guest.
 *
 * Mounts proc, sysfs and devtmpfs, runs the commands that scripts/qemu-run
 * put in COMMANDS_FILE one after the other with their output on the console,
 * and powers the machine off. Every command is framed by marker lines that
 * carry a nonce chosen by the host for this boot, so nothing a guest program
 * prints can be mistaken for a result:
 *
 *	ksr-init: <nonce> ready
 *	ksr-init: <nonce> start <index> <argv0>
 *	ksr-init: <nonce> exit <index> status=<0..255|timeout|signal-N> ms=<n>
 *	ksr-init: <nonce> done status=<n>
 *
 * A command killed by its timeout or by a signal is reported as such and
 * counts as a failure (status 124 or 128 + signal, as timeout(1) and shells
 * report them). If init itself cannot go on it says so and returns from
 * main, which panics the kernel; the host sees no "done" line and fails.
 *
 * A command name without a slash is looked up in PATH and run with the full
 * path as argv[0], as a test runner would start it: the kvm selftests open
 * their own ELF file through argv[0].
 *
 * Format of COMMANDS_FILE: the nonce, then for every command its timeout in
 * seconds followed by its arguments, each of these strings terminated by a
 * NUL byte and every command by one extra NUL byte (an empty string).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define COMMANDS_FILE	"/etc/ksr/commands"
#define GUEST_PATH	"/opt/kvm-safe-rules/bin:/opt/kvm-safe-rules/selftests:/usr/sbin:/usr/bin:/sbin:/bin"
#define MAX_ARGS	256
#define STATUS_TIMEOUT	124
#define STATUS_NOEXEC	127

static const char *nonce = "-";

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	printf("ksr-init: %s ", nonce);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static void mount_or_warn(const char *src, const char *dst, const char *type)
{
	if (mkdir(dst, 0755) && errno != EEXIST)
		fprintf(stderr, "ksr-init: mkdir %s: %s\n", dst, strerror(errno));
	if (mount(src, dst, type, 0, NULL) && errno != EBUSY)
		fprintf(stderr, "ksr-init: mount %s on %s: %s\n", type, dst,
			strerror(errno));
}

/* Make fds 0, 1 and 2 the console, whatever the kernel managed to open. */
static void open_console(void)
{
	int fd = open("/dev/console", O_RDWR | O_NOCTTY);

	if (fd < 0)
		return;
	for (int i = 0; i < 3; i++)
		if (fd != i)
			dup2(fd, i);
	if (fd > 2)
		close(fd);
	setvbuf(stdout, NULL, _IOLBF, 0);
}

static char *read_file(const char *path, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	int fd = open(path, O_RDONLY);
	ssize_t r;

	if (fd < 0 || !buf) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((r = read(fd, buf + n, cap - n)) > 0) {
		n += r;
		if (n == cap) {
			char *bigger = realloc(buf, cap *= 2);

			if (!bigger) {
				r = -1;
				break;
			}
			buf = bigger;
		}
	}
	close(fd);
	if (r < 0) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 +
	       (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

static volatile sig_atomic_t timed_out;

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

/* The full path of a command name found in PATH, or the name itself. */
static const char *resolve(const char *name, char *buf, size_t len)
{
	const char *dir = GUEST_PATH;

	if (strchr(name, '/'))
		return name;
	while (*dir) {
		size_t n = strcspn(dir, ":");

		if ((size_t)snprintf(buf, len, "%.*s/%s", (int)n, dir, name) < len &&
		    access(buf, X_OK) == 0)
			return buf;
		dir += n + (dir[n] == ':');
	}
	return name;
}

/* Runs one command; returns its exit status as a shell would report it. */
static int run_command(int index, char **argv, unsigned int timeout)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct timespec t0;
	int status, ret;
	pid_t pid;

	say("start %d %s", index, argv[0]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		say("exit %d status=%d ms=0 fork: %s", index, STATUS_NOEXEC,
		    strerror(errno));
		return STATUS_NOEXEC;
	}
	if (pid == 0) {
		char path[4096];

		setpgid(0, 0);
		argv[0] = (char *)resolve(argv[0], path, sizeof(path));
		execv(argv[0], argv);
		fprintf(stderr, "ksr-init: cannot run %s: %s\n", argv[0],
			strerror(errno));
		_exit(STATUS_NOEXEC);
	}
	setpgid(pid, pid);

	timed_out = 0;
	sigaction(SIGALRM, &sa, NULL);
	alarm(timeout);
	while ((ret = waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
		if (timed_out)
			kill(-pid, SIGKILL);
	}
	alarm(0);
	/* Whatever the command left running in its group goes with it. */
	kill(-pid, SIGKILL);

	if (ret < 0) {
		say("exit %d status=%d ms=%ld waitpid: %s", index, STATUS_NOEXEC,
		    elapsed_ms(&t0), strerror(errno));
		return STATUS_NOEXEC;
	}
	if (timed_out) {
		say("exit %d status=timeout ms=%ld", index, elapsed_ms(&t0));
		return STATUS_TIMEOUT;
	}
	if (WIFSIGNALED(status)) {
		say("exit %d status=signal-%d ms=%ld", index, WTERMSIG(status),
		    elapsed_ms(&t0));
		return 128 + WTERMSIG(status);
	}
	say("exit %d status=%d ms=%ld", index, WEXITSTATUS(status),
	    elapsed_ms(&t0));
	return WEXITSTATUS(status);
}

int main(void)
{
	char *argv[MAX_ARGS + 1];
	int index = 0, result = 0;
	size_t len, pos = 0;
	char *buf;

	mount_or_warn("proc", "/proc", "proc");
	mount_or_warn("sysfs", "/sys", "sysfs");
	mount_or_warn("devtmpfs", "/dev", "devtmpfs");
	mount_or_warn("tmpfs", "/tmp", "tmpfs");
	open_console();
	setenv("PATH", GUEST_PATH, 1);
	setenv("HOME", "/", 1);
	setenv("TERM", "dumb", 1);

	buf = read_file(COMMANDS_FILE, &len);
	if (!buf || !len || buf[len - 1] != '\0') {
		fprintf(stderr, "ksr-init: %s is missing or malformed\n",
			COMMANDS_FILE);
		return 1;
	}
	nonce = buf;
	pos = strlen(nonce) + 1;
	say("ready");

	while (pos < len) {
		unsigned int timeout = strtoul(buf + pos, NULL, 10);
		int argc = 0, status;

		pos += strlen(buf + pos) + 1;
		while (pos < len && buf[pos] != '\0' && argc < MAX_ARGS) {
			argv[argc++] = buf + pos;
			pos += strlen(buf + pos) + 1;
		}
		if (pos >= len || buf[pos] != '\0' || argc == 0) {
			fprintf(stderr, "ksr-init: command %d in %s is malformed\n",
				index, COMMANDS_FILE);
			return 1;
		}
		pos++;
		argv[argc] = NULL;
		status = run_command(index++, argv, timeout);
		if (status && !result)
			result = status;
	}
	say("done status=%d", result);
	sync();
	reboot(RB_POWER_OFF);
	fprintf(stderr, "ksr-init: power off failed: %s\n", strerror(errno));
	return 1;
}
