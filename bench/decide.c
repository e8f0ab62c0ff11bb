// SPDX-License-Identifier: GPL-2.0
/*
 * bench-decide - P1b: deciding a full CPU configuration, from the exported
 * rules and by trial writes.
 *
 *	bench-decide [--repeats N] [--check-min-ms MS]
 *
 * The rules are fetched once (ksr_source_open_vm(), ksr_source_rules(),
 * ksr_source_close(); timed and printed on their own, not part of either
 * figure). Two configurations of every register the rules have: all at
 * their defaults (accepted), and the same with one field refused (the first
 * writable LOWER_SAFE field raised one above its default). Each is decided
 * two ways:
 *
 *   check    ksr_check() on the fetched rules, then ksr_report_free(): the
 *            full report (a finding per register and per field, the
 *            accepted values of every refused field); back-to-back runs
 *            for at least --check-min-ms (default 20) per sample
 *   predict  ksr_predict() of each register of the configuration (on its
 *            default): only the verdict per register, what a VMM needs to
 *            say yes or no; sampled as check is
 *   trial    what a VMM without the rules does: a fresh scratch VM (open
 *            /dev/kvm, KVM_CREATE_VM, KVM_CREATE_VCPU,
 *            KVM_ARM_PREFERRED_TARGET, KVM_ARM_VCPU_INIT), KVM_SET_ONE_REG
 *            of every register of the configuration (all of them, refused
 *            ones included, for the full verdict check gives), and the VM
 *            closed; one run per sample
 *
 * The three must agree (accepted or refused, and how many registers are
 * refused) or the program fails. --repeats (default 5) rounds each take one
 * sample of the six (configuration x way), in turn. Time: CLOCK_MONOTONIC.
 *
 * Prints a summary and a line "bench-result: {JSON}" with every sample.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kvm-safe-rules.h"
#include "clock.h"
#include "configs.h"
#include "fail.h"
#include "samples.h"
#include "scratch_vm.h"

enum { CFG_ACCEPTED, CFG_REFUSED, NR_CFGS };
static const char *const cfg_names[NR_CFGS] = { "accepted", "refused" };

struct decision {
	int ok;			/* every register accepted */
	unsigned int refused;	/* registers refused */
	unsigned int writes;	/* trial: KVM_SET_ONE_REG calls */
};

static struct ksr_rules *fetch_rules(uint64_t *ns, const char **provider)
{
	struct ksr_source *src;
	struct ksr_rules *rules;
	uint64_t t0 = bench_now_ns();
	char err[512];
	int ret;

	ret = ksr_source_open_vm(&src, NULL, err, sizeof(err));
	if (ret)
		bench_fail("ksr_source_open_vm: %s", err);
	ret = ksr_source_rules(src, &rules, err, sizeof(err));
	if (ret)
		bench_fail("ksr_source_rules: %s", err);
	*provider = ksr_source_provider(src);
	ksr_source_close(src);
	*ns = bench_now_ns() - t0;
	return rules;
}

static struct decision check(const struct ksr_rules *rules, const struct ksr_config *cfg)
{
	struct decision d = { 0 };
	struct ksr_report *rep;
	struct ksr_finding f;
	char err[256];
	int ret = ksr_check(rules, cfg, &rep, err, sizeof(err));

	if (ret)
		bench_fail("ksr_check: %s", err);
	d.ok = ksr_report_ok(rep);
	for (unsigned int i = 0; i < ksr_report_nr(rep); i++) {
		f.size = sizeof(f);
		if (ksr_report_get(rep, i, &f))
			bench_fail("ksr_report_get %u", i);
		d.refused += f.kind == KSR_FINDING_REG && !f.ok;
	}
	ksr_report_free(rep);
	return d;
}

static struct decision predict(const struct ksr_rules *rules, const struct ksr_config *cfg)
{
	struct decision d = { .ok = 1 };
	struct ksr_verdict v;
	struct ksr_encoding e;
	uint64_t value;

