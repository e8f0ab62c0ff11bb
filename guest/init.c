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
 *	ksr-init: <nonce> kmsg boot <prio> <seq> <usec> <text>	(0 or more)
 *	ksr-init: <nonce> log boot taint=<n> records=<n> lost=<n>
 *	ksr-init: <nonce> start <index> <argv0>
 *	ksr-init: <nonce> exit <index> status=<0..255|timeout|signal-N> ms=<n>
 *	ksr-init: <nonce> kmsg <index> <prio> <seq> <usec> <text>	(0 or more)
 *	ksr-init: <nonce> log <index> taint=<n> records=<n> lost=<n>
 *	ksr-init: <nonce> done status=<n>
 *
 * The kernel log and the taint flags: after "ready", every record of the
 * kernel log so far (the boot's own log, read from /dev/kmsg whatever the
 * console log level) and /proc/sys/kernel/tainted; after each command, the
 * records the kernel logged since the previous report and the taint flags
 * then. "kmsg" carries a record as /dev/kmsg gives it (syslog priority,
 * sequence number, timestamp in microseconds, text with control characters
 * escaped as \xNN, so always one line); "log" closes the report with the
 * taint flags, the number of "kmsg" lines it printed and the number of
 * records the ring buffer dropped before init read them. The records of a
 * report end with one init writes itself, "ksr-init: end of command N" (or
 * "of the boot"). A value init could not read is reported as "unreadable"
 * (taint=unreadable, records=unreadable), which the host judges as a kernel
 * log it cannot prove clean. A record logged after the report of a command
 * (deferred work) goes to the next one.
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
 * Modules: before "ready", init loads every kernel module MODULES_FILE lists
 * (one path per line; scripts/qemu-run writes it for --kernel debian), so
 * that the boot's report has their messages and taint flags. A module that
 * does not load stops init, after saying why: the host sees no result.
 *
 * Format of COMMANDS_FILE: the nonce, then for every command its timeout in
 * seconds followed by its arguments, each of these strings terminated by a
 * NUL byte and every command by one extra NUL byte (an empty string). init
 * removes the file once read, so that the commands cannot read the nonce.
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
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define COMMANDS_FILE	"/etc/ksr/commands"
#define MODULES_FILE	"/etc/ksr/modules"
#define KMSG_FILE	"/dev/kmsg"
#define TAINT_FILE	"/proc/sys/kernel/tainted"
/* One /dev/kmsg record: header, text (at most 1 KiB before escaping) and dictionary */
#define KMSG_RECORD_MAX	8192
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

static int kmsg_fd = -1, kmsg_wfd = -1;
static unsigned long long kmsg_next_seq;
static int kmsg_started;

/* Opens /dev/kmsg at the oldest record the kernel still holds. */
static void kmsg_open(void)
{
	kmsg_fd = open(KMSG_FILE, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kmsg_fd < 0)
		fprintf(stderr, "ksr-init: open %s: %s\n", KMSG_FILE, strerror(errno));
	kmsg_wfd = open(KMSG_FILE, O_WRONLY | O_CLOEXEC);
	if (kmsg_wfd < 0)
		fprintf(stderr, "ksr-init: open %s for writing: %s\n", KMSG_FILE,
			strerror(errno));
}

/*
 * Logs where a report ends. Besides marking the log for whoever reads it,
 * the new record closes any record the kernel left open for a continuation
 * (a line without its newline yet), which /dev/kmsg would not show before.
 * scripts/qemu-run boots with printk.devkmsg=on: no rate limit drops it.
 */
static void kmsg_mark(const char *scope)
{
	char line[64];
	int len;

	len = snprintf(line, sizeof(line), "ksr-init: end of %s%s\n",
		       strcmp(scope, "boot") ? "command " : "the ", scope);
	if (kmsg_wfd >= 0 && write(kmsg_wfd, line, len) != len)
		fprintf(stderr, "ksr-init: write %s: %s\n", KMSG_FILE, strerror(errno));
}

