// SPDX-License-Identifier: GPL-2.0
/*
 * Firecracker's aarch64 custom CPU templates, as its documentation
 * describes them (docs/cpu_templates/cpu-templates.md):
 *
 *   {"reg_modifiers": [{"addr": "0x603000000013c020", "bitmap": "0bxx..10"}],
 *    "vcpu_features": [...], "kvm_capabilities": [...]}
 *
 * addr is the register id as KVM_GET_REG_LIST prints it ("0x" and hex
 * digits, or decimal: the schema's "a string containing an integer");
 * bitmap is "0b" and 1 to 64 of 0, 1 and x, most significant first, '_'
 * separators skipped: x (and every bit left of the first character) keeps
 * the default's bit. Firecracker writes every aarch64 bitmap 128 wide (a
 * u128, the upper 64 x for a 64-bit register): x beyond bit 63 is skipped,
 * anything else there refused. A modifier of a register the library has no
 * rules for (the core registers of a cpu-template-helper dump, a 128-bit
 * SIMD register, a 32-bit one) is kept as it is, not interpreted (key
 * "reg_modifiers"), and written back. Read over the rules' defaults;
 * written as the bits that differ from them, 64 wide. vcpu_features and
 * kvm_capabilities are kept as they are, not interpreted, and written back.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "jsonio.h"

#define FC_BITS 64
/* The widest bitmap Firecracker reads and writes (aarch64: u128) */
#define FC_MAX_BITS 128
/* KVM_REG_SIZE_MASK and its shift: the size of a ONE_REG id, 1 << n bytes */
#define REG_SIZE_SHIFT 52
#define REG_SIZE_U64 3ull

static const char *const top_keys[] = { "reg_modifiers", "vcpu_features", "kvm_capabilities", NULL };
static const char *const modifier_keys[] = { "addr", "bitmap", NULL };
/* Kept, not interpreted: arrays, written back as they were. */
static const char *const kept_keys[] = { "vcpu_features", "kvm_capabilities" };
/* ... and the modifiers of registers without rules, written after the others */
#define KEPT_MODIFIERS "reg_modifiers"

/* Refuses a key of o that is not in keys (NULL-terminated). */
static int only_keys(struct jr *r, json_object *o, const char *const *keys, const char *what)
{
	json_object_object_foreach(o, key, val) {
		unsigned int i = 0;

		(void)val;
		while (keys[i] && strcmp(keys[i], key))
			i++;
		if (!keys[i])
			return ksr_jr_bad_key(r, key, "unknown key (%s)", what);
	}
	return 0;
}

/*
 * addr: "0x" and 1 to 16 hex digits, or 1 to 20 decimal digits. Returns 0
 * for a sysreg's or a firmware register's id, 1 for another register's
 * (kept), or the error.
 */
static int parse_addr(struct jr *r, const char *s, uint64_t *id)
{
	bool hex = !strncmp(s, "0x", 2) || !strncmp(s, "0X", 2);
	char *end;

	errno = 0;
	if (hex ? ksr_parse_hex64(s, id) :
	    (!isdigit((unsigned char)*s) || (*id = strtoull(s, &end, 10), errno || *end)))
		return ksr_jr_bad_key(r, "addr",
				      "\"%.40s\" is not an integer: \"0x\" and 1 to 16 hex digits, or decimal", s);
	return ksr_id_is_sysreg(*id) || ksr_id_is_firmware(*id) ? 0 : 1;
}

/* The bitmap without its '_' separators, into buf (of FC_MAX_BITS + 3). */
static int strip_separators(struct jr *r, const char *s, char *buf)
{
	size_t n = 0, total = 0;

	for (const char *c = s; *c; c++)
		total += *c != '_';
	if (total > 2 + FC_MAX_BITS)
		return !strncmp(s, "0b", 2) ?
			ksr_jr_bad_key(r, "bitmap", "has %zu bits, more than Firecracker's %u",
				       total - 2, FC_MAX_BITS) :
			ksr_jr_bad_key(r, "bitmap", "\"%.40s\" does not start with \"0b\"", s);
	for (; *s; s++)
		if (*s != '_')
			buf[n++] = *s;
	buf[n] = '\0';
	return 0;
}

/*
 * "0b" and 1 to 64 of 0, 1 and x: the bits it sets (*mask) and their
 * values; up to 128 when those beyond bit 63 are x (Firecracker's width).
 */
