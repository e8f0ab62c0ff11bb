// SPDX-License-Identifier: GPL-2.0
/*
 * probe_compare - what probing learns, field by field, against the exported
 * rules (KVM_ARM_GET_REG_SAFE_RULES) of a VM with the same features.
 *
 *	probe_compare
 *	probe_compare --learned
 *
 * --learned: only probing, no exported rules (a stock kernel runs it too):
 * per variant a hash of everything probing learned, so that two kernels'
 * results are the same line when probing learns the same on both.
 *
 * For each VM variant (no optional features, a PMU, SVE, pointer
 * authentication; those the host lacks are skipped and said so), two
 * scratch VMs: one whose rules come from the kernel's ioctl (or the
 * module's device), one whose rules are learned by trial writes (the
 * library's probing source). Every field of the probing source's layout
 * (arch/arm64/tools/sysreg, plus writable bits no named field covers) is
 * put in one class:
 *
 *   agree        same accepted values on the defaults, same values read
 *                back, and probing found the exported rule (or both say
 *                the field is fixed);
 *   undecided    probing cannot know: the field is too wide to try every
 *                value ("too-wide"), several rules give the values it saw
 *                ("several-rules"), none does ("no-rule"), or the exported
 *                rules have no writable field at these bits ("layout");
 *   wrong        the values agree but probing reads the field with the
 *                other sign than KVM ("sign": arch/arm64/tools/sysreg and
 *                cpufeature.c disagree), settled on another rule ("rule"),
 *                or a write of several fields at once that the
 *                exported rules and KVM decide one way and probing the
 *                other ("combination": each field lowered, and raised, to
 *                the first and last value probing saw accepted, all at once).
 *
 * A difference in the accepted values, the values read back or the
 * defaults is not a class: probing saw KVM's own answers, and the exported
 * rules are proven equal to KVM's (differential), so it is a bug in one of
 * the two and the register's result is "not ok". So is an exported rule
 * that mispredicts a combined write, which is also written for real.
 *
 * One TAP result per variant (a variant the host lacks is skipped); a
 * diagnostic line per register that fails and per field not in agreement;
 * per variant the line
 *   "# probe-vs-rules VARIANT: agree A, undecided U (too-wide T, several-rules S,
 *    no-rule N, layout L), wrong W (sign G, rule R, combination C), fields F"
 * that Documentation/probing.rst's tables are made of.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest.h"
#include "hash.h"
#include "kvm-safe-rules.h"

enum class {
	AGREE, TOO_WIDE, SEVERAL_RULES, NO_RULE, LAYOUT, WRONG_SIGN, WRONG_RULE, WRONG_COMBINATION,
	NR_CLASSES
};

static const char *const class_names[] = {
	[AGREE] = "agree", [TOO_WIDE] = "too-wide", [SEVERAL_RULES] = "several-rules",
	[NO_RULE] = "no-rule", [LAYOUT] = "layout", [WRONG_SIGN] = "sign", [WRONG_RULE] = "rule",
	[WRONG_COMBINATION] = "combination",
};

struct variant {
	const char *name;
	unsigned int features;
};

static const struct variant variants[] = {
	{ "none", 0 },
	{ "pmu", KSR_FEAT_PMU },
	{ "sve", KSR_FEAT_SVE },
	{ "pauth", KSR_FEAT_PAUTH },
};

static const char *field_label(const struct ksr_field *f, char *buf, size_t len)
{
	snprintf(buf, len, "%s[%u:%u]", ksr_field_name(f) ? ksr_field_name(f) : "?",
		 ksr_field_shift(f) + ksr_field_width(f) - 1, ksr_field_shift(f));
	return buf;
}

/* The value with field f's bits set to raw. */
static uint64_t with_field(const struct ksr_field *f, uint64_t value, uint64_t raw)
{
	return (value & ~ksr_field_mask(f)) | (raw << ksr_field_shift(f) & ksr_field_mask(f));
}