/*
 * Prints every record logged since the last call as "kmsg" markers and
 * closes the report with a "log" marker: the taint flags, the number of
 * records printed and the number lost (overwritten before they were read).
 */
static void report_log(const char *scope)
{
	static char rec[KMSG_RECORD_MAX + 1];
	unsigned long long records = 0, lost = 0;
	char taint[32] = "unreadable";
	int readable = kmsg_fd >= 0;
	ssize_t n;
	int fd;

	kmsg_mark(scope);
	while (readable) {
		unsigned long long seq, usec;
		unsigned int prio;
		char *text, *end;

		n = read(kmsg_fd, rec, KMSG_RECORD_MAX);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EPIPE)	/* overwritten: the next read resumes */
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0) {
			fprintf(stderr, "ksr-init: read %s: %s\n", KMSG_FILE,
				n ? strerror(errno) : "end of file");
			readable = 0;
			break;
		}
		rec[n] = '\0';
		text = strchr(rec, ';');
		if (!text || sscanf(rec, "%u,%llu,%llu", &prio, &seq, &usec) != 3) {
			fprintf(stderr, "ksr-init: unexpected %s record: %.80s\n", KMSG_FILE, rec);
			readable = 0;
			break;
		}
		text++;
		end = strchr(text, '\n');
		if (end)
			*end = '\0';
		if (kmsg_started && seq > kmsg_next_seq)
			lost += seq - kmsg_next_seq;
		else if (!kmsg_started && seq > 0)
			lost += seq;	/* the boot's first records are gone */
		kmsg_started = 1;
		kmsg_next_seq = seq + 1;
		say("kmsg %s %u %llu %llu %s", scope, prio, seq, usec, text);
		records++;
	}

	/* A decimal number and a newline, or "unreadable" */
	fd = open(TAINT_FILE, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		char buf[sizeof(taint)];

		n = read(fd, buf, sizeof(buf) - 1);
		if (n > 1 && buf[n - 1] == '\n' &&
		    strspn(buf, "0123456789") == (size_t)n - 1)
			snprintf(taint, sizeof(taint), "%.*s", (int)n - 1, buf);
		close(fd);
	}
	if (readable)
		say("log %s taint=%s records=%llu lost=%llu", scope, taint, records, lost);
	else
		say("log %s taint=%s records=unreadable lost=%llu", scope, taint, lost);
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

/* Runs one command, then reports what the kernel logged meanwhile. */
static int run_and_report(int index, char **argv, unsigned int timeout)
{
	int status = run_command(index, argv, timeout);
	char scope[16];

	snprintf(scope, sizeof(scope), "%d", index);
	report_log(scope);
	return status;
}

/* Loads the modules of MODULES_FILE, if any; -1 after saying which failed. */
static int load_modules(void)
{
	size_t len;
	char *list = read_file(MODULES_FILE, &len), *path, *save = NULL;

	if (!list)
		return 0;
	list[len] = '\0';	/* read_file() leaves room: len < its buffer's size */
	for (path = strtok_r(list, "\n", &save); path; path = strtok_r(NULL, "\n", &save)) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);

		if (fd < 0 || syscall(SYS_finit_module, fd, "", 0)) {
			fprintf(stderr, "ksr-init: loading the module %s: %s\n", path, strerror(errno));
			free(list);
			return -1;
		}
		close(fd);
		fprintf(stderr, "ksr-init: loaded the module %s\n", path);
	}
	free(list);
	return 0;
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
	if (unlink(COMMANDS_FILE))
		fprintf(stderr, "ksr-init: unlink %s: %s\n", COMMANDS_FILE, strerror(errno));
	nonce = buf;
	pos = strlen(nonce) + 1;
	kmsg_open();
	if (load_modules())
		return 1;
	say("ready");
	report_log("boot");

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
		status = run_and_report(index++, argv, timeout);
		if (status && !result)
			result = status;
	}
	say("done status=%d", result);
	sync();
	reboot(RB_POWER_OFF);
	fprintf(stderr, "ksr-init: power off failed: %s\n", strerror(errno));
	return 1;
}
