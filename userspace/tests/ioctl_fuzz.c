// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl_fuzz - KVM_ARM_GET_REG_SAFE_RULES with random and boundary arguments,
 * each result checked against the documented contract (api.rst 4.144).
 *
 *	ioctl_fuzz [--seed N] [--iterations N] [--via-module]
 *
 * Four VMs, one in each state the ioctl can meet (no vCPU, a vCPU not
 * initialised, initialised, after its first KVM_RUN); each iteration picks
 * one and calls the ioctl (on the VM, or with --via-module on a file of the
 * kvm_safe_rules module's device attached to it) with:
 *
 *  - flags 0, KVM_ARM_REG_SAFE_RULES_FW (the firmware registers too: a
 *    reference of its own) or, sometimes, unknown bits; reserved0 and
 *    reserved[] mostly zero, sometimes not;
 *  - entry_size from the boundaries (0, 8, 88, 95, 96, 97, 100, 104, 128,
 *    1024, 1025, 1032, 4096, 4097, 2^31, 2^32-1) or random;
 *  - nr_entries 0, 1, the count and its neighbours, UINT32_MAX or random;
 *  - entries NULL, a buffer that ends at a guard page (exactly the room
 *    needed, or less: straddling the end), with slack, misaligned,
 *    unmapped, read-only, a kernel address or a random one;
 *  - the argument itself on the stack, NULL, read-only, or straddling the
 *    end of a mapping.
 *
 * Every tenth iteration writes an ID register of the initialised or run VM
 * with KVM_SET_ONE_REG instead (its value, or one bit flipped): the rules
 * must not change. The expected result follows from the contract alone:
 * EFAULT for an unreadable argument; EINVAL for unknown flags, nonzero reserved
 * words or an entry size outside [96, 1024] or not a multiple of 8; ENOEXEC
 * without an initialised vCPU; E2BIG with the count when nr_entries is
 * smaller, the entries untouched; EFAULT when the entries cannot all be
 * written or the argument cannot be written back; else success, with
 * nr_entries the count, entry_size 96, each entry equal to a reference call
 * of the same VM with the same flags, every byte past 96 in each entry zero, and nothing written
 * after the last entry. One TAP result per VM state, with the calls, the
 * errno counts and the contract violations (the first ones shown).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kvmraw.h"
#include "rng.h"

#define VER0		KVM_ARM_ID_REG_RULE_SIZE_VER0
#define SIZE_MAX_KVM	1024
#define ARENA		(1024 * 1024)	/* room for any count at 1024 bytes an entry */
#define MAX_SHOWN	10
#define PATTERN		0xa5

enum buf_kind {
	BUF_NULL, BUF_FIT, BUF_SLACK, BUF_MISALIGNED, BUF_STRADDLE, BUF_UNMAPPED,
	BUF_READONLY, BUF_KERNEL, BUF_RANDOM, BUF_KINDS
};

enum args_kind { ARGS_STACK, ARGS_NULL, ARGS_READONLY, ARGS_STRADDLE, ARGS_KINDS };

struct state_vm {
	struct raw_vm vm;
	int fd;				/* what the ioctl is called on */
	uint32_t n[2];			/* the count, from the reference call: */
	unsigned char *ref[2];		/* ... and its entries, VER0 bytes each; [1]: with
					 * KVM_ARM_REG_SAFE_RULES_FW */
	unsigned long calls, by_errno[4096], violations;
};

static long page;
static unsigned char *arena, *arena_end;	/* arena_end: a PROT_NONE page */
static unsigned char *readonly, *unmapped, *args_page;	/* args_page + page: PROT_NONE */

static void *map(size_t len, int prot)
{
	void *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
	return p;
}

static void setup_memory(void)
{
	page = sysconf(_SC_PAGESIZE);
	arena = map(ARENA + page, PROT_READ | PROT_WRITE);
	arena_end = arena + ARENA;
	if (mprotect(arena_end, page, PROT_NONE))
		ksft_exit_fail_msg("mprotect: %s\n", strerror(errno));
	readonly = map(ARENA, PROT_READ);
	unmapped = map(ARENA, PROT_NONE);
	args_page = map(2 * page, PROT_READ | PROT_WRITE);
	if (mprotect(args_page + page, page, PROT_NONE))
		ksft_exit_fail_msg("mprotect: %s\n", strerror(errno));
}

static int call(int fd, struct kvm_arm_reg_safe_rules *args)
{
	return raw_get_rules(fd, args);
}

/* Index of state_vm's n[] and ref[] for a call with these flags */
static int with_fw(uint32_t flags)
{
	return !!(flags & KVM_ARM_REG_SAFE_RULES_FW);
}

static void reference_flags(struct state_vm *s, uint32_t flags)
{
	struct kvm_arm_reg_safe_rules args = { .entry_size = VER0, .flags = flags };
	int fw = with_fw(flags);
	int ret = call(s->fd, &args);

	if (s->vm.state < VM_INITIALISED) {
		if (ret != -ENOEXEC)
			ksft_exit_fail_msg("%s: %s, not ENOEXEC\n", vm_state_names[s->vm.state],
					   strerror(-ret));
		return;
	}
	if (ret != -E2BIG || !args.nr_entries)
		ksft_exit_fail_msg("%s: count: %s\n", vm_state_names[s->vm.state], strerror(-ret));
	s->n[fw] = args.nr_entries;
	s->ref[fw] = calloc(s->n[fw], VER0);
	args.entries = (uint64_t)(uintptr_t)s->ref[fw];
	if (!s->ref[fw] || call(s->fd, &args) || args.nr_entries != s->n[fw])
		ksft_exit_fail_msg("%s: the reference call failed\n", vm_state_names[s->vm.state]);
}

static void reference(struct state_vm *s)
{
	reference_flags(s, 0);
	reference_flags(s, KVM_ARM_REG_SAFE_RULES_FW);
}

static uint32_t pick_entry_size(void)
{
	static const uint32_t sizes[] = {
		0, 8, 88, 95, 96, 97, 100, 104, 128, 1024, 1025, 1032, 4096, 4097,
		0x80000000u, 0xffffffffu,
	};
	uint64_t r = rng() % 100;

	if (r < 45)
		return VER0;
	if (r < 55)
		return VER0 + 8 * (rng() % ((SIZE_MAX_KVM - VER0) / 8 + 1));
	if (r < 60)
		return (uint32_t)rng();
	return sizes[rng() % (sizeof(sizes) / sizeof(sizes[0]))];
}

static uint32_t pick_nr(uint32_t n)
{
	uint32_t base = n ? n : 320;

	switch (rng() % 8) {
	case 0: return 0;
	case 1: return 1;
	case 2: return base - 1;
	case 3: return base + 1;
	case 4: return UINT32_MAX;
	case 5: return (uint32_t)rng();
	case 6: return base + rng() % 64;
	default: return base;
	}
}

struct call_plan {
	struct kvm_arm_reg_safe_rules in;
	enum buf_kind buf;
	enum args_kind argk;
	unsigned char *start;	/* our buffer, or NULL */
	size_t room;		/* bytes writable from start */
	size_t watched;		/* bytes of our buffer filled with PATTERN */
	size_t tail;		/* and the last bytes of a larger buffer */
};

static void plan_buffer(struct call_plan *p, uint32_t n)
{
	uint64_t esz = p->in.entry_size, need = (uint64_t)n * esz;
	size_t fit = need <= ARENA ? need : ARENA;

	p->buf = rng() % BUF_KINDS;
	p->start = NULL;
	p->room = 0;
	switch (p->buf) {
	case BUF_NULL:
		p->in.entries = 0;
		return;
	case BUF_FIT:
		p->start = arena_end - fit;
		p->room = fit;
		break;
	case BUF_SLACK:
		p->start = arena_end - fit - (fit < ARENA - 4096 ? 4096 : 0);
		p->room = arena_end - p->start;
		break;
	case BUF_MISALIGNED:
		p->start = arena_end - fit - (fit < ARENA - 64 ? 1 + rng() % 63 : 0);
		p->room = arena_end - p->start;
		break;
	case BUF_STRADDLE:
		p->room = fit ? rng() % fit : 0;
		p->start = arena_end - p->room;
		break;
	case BUF_UNMAPPED:
		p->in.entries = (uint64_t)(uintptr_t)unmapped + rng() % page;
		return;
	case BUF_READONLY:
		p->in.entries = (uint64_t)(uintptr_t)readonly + rng() % 64;
		return;
	case BUF_KERNEL:
		p->in.entries = 0xffff800080000000ull + (rng() & 0xffffff8ull);
		return;
	default:
		p->in.entries = rng();
		return;
	}
	p->in.entries = (uint64_t)(uintptr_t)p->start;
	/* Watch what a success or an E2BIG may or may not write: up to 64 KiB of it */
	p->watched = p->room < 64 * 1024 ? p->room : 64 * 1024;
	p->tail = p->room - p->watched < 4096 ? p->room - p->watched : 4096;
	memset(p->start, PATTERN, p->watched);
	memset(p->start + (p->room - p->tail), PATTERN, p->tail);
}

/* The errno the contract gives for this call (0: success). */
static int expected(const struct call_plan *p, const struct state_vm *s)
{
	const struct kvm_arm_reg_safe_rules *a = &p->in;
	uint32_t n = s->n[with_fw(a->flags)];
	uint64_t need;

	if (p->argk == ARGS_NULL || p->argk == ARGS_STRADDLE)
		return EFAULT;
	if ((a->flags & ~KVM_ARM_REG_SAFE_RULES_FW) || a->reserved0 || a->reserved[0] || a->reserved[1] || a->reserved[2] ||
	    a->reserved[3])
		return EINVAL;
	if (a->entry_size < VER0 || a->entry_size > SIZE_MAX_KVM || a->entry_size % 8)
		return EINVAL;
	if (s->vm.state < VM_INITIALISED)
		return ENOEXEC;
	if (a->nr_entries < n)
		return p->argk == ARGS_READONLY ? EFAULT : E2BIG;
	need = (uint64_t)n * a->entry_size;
	if (!p->start || p->room < need)
		return EFAULT;
	return p->argk == ARGS_READONLY ? EFAULT : 0;
}

static void violation(struct state_vm *s, const struct call_plan *p, const char *what, long got)
{
	if (s->violations++ < MAX_SHOWN)
		ksft_print_msg("%s: flags %#x esz %u nr %u res0 %#x entries %#llx (buf %d, args %d): "
			       "%s (%ld)\n", vm_state_names[s->vm.state], p->in.flags,
			       p->in.entry_size, p->in.nr_entries, p->in.reserved0,
			       (unsigned long long)p->in.entries, p->buf, p->argk, what, got);
}

/* Buffers to compare with: memcmp() is many times faster than a loop under emulation */
static unsigned char pattern_buf[SIZE_MAX_KVM * 4], zero_buf[SIZE_MAX_KVM];

static int untouched(const unsigned char *b, size_t len)
{
	for (size_t off = 0; off < len; off += sizeof(pattern_buf)) {
		size_t n = len - off < sizeof(pattern_buf) ? len - off : sizeof(pattern_buf);

		if (memcmp(b + off, pattern_buf, n))
			return 0;
	}
	return 1;
}

/* Our buffer (if the call had one) still holds the pattern where it was watched */
static int buffer_untouched(const struct call_plan *p)
{
	return !p->start || (untouched(p->start, p->watched) &&
			     untouched(p->start + p->room - p->tail, p->tail));
}

static void check_result(struct state_vm *s, const struct call_plan *p,
			 const struct kvm_arm_reg_safe_rules *out, int ret)
{
	int want = expected(p, s), fw = with_fw(p->in.flags);
	size_t esz = p->in.entry_size, end = (size_t)s->n[fw] * esz;

	if (-ret != want) {
		violation(s, p, want ? strerror(want) : "success expected", ret);
		return;
	}
	if (p->argk != ARGS_STACK)
		return;
	if (want == EINVAL || want == ENOEXEC) {
		if (memcmp(out, &p->in, sizeof(*out)))
			violation(s, p, "the argument changed on an error", 0);
		if (!buffer_untouched(p))
			violation(s, p, "entries written on an error", 0);
		return;
	}
	if (want == E2BIG) {
		if (out->nr_entries != s->n[fw] || out->entry_size != VER0)
			violation(s, p, "E2BIG without the count or KVM's entry size", out->nr_entries);
		if (!buffer_untouched(p))
			violation(s, p, "entries written with E2BIG", 0);
		return;
	}
	if (want)
		return;
	if (out->nr_entries != s->n[fw] || out->entry_size != VER0 || out->flags != p->in.flags ||
	    out->reserved0)
		violation(s, p, "the argument after success", out->nr_entries);
	for (size_t i = 0; i < s->n[fw]; i++) {
		const unsigned char *e = p->start + i * esz;

		if (memcmp(e, s->ref[fw] + i * VER0, VER0)) {
			violation(s, p, "an entry differs from the reference", (long)i);
			return;
		}
		if (memcmp(e + VER0, zero_buf, esz - VER0)) {
			violation(s, p, "a byte past KVM's entry is not zero", (long)i);
			return;
		}
	}
	if (p->watched > end && !untouched(p->start + end, p->watched - end))
		violation(s, p, "written after the last entry", (long)end);
	if (p->start && p->tail && end <= p->room - p->tail &&
	    !untouched(p->start + p->room - p->tail, p->tail))
		violation(s, p, "written at the end of the buffer, after the last entry", (long)end);
}

static void one_call(struct state_vm *s)
{
	struct kvm_arm_reg_safe_rules stack_args, *args;
	struct call_plan p = { 0 };
	int ret;

	switch (rng() % 10) {
	case 0:
		p.in.flags = (uint32_t)(rng() % 2 ? 1u << (rng() % 32) : rng());
		break;
	case 1: case 2: case 3:
		p.in.flags = KVM_ARM_REG_SAFE_RULES_FW;
		break;
	default:
		p.in.flags = 0;
	}
	p.in.reserved0 = rng() % 20 ? 0 : (uint32_t)rng() | 1;
	if (!(rng() % 20))
		p.in.reserved[rng() % 4] = rng() | 1;
	p.in.entry_size = pick_entry_size();
	p.in.nr_entries = pick_nr(s->n[with_fw(p.in.flags)]);
	plan_buffer(&p, s->n[with_fw(p.in.flags)] ? s->n[with_fw(p.in.flags)] : 320);
	p.argk = rng() % 20 ? ARGS_STACK : 1 + rng() % (ARGS_KINDS - 1);

	switch (p.argk) {
	case ARGS_NULL:
		args = NULL;
		break;
	case ARGS_READONLY:
		args = (void *)args_page;
		*args = p.in;
		mprotect(args_page, page, PROT_READ);
		break;
	case ARGS_STRADDLE:
		args = (void *)(args_page + page - sizeof(*args) / 2);
		memcpy(args, &p.in, sizeof(*args) / 2);
		break;
	default:
		args = &stack_args;
		*args = p.in;
	}
	ret = call(s->fd, args);
	if (p.argk == ARGS_READONLY)
		mprotect(args_page, page, PROT_READ | PROT_WRITE);
	s->calls++;
	s->by_errno[-ret < 4096 ? -ret : 0]++;
	check_result(s, &p, args == &stack_args ? &stack_args : &p.in, ret);
}

/* KVM_SET_ONE_REG of a random VM-wide ID register: its value, or a bit flipped. */
static void one_write(struct state_vm *s)
{
	uint64_t id = KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG |
		      (3ull << KVM_REG_ARM64_SYSREG_OP0_SHIFT) |
		      ((1 + rng() % 7) << KVM_REG_ARM64_SYSREG_CRM_SHIFT) |
		      ((rng() % 8) << KVM_REG_ARM64_SYSREG_OP2_SHIFT), val;

	if (raw_get_reg(s->vm.vcpu_fd, id, &val))
		return;
	if (rng() % 2)
		val ^= 1ull << (rng() % 64);
	raw_set_reg(s->vm.vcpu_fd, id, val);
}

static const char *errno_counts(const struct state_vm *s, char *buf, size_t len)
{
	static const int shown[] = { 0, E2BIG, EINVAL, ENOEXEC, EFAULT };
	size_t off = 0;

	for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]) && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s %lu", i ? ", " : "",
				shown[i] ? strerrorname_np(shown[i]) : "success",
				s->by_errno[shown[i]]);
	return buf;
}

