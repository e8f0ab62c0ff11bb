// SPDX-License-Identifier: GPL-2.0
/*
 * Profile output through json-c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <json.h>
#include <linux/kvm.h>

#include "profile.h"

static json_object *hex64(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%016" PRIx64, v);
	return json_object_new_string(buf);
}

static json_object *field_json(const struct ksr_field *f)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "name", f->name ? json_object_new_string(f->name) : NULL);
	json_object_object_add(o, "shift", json_object_new_int(f->shift));
	json_object_object_add(o, "width", json_object_new_int(f->width));
	json_object_object_add(o, "signed", json_object_new_boolean(f->flags & KVM_ARM_ID_RULE_SIGNED));
	json_object_object_add(o, "rule", json_object_new_string(ksr_rule_type_name(f->type) ?: "UNKNOWN"));
	json_object_object_add(o, "safe_val", json_object_new_int64((int64_t)f->safe_val));
	json_object_object_add(o, "writable", json_object_new_boolean(f->flags & KVM_ARM_ID_RULE_WRITABLE));
	if (f->flags & KVM_ARM_ID_RULE_RETYPED)
		json_object_object_add(o, "host_rule",
				       json_object_new_string(ksr_rule_type_name(f->host_type) ?: "UNKNOWN"));
	if (f->flags & KVM_ARM_ID_RULE_MIN) {
		json_object_object_add(o, "min", json_object_new_int64((int64_t)f->min_val));
		json_object_object_add(o, "min_or_zero",
				       json_object_new_boolean(f->flags & KVM_ARM_ID_RULE_MIN_OR_ZERO));
	}
	if (f->flags & (KVM_ARM_ID_RULE_ALIAS | KVM_ARM_ID_RULE_ALIAS_HOST)) {
		json_object *a = json_object_new_object();

		json_object_object_add(a, "from", json_object_new_int64((int64_t)f->alias_from));
		json_object_object_add(a, "to", json_object_new_int64((int64_t)f->alias_to));
		json_object_object_add(a, "host_value",
				       json_object_new_boolean(f->flags & KVM_ARM_ID_RULE_ALIAS_HOST));
		json_object_object_add(o, "alias", a);
	}
	return o;
}

static json_object *reg_json(const struct ksr_reg *r)
{
	json_object *o = json_object_new_object(), *enc = json_object_new_array(), *fields;
	char buf[32];

	json_object_object_add(o, "name", json_object_new_string(
		ksr_encoding_name(r->enc, buf, sizeof(buf))));
	json_object_array_add(enc, json_object_new_int(r->enc.op0));
	json_object_array_add(enc, json_object_new_int(r->enc.op1));
	json_object_array_add(enc, json_object_new_int(r->enc.crn));
	json_object_array_add(enc, json_object_new_int(r->enc.crm));
	json_object_array_add(enc, json_object_new_int(r->enc.op2));
	json_object_object_add(o, "encoding", enc);
	json_object_object_add(o, "value", hex64(r->limit));
	json_object_object_add(o, "writable_mask", hex64(r->writable_mask));
	json_object_object_add(o, "unfielded_mask", hex64(r->unfielded_mask));
	json_object_object_add(o, "raz", json_object_new_boolean(r->flags & KVM_ARM_ID_RULE_RAZ));
	json_object_object_add(o, "writes_ignored",
			       json_object_new_boolean(r->flags & KVM_ARM_ID_RULE_WRITE_IGNORED));
	json_object_object_add(o, "immutable", json_object_new_boolean(r->flags & KVM_ARM_ID_RULE_IMMUTABLE));
	fields = json_object_new_array();
	for (unsigned int i = 0; i < r->nr_fields; i++)
		json_object_array_add(fields, field_json(&r->fields[i]));
	json_object_object_add(o, "fields", fields);
	return o;
}

int ksr_profile_write(FILE *out, const struct ksr_rules *rules,
		      const struct ksr_profile_meta *meta)
{
	json_object *root = json_object_new_object(), *feats = json_object_new_array();
	json_object *regs = json_object_new_array();
	int ret = 0;

	json_object_object_add(root, "schema", json_object_new_string(KSR_PROFILE_SCHEMA));
	json_object_object_add(root, "kernel", json_object_new_string(meta->kernel));
	json_object_object_add(root, "source", json_object_new_string(meta->source));
	for (unsigned int bit = 1; bit; bit <<= 1)
		if ((meta->vcpu_features & bit) && ksr_feature_name(bit))
			json_object_array_add(feats, json_object_new_string(ksr_feature_name(bit)));
	json_object_object_add(root, "vcpu_features", feats);
	for (unsigned int i = 0; i < rules->nr_regs; i++)
		json_object_array_add(regs, reg_json(&rules->regs[i]));
	json_object_object_add(root, "registers", regs);

	if (fputs(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
						 JSON_C_TO_STRING_SPACED), out) == EOF ||
	    fputc('\n', out) == EOF)
		ret = -EIO;
	json_object_put(root);
	return ret;
}
