/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The library's struct layouts and helpers, for the library itself, the CLI
 * and the in-tree tests. Not installed: programs outside the tree use the
 * accessors of <kvm-safe-rules.h>.
 */
#ifndef KSR_INTERNAL_H
#define KSR_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kvm-safe-rules.h"

struct ksr_field {
	const char *name;	/* owned by the rules; never NULL once made (ksr_reg_name_fields()) */
	uint8_t shift;
	uint8_t width;
	uint8_t type;		/* enum ksr_rule_type in this VM */
	uint8_t host_type;	/* ... in the host's cpufeature table */
	uint32_t flags;		/* KSR_FIELD_* */
	uint64_t safe_val;
	uint64_t min_val;
	uint64_t alias_from;
	uint64_t alias_to;
	uint16_t accepted;	/* KSR_FIELD_LEARNED: bit v for each raw value v KVM accepted */
};

/* A value a firmware register accepts, and what it then reads back. */
struct ksr_fw_value {
	uint64_t value, reads_back;
};

struct ksr_reg {
	const char *name;	/* owned by the rules; NULL when the encoding has none */
	struct ksr_encoding enc;	/* firmware: KSR_NO_ENCODING */
	uint64_t id;		/* KVM_SET_ONE_REG id (an ID register's: from enc) */
	uint8_t kind;		/* enum ksr_reg_kind */
	uint32_t flags;		/* KSR_REG_* */
	uint64_t writable_mask;
	uint64_t limit;		/* the VM's default: what writes are checked against */
	uint64_t unfielded_mask;
	unsigned int nr_fields;
	struct ksr_field *fields;
	unsigned int nr_values;		/* firmware value list: ascending by value */
	struct ksr_fw_value *values;	/* owned by the rules, or NULL */
	char generic_name[24];	/* S<op0>_<op1>_C<n>_C<m>_<op2>, or a firmware id "0x%016llx" */
};

/* A firmware register's encoding: none (not valid, so never looked up). */
#define KSR_NO_ENCODING ((struct ksr_encoding){ 0xff, 0xff, 0xff, 0xff, 0xff })

struct ksr_rules {
	unsigned int nr_regs;
	struct ksr_reg *regs;
	char *kernel;
	char *source;
	const char *provider;		/* KSR_PROVIDER_* (static), or NULL: not known */
	unsigned int vcpu_features;	/* KSR_FEAT_* */
	char *origin;			/* the profile's file name, for messages; or NULL */
	/*
	 * Lookup indexes (ksr_rules_index()): the registers' indexes sorted by
	 * id (ksr_reg_id(): encoding order for ID registers) and by name; used
	 * while nr_index == nr_regs, else the lookups scan.
	 */
	unsigned int nr_index;
	unsigned int *by_id, *by_name;
};

/* A rule source: a small ops table, so that other live sources can slot in. */
struct ksr_source_ops {
	const char *kind;
	int (*rules)(struct ksr_source *src, struct ksr_rules **rules, char *err, size_t errlen);
	int (*current)(struct ksr_source *src, const struct ksr_reg *reg, uint64_t *value);
	/* KVM_SET_ONE_REG's result, or NULL when the source has no VM */
	int (*write)(struct ksr_source *src, const struct ksr_reg *reg, uint64_t value);
	void (*close)(struct ksr_source *src);
};

struct ksr_vm;	/* vm.h: a live source's scratch VM */

struct ksr_source {
	const struct ksr_source_ops *ops;
	void *priv;
	const char *provider;	/* KSR_PROVIDER_* (static), or NULL: not known */
	const struct ksr_probe_stats *probe_stats;	/* a probing source's, or NULL */
	struct ksr_vm *vm;	/* a live source's VM (owned by priv), or NULL */
};

/* The library's own string for a provider's name; NULL for an unknown name. */
const char *ksr_provider_from_name(const char *name);

/* A copy of rules (with its indexes); -ENOMEM. */
int ksr_rules_copy(const struct ksr_rules *from, struct ksr_rules **out);