int main(int argc, char **argv)
{
	unsigned long iterations = 100000, seed = 20261204;
	struct state_vm vms[VM_STATES];
	int via_module = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--iterations") && i + 1 < argc)
			iterations = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--via-module"))
			via_module = 1;
		else {
			fprintf(stderr, "usage: ioctl_fuzz [--seed N] [--iterations N] [--via-module]\n");
			return 2;
		}
	}
	ksft_print_header();
	ksft_set_plan(VM_STATES + 1);
	ksft_print_msg("seed %lu, %lu iterations, through the %s\n", seed, iterations,
		       via_module ? "module's device" : "VM ioctl");
	rng_seed(seed);
	setup_memory();
	memset(pattern_buf, PATTERN, sizeof(pattern_buf));
	memset(vms, 0, sizeof(vms));
	for (int s = 0; s < VM_STATES; s++) {
		raw_vm_open(&vms[s].vm, s);
		vms[s].fd = raw_rules_fd(vms[s].vm.vm_fd, via_module);
		if (vms[s].fd < 0)
			ksft_exit_fail_msg("the module's device: %s\n", strerror(-vms[s].fd));
		reference(&vms[s]);
	}
	for (unsigned long i = 0; i < iterations; i++) {
		struct state_vm *s = &vms[rng() % VM_STATES];

		if (!(rng() % 10) && s->vm.state >= VM_INITIALISED)
			one_write(s);
		else
			one_call(s);
	}
	for (int st = 0; st < VM_STATES; st++) {
		struct state_vm *s = &vms[st];
		char counts[256];

		ksft_test_result(!s->violations && s->calls,
				 "%s: %lu calls (%s), %lu contract violations\n",
				 vm_state_names[st], s->calls, errno_counts(s, counts, sizeof(counts)),
				 s->violations);
	}
	/* Writes must not have changed the rules: the reference call again */
	{
		int same = 1;

		for (int st = VM_INITIALISED; st < VM_STATES; st++) {
			for (int fw = 0; fw < 2; fw++) {
				unsigned char *first = vms[st].ref[fw];
				uint32_t n = vms[st].n[fw];

				vms[st].ref[fw] = NULL;
				reference_flags(&vms[st], fw ? KVM_ARM_REG_SAFE_RULES_FW : 0);
				same &= n == vms[st].n[fw] &&
					!memcmp(first, vms[st].ref[fw], (size_t)n * VER0);
				free(first);
			}
		}
		ksft_test_result(same, "the rules after the fuzzing and the writes are the first ones\n");
	}
	for (int st = 0; st < VM_STATES; st++) {
		if (vms[st].fd != vms[st].vm.vm_fd)
			close(vms[st].fd);
		raw_vm_close(&vms[st].vm);
		free(vms[st].ref[0]);
		free(vms[st].ref[1]);
	}
	ksft_finished();
}