static int parse_bitmap(struct jr *r, const char *s, uint64_t *mask, uint64_t *bits)
{
	size_t n, given;

	if (strncmp(s, "0b", 2))
		return ksr_jr_bad_key(r, "bitmap", "\"%.40s\" does not start with \"0b\"", s);
	s += 2;
	n = given = strlen(s);
	if (n > FC_MAX_BITS)
		return ksr_jr_bad_key(r, "bitmap", "has %zu bits, more than Firecracker's %u", n,
				      FC_MAX_BITS);
	/* x keeps the default: beyond bit 63, of a 64-bit register, nothing */
	while (n > FC_BITS && *s == 'x') {
		s++;
		n--;
	}
	if (n > FC_BITS && n < given)
		return ksr_jr_bad_key(r, "bitmap", "has %zu bits and bit %zu is '%c': a 64-bit register's bitmap has only x beyond bit %u",
				      given, n - 1, isprint((unsigned char)*s) ? *s : '?', FC_BITS - 1);
	if (!n || n > FC_BITS)
		return ksr_jr_bad_key(r, "bitmap", "has %zu bits, not 1 to %u", n, FC_BITS);
	*mask = *bits = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		*mask <<= 1;
		*bits <<= 1;
		if (c == 'x')
			continue;
		if (c != '0' && c != '1')
			return isprint(c) ?
				ksr_jr_bad_key(r, "bitmap", "bit %zu is '%c', not 0, 1 or x", n - 1 - i, c) :
				ksr_jr_bad_key(r, "bitmap", "bit %zu is byte 0x%02x, not 0, 1 or x", n - 1 - i, c);
		*mask |= 1;
		*bits |= c == '1';
	}
	return 0;
}

/*
 * One modifier: the register's default (every bit x keeps) with the bits
 * set; one of a register without rules joins kept (an array).
 */
static int read_modifier(struct jr *r, json_object *o, struct ksr_config *cfg,
			 struct ksr_seen *seen, json_object *kept)
{
	char bitmap_bits[2 + FC_MAX_BITS + 2];
	json_object *addr, *bitmap;
	uint64_t id = 0, mask = 0, bits = 0, base = 0;
	int ret;

	if (!json_object_is_type(o, json_type_object))
		return ksr_jr_bad(r, "must be an object, not %s", ksr_jr_type_name(o));
	ret = only_keys(r, o, modifier_keys, "a modifier has \"addr\" and \"bitmap\"") ?:
	      ksr_jr_get(r, o, "addr", json_type_string, false, false, &addr) ?:
	      ksr_jr_get(r, o, "bitmap", json_type_string, false, false, &bitmap) ?:
	      strip_separators(r, json_object_get_string(bitmap), bitmap_bits);
	if (ret)
		return ret;
	ret = parse_addr(r, json_object_get_string(addr), &id);
	if (ret == 1) {
		/* no rules for it: kept as it is, after the bitmap's own checks */
		if (strncmp(bitmap_bits, "0b", 2) || !bitmap_bits[2] ||
		    strspn(bitmap_bits + 2, "01x") != strlen(bitmap_bits + 2))
			return ksr_jr_bad_key(r, "bitmap", "\"%.40s\" is not \"0b\" and 0, 1 or x per bit",
					      json_object_get_string(bitmap));
		/* seen holds the ids of the rules' ranges only: look through kept */
		for (size_t i = 0; i < json_object_array_length(kept); i++) {
			json_object *other = json_object_object_get(json_object_array_get_idx(kept, i),
								    "addr");
			uint64_t other_id;

			if (parse_addr(r, json_object_get_string(other), &other_id) == 1 &&
			    other_id == id)
				return ksr_jr_bad_key(r, "addr", "register %s is modified twice",
						      json_object_get_string(addr));
		}
		return json_object_array_add(kept, json_object_get(o)) ?
			ksr_fail(r->err, r->errlen, -ENOMEM, "%s: out of memory", r->name) : 0;
	}
	ret = ret ?: parse_bitmap(r, bitmap_bits, &mask, &bits);
	if (ret)
		return ret;
	if (ksr_seen_before(seen, id))
		return ksr_jr_bad_key(r, "addr", "register %s is modified twice",
				      json_object_get_string(addr));
	if (ksr_config_find_id(cfg, id, &base) && mask != UINT64_MAX)
		return ksr_jr_bad_key(r, "addr", "register %s is not in the rules: no default for its x bits",
				      json_object_get_string(addr));
	if (ksr_config_set_id(cfg, id, (base & ~mask) | bits))
		return ksr_fail(r->err, r->errlen, -ENOMEM, "%s: out of memory", r->name);
	return 0;
}

static int read_modifiers(struct jr *r, json_object *mods, struct ksr_config *cfg,
			  struct ksr_seen *seen)
{
	json_object *kept = json_object_new_array();
	size_t l = ksr_jr_push(r, "reg_modifiers", 0);
	int ret = kept ? 0 : ksr_fail(r->err, r->errlen, -ENOMEM, "%s: out of memory", r->name);