/* Formats a message into err (when not NULL) and returns ret. */
int ksr_fail(char *err, size_t errlen, int ret, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int ksr_vfail(char *err, size_t errlen, int ret, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

/*
 * Allocation of rules: ksr_rules_alloc() gives nr_regs zeroed registers;
 * ksr_reg_init() sets a register's encoding and name (copied; NULL for none)
 * and allocates its nr_fields zeroed fields; ksr_set_name() copies a name.
 * Each returns 0 or -ENOMEM; ksr_rules_free() frees what was allocated.
 */
struct ksr_rules *ksr_rules_alloc(unsigned int nr_regs);
int ksr_reg_init(struct ksr_reg *reg, struct ksr_encoding enc, const char *name,
		 unsigned int nr_fields);
int ksr_set_name(const char **dst, const char *name);
int ksr_rules_set_meta(struct ksr_rules *rules, const char *kernel, const char *source,
		       unsigned int vcpu_features);

/* S<op0>_<op1>_C<n>_C<m>_<op2> */
void ksr_encoding_generic_name(struct ksr_encoding enc, char *buf, size_t len);
/*
 * The name arch/arm64/tools/sysreg gives an encoding, or NULL: sysreg.c in a
 * build with the live source, live-none.c (always NULL) in one without.
 */
const char *ksr_encoding_known_name(struct ksr_encoding enc);
/*
 * The name of a field the architecture does not name (arch/arm64/tools/sysreg
 * has none for its bits, e.g. CTR_EL0's RES1 bit 31): "BIT<n>" for one bit,
 * "BITS<hi>_<lo>" for more. Unique within a register, as fields never overlap.
 */
void ksr_field_generic_name(unsigned int shift, unsigned int width, char *buf, size_t len);
/* Names every unnamed field of reg by ksr_field_generic_name(); 0 or -ENOMEM. */
int ksr_reg_name_fields(struct ksr_reg *reg);

/*
 * Register ids (KVM_SET_ONE_REG): KVM_REG_ARM64 | KVM_REG_SIZE_U64 and a
 * coprocessor: the sysregs (op0..op2 in the low 16 bits), the firmware
 * registers (KVM_REG_ARM_FW) and the firmware bitmaps
 * (KVM_REG_ARM_FW_FEAT_BMAP). Sysreg ids sort before firmware ids.
 */
#define KSR_ID_SYSREG		0x6030000000130000ull
#define KSR_ID_FW		0x6030000000140000ull
#define KSR_ID_FW_BMAP		0x6030000000160000ull
static inline bool ksr_id_is_sysreg(uint64_t id)
{
	return (id & ~0xffffull) == KSR_ID_SYSREG;
}
static inline bool ksr_id_is_firmware(uint64_t id)
{
	return (id & ~0xffffull) == KSR_ID_FW || (id & ~0xffffull) == KSR_ID_FW_BMAP;
}
/*
 * "0x" and exactly 16 hex digits (either case), as KVM_GET_REG_LIST prints
 * an id: 0 and *id; -ERANGE when it has that form but is neither a sysreg
 * nor a firmware id; -ENOENT when it has not that form.
 */
int ksr_parse_id(const char *text, uint64_t *id);
/* "0x%016llx" */
void ksr_id_text(uint64_t id, char *buf, size_t len);

/*
 * The firmware registers the UAPI names (firmware.c): the name of an id, or
 * NULL; the id of a name, or 0; the UAPI's name of a bitmap's bit, or NULL.
 */
const char *ksr_fw_name(uint64_t id);
uint64_t ksr_fw_id(const char *name);
const char *ksr_fw_bit_name(uint64_t id, unsigned int bit);
/*
 * Sets up a firmware register like ksr_reg_init(): its id, name (NULL: the
 * UAPI's, else "0x%016llx"), nr_fields zeroed fields and nr_values zeroed
 * values; 0 or -ENOMEM.
 */
int ksr_fw_reg_init(struct ksr_reg *reg, uint64_t id, const char *name, unsigned int nr_fields,
		    unsigned int nr_values);
/*
 * Makes a bitmap register's fields: one 1-bit KSR_RULE_ANY writable field
 * per bit of its writable_mask, named by ksr_fw_bit_name() or "BIT<n>"
 * (ksr_field_generic_name());
 * 0 or -ENOMEM.
 */
int ksr_fw_bitmap_fields(struct ksr_reg *reg);

/* op0 0..3, op1 0..7, CRn 0..15, CRm 0..15, op2 0..7 */
bool ksr_encoding_valid(struct ksr_encoding enc);
/* The encoding as one number, in encoding order (valid encodings only). */
static inline uint32_t ksr_encoding_key(struct ksr_encoding e)
{
	return (uint32_t)e.op0 << 14 | (uint32_t)e.op1 << 11 | (uint32_t)e.crn << 7 |
	       (uint32_t)e.crm << 3 | e.op2;
}
/* The encoding of a key of ksr_encoding_key() (0 .. 65535). */
static inline struct ksr_encoding ksr_encoding_from_key(uint32_t k)
{
	return (struct ksr_encoding){ (uint8_t)(k >> 14 & 3), (uint8_t)(k >> 11 & 7),
				      (uint8_t)(k >> 7 & 15), (uint8_t)(k >> 3 & 15), (uint8_t)(k & 7) };
}
#define KSR_NR_ENCODINGS (1u << 16)
/*
 * The one parser of encodings written as text: "op0,op1,CRn,CRm,op2" or
 * "S<op0>_<op1>_C<n>_C<m>_<op2>", decimal digits only (no sign, no blank).
 * 0, -ERANGE when text has that form but a number is out of range (however
 * many digits: nothing wraps), -ENOENT when it has not that form.
 */
int ksr_parse_encoding(const char *text, struct ksr_encoding *enc);
/*
 * Builds the lookup indexes of rules, in O(n log n), once the registers are
 * all set; 0 or -ENOMEM. *dup is set to the first register (by index) whose
 * id (encoding) or name (*dup_is_name) register *dup_of, an earlier one, has
 * too; to -1u when there is none. The index is dropped when nr_regs changes.
 */
int ksr_rules_index(struct ksr_rules *rules, unsigned int *dup, unsigned int *dup_of,
		    bool *dup_is_name);

/*
 * Copies a caller's option struct (its first member its size) into the
 * library's zeroed one: -EINVAL when size is too small to hold the size,
 * -E2BIG when the caller's struct is larger and its tail is not zero.
 */
int ksr_copy_opts(void *dst, size_t dst_size, const void *src);

/* A source from its ops; NULL when out of memory. */
struct ksr_source *ksr_source_new(const struct ksr_source_ops *ops, void *priv);

/* A set of field values as runs lo..hi, in the field's order (values.c). */
struct ksr_range {
	int64_t lo, hi;
};

struct ksr_values {
	unsigned int nr;	/* runs, ascending, not touching */
	uint64_t count;		/* values */
	struct ksr_range *r;
};

/* Raw field bits <-> the field's order (signed: two's complement of width bits). */
int64_t ksr_bits_order(uint64_t raw, unsigned int width, bool is_signed);
uint64_t ksr_order_bits(int64_t v, unsigned int width);
/* An empty set with room for cap runs; NULL when out of memory. */
struct ksr_values *ksr_values_alloc(unsigned int cap);
/* Appends v, greater than every value in the set (room must be there). */
void ksr_values_append(struct ksr_values *vals, int64_t v);
int ksr_values_intersect(const struct ksr_values *a, const struct ksr_values *b,
			 struct ksr_values **out);
/*
 * The value of the set closest to want at or below it, else the smallest
 * above it; false when the set is empty.
 */
bool ksr_values_closest(const struct ksr_values *vals, int64_t want, int64_t *got);
/* The greatest value; false when the set is empty. */
bool ksr_values_max(const struct ksr_values *vals, int64_t *max);
/*
 * Of a register's listed values (a firmware value list), its default and
 * extra[0..nr_extra-1], those ksr_predict() accepts in a VM at its defaults
 * (values above INT64_MAX left out: a set orders int64); 0 or -ENOMEM.
 */
int ksr_reg_candidates_accepted(const struct ksr_reg *reg, const uint64_t *extra,
				unsigned int nr_extra, struct ksr_values **out);
/* A firmware register whose rule is a list of values (not a bitmap). */
static inline bool ksr_reg_is_value_list(const struct ksr_reg *reg)
{
	return reg->kind == KSR_REG_KIND_FIRMWARE && !(reg->flags & KSR_REG_BITMAP);
}

#endif
