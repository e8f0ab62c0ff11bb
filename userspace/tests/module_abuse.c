// SPDX-License-Identifier: GPL-2.0
/*
 * module_abuse - the kvm_safe_rules module's device, used the wrong way.
 *
 *	module_abuse MODULE
 *
 * On a kernel with the module loaded (MODULE: its file, to load it again at
 * the end). Results:
 *
 *  - attaching what is not a VM: a vCPU's file, /dev/kvm, a regular file, a
 *    pipe (EINVAL); a closed descriptor, -1 and a number beyond any table
 *    (EBADF);
 *  - another process's VM: a VM made by a child and taken from it with
 *    pidfd_getfd() attaches, but the call fails with EIO (the VM is not this process's),
 *    and so does a device file attached here and used by a child;
 *  - the VM closed during calls: four threads call on their own device
 *    files while the VM's and the vCPU's files are closed; every call keeps
 *    succeeding with the same count, and the VM is gone from debugfs once
 *    the device files are closed;
 *  - unloading during use: a thread tries delete_module while the others
 *    call; every attempt fails with EWOULDBLOCK until the last device file
 *    is closed, then it succeeds, and MODULE loads again.
 */
#include <errno.h>
#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kvmraw.h"

#define VER0		KVM_ARM_ID_REG_RULE_SIZE_VER0
#define DEVICE		"/dev/" KVM_SAFE_RULES_DEV_NAME
#define THREADS		4

