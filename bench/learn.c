// SPDX-License-Identifier: GPL-2.0
/*
 * bench-learn - P1: learning every field's accepted values, from the
 * kernel's rules and by probing.
 *
 *	bench-learn [--repeats N]
 *
 * Each repeat measures, on a kernel with KVM_ARM_GET_REG_SAFE_RULES (or the
 * module), two ways of learning the accepted values of every field of
 * every VM-wide ID register:
 *
 *   ioctl  ksr_source_open_vm() with the default learn (the kernel's
 *          KVM_ARM_GET_REG_SAFE_RULES), ksr_source_rules(), and
 *          ksr_field_values() of every field (on its register's default)
 *   probe  the same with ksr_vm_opts.learn = KSR_LEARN_PROBE: the library
 *          learns each field by trial KVM_SET_ONE_REG writes in the scratch
 *          VM before ksr_source_open_vm() returns
 *
 * each timed from the opening of the source to its close, included
 * (CLOCK_MONOTONIC), the two in turn, their order swapped every other
 * repeat. The program is linked with -Wl,--wrap=ioctl: every ioctl() of
 * each way (the library's and this program's) is counted
 * (bench/ioctl_count.c). For probe, ksr_source_probe_stats() is printed
 * too. Fields wider than KSR_VALUES_MAX_WIDTH (-E2BIG) are counted, not
 * enumerated.
 *
 * Prints a summary and a line "bench-result: {JSON}" with every repeat.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kvm-safe-rules.h"
#include "clock.h"
#include "fail.h"
#include "ioctl_count.h"
#include "samples.h"

enum way { WAY_IOCTL, WAY_PROBE, NR_WAYS };

static const char *const way_names[NR_WAYS] = { "ioctl", "probe" };

struct learned {
	uint64_t ns;
	struct ioctl_counts calls;
	unsigned int regs, fields, too_wide;
	uint64_t values;
	const char *provider;
	struct ksr_probe_stats stats;	/* probe only */
};

static void all_values(const struct ksr_rules *rules, struct learned *out)
{
	for (unsigned int i = 0; i < ksr_rules_nr_regs(rules); i++) {
		const struct ksr_reg *reg = ksr_rules_reg(rules, i);

		for (unsigned int j = 0; j < ksr_reg_nr_fields(reg); j++) {
			struct ksr_values *vals;
			int ret = ksr_field_values(reg, ksr_reg_field(reg, j), ksr_reg_default(reg),
						   &vals);

			out->fields++;
			if (ret == -E2BIG) {
				out->too_wide++;
				continue;
			}
			if (ret)
				bench_fail_errno("ksr_field_values", ret);
			out->values += ksr_values_count(vals);
			ksr_values_free(vals);
		}
	}
	out->regs = ksr_rules_nr_regs(rules);
}

static void check_provider(enum way way, const char *provider)
{
	int ok;

	if (!provider)
		ok = 0;
	else if (way == WAY_PROBE)
		ok = !strcmp(provider, "probe");
	else
		ok = !strcmp(provider, "kernel") || !strcmp(provider, "module");
	if (!ok)
		bench_fail("%s: the rules came from %s", way_names[way],
			   provider ? provider : "no provider");
}

static struct learned learn(enum way way)
{
	struct ksr_vm_opts opts = { .size = sizeof(opts),
				    .learn = way == WAY_PROBE ? KSR_LEARN_PROBE : KSR_LEARN_RULES };
	struct learned out = { .stats.size = sizeof(out.stats) };
	struct ksr_source *src;
	struct ksr_rules *rules;
	char err[512];
	uint64_t t0;
	int ret;

	ioctl_count_reset();
	t0 = bench_now_ns();
	ret = ksr_source_open_vm(&src, &opts, err, sizeof(err));
	if (ret)
		bench_fail("%s: ksr_source_open_vm: %s", way_names[way], err);
	ret = ksr_source_rules(src, &rules, err, sizeof(err));
	if (ret)
		bench_fail("%s: ksr_source_rules: %s", way_names[way], err);
	all_values(rules, &out);
	out.provider = ksr_source_provider(src);
	if (way == WAY_PROBE) {
		ret = ksr_source_probe_stats(src, &out.stats);
		if (ret)
			bench_fail_errno("probe: ksr_source_probe_stats", ret);
	}
	ksr_rules_free(rules);
	ksr_source_close(src);
	out.ns = bench_now_ns() - t0;
	out.calls = ioctl_count_read();
	check_provider(way, out.provider);
	return out;
}

