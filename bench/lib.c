// SPDX-License-Identifier: GPL-2.0
/*
 * bench-lib - P3: the library on the host, through its public header only.
 *
 *	bench-lib FIXTURES_DIR [--repeats N] [--min-ms MS]
 *
 * The operations, on the profiles FIXTURES_DIR/MODEL.json of the 7 models:
 *
 *   profile-load     ksr_profile_load() of max.json, then ksr_rules_free()
 *   check-defaults   ksr_check() of every register of max at its default
 *   check-lowered    ksr_check() of max's defaults with 8 fields lowered
 *   values-all       ksr_field_values() of every field of every register of max
 *   baseline-7       ksr_baseline() of the 7 profiles
 *   migrate-check    ksr_migrate_check() from cortex-a76 to neoverse-n1
 *                    (cortex-a76's defaults)
 *   diff             ksr_diff() of max and a64fx
 *
 * Each operation frees what it made. Its inputs (the profiles it reads,
 * the configuration it checks) are prepared once, outside the timing.
 *
 * Time: per operation, an iteration count is chosen so that one sample
 * takes at least --min-ms (default 20); then --repeats rounds (default 11)
 * each take one sample of every operation in turn (so that a noisy moment
 * of the machine falls on all of them), a sample being that many
 * back-to-back runs and giving nanoseconds per operation (CLOCK_MONOTONIC).
 *
 * Peak memory: what a program doing only this costs. Before any timing, 3
 * forked children per operation each read the operation's inputs and run
 * it once, and 3 only read its inputs; 3 children that do nothing give the
 * floor (the forked process itself). The figures are the medians of their
 * ru_maxrss (wait4()) minus the floor: the peak of the operation with its
 * inputs, and that of its inputs alone. As reading a profile's JSON has
 * the largest transient peak, the operation itself is also measured, in 3
 * more children: after its inputs are read, the free heap is returned to
 * the kernel (malloc_trim()) and the peak resident set reset
 * (/proc/self/clear_refs); what VmHWM then rises by while it runs is the
 * operation's own peak (page granularity).
 *
 * Prints a summary and a line "bench-result: {JSON}" with the raw samples.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kvm-safe-rules.h"
#include "clock.h"
#include "configs.h"
#include "fail.h"
#include "peakmem.h"
#include "samples.h"

#define NR_FIXTURES 7
#define NR_LOWERED 8
#define MEM_CHILDREN 3

static const char *const fixture_names[NR_FIXTURES] = {
	"max", "cortex-a53", "cortex-a57", "cortex-a72", "cortex-a76", "neoverse-n1", "a64fx",
};
enum { FX_MAX = 0, FX_A76 = 4, FX_N1 = 5, FX_A64FX = 6 };

struct inputs {
	const char *dir;
	struct ksr_rules *fx[NR_FIXTURES];
	struct ksr_config *defaults, *lowered;
	unsigned int nr_lowered;
};

/* What an operation found, for the summary: yes/no and a count. */
struct outcome {
	int ok;
	unsigned long count;
};

static struct ksr_rules *load(const char *dir, const char *model)
{
	struct ksr_rules *rules;
	char path[4096], err[512];
	int ret;

	snprintf(path, sizeof(path), "%s/%s.json", dir, model);
	ret = ksr_profile_load(path, &rules, err, sizeof(err));
	if (ret)
		bench_fail("ksr_profile_load: %s", err);
	return rules;
}

/* An operation's inputs: NEED_FX(i) fixture i, NEED_CONFIGS the configurations of max */
#define NEED_FX(i)	(1u << (i))
#define NEED_ALL_FX	((1u << NR_FIXTURES) - 1)
#define NEED_CONFIGS	(1u << NR_FIXTURES)

static void prepare(struct inputs *in, unsigned int needs)
{
	for (int i = 0; i < NR_FIXTURES; i++)
		if (needs & (NEED_FX(i) | (i == FX_MAX ? NEED_CONFIGS : 0)))
			in->fx[i] = load(in->dir, fixture_names[i]);
	if (!(needs & NEED_CONFIGS))
		return;
	in->defaults = config_defaults(in->fx[FX_MAX]);
	in->lowered = config_lowered(in->fx[FX_MAX], NR_LOWERED, &in->nr_lowered);
	if (in->nr_lowered != NR_LOWERED)
		bench_fail("max has %u fields to lower, not %d", in->nr_lowered, NR_LOWERED);
}

static void release(struct inputs *in)
{
	for (int i = 0; i < NR_FIXTURES; i++)
		ksr_rules_free(in->fx[i]);
	ksr_config_free(in->defaults);
	ksr_config_free(in->lowered);
}

/* A report's verdict and number of findings; the report is freed. */
static struct outcome report_outcome(int ret, struct ksr_report *rep, const char *step,
				     const char *err)
{
	struct outcome o;

	if (ret)
		bench_fail("%s: %s (%s)", step, err, strerror(-ret));
	o.ok = ksr_report_ok(rep);
	o.count = ksr_report_nr(rep);
	ksr_report_free(rep);
	return o;
}