static int dev_open(void)
{
	int fd = open(DEVICE, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		ksft_exit_fail_msg("%s: %s\n", DEVICE, strerror(errno));
	return fd;
}

static int attach(int dev, long fd)
{
	return ioctl(dev, KVM_SAFE_RULES_ATTACH_VM, fd) ? errno : 0;
}

/* The count a device file answers, or -errno */
static long count(int fd)
{
	struct kvm_arm_reg_safe_rules args = { .entry_size = VER0 };

	return raw_get_rules(fd, &args) == -E2BIG ? (long)args.nr_entries : -errno;
}

static void test_not_a_vm(void)
{
	struct raw_vm vm;
	int p[2], dev = dev_open(), reg = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	int closed = open("/dev/null", O_RDONLY), e[7];

	raw_vm_open(&vm, VM_INITIALISED);
	if (pipe(p))
		ksft_exit_fail_msg("pipe: %s\n", strerror(errno));
	close(closed);
	e[0] = attach(dev, vm.vcpu_fd);
	e[1] = attach(dev, vm.kvm_fd);
	e[2] = attach(dev, reg);
	e[3] = attach(dev, p[0]);
	e[4] = attach(dev, closed);
	e[5] = attach(dev, -1);
	e[6] = attach(dev, 1L << 40);
	ksft_test_result(e[0] == EINVAL && e[1] == EINVAL && e[2] == EINVAL && e[3] == EINVAL &&
			 e[4] == EBADF && e[5] == EBADF && e[6] == EBADF && count(dev) == -EBADFD,
			 "attaching what is not a VM: vCPU %s, /dev/kvm %s, file %s, pipe %s, closed %s, "
			 "-1 %s, 2^40 %s; then the file is still unattached\n",
			 strerrorname_np(e[0]), strerrorname_np(e[1]), strerrorname_np(e[2]),
			 strerrorname_np(e[3]), strerrorname_np(e[4]), strerrorname_np(e[5]),
			 strerrorname_np(e[6]));
	close(p[0]);
	close(p[1]);
	close(reg);
	close(dev);
	raw_vm_close(&vm);
}

/*
 * Descriptors cross processes with pidfd_getfd() (the kernel has no
 * sockets): one side writes the number of its descriptor into a pipe, the
 * other takes a copy of it from that process.
 */
static void send_fd(int pipe_w, int fd)
{
	if (write(pipe_w, &fd, sizeof(fd)) != sizeof(fd))
		ksft_exit_fail_msg("write: %s\n", strerror(errno));
}

static int recv_fd(int pipe_r, pid_t from)
{
	int pidfd = syscall(SYS_pidfd_open, from, 0), num, fd;

	if (pidfd < 0 || read(pipe_r, &num, sizeof(num)) != sizeof(num))
		return -1;
	fd = syscall(SYS_pidfd_getfd, pidfd, num, 0);
	close(pidfd);
	return fd;
}

static void test_other_process(void)
{
	int to_parent[2], to_child[2], status, vm_fd, dev, e_attach;
	long theirs;
	struct raw_vm vm;
	pid_t pid, parent = getpid();
	char ok;

	if (pipe(to_parent) || pipe(to_child))
		ksft_exit_fail_msg("pipe: %s\n", strerror(errno));
	pid = fork();
	if (!pid) {
		/* The child: makes a VM and hands it over; then calls on a device file it gets */
		raw_vm_open(&vm, VM_INITIALISED);
		send_fd(to_parent[1], vm.vm_fd);
		dev = recv_fd(to_child[0], parent);
		ok = dev >= 0 && count(dev) == -EIO;
		if (write(to_parent[1], &ok, 1) != 1 || read(to_child[0], &ok, 1) != 1)
			_exit(2);
		_exit(0);
	}
	vm_fd = recv_fd(to_parent[0], pid);
	dev = dev_open();
	e_attach = attach(dev, vm_fd);
	theirs = count(dev);
	close(dev);
	/* A device file attached here to our own VM, used by the child */
	raw_vm_open(&vm, VM_INITIALISED);
	dev = dev_open();
	attach(dev, vm.vm_fd);
	send_fd(to_child[1], dev);
	if (read(to_parent[0], &ok, 1) != 1)
		ok = 0;
	if (write(to_child[1], &ok, 1) != 1)
		ok = 0;
	waitpid(pid, &status, 0);
	ksft_test_result(vm_fd >= 0 && !e_attach && theirs == -EIO && ok && WIFEXITED(status) &&
			 !WEXITSTATUS(status) && count(dev) > 0,
			 "another process's VM: attach %s, call %s; our file used by the child: %s\n",
			 e_attach ? strerrorname_np(e_attach) : "ok",
			 theirs < 0 ? strerrorname_np((int)-theirs) : "answered",
			 ok ? "EIO" : "not EIO");
	close(dev);
	close(vm_fd);
	for (int i = 0; i < 2; i++) {
		close(to_parent[i]);
		close(to_child[i]);
	}
	raw_vm_close(&vm);
}

struct shared {
	atomic_int stop;
	atomic_long calls, bad, first;
	atomic_long unload_tries, unload_wrong;
	int devs[THREADS];
};

static void *caller(void *arg)
{
	struct shared *s = ((void **)arg)[0];
	int fd = *(int *)((void **)arg)[1];

	while (!atomic_load(&s->stop)) {
		long n = count(fd);

		atomic_fetch_add(&s->calls, 1);
		if (n != atomic_load(&s->first))
			atomic_fetch_add(&s->bad, 1);
	}
	return NULL;
}

static void *unloader(void *arg)
{
	struct shared *s = arg;

	while (!atomic_load(&s->stop)) {
		int ret = -raw_module_unload();

		atomic_fetch_add(&s->unload_tries, 1);
		if (ret != EWOULDBLOCK)
			atomic_fetch_add(&s->unload_wrong, 1);
		usleep(500);
	}
	return NULL;
}

static void test_closed_and_unload(const char *module)
{
	static struct shared s;
	pthread_t t[THREADS], u;
	void *args[THREADS][2];
	struct raw_vm vm;
	int vms_before = raw_count_vms(), vms_during, unloaded, reloaded;

	raw_vm_open(&vm, VM_INITIALISED);
	for (int i = 0; i < THREADS; i++) {
		s.devs[i] = dev_open();
		if (attach(s.devs[i], vm.vm_fd))
			ksft_exit_fail_msg("attach: %s\n", strerror(errno));
	}
	atomic_store(&s.first, count(s.devs[0]));
	for (int i = 0; i < THREADS; i++) {
		args[i][0] = &s;
		args[i][1] = &s.devs[i];
		pthread_create(&t[i], NULL, caller, args[i]);
	}
	pthread_create(&u, NULL, unloader, &s);
	usleep(20000);
	/* The VM's own files go while the device files hold it */
	close(vm.vcpu_fd);
	vm.vcpu_fd = -1;
	close(vm.vm_fd);
	vm.vm_fd = -1;
	usleep(50000);
	vms_during = raw_count_vms();
	atomic_store(&s.stop, 1);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	pthread_join(u, NULL);
	ksft_test_result(!atomic_load(&s.bad) && atomic_load(&s.first) > 0 &&
			 vms_during == vms_before + 1,
			 "the VM closed during calls: %ld calls on %d files, %ld wrong, the VM alive "
			 "while held (%d VMs, %d before)\n", atomic_load(&s.calls), THREADS,
			 atomic_load(&s.bad), vms_during, vms_before);
	for (int i = 0; i < THREADS; i++)
		close(s.devs[i]);
	raw_vm_close(&vm);
	unloaded = -raw_module_unload();
	reloaded = -raw_module_load(module);
	ksft_test_result(atomic_load(&s.unload_tries) && !atomic_load(&s.unload_wrong) && !unloaded &&
			 !reloaded && raw_count_vms() == vms_before,
			 "unloading during use: %ld attempts, %ld not EWOULDBLOCK; after the last file: "
			 "unload %s, load %s, %d VMs left (%d before)\n",
			 atomic_load(&s.unload_tries), atomic_load(&s.unload_wrong),
			 unloaded ? strerrorname_np(unloaded) : "ok",
			 reloaded ? strerrorname_np(reloaded) : "ok", raw_count_vms(), vms_before);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: module_abuse MODULE\n");
		return 2;
	}
	ksft_print_header();
	ksft_set_plan(4);
	if (mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL) && errno != EBUSY)
		ksft_exit_fail_msg("mount debugfs: %s\n", strerror(errno));
	test_not_a_vm();
	test_other_process();
	test_closed_and_unload(argv[1]);
	ksft_finished();
}