	for (unsigned int i = 0; !ksr_config_entry(cfg, i, &e, &value); i++) {
		const struct ksr_reg *reg = ksr_rules_find_encoding(rules, e);

		if (!reg)
			bench_fail("S%u_%u_C%u_C%u_%u: not in the rules", e.op0, e.op1, e.crn,
				   e.crm, e.op2);
		ksr_predict(reg, value, ksr_reg_default(reg), &v);
		if (!v.accept) {
			d.ok = 0;
			d.refused++;
		}
	}
	return d;
}

static struct decision trial(const struct ksr_config *cfg)
{
	struct decision d = { .ok = 1 };
	struct scratch_vm vm;
	struct ksr_encoding e;
	uint64_t value;
	int ret;

	scratch_vm_open(&vm);
	for (unsigned int i = 0; !ksr_config_entry(cfg, i, &e, &value); i++) {
		ret = scratch_set_reg(&vm, scratch_sysreg_id(e.op0, e.op1, e.crn, e.crm, e.op2),
				      value);
		d.writes++;
		if (ret == -ENOENT)
			bench_fail("KVM_SET_ONE_REG S%u_%u_C%u_C%u_%u: no such register", e.op0,
				   e.op1, e.crn, e.crm, e.op2);
		if (ret) {
			d.ok = 0;
			d.refused++;
		}
	}
	scratch_vm_close(&vm);
	return d;
}

static void agree(int cfg, struct decision c, struct decision p, struct decision t)
{
	if (c.ok != t.ok || c.refused != t.refused || p.ok != t.ok || p.refused != t.refused)
		bench_fail("%s configuration: ksr_check says %s (%u registers refused), "
			   "ksr_predict %s (%u), the trial writes %s (%u)", cfg_names[cfg],
			   c.ok ? "yes" : "no", c.refused, p.ok ? "yes" : "no", p.refused,
			   t.ok ? "yes" : "no", t.refused);
	if (c.ok != (cfg == CFG_ACCEPTED))
		bench_fail("the %s configuration is %s", cfg_names[cfg],
			   c.ok ? "accepted" : "refused");
}

typedef struct decision (*decide_fn)(const struct ksr_rules *rules, const struct ksr_config *cfg);

/* Nanoseconds per decision over iterations back-to-back ones. */
static double sample_rules(decide_fn fn, const struct ksr_rules *rules,
			   const struct ksr_config *cfg, unsigned long iterations)
{
	uint64_t t0 = bench_now_ns();

	for (unsigned long i = 0; i < iterations; i++)
		fn(rules, cfg);
	return (double)(bench_now_ns() - t0) / (double)iterations;
}

static double sample_trial(const struct ksr_config *cfg)
{
	uint64_t t0 = bench_now_ns();

	trial(cfg);
	return (double)(bench_now_ns() - t0);
}

static unsigned long calibrate(decide_fn fn, const struct ksr_rules *rules,
			       const struct ksr_config *cfg, double min_ns)
{
	unsigned long n = 1;

	while (sample_rules(fn, rules, cfg, n) * n < min_ns && n < (1ul << 24))
		n *= 2;
	return n;
}

struct cfg_result {
	struct decision check, predict, trial;
	unsigned long check_iterations, predict_iterations;
	struct bench_samples check_ns, predict_ns, trial_ns;
};

/* One sample of each way. */
static void sample_round(struct cfg_result *res, const struct ksr_rules *rules,
			 const struct ksr_config *cfg)
{
	samples_add(&res->check_ns, sample_rules(check, rules, cfg, res->check_iterations));
	samples_add(&res->predict_ns, sample_rules(predict, rules, cfg, res->predict_iterations));
	samples_add(&res->trial_ns, sample_trial(cfg));
}