/* The exported rules' field at the same bits, or NULL. */
static const struct ksr_field *same_bits(const struct ksr_reg *r, const struct ksr_field *f)
{
	for (unsigned int i = 0; i < ksr_reg_nr_fields(r); i++) {
		const struct ksr_field *g = ksr_reg_field(r, i);

		if (ksr_field_shift(g) == ksr_field_shift(f) && ksr_field_width(g) == ksr_field_width(f))
			return g;
	}
	return NULL;
}

/* The sets of values two registers' predictors accept for f's bits, and what each reads back. */
static bool same_values(const struct ksr_reg *ex, const struct ksr_reg *pr,
			const struct ksr_field *f, char *why, size_t len)
{
	bool is_signed = ksr_field_flags(f) & KSR_FIELD_SIGNED;
	uint64_t d = ksr_reg_default(pr);

	for (uint64_t raw = 0; raw < 1ull << ksr_field_width(f); raw++) {
		struct ksr_verdict ve, vp;
		uint64_t v = with_field(f, d, raw);

		ksr_predict(ex, v, ksr_reg_default(ex), &ve);
		ksr_predict(pr, v, d, &vp);
		if (ve.accept != vp.accept) {
			snprintf(why, len, "value %" PRIu64 ": exported %s, probing %s (signed %d)", raw,
				 ve.accept ? "accepts" : "refuses", vp.accept ? "accepts" : "refuses",
				 is_signed);
			return false;
		}
		if (ve.accept && ve.stored != vp.stored) {
			snprintf(why, len, "value %" PRIu64 ": read back 0x%" PRIx64 " (exported) vs 0x%" PRIx64
				 " (probing)", raw, ve.stored, vp.stored);
			return false;
		}
	}
	return true;
}

/* Does probing's fitted rule say what the exported field says? */
static bool same_rule(const struct ksr_field *e, const struct ksr_field *p)
{
	const unsigned int kinds = KSR_FIELD_MIN | KSR_FIELD_MIN_OR_ZERO;
	uint64_t ef, et, pf, pt;
	bool ea = ksr_field_flags(e) & (KSR_FIELD_ALIAS | KSR_FIELD_ALIAS_HOST);
	bool pa = ksr_field_flags(p) & KSR_FIELD_ALIAS;

	if (ksr_field_rule(e) != ksr_field_rule(p) ||
	    (ksr_field_flags(e) & kinds) != (ksr_field_flags(p) & kinds) || ea != pa)
		return false;
	if (ksr_field_rule(e) == KSR_RULE_EXACT && ksr_field_safe_val(e) != ksr_field_safe_val(p))
		return false;
	if ((ksr_field_flags(e) & KSR_FIELD_MIN) && ksr_field_min(e) != ksr_field_min(p))
		return false;
	ksr_field_alias(e, &ef, &et);
	ksr_field_alias(p, &pf, &pt);
	return !ea || (ef == pf && et == pt);
}

struct tally {
	unsigned int n[NR_CLASSES], fields;
};

static enum class classify(const struct ksr_reg *ex, const struct ksr_reg *pr,
			   const struct ksr_field *p, bool *bug, char *why, size_t len)
{
	const struct ksr_field *e = same_bits(ex, p);
	unsigned int pf = ksr_field_flags(p);

	*why = '\0';
	if ((pf & KSR_FIELD_WRITABLE) && !(pf & KSR_FIELD_LEARNED)) {
		snprintf(why, len, "%u bits: only the default tried", ksr_field_width(p));
		return TOO_WIDE;
	}
	if (ksr_field_width(p) <= KSR_VALUES_MAX_WIDTH && !same_values(ex, pr, p, why, len)) {
		*bug = true;
		return AGREE;
	}
	if (!(pf & KSR_FIELD_WRITABLE))
		return AGREE;	/* fixed in both: the values agree */
	if (!e || !(ksr_field_flags(e) & KSR_FIELD_WRITABLE)) {
		snprintf(why, len, "exported: %s", e ? "not writable" : "no field at these bits");
		return e ? SEVERAL_RULES : LAYOUT;
	}
	if ((ksr_field_flags(e) ^ pf) & KSR_FIELD_SIGNED) {
		snprintf(why, len, "KVM compares it %s, probing %s",
			 ksr_field_flags(e) & KSR_FIELD_SIGNED ? "signed" : "unsigned",
			 pf & KSR_FIELD_SIGNED ? "signed" : "unsigned");
		return WRONG_SIGN;
	}
	if (ksr_field_rule(p) == KSR_RULE_UNKNOWN) {
		snprintf(why, len, "no rule gives the values; exported %s",
			 ksr_rule_type_name(ksr_field_rule(e)) ?: "?");
		return NO_RULE;
	}
	if (pf & KSR_FIELD_RULE_UNSURE) {
		snprintf(why, len, "values fit several rules; exported %s",
			 ksr_rule_type_name(ksr_field_rule(e)) ?: "?");
		return SEVERAL_RULES;
	}
	if (!same_rule(e, p)) {
		snprintf(why, len, "probing %s, exported %s", ksr_rule_type_name(ksr_field_rule(p)) ?: "none",
			 ksr_rule_type_name(ksr_field_rule(e)) ?: "?");
		return WRONG_RULE;
	}
	return AGREE;
}

