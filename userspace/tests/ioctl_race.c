// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl_race - KVM_ARM_GET_REG_SAFE_RULES while other threads change the VM.
 *
 *	ioctl_race [--seed N] [--rounds N] [--via-module]
 *
 * Each round makes a VM with one initialised vCPU and starts, together:
 * two readers calling the ioctl in a loop (on the VM, or with --via-module
 * each on its own file of the module's device attached to the VM); a writer
 * writing ID registers with KVM_SET_ONE_REG (their value, or a bit flipped);
 * a creator adding and initialising vCPUs; and a runner that runs vCPU 0 for
 * the first time after a random delay. When the writer, creator and runner
 * are done, the VM's file is closed while the readers still call.
 *
 * What must hold: every successful reply has the same count and the same
 * entries as the first reply of the round, but for KVM_ARM_ID_RULE_IMMUTABLE
 * on the register entries, which every reader sees switch from clear to set
 * exactly once, and which is set on every entry in the same reply (the VM
 * has run, or it has not); after the runner, it is set. A reader's only
 * error is EBADF once the VM's file is closed (through the VM ioctl; the
 * module's files hold the VM and keep answering). One TAP result with the
 * rounds, calls and inconsistencies.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kvmraw.h"
#include "rng.h"

#define VER0		KVM_ARM_ID_REG_RULE_SIZE_VER0
#define READERS		2
#define MAX_ENTRIES	1024
#define MAX_VCPUS	4
#define MAX_SHOWN	10

struct round {
	struct raw_vm vm;
	int via_module;
	uint32_t n;
	struct kvm_arm_id_reg_rule ref[MAX_ENTRIES];
	atomic_int stop_readers, ran, closed, after_run;	/* after_run: readers that called after */
	atomic_ulong calls, bad, switches;
	uint64_t seed;
};

static atomic_ulong shown;

static void bad(struct round *r, const char *what, long v)
{
	atomic_fetch_add(&r->bad, 1);
	if (atomic_fetch_add(&shown, 1) < MAX_SHOWN)
		ksft_print_msg("%s (%ld)\n", what, v);
}

static void pause_random(uint64_t *state, long max_us)
{
	struct timespec ts = { 0, 0 };

	*state = *state * 6364136223846793005ull + 1442695040888963407ull;
	ts.tv_nsec = (long)((*state >> 33) % (uint64_t)max_us) * 1000;
	nanosleep(&ts, NULL);
}

/* 1 if every register entry has IMMUTABLE, 0 if none, -1 if mixed */
static int immutable_of(const struct kvm_arm_id_reg_rule *e, uint32_t n)
{
	int set = 0, clear = 0;

	for (uint32_t i = 0; i < n; i++) {
		if (e[i].kind != KVM_ARM_ID_RULE_KIND_REG)
			continue;
		if (e[i].flags & KVM_ARM_ID_RULE_IMMUTABLE)
			set = 1;
		else
			clear = 1;
	}
	return set && clear ? -1 : set;
}

static void *reader(void *arg)
{
	struct round *r = arg;
	static _Thread_local struct kvm_arm_id_reg_rule e[MAX_ENTRIES];
	int fd = raw_rules_fd(r->vm.vm_fd, r->via_module), last = 0, counted = 0;

	if (fd < 0) {
		bad(r, "a reader could not open its file", fd);
		return NULL;
	}
	while (!atomic_load(&r->stop_readers)) {
		struct kvm_arm_reg_safe_rules args = {
			.entry_size = VER0, .nr_entries = MAX_ENTRIES,
			.entries = (uint64_t)(uintptr_t)e,
		};
		int ran = atomic_load(&r->ran), ret = raw_get_rules(fd, &args), imm;

		atomic_fetch_add(&r->calls, 1);
		if (ret) {
			if (ret == -EBADF && atomic_load(&r->closed) && !r->via_module)
				break;
			bad(r, "a reader's call failed", ret);
			break;
		}
		if (args.nr_entries != r->n) {
			bad(r, "the count changed", args.nr_entries);
			continue;
		}
		imm = immutable_of(e, r->n);
		if (imm < 0) {
			bad(r, "IMMUTABLE set on some register entries only", 0);
			continue;
		}
		if (imm < last)
			bad(r, "IMMUTABLE went from set to clear", 0);
		if (imm > last)
			atomic_fetch_add(&r->switches, 1);
		last = imm;
		if (ran && !counted) {
			counted = 1;
			if (!imm)
				bad(r, "a call made after the first KVM_RUN has no IMMUTABLE", 0);
			atomic_fetch_add(&r->after_run, 1);
		}
		for (uint32_t i = 0; i < r->n; i++) {
			struct kvm_arm_id_reg_rule a = e[i], b = r->ref[i];

			a.flags &= ~KVM_ARM_ID_RULE_IMMUTABLE;
			b.flags &= ~KVM_ARM_ID_RULE_IMMUTABLE;
			if (memcmp(&a, &b, sizeof(a))) {
				bad(r, "an entry changed", (long)i);
				break;
			}
		}
	}
	if (fd != r->vm.vm_fd)
		close(fd);
	return NULL;
}

static void *writer(void *arg)
{
	struct round *r = arg;
	uint64_t st = r->seed ^ 0x1234;

	for (int i = 0; i < 1000; i++) {
		uint64_t id = KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG |
			      (3ull << KVM_REG_ARM64_SYSREG_OP0_SHIFT), val;

		st = st * 6364136223846793005ull + 1;
		id |= ((1 + (st >> 40) % 7) << KVM_REG_ARM64_SYSREG_CRM_SHIFT) |
		      (((st >> 50) % 8) << KVM_REG_ARM64_SYSREG_OP2_SHIFT);
		if (raw_get_reg(r->vm.vcpu_fd, id, &val))
			continue;
		if ((st >> 20) & 1)
			val ^= 1ull << ((st >> 24) % 64);
		raw_set_reg(r->vm.vcpu_fd, id, val);
	}
	return NULL;
}

static void *creator(void *arg)
{
	struct round *r = arg;
	struct kvm_vcpu_init vi;
	int fds[MAX_VCPUS], n = 0;

	if (ioctl(r->vm.vm_fd, KVM_ARM_PREFERRED_TARGET, &vi))
		return NULL;
	for (int i = 1; i < MAX_VCPUS; i++) {
		int fd = ioctl(r->vm.vm_fd, KVM_CREATE_VCPU, i);

		if (fd < 0)
			continue;
		fds[n++] = fd;
		ioctl(fd, KVM_ARM_VCPU_INIT, &vi);	/* may be refused once the VM ran */
	}
	while (n)
		close(fds[--n]);
	return NULL;
}

static void *runner(void *arg)
{
	struct round *r = arg;
	uint64_t st = r->seed;
	int ret;

	pause_random(&st, 3000);
	ret = raw_run_once(&r->vm);
	if (ret)
		bad(r, "the first KVM_RUN failed", ret);
	else
		atomic_store(&r->ran, 1);
	return NULL;
}

static void one_round(struct round *r)
{
	struct kvm_arm_reg_safe_rules args = {
		.entry_size = VER0, .nr_entries = MAX_ENTRIES, .entries = (uint64_t)(uintptr_t)r->ref,
	};
	pthread_t rd[READERS], w, c, run;
	int fd;

	raw_vm_open(&r->vm, VM_INITIALISED);
	fd = raw_rules_fd(r->vm.vm_fd, r->via_module);
	if (fd < 0 || raw_get_rules(fd, &args) || immutable_of(r->ref, args.nr_entries) != 0)
		ksft_exit_fail_msg("the first call of a round failed\n");
	if (fd != r->vm.vm_fd)
		close(fd);
	r->n = args.nr_entries;
	for (int i = 0; i < READERS; i++)
		pthread_create(&rd[i], NULL, reader, r);
	pthread_create(&w, NULL, writer, r);
	pthread_create(&c, NULL, creator, r);
	pthread_create(&run, NULL, runner, r);
	pthread_join(w, NULL);
	pthread_join(c, NULL);
	pthread_join(run, NULL);
	/* Every reader calls after the run, then the VM's file is closed while they call */
	for (int waited = 0; atomic_load(&r->ran) && atomic_load(&r->after_run) < READERS &&
	     waited < 20000; waited++)
		usleep(1000);
	if (atomic_load(&r->ran) && atomic_load(&r->after_run) < READERS)
		bad(r, "a reader made no call after the run within 20 s", atomic_load(&r->after_run));
	atomic_store(&r->closed, 1);
	close(r->vm.vm_fd);
	r->vm.vm_fd = -1;	/* no file may take its number while the readers call */
	usleep(2000);
	atomic_store(&r->stop_readers, 1);
	for (int i = 0; i < READERS; i++)
		pthread_join(rd[i], NULL);
	raw_vm_close(&r->vm);
}

int main(int argc, char **argv)
{
	unsigned long rounds = 30, seed = 20261204, calls = 0, problems = 0, switches = 0;
	int via_module = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
			rounds = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--via-module"))
			via_module = 1;
		else {
			fprintf(stderr, "usage: ioctl_race [--seed N] [--rounds N] [--via-module]\n");
			return 2;
		}
	}
	ksft_print_header();
	ksft_set_plan(1);
	rng_seed(seed);
	for (unsigned long i = 0; i < rounds; i++) {
		struct round *r = calloc(1, sizeof(*r));

		if (!r)
			ksft_exit_fail_msg("out of memory\n");
		r->via_module = via_module;
		r->seed = rng();
		one_round(r);
		calls += atomic_load(&r->calls);
		problems += atomic_load(&r->bad);
		switches += atomic_load(&r->switches);
		if (atomic_load(&r->switches) != READERS)
			problems++, ksft_print_msg("round %lu: %lu IMMUTABLE switches, not %d\n", i,
						   atomic_load(&r->switches), READERS);
		free(r);
	}
	ksft_test_result(!problems, "%lu rounds through the %s, %d readers + writer, vCPU creator, "
			 "runner and close each: %lu calls, %lu IMMUTABLE switches, %lu inconsistencies\n",
			 rounds, via_module ? "module's device" : "VM ioctl", READERS, calls,
			 switches, problems);
	ksft_finished();
}