static void print_json(const struct cfg_result *res, uint64_t fetch_ns, const char *provider,
		       const char *refused_what, unsigned int nr_regs)
{
	printf("bench-result: {\"bench\":\"decide\",\"fetch_ns\":%" PRIu64 ",\"provider\":\"%s\","
	       "\"registers\":%u,\"refused_field\":\"%s\",\"configs\":{", fetch_ns, provider,
	       nr_regs, refused_what);
	for (int c = 0; c < NR_CFGS; c++) {
		printf("%s\"%s\":{\"ok\":%s,\"refused_registers\":%u,\"trial_writes\":%u,"
		       "\"check_iterations\":%lu,\"predict_iterations\":%lu,\"check_ns\":",
		       c ? "," : "", cfg_names[c], res[c].check.ok ? "true" : "false",
		       res[c].check.refused, res[c].trial.writes, res[c].check_iterations,
		       res[c].predict_iterations);
		samples_json(&res[c].check_ns, stdout);
		printf(",\"predict_ns\":");
		samples_json(&res[c].predict_ns, stdout);
		printf(",\"trial_ns\":");
		samples_json(&res[c].trial_ns, stdout);
		printf("}");
	}
	printf("}}\n");
}

int main(int argc, char **argv)
{
	struct cfg_result res[NR_CFGS] = { 0 };
	struct ksr_config *cfgs[NR_CFGS];
	unsigned int repeats = 5;
	double min_ms = 20;
	const char *provider;
	struct ksr_rules *rules;
	char refused_what[128];
	uint64_t fetch_ns;

	bench_name = "bench-decide";
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--repeats") && i + 1 < argc)
			repeats = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--check-min-ms") && i + 1 < argc)
			min_ms = strtod(argv[++i], NULL);
		else
			bench_fail("usage: bench-decide [--repeats N] [--check-min-ms MS]");
	}
	if (!repeats || repeats > BENCH_MAX_SAMPLES)
		bench_fail("--repeats must be 1..%d", BENCH_MAX_SAMPLES);

	rules = fetch_rules(&fetch_ns, &provider);
	cfgs[CFG_ACCEPTED] = config_defaults(rules);
	cfgs[CFG_REFUSED] = config_one_refused(rules, refused_what, sizeof(refused_what));
	for (int c = 0; c < NR_CFGS; c++) {
		res[c].check = check(rules, cfgs[c]);
		res[c].predict = predict(rules, cfgs[c]);
		res[c].trial = trial(cfgs[c]);
		agree(c, res[c].check, res[c].predict, res[c].trial);
		res[c].check_iterations = calibrate(check, rules, cfgs[c], min_ms * 1e6);
		res[c].predict_iterations = calibrate(predict, rules, cfgs[c], min_ms * 1e6);
	}
	for (unsigned int r = 0; r < repeats; r++)
		for (int c = 0; c < NR_CFGS; c++)
			sample_round(&res[c], rules, cfgs[c]);
	printf("bench-decide: rules fetched once from %s in %.2f ms (not counted below); "
	       "refused field: %s\n", provider, fetch_ns / 1e6, refused_what);
	for (int c = 0; c < NR_CFGS; c++)
		printf("bench-decide: %-8s %u registers: ksr_check %.1f us (%.1f..%.1f), "
		       "ksr_predict %.1f us, trial writes %.2f ms (%.2f..%.2f)\n", cfg_names[c],
		       ksr_rules_nr_regs(rules), samples_median(&res[c].check_ns) / 1e3,
		       samples_min(&res[c].check_ns) / 1e3, samples_max(&res[c].check_ns) / 1e3,
		       samples_median(&res[c].predict_ns) / 1e3,
		       samples_median(&res[c].trial_ns) / 1e6, samples_min(&res[c].trial_ns) / 1e6,
		       samples_max(&res[c].trial_ns) / 1e6);
	print_json(res, fetch_ns, provider, refused_what, ksr_rules_nr_regs(rules));
	for (int c = 0; c < NR_CFGS; c++)
		ksr_config_free(cfgs[c]);
	ksr_rules_free(rules);
	return 0;
}