static struct outcome op_profile_load(struct inputs *in)
{
	ksr_rules_free(load(in->dir, "max"));
	return (struct outcome){ 1, 1 };
}

static struct outcome check(const struct ksr_rules *rules, const struct ksr_config *cfg)
{
	struct ksr_report *rep = NULL;
	char err[256] = "";
	int ret = ksr_check(rules, cfg, &rep, err, sizeof(err));

	return report_outcome(ret, rep, "ksr_check", err);
}

static struct outcome op_check_defaults(struct inputs *in)
{
	return check(in->fx[FX_MAX], in->defaults);
}

static struct outcome op_check_lowered(struct inputs *in)
{
	return check(in->fx[FX_MAX], in->lowered);
}

/* count: the values of every field that can be enumerated; ok: none failed */
static struct outcome op_values_all(struct inputs *in)
{
	const struct ksr_rules *rules = in->fx[FX_MAX];
	struct outcome o = { 1, 0 };

	for (unsigned int i = 0; i < ksr_rules_nr_regs(rules); i++) {
		const struct ksr_reg *reg = ksr_rules_reg(rules, i);

		for (unsigned int j = 0; j < ksr_reg_nr_fields(reg); j++) {
			struct ksr_values *vals;
			int ret = ksr_field_values(reg, ksr_reg_field(reg, j), ksr_reg_default(reg), &vals);

			if (ret == -E2BIG)
				continue;
			if (ret)
				bench_fail_errno("ksr_field_values", ret);
			o.count += ksr_values_count(vals);
			ksr_values_free(vals);
		}
	}
	return o;
}

static struct outcome op_baseline(struct inputs *in)
{
	struct ksr_report *rep = NULL;
	char err[256] = "";
	int ret = ksr_baseline((const struct ksr_rules *const *)in->fx, NR_FIXTURES, &rep,
			       err, sizeof(err));

	return report_outcome(ret, rep, "ksr_baseline", err);
}

static struct outcome op_migrate(struct inputs *in)
{
	struct ksr_report *rep = NULL;
	char err[256] = "";
	int ret = ksr_migrate_check(in->fx[FX_A76], in->fx[FX_N1], NULL, &rep, err, sizeof(err));

	return report_outcome(ret, rep, "ksr_migrate_check", err);
}

static struct outcome op_diff(struct inputs *in)
{
	struct ksr_report *rep = NULL;
	char err[256] = "";
	int ret = ksr_diff(in->fx[FX_MAX], in->fx[FX_A64FX], &rep, err, sizeof(err));

	return report_outcome(ret, rep, "ksr_diff", err);
}

struct op {
	const char *name, *what, *count_is;
	unsigned int needs;
	struct outcome (*run)(struct inputs *in);
};

static const struct op ops[] = {
	{ "profile-load", "load max.json", "profile", 0, op_profile_load },
	{ "check-defaults", "check max, every register at its default", "findings", NEED_CONFIGS,
	  op_check_defaults },
	{ "check-lowered", "check max, 8 fields lowered", "findings", NEED_CONFIGS, op_check_lowered },
	{ "values-all", "values of every field of max", "values", NEED_FX(FX_MAX), op_values_all },
	{ "baseline-7", "baseline of the 7 profiles", "findings", NEED_ALL_FX, op_baseline },
	{ "migrate-check", "migrate-check cortex-a76 -> neoverse-n1", "findings",
	  NEED_FX(FX_A76) | NEED_FX(FX_N1), op_migrate },
	{ "diff", "diff max a64fx", "differences", NEED_FX(FX_MAX) | NEED_FX(FX_A64FX), op_diff },
};
#define NR_OPS (sizeof(ops) / sizeof(ops[0]))

/* ---- peak memory ---------------------------------------------------------- */

enum mem_mode {
	MEM_NOTHING,	/* the floor: a child that does nothing */
	MEM_INPUTS,	/* read the operation's inputs */
	MEM_WHOLE,	/* read them and run the operation */
	MEM_OWN,	/* ... and report the operation's own rise of the peak */
};

struct mem_job {
	const char *dir;
	const struct op *op;
	enum mem_mode mode;
};

/* Returns the operation's own rise of the peak (KiB) in MEM_OWN, else 0. */
static long mem_child(void *arg)
{
	struct mem_job *job = arg;
	struct inputs in = { .dir = job->dir };
	long mark = 0, own = 0;

	if (job->mode == MEM_NOTHING)
		return 0;
	prepare(&in, job->op->needs);
	if (job->mode == MEM_OWN)
		mark = peakmem_mark();
	if (job->mode != MEM_INPUTS)
		job->op->run(&in);
	if (job->mode == MEM_OWN)
		own = peakmem_since(mark);
	release(&in);
	return own;
}

/* MEM_CHILDREN samples: ru_maxrss, or with MEM_OWN the child's report. */
static void mem_samples(const char *dir, const struct op *op, enum mem_mode mode,
			struct bench_samples *kib)
{
	struct mem_job job = { dir, op, mode };
	long maxrss, own;