/*
 * Every learned field of pr at the first (or last) value other than its
 * default that probing saw accepted, all at once: returns the value, or the
 * default when fewer than two fields move.
 */
static uint64_t combined(const struct ksr_reg *pr, bool last)
{
	uint64_t v = ksr_reg_default(pr);
	unsigned int moved = 0;

	for (unsigned int i = 0; i < ksr_reg_nr_fields(pr); i++) {
		const struct ksr_field *f = ksr_reg_field(pr, i);
		uint16_t acc = ksr_field_accepted(f);
		uint64_t d = (ksr_reg_default(pr) & ksr_field_mask(f)) >> ksr_field_shift(f);
		int pick = -1;

		for (unsigned int x = 0; x < 16; x++)
			if ((acc >> x & 1) && x != d && (pick < 0 || last))
				pick = (int)x;
		if (pick >= 0) {
			v = with_field(f, v, (uint64_t)pick);
			moved++;
		}
	}
	return moved >= 2 ? v : ksr_reg_default(pr);
}

/*
 * A combined write: predicted by both, written for real into the exported
 * rules' VM (its default written back after). Returns 0 when probing
 * agrees, 1 when only probing is wrong, -1 when the exported rules are.
 */
static int check_combination(struct ksr_source *src, const struct ksr_reg *ex,
			     const struct ksr_reg *pr, uint64_t v, char *why, size_t len)
{
	struct ksr_verdict ve, vp;
	uint64_t back = 0;
	int ret;

	ksr_predict(ex, v, ksr_reg_default(ex), &ve);
	ksr_predict(pr, v, ksr_reg_default(pr), &vp);
	ret = ksr_source_write(src, ex, v);
	if (!ret && ksr_source_current(src, ex, &back))
		ksft_exit_fail_msg("KVM_GET_ONE_REG: %s\n", strerror(errno));
	if (!ret && back != ksr_reg_default(ex) && ksr_source_write(src, ex, ksr_reg_default(ex)))
		ksft_exit_fail_msg("writing the default back failed\n");
	if (ve.accept != !ret || (ve.accept && ve.stored != back)) {
		snprintf(why, len, "0x%016" PRIx64 ": KVM %s, the exported rules %s", v,
			 ret ? "refuses" : "accepts", ve.accept ? "accept" : "refuse");
		return -1;
	}
	if (vp.accept != ve.accept || (vp.accept && vp.stored != ve.stored)) {
		snprintf(why, len, "0x%016" PRIx64 ": KVM %s, probing predicts %s", v,
			 ret ? "refuses" : "accepts", vp.accept ? "accept" : "refuse");
		return 1;
	}
	return 0;
}

static bool compare_reg(struct ksr_source *src, const struct ksr_reg *ex, const struct ksr_reg *pr,
			struct tally *t)
{
	char fname[48], why[160];
	bool ok = true;

