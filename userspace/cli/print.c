// SPDX-License-Identifier: GPL-2.0
/*
 * Findings, fields and values in words: the labels and value texts the
 * commands print.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

bool cli_fw_finding(const struct ksr_finding *f)
{
	return f->reg_name && ksr_id_kind(f->reg_id) == KSR_REG_KIND_FIRMWARE;
}

bool cli_fw_whole_reg(const struct ksr_finding *f)
{
	return cli_fw_finding(f) && !f->is_field && !f->mask;
}

const char *cli_reg_label(const struct ksr_finding *f, bool by_encoding, char *buf, size_t len)
{
	if (cli_fw_finding(f) && by_encoding)
		snprintf(buf, len, "0x%016" PRIx64, f->reg_id);	/* it has no encoding */
	else if (cli_fw_finding(f))
		snprintf(buf, len, "%s", f->reg_name);
	else if (by_encoding || !f->reg_name)
		snprintf(buf, len, "%u,%u,%u,%u,%u", f->enc.op0, f->enc.op1, f->enc.crn, f->enc.crm,
			 f->enc.op2);
	else
		snprintf(buf, len, "%s", f->reg_name);
	return buf;
}

const char *cli_where_label(const struct ksr_finding *f, bool by_encoding, char *buf, size_t len)
{
	char reg[64], bits[96];

	cli_reg_label(f, by_encoding, reg, sizeof(reg));
	if (cli_fw_whole_reg(f))
		snprintf(buf, len, "%s", reg);
	else
		snprintf(buf, len, "%s.%s", reg, cli_bits_label(f, bits, sizeof(bits)));
	return buf;
}

/* " (PTP,BIT5)": the names of a firmware bitmap's bits in mask */
static void bit_names(const struct ksr_finding *f, uint64_t mask, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (unsigned int bit = 0; bit < 64 && at < len; bit++) {
		const char *name = ksr_id_bit_name(f->reg_id, bit);

		if (!(mask >> bit & 1))
			continue;
		if (name)
			at += (size_t)snprintf(buf + at, len - at, "%s%s", at ? "," : " (", name);
		else
			at += (size_t)snprintf(buf + at, len - at, "%sBIT%u", at ? "," : " (", bit);
	}
	if (at && at + 1 < len)
		strcat(buf, ")");
}

const char *cli_bits_label(const struct ksr_finding *f, char *buf, size_t len)
{
	char names[64];

	if (cli_fw_finding(f) && !f->is_field && f->mask) {
		bit_names(f, f->mask, names, sizeof(names));
		snprintf(buf, len, "bits 0x%" PRIx64 "%s", f->mask, names);
	} else if (f->is_field && f->field_name)
		snprintf(buf, len, "%s", f->field_name);
	else if (f->is_field)
		snprintf(buf, len, "bits[%u:%u]", f->shift + f->width - 1, f->shift);
	else if (f->mask)
		snprintf(buf, len, "bits 0x%016" PRIx64, f->mask);
	else
		snprintf(buf, len, "(register)");
	return buf;
}

/* A field's bits as a number in its order; other bits as hex. */
const char *cli_value_text(const struct ksr_finding *f, uint64_t v, char *buf, size_t len)
{
	if (!f->is_field)
		snprintf(buf, len, "0x%" PRIx64, v);
	else if (f->is_signed && f->width < 64 && (v >> (f->width - 1)) & 1)
		snprintf(buf, len, "%" PRId64, (int64_t)(v | ~0ull << f->width));
	else
		snprintf(buf, len, "%" PRIu64, v);
	return buf;
}

const char *cli_rule_text(const struct ksr_field *f, char *buf, size_t len)
{
	const char *name = ksr_rule_type_name(ksr_field_rule(f));

	if (!name)
		return ksr_field_flags(f) & KSR_FIELD_LEARNED ? "(no rule fits)" :
		       ksr_field_flags(f) & KSR_FIELD_WRITABLE ? "UNKNOWN" : "-";
	snprintf(buf, len, "%s%s", name, ksr_field_flags(f) & KSR_FIELD_RULE_UNSURE ? "?" : "");
	return buf;
}

/* A firmware register's values as hex: "0x0, 0x1" */
static void hex_values(const struct ksr_values *vals, char *buf, size_t len)
{
	int64_t lo, hi;
	size_t at = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; !ksr_values_range(vals, i, &lo, &hi) && at < len; i++) {
		/* up to hi, which may be INT64_MAX: no v++ past it */
		for (int64_t v = lo; at < len; v++) {
			at += (size_t)snprintf(buf + at, len - at, "%s0x%" PRIx64, at ? ", " : "",
					       (uint64_t)v);
			if (v == hi)
				break;
		}
	}
	if (!at)
		snprintf(buf, len, "none");
}

const char *cli_allowed_text(const struct ksr_finding *f, const struct ksr_values *vals, char *buf,
			 size_t len)
{
	if (vals && cli_fw_whole_reg(f)) {
		hex_values(vals, buf, len);
		return buf;
	}
	return cli_values_text(vals, buf, len);
}

const char *cli_values_text(const struct ksr_values *vals, char *buf, size_t len)
{
	if (!vals)
		snprintf(buf, len, "(not enumerated)");
	else
		ksr_values_format(vals, buf, len);
	return buf;
}

int cli_finding(const struct ksr_report *rep, unsigned int i, struct ksr_finding *f)
{
	f->size = sizeof(*f);
	return ksr_report_get(rep, i, f);
}