	for (int i = 0; i < MEM_CHILDREN; i++) {
		maxrss = peakmem_child(mem_child, &job, op ? op->name : "nothing", &own);
		samples_add(kib, mode == MEM_OWN ? own : maxrss);
	}
}

/* ---- time ------------------------------------------------------------------ */

static unsigned long calibrate(const struct op *op, struct inputs *in, double min_ns)
{
	unsigned long n = 1;

	for (;;) {
		uint64_t t0 = bench_now_ns();

		for (unsigned long i = 0; i < n; i++)
			op->run(in);
		if ((double)(bench_now_ns() - t0) >= min_ns || n >= (1ul << 24))
			return n;
		n *= 2;
	}
}

/* One sample of op: nanoseconds per run over iterations back-to-back runs. */
static double sample(const struct op *op, struct inputs *in, unsigned long iterations)
{
	uint64_t t0 = bench_now_ns();

	for (unsigned long i = 0; i < iterations; i++)
		op->run(in);
	return (double)(bench_now_ns() - t0) / (double)iterations;
}

/* ---- main -------------------------------------------------------------------- */

struct op_result {
	struct outcome outcome;
	unsigned long iterations;
	struct bench_samples ns, peak_kib, inputs_kib, own_kib;
};

static void print_json(const struct op_result *res, const struct bench_samples *empty_kib)
{
	printf("bench-result: {\"bench\":\"lib\",\"empty_kib\":");
	samples_json(empty_kib, stdout);
	printf(",\"ops\":[");
	for (size_t i = 0; i < NR_OPS; i++) {
		printf("%s{\"name\":\"%s\",\"what\":\"%s\",\"ok\":%s,\"count\":%lu,\"count_is\":\"%s\","
		       "\"iterations\":%lu,\"ns_per_op\":", i ? "," : "", ops[i].name, ops[i].what,
		       res[i].outcome.ok ? "true" : "false", res[i].outcome.count, ops[i].count_is,
		       res[i].iterations);
		samples_json(&res[i].ns, stdout);
		printf(",\"peak_kib\":");
		samples_json(&res[i].peak_kib, stdout);
		printf(",\"inputs_kib\":");
		samples_json(&res[i].inputs_kib, stdout);
		printf(",\"own_kib\":");
		samples_json(&res[i].own_kib, stdout);
		printf("}");
	}
	printf("]}\n");
}

int main(int argc, char **argv)
{
	static struct op_result res[NR_OPS];
	struct bench_samples empty_kib = { 0 };
	unsigned int repeats = 11;
	double min_ms = 20;
	struct inputs in = { 0 };

	bench_name = "bench-lib";
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--repeats") && i + 1 < argc)
			repeats = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--min-ms") && i + 1 < argc)
			min_ms = strtod(argv[++i], NULL);
		else if (!in.dir && argv[i][0] != '-')
			in.dir = argv[i];
		else
			bench_fail("usage: bench-lib FIXTURES_DIR [--repeats N] [--min-ms MS]");
	}
	if (!in.dir || !repeats || repeats > BENCH_MAX_SAMPLES)
		bench_fail("usage: bench-lib FIXTURES_DIR [--repeats 1..%d] [--min-ms MS]",
			   BENCH_MAX_SAMPLES);

	/* memory first, while this process is small and the same for every child */
	mem_samples(in.dir, NULL, MEM_NOTHING, &empty_kib);
	for (size_t i = 0; i < NR_OPS; i++) {
		mem_samples(in.dir, &ops[i], MEM_WHOLE, &res[i].peak_kib);
		mem_samples(in.dir, &ops[i], MEM_INPUTS, &res[i].inputs_kib);
		mem_samples(in.dir, &ops[i], MEM_OWN, &res[i].own_kib);
	}

	prepare(&in, NEED_ALL_FX | NEED_CONFIGS);
	for (size_t i = 0; i < NR_OPS; i++) {
		res[i].outcome = ops[i].run(&in);
		res[i].iterations = calibrate(&ops[i], &in, min_ms * 1e6);
	}
	for (unsigned int r = 0; r < repeats; r++)
		for (size_t i = 0; i < NR_OPS; i++)
			samples_add(&res[i].ns, sample(&ops[i], &in, res[i].iterations));
	for (size_t i = 0; i < NR_OPS; i++)
		printf("bench-lib: %-15s %10.1f us per op (%.1f..%.1f), peak %.0f KiB "
		       "(inputs alone %.0f, operation alone %.0f); %s: %s, %lu %s\n", ops[i].name,
		       samples_median(&res[i].ns) / 1e3, samples_min(&res[i].ns) / 1e3,
		       samples_max(&res[i].ns) / 1e3,
		       samples_median(&res[i].peak_kib) - samples_median(&empty_kib),
		       samples_median(&res[i].inputs_kib) - samples_median(&empty_kib),
		       samples_median(&res[i].own_kib),
		       ops[i].what, res[i].outcome.ok ? "yes" : "no", res[i].outcome.count,
		       ops[i].count_is);
	release(&in);
	print_json(res, &empty_kib);
	return 0;
}