	if (ksr_reg_default(ex) != ksr_reg_default(pr) ||
	    ksr_reg_writable_mask(ex) != ksr_reg_writable_mask(pr)) {
		ksft_print_msg("%s: default 0x%016" PRIx64 "/0x%016" PRIx64 ", writable 0x%016" PRIx64
			       "/0x%016" PRIx64 " (exported/probing)\n", ksr_reg_name(ex),
			       ksr_reg_default(ex), ksr_reg_default(pr), ksr_reg_writable_mask(ex),
			       ksr_reg_writable_mask(pr));
		ok = false;
	}
	for (unsigned int i = 0; i < ksr_reg_nr_fields(pr); i++) {
		const struct ksr_field *p = ksr_reg_field(pr, i);
		bool bug = false;
		enum class c = classify(ex, pr, p, &bug, why, sizeof(why));

		t->fields++;
		if (bug) {
			ksft_print_msg("%s.%s: accepted values differ: %s\n", ksr_reg_name(ex),
				       field_label(p, fname, sizeof(fname)), why);
			ok = false;
			continue;
		}
		t->n[c]++;
		if (c != AGREE)
			ksft_print_msg("%s.%s: %s: %s\n", ksr_reg_name(ex),
				       field_label(p, fname, sizeof(fname)), class_names[c], why);
	}
	for (int last = 0; last <= 1; last++) {
		uint64_t v = combined(pr, last);
		int r;

		if (v == ksr_reg_default(pr))
			continue;
		r = check_combination(src, ex, pr, v, why, sizeof(why));
		if (r)
			ksft_print_msg("%s: %s %s: %s\n", ksr_reg_name(ex),
				       r < 0 ? "EXPORTED RULES WRONG on" : "combination",
				       last ? "raised" : "lowered", why);
		if (r < 0)
			ok = false;
		if (r > 0)
			t->n[WRONG_COMBINATION]++;
	}
	return ok;
}

static int open_source(struct ksr_source **src, unsigned int features, unsigned int learn,
		       struct ksr_rules **rules, char *err, size_t len)
{
	struct ksr_vm_opts o = { .size = sizeof(o), .features = features, .learn = learn };
	int ret = ksr_source_open_vm(src, &o, err, len);

	if (ret)
		return ret;
	ret = ksr_source_rules(*src, rules, err, len);
	if (ret)
		ksr_source_close(*src);
	return ret;
}

/* The number of ID registers (not firmware ones) of rules */
static unsigned int id_regs(const struct ksr_rules *rules)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < ksr_rules_nr_regs(rules); i++)
		n += ksr_reg_kind(ksr_rules_reg(rules, i)) == KSR_REG_KIND_ID;
	return n;
}

static void run_variant(const struct variant *v)
{
	unsigned int nr_id;
	struct ksr_source *ex_src, *pr_src;
	struct ksr_rules *ex, *pr;
	struct tally t = { 0 };
	char err[256];
	bool ok;
	int ret;

	ret = open_source(&ex_src, v->features, KSR_LEARN_RULES, &ex, err, sizeof(err));
	if (ret == -EOPNOTSUPP && v->features) {
		ksft_test_result_skip("%s: %s\n", v->name, err);
		return;
	}
	if (ret)
		ksft_exit_fail_msg("%s: the exported rules: %s\n", v->name, err);
	ret = open_source(&pr_src, v->features, KSR_LEARN_PROBE, &pr, err, sizeof(err));
	if (ret)
		ksft_exit_fail_msg("%s: probing: %s\n", v->name, err);
	/* Probing learns the ID registers; fw_differential covers the firmware ones. */
	nr_id = id_regs(ex);
	if (nr_id != ksr_rules_nr_regs(pr))
		ksft_print_msg("%s: %u ID registers exported, %u probed\n", v->name,
			       nr_id, ksr_rules_nr_regs(pr));
	ok = nr_id == ksr_rules_nr_regs(pr) && id_regs(pr) == nr_id;
	for (unsigned int i = 0; i < ksr_rules_nr_regs(ex); i++) {
		const struct ksr_reg *e = ksr_rules_reg(ex, i);
		const struct ksr_reg *p;

		if (ksr_reg_kind(e) != KSR_REG_KIND_ID)
			continue;
		p = ksr_rules_find_encoding(pr, ksr_reg_encoding(e));

		if (!p || !compare_reg(ex_src, e, p, &t)) {
			ksft_print_msg("%s %s: %s\n", v->name, ksr_reg_name(e),
				       p ? "probing and the exported rules disagree" : "not probed");
			ok = false;
		}
	}
	ksft_print_msg("probe-vs-rules %s: agree %u, undecided %u (too-wide %u, several-rules %u, no-rule %u, "
		       "layout %u), wrong %u (sign %u, rule %u, combination %u), fields %u\n", v->name,
		       t.n[AGREE], t.n[TOO_WIDE] + t.n[SEVERAL_RULES] + t.n[NO_RULE] + t.n[LAYOUT],
		       t.n[TOO_WIDE], t.n[SEVERAL_RULES], t.n[NO_RULE], t.n[LAYOUT],
		       t.n[WRONG_SIGN] + t.n[WRONG_RULE] + t.n[WRONG_COMBINATION], t.n[WRONG_SIGN],
		       t.n[WRONG_RULE], t.n[WRONG_COMBINATION], t.fields);
	ksft_test_result(ok, "%s: probing vs the exported rules, %u registers, %u fields\n", v->name,
			 nr_id, t.fields);
	ksr_rules_free(ex);
	ksr_rules_free(pr);
	ksr_source_close(ex_src);
	ksr_source_close(pr_src);
}

