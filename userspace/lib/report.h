/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Building reports (report.c), for the operations of report.c, baseline.c
 * and diff.c. A report owns every string, array and value set its findings
 * point to. Out of memory is sticky: the helpers then return NULL and set
 * rep->nomem, which the operation checks once at the end.
 */
#ifndef KSR_REPORT_H
#define KSR_REPORT_H

#include "config.h"

struct ksr_report {
	bool ok;
	bool nomem;
	enum ksr_comparison comparison;	/* compare's answer; NONE for another operation */
	struct ksr_config *cfg;
	unsigned int nr, cap;
	struct ksr_finding *f;
	unsigned int nr_owned, cap_owned;
	void **owned;			/* free() */
	unsigned int nr_vals, cap_vals;
	struct ksr_values **vals;	/* ksr_values_free() */
};

struct ksr_report *ksr_report_new(void);
/*
 * A new finding of kind about reg (NULL: none), zeroed but for its size,
 * kind, register name and encoding. Valid until the next ksr_report_add().
 */
struct ksr_finding *ksr_report_add(struct ksr_report *rep, enum ksr_finding_kind kind,
				   const struct ksr_reg *reg);
/* Makes the finding about field f (shift, width, mask, sign, name). */
void ksr_finding_field(struct ksr_report *rep, struct ksr_finding *fnd, const struct ksr_field *f);
/* A copy of s owned by the report (NULL stays NULL). */
const char *ksr_report_str(struct ksr_report *rep, const char *s);
/* printf into a string owned by the report. */
const char *ksr_report_printf(struct ksr_report *rep, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Hands p (malloc'ed) or vals to the report; returns it (NULL and nomem when p is NULL). */
void *ksr_report_own(struct ksr_report *rep, void *p);
const struct ksr_values *ksr_report_own_values(struct ksr_report *rep, struct ksr_values *vals);
/*
 * The parts of value on reg (whole: ksr_predict()'s verdict on it), each
 * set alone in the default: a finding per field (of kind FIELD when
 * accepted, fault_kind when not; the accepted ones only with all), with
 * the values a refused one accepts, and one for refused bits in no field;
 * a firmware value list: one fault_kind finding about the whole register
 * when whole refuses it.
 */
void ksr_check_parts(struct ksr_report *rep, const struct ksr_reg *reg, uint64_t value,
		     const struct ksr_verdict *whole, enum ksr_finding_kind fault_kind, bool all);
/*
 * A register of a configuration that rules lack (reg and v NULL) or refuse
 * (v the verdict), for ksr_config_model().
 */
typedef void ksr_refused_fn(void *ctx, uint64_t id, uint64_t value, const struct ksr_reg *reg,
			    const struct ksr_verdict *v);
/*
 * What a VM of rules holds once cfg (NULL: nothing) is written into it at
 * its defaults: every register of rules at its default, cfg's registers at
 * the value ksr_predict() says KVM then stores (an alias's "to", a
 * write-ignored register's default), and the parts cfg kept. A register of
 * cfg that rules lack or refuse is passed to refused(ctx, ...) and left
 * out (at its default). 0, or -ENOMEM with *model NULL.
 */
int ksr_config_model(const struct ksr_rules *rules, const struct ksr_config *cfg,
		     struct ksr_config **model, ksr_refused_fn *refused, void *ctx);
/* -EINVAL and a message naming an and bn when the vCPU features of a and b differ. */
int ksr_features_differ(const struct ksr_rules *a, const struct ksr_rules *b, const char *an,
			const char *bn, char *err, size_t errlen);
/*
 * The ids of every register of rules[0..nr-1], ascending, each once, in
 * *ids (to free); 0 or -ENOMEM.
 */
int ksr_rules_all_ids(const struct ksr_rules *const *rules, unsigned int nr, uint64_t **ids,
		      unsigned int *nr_ids);
/* reg's value with the bits of mask taken from bits. */
static inline uint64_t with_bits(uint64_t reg, uint64_t mask, uint64_t bits)
{
	return (reg & ~mask) | (bits & mask);
}

/* raw bits of field f in v */
static inline uint64_t raw_bits(const struct ksr_field *f, uint64_t v)
{
	return (v & ksr_field_mask(f)) >> f->shift;
}

#endif