static void print_stats(const struct ksr_probe_stats *s)
{
	printf("{\"fields_learned\":%u,\"fields_unsure\":%u,\"fields_not_learned\":%u,"
	       "\"writes\":%" PRIu64 ",\"reads\":%" PRIu64 ",\"accepted\":%" PRIu64
	       ",\"nanoseconds\":%" PRIu64 "}", s->fields_learned, s->fields_unsure,
	       s->fields_not_learned, s->writes, s->reads, s->accepted, s->nanoseconds);
}

static void print_learned(const struct learned *l, enum way way)
{
	printf("{\"ns\":%" PRIu64 ",\"ioctls\":%" PRIu64 ",\"set_one_reg\":%" PRIu64
	       ",\"get_one_reg\":%" PRIu64 ",\"regs\":%u,\"fields\":%u,\"too_wide\":%u,"
	       "\"values\":%" PRIu64 ",\"provider\":\"%s\"", l->ns, l->calls.total,
	       l->calls.set_one_reg, l->calls.get_one_reg, l->regs, l->fields, l->too_wide,
	       l->values, l->provider);
	if (way == WAY_PROBE) {
		printf(",\"probe_stats\":");
		print_stats(&l->stats);
	}
	printf("}");
}

static void summary(const struct learned (*rep)[NR_WAYS], unsigned int repeats)
{
	struct bench_samples ns[NR_WAYS] = { 0 }, ratio = { 0 };
	const struct learned *last = rep[repeats - 1];

	for (unsigned int r = 0; r < repeats; r++) {
		for (int w = 0; w < NR_WAYS; w++)
			samples_add(&ns[w], rep[r][w].ns);
		samples_add(&ratio, (double)rep[r][WAY_PROBE].ns / rep[r][WAY_IOCTL].ns);
	}
	for (int w = 0; w < NR_WAYS; w++)
		printf("bench-learn: %-5s %9.2f ms (%.2f..%.2f), %" PRIu64 " ioctls (%" PRIu64
		       " KVM_SET_ONE_REG, %" PRIu64 " KVM_GET_ONE_REG), %u fields, %" PRIu64
		       " values, provider %s\n", way_names[w], samples_median(&ns[w]) / 1e6,
		       samples_min(&ns[w]) / 1e6, samples_max(&ns[w]) / 1e6, last[w].calls.total,
		       last[w].calls.set_one_reg, last[w].calls.get_one_reg, last[w].fields,
		       last[w].values, last[w].provider);
	printf("bench-learn: probe/ioctl time %.1f (%.1f..%.1f over %u repeats)\n",
	       samples_median(&ratio), samples_min(&ratio), samples_max(&ratio), repeats);
}

int main(int argc, char **argv)
{
	static struct learned rep[BENCH_MAX_SAMPLES][NR_WAYS];
	unsigned int repeats = 3;

	bench_name = "bench-learn";
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--repeats") && i + 1 < argc)
			repeats = strtoul(argv[++i], NULL, 0);
		else
			bench_fail("usage: bench-learn [--repeats N]");
	}
	if (!repeats || repeats > BENCH_MAX_SAMPLES)
		bench_fail("--repeats must be 1..%d", BENCH_MAX_SAMPLES);

	for (unsigned int r = 0; r < repeats; r++) {
		int first = r % 2 ? WAY_PROBE : WAY_IOCTL;

		rep[r][first] = learn(first);
		rep[r][!first] = learn(!first);
	}
	summary(rep, repeats);
	printf("bench-result: {\"bench\":\"learn\",\"repeats\":[");
	for (unsigned int r = 0; r < repeats; r++) {
		printf("%s{\"ioctl\":", r ? "," : "");
		print_learned(&rep[r][WAY_IOCTL], WAY_IOCTL);
		printf(",\"probe\":");
		print_learned(&rep[r][WAY_PROBE], WAY_PROBE);
		printf("}");
	}
	printf("]}\n");
	return 0;
}