	for (size_t i = 0; i < json_object_array_length(mods) && !ret; i++) {
		size_t li = ksr_jr_push(r, NULL, (int)i);

		ret = read_modifier(r, json_object_array_get_idx(mods, i), cfg, seen, kept);
		ksr_jr_pop(r, li);
	}
	ksr_jr_pop(r, l);
	if (!ret && json_object_array_length(kept) &&
	    ksr_config_keep(cfg, KEPT_MODIFIERS,
			    json_object_to_json_string_ext(kept, JSON_C_TO_STRING_PLAIN |
							   JSON_C_TO_STRING_NOSLASHESCAPE)))
		ret = ksr_fail(r->err, r->errlen, -ENOMEM, "%s: out of memory", r->name);
	json_object_put(kept);
	return ret;
}

/* vcpu_features and kvm_capabilities: arrays, kept as their JSON text. */
static int keep_arrays(struct jr *r, json_object *root, struct ksr_config *cfg)
{
	for (size_t i = 0; i < sizeof(kept_keys) / sizeof(kept_keys[0]); i++) {
		json_object *a;
		int ret = ksr_jr_get(r, root, kept_keys[i], json_type_array, true, false, &a);

		if (ret)
			return ret;
		if (a && ksr_config_keep(cfg, kept_keys[i],
					 json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN |
									  JSON_C_TO_STRING_NOSLASHESCAPE)))
			return ksr_fail(r->err, r->errlen, -ENOMEM, "%s: out of memory", r->name);
	}
	return 0;
}

int ksr_fc_read(const char *text, size_t len, const char *name, const struct ksr_rules *rules,
		struct ksr_config *cfg, struct ksr_seen *seen, char *err, size_t errlen)
{
	struct jr r = { .name = name, .err = err, .errlen = errlen };
	json_object *root, *mods;
	int ret;

	(void)rules;	/* cfg holds its defaults */
	ret = ksr_json_parse(text, len, name, &root, err, errlen);
	if (ret)
		return ret;
	if (!json_object_is_type(root, json_type_object))
		ret = ksr_jr_bad(&r, "must be an object, not %s", ksr_jr_type_name(root));
	else
		ret = only_keys(&r, root, top_keys,
				"a template has \"reg_modifiers\", \"vcpu_features\" and \"kvm_capabilities\"") ?:
		      ksr_jr_get(&r, root, "reg_modifiers", json_type_array, true, false, &mods) ?:
		      (mods ? read_modifiers(&r, mods, cfg, seen) : 0) ?:
		      keep_arrays(&r, root, cfg);
	json_object_put(root);
	return ret;
}

/* ---- writing ------------------------------------------------------------ */

/* "0b" and 64 characters: the bits of mask as 0 or 1, the others x. */
static json_object *bitmap_text(uint64_t value, uint64_t mask)
{
	char s[2 + FC_BITS + 1] = "0b";

	for (unsigned int i = 0; i < FC_BITS; i++) {
		uint64_t bit = 1ull << (FC_BITS - 1 - i);

		s[2 + i] = !(mask & bit) ? 'x' : (value & bit) ? '1' : '0';
	}
	s[2 + FC_BITS] = '\0';
	return json_object_new_string(s);
}

static json_object *modifiers(const struct ksr_config *cfg, const struct ksr_rules *rules,
			      unsigned int flags)
{
	json_object *mods = json_object_new_array(), *kept_mods;
	const char *kept;
	uint64_t id, value;

	for (unsigned int i = 0; !ksr_config_entry_id(cfg, i, &id, &value); i++) {
		const struct ksr_reg *reg = rules ? ksr_rules_find_id(rules, id) : NULL;
		uint64_t mask = reg && !(flags & KSR_CONFIG_EVERY_FIELD) ? value ^ reg->limit : UINT64_MAX;
		json_object *m;

		if (!mask)
			continue;
		m = json_object_new_object();
		json_object_object_add(m, "addr", ksr_jw_hex64(id));
		json_object_object_add(m, "bitmap", bitmap_text(value, mask));
		json_object_array_add(mods, m);
	}
	/* the modifiers of registers without rules, as they were read */
	kept = ksr_config_kept_text(cfg, KEPT_MODIFIERS);
	kept_mods = kept ? json_tokener_parse(kept) : NULL;
	for (size_t i = 0; kept_mods && i < json_object_array_length(kept_mods); i++)
		json_object_array_add(mods, json_object_get(json_object_array_get_idx(kept_mods, i)));
	json_object_put(kept_mods);
	return mods;
}

int ksr_fc_write(const struct ksr_config *cfg, const struct ksr_rules *rules, FILE *out,
		 unsigned int flags, char *err, size_t errlen)
{
	json_object *root = json_object_new_object();
	int ret;

	json_object_object_add(root, "reg_modifiers", modifiers(cfg, rules, flags));
	for (size_t i = 0; i < sizeof(kept_keys) / sizeof(kept_keys[0]); i++) {
		const char *text = ksr_config_kept_text(cfg, kept_keys[i]);

		if (text)
			json_object_object_add(root, kept_keys[i], json_tokener_parse(text));
	}
	ret = ksr_jw_print(root, out);
	json_object_put(root);
	return ret ? ksr_fail(err, errlen, ret, "write error") : 0;
}