/* What probing learned in a VM of the variant, as one hash. */
static void learned_variant(const struct variant *v)
{
	unsigned int learned = 0, unsure = 0, fields = 0;
	uint64_t h = KSR_FNV1A_INIT;
	struct ksr_source *src;
	struct ksr_rules *pr;
	char err[256];
	int ret = open_source(&src, v->features, KSR_LEARN_PROBE, &pr, err, sizeof(err));

	if (ret == -EOPNOTSUPP && v->features) {
		ksft_test_result_skip("%s: %s\n", v->name, err);
		return;
	}
	if (ret)
		ksft_exit_fail_msg("%s: probing: %s\n", v->name, err);
	for (unsigned int i = 0; i < ksr_rules_nr_regs(pr); i++) {
		const struct ksr_reg *r = ksr_rules_reg(pr, i);
		struct ksr_encoding e = ksr_reg_encoding(r);

		h = fnv1a(h, (uint64_t)e.op0 << 32 | e.op1 << 24 | e.crn << 16 | e.crm << 8 | e.op2);
		h = fnv1a(fnv1a(h, ksr_reg_default(r)), ksr_reg_writable_mask(r));
		for (unsigned int j = 0; j < ksr_reg_nr_fields(r); j++) {
			const struct ksr_field *f = ksr_reg_field(r, j);
			uint64_t from, to;

			ksr_field_alias(f, &from, &to);
			h = fnv1a(h, ksr_field_shift(f) | ksr_field_width(f) << 8 | ksr_field_rule(f) << 16);
			h = fnv1a(h, (uint64_t)ksr_field_flags(f) << 32 | ksr_field_accepted(f));
			h = fnv1a(fnv1a(h, ksr_field_safe_val(f)), ksr_field_min(f));
			h = fnv1a(fnv1a(h, from), to);
			fields++;
			learned += !!(ksr_field_flags(f) & KSR_FIELD_LEARNED);
			unsure += !!(ksr_field_flags(f) & KSR_FIELD_RULE_UNSURE);
		}
	}
	ksft_test_result_pass("%s: %u registers, %u fields, %u learned (%u with several rules), hash %016" PRIx64
			      "\n", v->name, ksr_rules_nr_regs(pr), fields, learned, unsure, h);
	ksr_rules_free(pr);
	ksr_source_close(src);
}

int main(int argc, char **argv)
{
	const unsigned int n = sizeof(variants) / sizeof(variants[0]);
	bool only_learned = argc == 2 && !strcmp(argv[1], "--learned");

	if (argc > 1 && !only_learned)
		ksft_exit_fail_msg("usage: probe_compare [--learned]\n");
	ksft_print_header();
	ksft_set_plan(n);
	for (unsigned int i = 0; i < n; i++) {
		if (only_learned)
			learned_variant(&variants[i]);
		else
			run_variant(&variants[i]);
	}
	ksft_finished();
}
