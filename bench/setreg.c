// SPDX-License-Identifier: GPL-2.0
/*
 * bench-setreg - P2: the cost of KVM_SET_ONE_REG of the VM-wide ID registers.
 *
 *	bench-setreg [--rounds N] [--iterations N]
 *
 * Uses no new UAPI and no library, so the same binary runs on the stock and
 * the patched kernel (bench/run boots them alternately). In a scratch VM
 * (one vCPU, initialised, never run) it takes every register
 * KVM_GET_REG_LIST lists with op0=3, op1=0, CRn=0, CRm=1..7, and CTR_EL0,
 * reads each one's default with KVM_GET_ONE_REG and then, per round, writes
 * all of them back with KVM_SET_ONE_REG, --iterations times (default 200),
 * timing the round with CLOCK_MONOTONIC; --rounds rounds (default 15) after
 * one untimed round (QEMU translates the code it runs the first time). A
 * round's figure is its time divided by its calls. After the rounds every
 * register must still read its default.
 *
 * Each round is followed by as many KVM_GET_ONE_REG calls of the same
 * registers, timed the same way: a reference the series does not change,
 * which shows how fast the boot ran (under TCG, boots of one kernel differ
 * by tens of percent), so that the runner can divide it out.
 *
 * Prints a summary, then one line "bench-result: {JSON}" with the
 * per-call times of every round (ns) and every register written with its
 * value, which bench/run compares between the two kernels.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "fail.h"
#include "samples.h"
#include "scratch_vm.h"

struct options {
	unsigned int rounds, iterations;
};

static void parse_options(int argc, char **argv, struct options *o)
{
	o->rounds = 15;
	o->iterations = 200;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
			o->rounds = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--iterations") && i + 1 < argc)
			o->iterations = strtoul(argv[++i], NULL, 0);
		else
			bench_fail("usage: bench-setreg [--rounds N] [--iterations N]");
	}
	if (!o->rounds || o->rounds > BENCH_MAX_SAMPLES || !o->iterations)
		bench_fail("--rounds must be 1..%d and --iterations at least 1", BENCH_MAX_SAMPLES);
}

static void write_all(const struct scratch_vm *vm, const struct idreg_list *regs,
		      const uint64_t *values)
{
	char name[32];
	int ret;

	for (unsigned int i = 0; i < regs->n; i++) {
		ret = scratch_set_reg(vm, regs->id[i], values[i]);
		if (ret) {
			fprintf(stderr, "bench-setreg: KVM_SET_ONE_REG %s = %#" PRIx64 "\n",
				scratch_reg_text(regs->id[i], name, sizeof(name)), values[i]);
			bench_fail_errno("KVM_SET_ONE_REG of a default", ret);
		}
	}
}

static void read_all(const struct scratch_vm *vm, const struct idreg_list *regs,
		     uint64_t *values)
{
	for (unsigned int i = 0; i < regs->n; i++) {
		int ret = scratch_get_reg(vm, regs->id[i], &values[i]);

		if (ret)
			bench_fail_errno("KVM_GET_ONE_REG", ret);
	}
}

/* Nanoseconds per KVM_GET_ONE_REG call of iterations passes. */
static double time_reads(const struct scratch_vm *vm, const struct idreg_list *regs,
			 unsigned int iterations)
{
	uint64_t values[SCRATCH_MAX_IDREGS];
	uint64_t t0 = bench_now_ns();

	for (unsigned int it = 0; it < iterations; it++)
		read_all(vm, regs, values);
	return (double)(bench_now_ns() - t0) / ((double)iterations * regs->n);
}

/* Nanoseconds per KVM_SET_ONE_REG call of one round. */
static double time_round(const struct scratch_vm *vm, const struct idreg_list *regs,
			 const uint64_t *values, unsigned int iterations)
{
	uint64_t t0 = bench_now_ns();

	for (unsigned int it = 0; it < iterations; it++)
		write_all(vm, regs, values);
	return (double)(bench_now_ns() - t0) / ((double)iterations * regs->n);
}

static void check_unchanged(const struct scratch_vm *vm, const struct idreg_list *regs,
			    const uint64_t *values)
{
	uint64_t now[SCRATCH_MAX_IDREGS];
	char name[32];

	read_all(vm, regs, now);
	for (unsigned int i = 0; i < regs->n; i++)
		if (now[i] != values[i])
			bench_fail("%s reads %#" PRIx64 " after the rounds, not its default %#" PRIx64,
				   scratch_reg_text(regs->id[i], name, sizeof(name)), now[i],
				   values[i]);
}

static void print_result(const struct idreg_list *regs, const uint64_t *values,
			 const struct options *o, const struct bench_samples *per_call,
			 const struct bench_samples *get_per_call)
{
	char name[32];

	printf("bench-setreg: %u ID registers, %u rounds of %u x %u KVM_SET_ONE_REG: "
	       "median %.0f ns per call (rounds %.0f..%.0f); KVM_GET_ONE_REG %.0f ns\n",
	       regs->n, o->rounds, o->iterations, regs->n, samples_median(per_call),
	       samples_min(per_call), samples_max(per_call), samples_median(get_per_call));
	printf("bench-result: {\"bench\":\"setreg\",\"iterations\":%u,\"calls_per_round\":%u,"
	       "\"ns_per_call\":", o->iterations, o->iterations * regs->n);
	samples_json(per_call, stdout);
	printf(",\"get_ns_per_call\":");
	samples_json(get_per_call, stdout);
	printf(",\"registers\":{");
	for (unsigned int i = 0; i < regs->n; i++)
		printf("%s\"%s\":\"%#" PRIx64 "\"", i ? "," : "",
		       scratch_reg_text(regs->id[i], name, sizeof(name)), values[i]);
	printf("}}\n");
}

int main(int argc, char **argv)
{
	uint64_t values[SCRATCH_MAX_IDREGS];
	struct bench_samples per_call = { 0 }, get_per_call = { 0 };
	struct idreg_list regs;
	struct scratch_vm vm;
	struct options o;

	bench_name = "bench-setreg";
	parse_options(argc, argv, &o);
	scratch_vm_open(&vm);
	scratch_idregs(&vm, &regs);
	read_all(&vm, &regs, values);
	time_round(&vm, &regs, values, o.iterations);	/* untimed warm-up round */
	time_reads(&vm, &regs, o.iterations);
	for (unsigned int r = 0; r < o.rounds; r++) {
		samples_add(&per_call, time_round(&vm, &regs, values, o.iterations));
		samples_add(&get_per_call, time_reads(&vm, &regs, o.iterations));
	}
	check_unchanged(&vm, &regs, values);
	scratch_vm_close(&vm);
	print_result(&regs, values, &o, &per_call, &get_per_call);
	return 0;
}
