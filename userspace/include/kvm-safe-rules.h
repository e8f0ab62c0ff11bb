/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libkvm-safe-rules: the rules KVM/arm64 applies when userspace writes the
 * VM-wide ID registers and the firmware pseudo-registers
 * (KVM_ARM_GET_REG_SAFE_RULES), and what follows from them.
 *
 * Conventions:
 *  - Handles are opaque; a struct ksr_rules owns its registers and fields,
 *    which stay valid until ksr_rules_free().
 *  - Functions that can fail return 0 or a negative errno; those that take
 *    err/errlen also write a one-line message there (err may be NULL).
 *  - Option structs start with their size (set it to sizeof(the struct));
 *    a NULL pointer means the defaults. A larger struct from a newer caller
 *    is accepted when its unknown tail is zero, else -E2BIG.
 *  - No global state. Functions taking const handles only read them and may
 *    run concurrently on the same rules.
 *
 * The enums are the library's own; the live source maps the UAPI's
 * KVM_ARM_ID_RULE_* constants onto them, so this header needs no kernel
 * headers and the library builds on any architecture.
 */
#ifndef KVM_SAFE_RULES_H
#define KVM_SAFE_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define KSR_API __attribute__((visibility("default")))
#else
#define KSR_API
#endif

/*
 * The version of the library this header is of (0.x: a minor release may
 * add calls and members at the end of size-first structs, none is taken
 * away). ksr_version() says which library a program runs with.
 */
#define KSR_VERSION_MAJOR 0
#define KSR_VERSION_MINOR 1

/* "MAJOR.MINOR.PATCH": the version of the library running (ksr_version(3)). */
KSR_API const char *ksr_version(void);

/* The rule of a field: which values other than the default are safe. */
enum ksr_rule_type {
	KSR_RULE_EXACT = 0,		/* the default or the safe value */
	KSR_RULE_LOWER_SAFE = 1,	/* up to the default */
	KSR_RULE_HIGHER_SAFE = 2,	/* from the default up */
	KSR_RULE_HIGHER_OR_ZERO_SAFE = 3, /* 0, or from the default up */
	KSR_RULE_ANY = 4,		/* every value: one bit of a firmware bitmap */
	KSR_RULE_UNKNOWN = 255,		/* a type this library does not know */
};

/* Field flags (ksr_field_flags()). */
enum ksr_field_flag {
	KSR_FIELD_SIGNED = 1u << 0,	/* two's complement, compared as signed */
	KSR_FIELD_WRITABLE = 1u << 1,	/* the rule applies; else must equal the default */
	KSR_FIELD_RETYPED = 1u << 2,	/* the VM's rule differs from the host's (v1 series profiles) */
	KSR_FIELD_MIN = 1u << 3,	/* values below ksr_field_min() are refused */
	KSR_FIELD_MIN_OR_ZERO = 1u << 4, /* ... but 0 is accepted */
	KSR_FIELD_ALIAS = 1u << 5,	/* alias "from" is accepted and stored as "to" */
	KSR_FIELD_ALIAS_HOST = 1u << 6,	/* the same, "from" being the host's value */
	KSR_FIELD_PROBE = 1u << 7,	/* KVM cannot express the rule: probe the values */
	KSR_FIELD_LEARNED = 1u << 8,	/* accepted values learned by trial writes (ksr_field_accepted()) */
	KSR_FIELD_RULE_UNSURE = 1u << 9, /* ... and they fit several rules: the one shown is a guess */
};

/* Register flags (ksr_reg_flags()). */
enum ksr_reg_flag {
	KSR_REG_RAZ = 1u << 0,		/* reads as zero: only 0 is accepted */
	KSR_REG_WRITES_IGNORED = 1u << 1, /* every write succeeds, changes nothing */
	KSR_REG_IMMUTABLE = 1u << 2,	/* the VM has run: only its current value */
	KSR_REG_PROBE = 1u << 3,	/* KVM cannot express the rule: probe the values */
	KSR_REG_BITMAP = 1u << 4,	/* firmware: any value with no bit outside the writable mask */
	KSR_REG_FOLLOWS_ID_REGS = 1u << 5, /* firmware: the rule follows the VM's ID register values */
};

/*
 * What a register is (ksr_reg_kind()). A firmware pseudo-register
 * (KVM_REG_ARM_FW*: PSCI_VERSION, the SMCCC workarounds, the hypercall
 * service bitmaps) has an id but no encoding; its rule is either a bitmap
 * (KSR_REG_BITMAP: one KSR_RULE_ANY field per bit KVM offers) or a list of
 * accepted values (ksr_reg_nr_values(), no fields).
 */
enum ksr_reg_kind {
	KSR_REG_KIND_ID = 0,		/* a feature ID register: has an encoding */
	KSR_REG_KIND_FIRMWARE = 1,	/* a firmware pseudo-register (KVM_REG_ARM_FW*): no encoding */
};

/* Optional vCPU features of a VM (KVM_ARM_VCPU_INIT feature bits). */
enum ksr_vcpu_feature {
	KSR_FEAT_PMU = 1u << 0,		/* KVM_ARM_VCPU_PMU_V3 */
	KSR_FEAT_SVE = 1u << 1,		/* KVM_ARM_VCPU_SVE */
	KSR_FEAT_PAUTH = 1u << 2,	/* KVM_ARM_VCPU_PTRAUTH_{ADDRESS,GENERIC} */
	KSR_FEAT_PSCI_0_2 = 1u << 3,	/* KVM_ARM_VCPU_PSCI_0_2 */
};

/* Why the predictor refuses a value (names: ksr_reason_name()). */
enum ksr_reason {
	KSR_ABOVE_LIMIT = 1,	/* LOWER_SAFE: above the VM's default */
	KSR_BELOW_LIMIT,	/* HIGHER_SAFE, HIGHER_OR_ZERO_SAFE: below the default */
	KSR_ZERO_LIMIT,		/* HIGHER_OR_ZERO_SAFE with default 0: only 0 */
	KSR_NOT_SAFE_VAL,	/* EXACT: neither the default nor the safe value */
	KSR_BELOW_MIN,		/* below KVM's minimum */
	KSR_NOT_WRITABLE,	/* not writable: must equal the default */
	KSR_RAZ,		/* the register reads as zero: only 0 */
	KSR_UNFIELDED,		/* bits in no field differ from the default */
	KSR_IMMUTABLE,		/* the VM has run: must equal the current value */
	KSR_UNKNOWN_RULE,	/* a rule type this library does not know */
	KSR_PROBE,		/* KVM marked the rule as one to learn by writing values */
	KSR_PROBED_REFUSED,	/* a learned field: KVM refused this value when probed */
	KSR_NOT_OFFERED,	/* firmware bitmap: a bit KVM does not offer */
	KSR_NOT_LISTED,		/* firmware value list: a value KVM does not accept */
};

struct ksr_encoding {
	uint8_t op0, op1, crn, crm, op2;
};

struct ksr_rules;	/* the rules of one VM: registers, in encoding order */
struct ksr_reg;		/* one register of a struct ksr_rules */
struct ksr_field;	/* one field of a register */
struct ksr_source;	/* where rules come from: a live VM or a profile */

#define KSR_MAX_FAULTS 64

struct ksr_fault {
	const struct ksr_field *field;	/* NULL for a register-level fault */
	enum ksr_reason reason;
	uint64_t bits;			/* the bits at fault */
};

/* What KVM_SET_ONE_REG will do with a value (filled by ksr_predict()). */
struct ksr_verdict {
	bool accept;
	int error;		/* what KVM_SET_ONE_REG returns: 0, -EINVAL, -EBUSY */
	uint64_t stored;	/* on accept: what KVM_GET_ONE_REG then reads */
	unsigned int nr_faults;
	struct ksr_fault faults[KSR_MAX_FAULTS];
};

/* ---- rule sources -------------------------------------------------------- */

/* How a live source learns the rules (struct ksr_vm_opts.learn). */
enum ksr_learn {
	KSR_LEARN_RULES = 0,	/* KVM_ARM_GET_REG_SAFE_RULES: the kernel's, else the module's */
	KSR_LEARN_PROBE = 1,	/* trial KVM_SET_ONE_REG writes in the scratch VM */
	KSR_LEARN_ANY = 2,	/* the rules when the kernel or the module has them, else probing */
	KSR_LEARN_NONE = 3,	/* no rules: the VM only (its values, its writable masks) */
};

/*
 * Who answers KVM_ARM_GET_REG_SAFE_RULES (ksr_source_provider(),
 * ksr_rules_provider(), ksr_source_rules_provider()): the VM ioctl of a
 * kernel with the series, or the device of the kvm_safe_rules module;
 * "probe" is no ioctl: rules learned by trial writes. A profile records it
 * in its optional "provider". The library returns these very strings.
 */
#define KSR_PROVIDER_KERNEL "kernel"
#define KSR_PROVIDER_MODULE "module"
#define KSR_PROVIDER_PROBE "probe"

/**
 * struct ksr_vm_opts - how to make the scratch VM of a live source
 * @size: sizeof(struct ksr_vm_opts)
 * @features: the optional vCPU features, KSR_FEAT_* bits
 * @learn: where the rules come from, enum ksr_learn
 */
struct ksr_vm_opts {
	size_t size;
	unsigned int features;
	unsigned int learn;
};

/**
 * struct ksr_probe_stats - what probing did (ksr_source_probe_stats())
 * @size: sizeof(struct ksr_probe_stats), set by the caller
 * @fields_learned: fields whose every value was tried
 * @fields_unsure: ... of which the values fit several rules
 * @fields_not_learned: writable fields too wide to try every value of
 * @writes: KVM_SET_ONE_REG calls (trials and restores)
 * @reads: KVM_GET_ONE_REG calls
 * @accepted: trial writes KVM accepted
 * @nanoseconds: the time probing took (CLOCK_MONOTONIC)
 */
struct ksr_probe_stats {
	size_t size;
	unsigned int fields_learned;
	unsigned int fields_unsure;
	unsigned int fields_not_learned;
	uint64_t writes;
	uint64_t reads;
	uint64_t accepted;
	uint64_t nanoseconds;
};

/**
 * ksr_source_open_vm() - a live source: a scratch KVM/arm64 VM and its ioctl
 * @src: set to the new source on success
 * @opts: the VM's features, or NULL for none
 * @err: message buffer (may be NULL)
 * @errlen: its size
 *
 * Creates a VM with one vCPU (preferred target, the features asked for),
 * never run: its ID registers hold KVM's defaults, the values writes are
 * checked against. The rules come from the VM's KVM_ARM_GET_REG_SAFE_RULES
 * when the kernel has KVM_CAP_ARM_REG_SAFE_RULES, else from the device of
 * the kvm_safe_rules module (/dev/kvm-safe-rules), attached to the VM and
 * kept open with it; ksr_source_provider() says which.
 *
 * With @opts->learn KSR_LEARN_PROBE (or KSR_LEARN_ANY on a kernel with
 * neither), the rules are learned instead by trial writes into the VM, here,
 * before it returns: every value of each writable field of at most 4 bits,
 * the other fields at their defaults, each accepted value read back, the
 * default written back after it (Documentation/probing.rst). Such fields
 * carry KSR_FIELD_LEARNED and the values KVM accepted; wider writable fields
 * carry KSR_FIELD_PROBE (only their default is known); the provider is
 * "probe".
 *
 * With @opts->learn KSR_LEARN_NONE the source has the VM and no rules
 * (ksr_source_rules() gives -EOPNOTSUPP, ksr_source_provider() NULL), for
 * what needs only the VM: ksr_source_get_id(), ksr_source_writable_mask(),
 * ksr_source_rules_provider(); it opens whether or not a provider exists.
 *
 * Return: 0, -EOPNOTSUPP in a build without a live source (not arm64) or on
 * a kernel with neither KVM_CAP_ARM_REG_SAFE_RULES nor /dev/kvm-safe-rules
 * (with KSR_LEARN_RULES), or another negative errno (e.g. the module's
 * device failing to attach, -EINVAL for an unknown @opts->learn).
 */
KSR_API int ksr_source_open_vm(struct ksr_source **src, const struct ksr_vm_opts *opts,
			       char *err, size_t errlen);

/**
 * ksr_source_probe_stats() - what probing did in a live source
 * @src: the source
 * @stats: filled, up to @stats->size
 *
 * Return: 0, -ENOENT when the source did not probe.
 */
KSR_API int ksr_source_probe_stats(const struct ksr_source *src, struct ksr_probe_stats *stats);

/**
 * ksr_source_open_profile() - a source reading a profile file
 * @src: set to the new source on success
 * @path: a kvm-safe-rules/v2 or v1 profile (Documentation/profile-format.rst)
 * @err: message buffer naming the file, the JSON path and the problem
 * @errlen: its size
 *
 * The file is read and checked completely here.
 *
 * Return: 0, -ENOENT and the like when the file cannot be read, -EINVAL when
 * it is not a valid profile, -ENOMEM.
 */
KSR_API int ksr_source_open_profile(struct ksr_source **src, const char *path,
				    char *err, size_t errlen);

/**
 * ksr_source_kind() - what a source reads
 * @src: the source
 *
 * Return: "ioctl" for a live VM, "profile" for a profile file.
 */
KSR_API const char *ksr_source_kind(const struct ksr_source *src);

/**
 * ksr_source_provider() - who answers KVM_ARM_GET_REG_SAFE_RULES for a source
 * @src: the source
 *
 * Return: "kernel" when the VM ioctl of a kernel with the series answers,
 * "module" when the device of the kvm_safe_rules module does, "probe" when
 * the rules were learned by trial writes, NULL for a source without rules
 * (KSR_LEARN_NONE); for a profile, the provider the profile records, or
 * NULL when it does not say.
 */
KSR_API const char *ksr_source_provider(const struct ksr_source *src);

/**
 * ksr_source_rules() - the rules of a source
 * @src: the source
 * @rules: set to a new struct ksr_rules, to be freed with ksr_rules_free()
 * @err: message buffer (may be NULL)
 * @errlen: its size
 *
 * Return: 0 or a negative errno.
 */
KSR_API int ksr_source_rules(struct ksr_source *src, struct ksr_rules **rules,
			     char *err, size_t errlen);

/**
 * ksr_source_current() - a register's value in the source's VM now
 * @src: the source
 * @reg: a register of rules this source returned
 * @value: set to the value (KVM_GET_ONE_REG for a live VM; the profile's
 *         default for a profile)
 *
 * Return: 0 or a negative errno.
 */
KSR_API int ksr_source_current(struct ksr_source *src, const struct ksr_reg *reg, uint64_t *value);

/**
 * ksr_source_write() - really write a register of the source's VM
 * @src: a live source
 * @reg: a register of rules this source returned
 * @value: the value, written with KVM_SET_ONE_REG
 *
 * What the predictor predicts, done: KVM's own verdict, for tests and for
 * "try it on this host" tools. The write changes the source's scratch VM;
 * read the result back with ksr_source_current().
 *
 * Return: 0 when KVM accepted the value, KVM's negative errno when it did
 * not, -EOPNOTSUPP for a source without a VM (a profile).
 */
KSR_API int ksr_source_write(struct ksr_source *src, const struct ksr_reg *reg, uint64_t value);

/**
 * ksr_source_get_id() - a register's value in a live source's VM, by id
 * @src: a live source
 * @id: any KVM_SET_ONE_REG id (ksr_encoding_id() of an ID register)
 * @value: set to what KVM_GET_ONE_REG reads
 *
 * ksr_source_current() for a register the rules need not have.
 *
 * Return: 0, KVM's negative errno (-ENOENT for an id it does not have),
 * -EOPNOTSUPP for a source without a VM (a profile).
 */
KSR_API int ksr_source_get_id(struct ksr_source *src, uint64_t id, uint64_t *value);

/**
 * ksr_source_writable_mask() - what KVM lets userspace change in a register
 * @src: a live source
 * @enc: a register of the feature ID range (op0 3, op1 0, 1 or 3, CRn 0,
 *       CRm 0..7, op2 0..7: the ID registers and CTR_EL0)
 * @mask: set to its mask from KVM_ARM_GET_REG_WRITABLE_MASKS
 *
 * Return: 0, -EINVAL for an encoding outside the range, KVM's negative
 * errno, -EOPNOTSUPP for a source without a VM (a profile).
 */
KSR_API int ksr_source_writable_mask(struct ksr_source *src, struct ksr_encoding enc,
				     uint64_t *mask);

/**
 * ksr_source_rules_provider() - who would answer KVM_ARM_GET_REG_SAFE_RULES
 * for a live source's VM
 * @src: a live source (whatever its ksr_vm_opts.learn)
 * @provider: set to KSR_PROVIDER_KERNEL or KSR_PROVIDER_MODULE
 * @err: message buffer: why there is none
 * @errlen: its size
 *
 * The kernel's ioctl when it has KVM_CAP_ARM_REG_SAFE_RULES, else the
 * kvm_safe_rules module's device (opened, attached to the VM and closed
 * again here, unless the source already reads it).
 *
 * Return: 0, -EOPNOTSUPP when there is neither (or a source without a VM),
 * another negative errno when the module's device fails to open or attach.
 */
KSR_API int ksr_source_rules_provider(struct ksr_source *src, const char **provider, char *err,
				      size_t errlen);

/**
 * ksr_source_close() - close a source and free it
 * @src: the source, or NULL
 */
KSR_API void ksr_source_close(struct ksr_source *src);

/* ---- profiles ------------------------------------------------------------ */

/**
 * ksr_profile_load() - read a profile file
 * @path: the file
 * @rules: set to the rules on success
 * @err: message buffer: "FILE: JSON-PATH: PROBLEM", e.g.
 *       "max.json: registers[3].fields[1].width: must be 1..16, not 65"
 * @errlen: its size
 *
 * Strict: text that is not strict RFC 8259 JSON (with a key twice in an
 * object, an integer beyond 64 bits), an unknown schema, a missing or
 * mistyped key, a field beyond bit 63 or wider than 16 bits, a safe_val
 * beyond the field, overlapping fields, a duplicate register, a register or
 * field name that is not 1 to 63 of [A-Za-z0-9_] or that reads as another
 * encoding, a bad hex string or an unknown rule or feature name is an
 * error. Keys it does not know are ignored (the format may grow).
 *
 * Return: 0, -EINVAL for an invalid profile, or the errno of reading it.
 */
KSR_API int ksr_profile_load(const char *path, struct ksr_rules **rules, char *err, size_t errlen);

/**
 * ksr_profile_parse() - ksr_profile_load() from a string
 * @text: the JSON text
 * @len: its length in bytes
 * @name: what to call it in messages (e.g. a file name)
 * @rules: set to the rules on success
 * @err: message buffer
 * @errlen: its size
 *
 * Return: 0, -EINVAL or -ENOMEM.
 */
KSR_API int ksr_profile_parse(const char *text, size_t len, const char *name,
			      struct ksr_rules **rules, char *err, size_t errlen);

/**
 * ksr_profile_write() - write rules as a profile (what dump --json prints)
 * @rules: the rules
 * @out: the stream
 *
 * Return: 0 or -EIO.
 */
KSR_API int ksr_profile_write(const struct ksr_rules *rules, FILE *out);

/**
 * ksr_profile_save() - write rules as a profile file
 * @rules: the rules
 * @path: the file, symbolic links followed: a regular or new file is
 *        written to a temporary file in the same directory that is renamed
 *        over it only once complete (its mode kept); a FIFO or a device is
 *        written in place; a directory is refused, and so is a regular
 *        file of more than one hard link (-EMLINK: renaming over one name
 *        would leave the others with the old contents, and rewriting it in
 *        place would not be all or nothing) (ksr_profile_save(3))
 * @err: message buffer
 * @errlen: its size
 *
 * Return: 0 or a negative errno (-ENOSPC, -EISDIR, -EMLINK, ...); on error a
 * regular file is untouched.
 */
KSR_API int ksr_profile_save(const struct ksr_rules *rules, const char *path,
			     char *err, size_t errlen);

/* ---- the rules ----------------------------------------------------------- */

/**
 * ksr_rules_free() - free rules and everything they own
 * @rules: the rules, or NULL
 */
KSR_API void ksr_rules_free(struct ksr_rules *rules);

/* The kernel release the rules were read on (uname -r), or "". */
KSR_API const char *ksr_rules_kernel(const struct ksr_rules *rules);
/* Where they were read: "ioctl" (a profile keeps its source's name). */
KSR_API const char *ksr_rules_source(const struct ksr_rules *rules);
/* Who gave the rules: "kernel", "module", "probe" (ksr_source_provider()), or NULL. */
KSR_API const char *ksr_rules_provider(const struct ksr_rules *rules);
/* The VM's optional vCPU features, KSR_FEAT_* bits. */
KSR_API unsigned int ksr_rules_vcpu_features(const struct ksr_rules *rules);
/* The number of registers. */
KSR_API unsigned int ksr_rules_nr_regs(const struct ksr_rules *rules);

/**
 * ksr_rules_reg() - a register by index
 * @rules: the rules
 * @i: 0 .. ksr_rules_nr_regs() - 1
 *
 * Return: the register, or NULL when @i is out of range.
 */
KSR_API const struct ksr_reg *ksr_rules_reg(const struct ksr_rules *rules, unsigned int i);

/**
 * ksr_rules_find_reg() - a register by name, encoding or id
 * @rules: the rules
 * @text: a name ("ID_AA64PFR0_EL1", "KVM_REG_ARM_PSCI_VERSION"), an
 *        encoding "op0,op1,CRn,CRm,op2" or its "S3_0_C0_C1_7" form (for any
 *        register, named or not): decimal digits only, each number in range
 *        (op0 0..3, op1 0..7, CRn 0..15, CRm 0..15, op2 0..7; nothing
 *        wraps); or the register's KVM_SET_ONE_REG id as KVM_GET_REG_LIST
 *        prints it, "0x" and 16 hex digits ("0x6030000000140000")
 *
 * Return: the register, or NULL. A binary search: O(log n) for rules read
 * by the library.
 */
KSR_API const struct ksr_reg *ksr_rules_find_reg(const struct ksr_rules *rules, const char *text);

/* The register with this encoding, or NULL (never a firmware register). */
KSR_API const struct ksr_reg *ksr_rules_find_encoding(const struct ksr_rules *rules,
						      struct ksr_encoding enc);
/* The register with this KVM_SET_ONE_REG id (ID or firmware), or NULL. */
KSR_API const struct ksr_reg *ksr_rules_find_id(const struct ksr_rules *rules, uint64_t id);

/*
 * The register's name: the architecture's or the UAPI's
 * ("KVM_REG_ARM_PSCI_VERSION"); else S<op0>_<op1>_C<n>_C<m>_<op2> for an ID
 * register, "0x%016llx" (its id) for a firmware register.
 */
KSR_API const char *ksr_reg_name(const struct ksr_reg *reg);
/* KSR_REG_KIND_ID or KSR_REG_KIND_FIRMWARE. */
KSR_API enum ksr_reg_kind ksr_reg_kind(const struct ksr_reg *reg);
/*
 * The register's KVM_SET_ONE_REG id: a firmware register's, or an ID
 * register's sysreg id computed from its encoding (0x6030000000130000 |
 * op0 << 14 | op1 << 11 | CRn << 7 | CRm << 3 | op2), also for rules read
 * from profiles.
 */
KSR_API uint64_t ksr_reg_id(const struct ksr_reg *reg);
/* The encoding; a firmware register has none: every member 0xff (not valid). */
KSR_API struct ksr_encoding ksr_reg_encoding(const struct ksr_reg *reg);
/*
 * A firmware register that is not a bitmap: how many values KVM accepts
 * (0 for any other register).
 */
KSR_API unsigned int ksr_reg_nr_values(const struct ksr_reg *reg);
/*
 * The i-th accepted value, ascending, and what KVM_GET_ONE_REG reads once
 * it was written (reads_back may be NULL); -ERANGE when i is out of range.
 */
KSR_API int ksr_reg_value(const struct ksr_reg *reg, unsigned int i, uint64_t *value,
			  uint64_t *reads_back);
/* The VM's default: the value writes are checked against. */
KSR_API uint64_t ksr_reg_default(const struct ksr_reg *reg);
KSR_API uint64_t ksr_reg_writable_mask(const struct ksr_reg *reg);
/* Writable bits that belong to no field. */
KSR_API uint64_t ksr_reg_unfielded_mask(const struct ksr_reg *reg);
/* KSR_REG_* bits. */
KSR_API unsigned int ksr_reg_flags(const struct ksr_reg *reg);
KSR_API unsigned int ksr_reg_nr_fields(const struct ksr_reg *reg);
/* A field by index (in the kernel's order), or NULL when out of range. */
KSR_API const struct ksr_field *ksr_reg_field(const struct ksr_reg *reg, unsigned int i);
/* A field by name, or NULL. */
KSR_API const struct ksr_field *ksr_reg_find_field(const struct ksr_reg *reg, const char *name);

/* The field's name, or NULL when the architecture names none. */
KSR_API const char *ksr_field_name(const struct ksr_field *f);
KSR_API unsigned int ksr_field_shift(const struct ksr_field *f);
KSR_API unsigned int ksr_field_width(const struct ksr_field *f);
/* The rule in this VM, and in the host's cpufeature table. */
KSR_API enum ksr_rule_type ksr_field_rule(const struct ksr_field *f);
KSR_API enum ksr_rule_type ksr_field_host_rule(const struct ksr_field *f);
/* KSR_FIELD_* bits. */
KSR_API unsigned int ksr_field_flags(const struct ksr_field *f);
/* The other value an EXACT field accepts. */
KSR_API uint64_t ksr_field_safe_val(const struct ksr_field *f);
/* The minimum, meaningful with KSR_FIELD_MIN. */
KSR_API uint64_t ksr_field_min(const struct ksr_field *f);
/* The alias, meaningful with KSR_FIELD_ALIAS or KSR_FIELD_ALIAS_HOST. */
KSR_API void ksr_field_alias(const struct ksr_field *f, uint64_t *from, uint64_t *to);
/*
 * With KSR_FIELD_LEARNED: bit v set for each raw value v (0..15) KVM
 * accepted in a trial write; 0 otherwise.
 */
KSR_API uint16_t ksr_field_accepted(const struct ksr_field *f);

/**
 * ksr_field_mask() - the field's bits in its register
 * @f: the field
 *
 * Return: the mask, e.g. 0xf0 for a 4-bit field at bit 4.
 */
KSR_API uint64_t ksr_field_mask(const struct ksr_field *f);

/**
 * ksr_field_get() - the field's value in a register value
 * @f: the field
 * @reg_value: the register's value
 *
 * Return: the value, sign-extended when the field is signed.
 */
KSR_API int64_t ksr_field_get(const struct ksr_field *f, uint64_t reg_value);

/* "EXACT", "LOWER_SAFE", ...; NULL for KSR_RULE_UNKNOWN or another value. */
KSR_API const char *ksr_rule_type_name(enum ksr_rule_type type);
/* The type called name; KSR_RULE_UNKNOWN when none is. */
KSR_API enum ksr_rule_type ksr_rule_type_from_name(const char *name);
/* "pmu", "sve", "pauth", "psci-0.2" <-> KSR_FEAT_*; NULL / 0 when unknown. */
KSR_API const char *ksr_feature_name(unsigned int feature);
KSR_API unsigned int ksr_feature_from_name(const char *name);

/* ---- registers by encoding and id, without rules ------------------------- */

/*
 * A register's name from its encoding: the architecture's
 * (arch/arm64/tools/sysreg; known only to a build with the live source,
 * arm64), else S<op0>_<op1>_C<n>_C<m>_<op2> written into buf. Returns the
 * name or buf.
 */
KSR_API const char *ksr_encoding_name(struct ksr_encoding enc, char *buf, size_t len);
/*
 * The KVM_SET_ONE_REG id of an ID register (0x6030000000130000 | op0 << 14 |
 * op1 << 11 | CRn << 7 | CRm << 3 | op2); 0 for an encoding out of range.
 */
KSR_API uint64_t ksr_encoding_id(struct ksr_encoding enc);
/*
 * Any register's name from its id: an ID register's as ksr_encoding_name(),
 * a firmware register's UAPI name ("KVM_REG_ARM_PSCI_VERSION"), else the id
 * as "0x%016" PRIx64 in buf. Returns the name or buf.
 */
KSR_API const char *ksr_id_name(uint64_t id, char *buf, size_t len);
/* KSR_REG_KIND_ID or KSR_REG_KIND_FIRMWARE for an id of that kind; -EINVAL for another id. */
KSR_API int ksr_id_kind(uint64_t id);
/*
 * The UAPI's name of a bit of a firmware bitmap register (KVM_REG_ARM_*_BIT_*
 * without the prefix: "TRNG_V1_0", "PTP"), whether or not the VM offers it;
 * NULL for a bit the UAPI does not name or another register.
 */
KSR_API const char *ksr_reg_bit_name(const struct ksr_reg *reg, unsigned int bit);
/* The same by the register's id (a finding's reg_id). */
KSR_API const char *ksr_id_bit_name(uint64_t id, unsigned int bit);
/*
 * The registers KVM checks writes of through its ID register rules: the
 * feature ID range (op0 3, op1 0, CRn 0, CRm 1..7, op2 0..7) and CTR_EL0,
 * in encoding order. Fills at most max of encs (NULL when max is 0);
 * returns how many there are.
 */
KSR_API unsigned int ksr_id_range_regs(struct ksr_encoding *encs, unsigned int max);
/*
 * A register value as text: hex, "0x" or "0X" optional, 1 to 16 digits,
 * nothing else (no sign, no blank): what configurations and check --batch
 * read. 0, or -EINVAL with *value untouched.
 */
KSR_API int ksr_parse_hex64(const char *text, uint64_t *value);

/* ---- the predictor ------------------------------------------------------- */

/**
 * ksr_predict() - what KVM_SET_ONE_REG will do with a value
 * @reg: the register
 * @value: the value written
 * @current: the register's value in the VM now (ksr_source_current());
 *           it matters only for write-ignored registers and once the VM has run
 * @verdict: filled with the outcome: accept or the error, the value then
 *           read back, and every faulting field with its reason
 *
 * Follows the order of checks KVM documents: aliases, minimums,
 * immutability, RAZ, writable fields by their rule, every other bit.
 *
 * A firmware register is checked by its rule first, then for immutability:
 * a bitmap refuses any bit outside the writable mask (KSR_NOT_OFFERED,
 * -EINVAL) and stores the value as written; a value list refuses a value
 * not in it (KSR_NOT_LISTED, -EINVAL) and stores the value's reads_back;
 * either, with KSR_REG_IMMUTABLE, refuses a value the rule accepts but that
 * differs from @current (KSR_IMMUTABLE, -EBUSY). With KSR_REG_PROBE only
 * the default is accepted.
 */
KSR_API void ksr_predict(const struct ksr_reg *reg, uint64_t value, uint64_t current,
			 struct ksr_verdict *verdict);

/* "above-default", "below-minimum", ...; "unknown" for anything else. */
KSR_API const char *ksr_reason_name(enum ksr_reason reason);

/* ---- configurations ------------------------------------------------------ */

/*
 * A configuration: register values keyed by KVM_SET_ONE_REG id, what a VMM
 * writes (the input of ksr_check() and ksr_migrate_check(), the output of
 * ksr_clamp() and ksr_baseline()). Read and written as lines "REG VALUE"
 * or as JSON (Documentation/config-format.rst). The ID registers come first,
 * in encoding order (their ids sort so), then the firmware registers in id
 * order: ksr_config_entry() reads the ID registers by encoding and answers
 * -ENOENT for a firmware register; ksr_config_entry_id() reads every entry.
 */
struct ksr_config;

/* ksr_config_write() and ksr_config_save() flags. */
enum ksr_config_flag {
	KSR_CONFIG_JSON = 1u << 0,		/* JSON, not lines */
	KSR_CONFIG_BY_ENCODING = 1u << 1,	/* lines: REG as op0,op1,CRn,CRm,op2 */
	KSR_CONFIG_EVERY_FIELD = 1u << 2,	/* Firecracker, QEMU: every bit or field, not only changes */
};

/*
 * The formats of a configuration (Documentation/config-format.rst): ours
 * (lines, JSON), Firecracker's aarch64 custom CPU templates and QEMU's
 * SYSREG_<REG>_<FIELD>=<value> properties (a -cpu option string or one
 * per line). AUTO: detected when reading, lines (or KSR_CONFIG_JSON)
 * when writing.
 */
enum ksr_config_format {
	KSR_CONFIG_FORMAT_AUTO,
	KSR_CONFIG_FORMAT_LINES,
	KSR_CONFIG_FORMAT_JSON,
	KSR_CONFIG_FORMAT_FIRECRACKER,
	KSR_CONFIG_FORMAT_QEMU,		/* "host,SYSREG_..=..,..." */
	KSR_CONFIG_FORMAT_QEMU_LINES,	/* one property per line */
};

/* A new empty configuration; -ENOMEM. */
KSR_API int ksr_config_new(struct ksr_config **cfg);
/* Frees a configuration (NULL is fine). */
KSR_API void ksr_config_free(struct ksr_config *cfg);
/*
 * Sets a register's value, adding the register or replacing its value;
 * -EINVAL for an encoding out of range, -ENOMEM.
 */
KSR_API int ksr_config_set(struct ksr_config *cfg, struct ksr_encoding enc, uint64_t value);
/*
 * Sets a register's value by KVM_SET_ONE_REG id (an ID register's sysreg id
 * or a firmware register's); -EINVAL for an id that is neither, -ENOMEM.
 */
KSR_API int ksr_config_set_id(struct ksr_config *cfg, uint64_t id, uint64_t value);
/* The number of registers, firmware ones included. */
KSR_API unsigned int ksr_config_nr(const struct ksr_config *cfg);
/*
 * The i-th register (ID registers in encoding order, then firmware
 * registers); -ERANGE when i is out of range, -ENOENT (value still set,
 * enc untouched) when it is a firmware register, which has no encoding.
 */
KSR_API int ksr_config_entry(const struct ksr_config *cfg, unsigned int i, struct ksr_encoding *enc, uint64_t *value);
/* The i-th register by id, whatever its kind; -ERANGE when i is out of range. */
KSR_API int ksr_config_entry_id(const struct ksr_config *cfg, unsigned int i, uint64_t *id, uint64_t *value);
/* A register's value; -ENOENT when the configuration has none. */
KSR_API int ksr_config_find(const struct ksr_config *cfg, struct ksr_encoding enc, uint64_t *value);
/* The same by id. */
KSR_API int ksr_config_find_id(const struct ksr_config *cfg, uint64_t id, uint64_t *value);
/* Every register of rules at its default; -ENOMEM. */
KSR_API int ksr_config_from_defaults(const struct ksr_rules *rules, struct ksr_config **cfg);

/**
 * ksr_config_parse() - read a configuration from text
 * @text: JSON (when its first non-blank character is '{') or lines
 * @len: its length
 * @name: what to call it in messages (a file name)
 * @rules: resolve register names through these (NULL: only encodings and
 *         S<op0>_<op1>_C<n>_C<m>_<op2> names are understood)
 * @cfg: set to the new configuration
 * @err: "NAME:LINE: PROBLEM" for lines, "NAME: JSON-PATH: PROBLEM" for JSON
 * @errlen: its size
 *
 * Lines: "REG VALUE" or "REG=VALUE"; REG a name, op0,op1,CRn,CRm,op2 or
 * the register id as KVM_GET_REG_LIST prints it ("0x" and 16 hex digits;
 * firmware registers by their UAPI name or id, with or without rules);
 * VALUE hex (0x optional, 1 to 16 digits); blank lines and # comments are
 * skipped; lines may be of any length. An unknown name, an encoding out of
 * range, a bad value, a register given twice are errors. JSON is strict
 * RFC 8259 (a key twice in an object, an integer beyond 64 bits refused).
 *
 * Return: 0, -EINVAL or -ENOMEM.
 */
KSR_API int ksr_config_parse(const char *text, size_t len, const char *name, const struct ksr_rules *rules, struct ksr_config **cfg, char *err, size_t errlen);
/* ksr_config_parse() of a file; also the errno of reading it. */
KSR_API int ksr_config_load(const char *path, const struct ksr_rules *rules, struct ksr_config **cfg, char *err, size_t errlen);
/*
 * Writes a configuration: by default lines "REG 0x%016x" as check --batch
 * reads them (names from rules, or S<op0>_..._<op2> without), or with
 * KSR_CONFIG_JSON the JSON format; 0 or -EIO.
 */
KSR_API int ksr_config_write(const struct ksr_config *cfg, const struct ksr_rules *rules, FILE *out, unsigned int flags);
/* ksr_config_write() into a file as ksr_profile_save() writes one (a regular file all or nothing). */
KSR_API int ksr_config_save(const struct ksr_config *cfg, const struct ksr_rules *rules, const char *path, unsigned int flags, char *err, size_t errlen);

/* "lines", "json", "firecracker", "qemu", "qemu-lines", "auto"; NULL for anything else. */
KSR_API const char *ksr_config_format_name(enum ksr_config_format format);
/* The format of a name of ksr_config_format_name(); -EINVAL for an unknown name. */
KSR_API int ksr_config_format_from_name(const char *name, enum ksr_config_format *format);
/*
 * The format text is in: JSON with "reg_modifiers", "vcpu_features" or
 * "kvm_capabilities" and no "schema" is Firecracker's, other JSON ours;
 * text with "SYSREG_" on a line outside a # comment QEMU's (a -cpu string,
 * KSR_CONFIG_FORMAT_QEMU, when a line has a comma outside a comment, else
 * one property per line, KSR_CONFIG_FORMAT_QEMU_LINES); anything else
 * lines. Never AUTO.
 */
KSR_API enum ksr_config_format ksr_config_detect_format(const char *text, size_t len);
/*
 * ksr_config_parse() in a given format (AUTO: ksr_config_detect_format();
 * ksr_config_parse() itself reads only JSON or lines, as it always has).
 * Firecracker and QEMU need rules: the configuration is every register of
 * rules at its default with the template's bits or the properties' fields
 * set over it. Errors name the place: "NAME: reg_modifiers[2].bitmap: ...",
 * "NAME: SYSREG_ID_AA64PFR0_EL1_FOO: no such field ...". 0, -EINVAL, -ENOMEM.
 */
KSR_API int ksr_config_parse_format(const char *text, size_t len, const char *name, const struct ksr_rules *rules, enum ksr_config_format format, struct ksr_config **cfg, char *err, size_t errlen);
/* ksr_config_parse_format() of a file; also the errno of reading it. */
KSR_API int ksr_config_load_format(const char *path, const struct ksr_rules *rules, enum ksr_config_format format, struct ksr_config **cfg, char *err, size_t errlen);
/*
 * Writes a configuration in a format (AUTO: as ksr_config_write()).
 * Firecracker: a modifier for each register that differs from its default
 * in rules (only the bits that differ, "x" elsewhere); QEMU: a property for
 * each named field that differs. KSR_CONFIG_EVERY_FIELD: every register or
 * field. What the format cannot say (QEMU: a firmware register, bits
 * outside the named fields, no rules) is -EINVAL with the register in err;
 * also -EIO, -ENOMEM.
 */
KSR_API int ksr_config_write_format(const struct ksr_config *cfg, const struct ksr_rules *rules, enum ksr_config_format format, FILE *out, unsigned int flags, char *err, size_t errlen);
/* ksr_config_write_format() into a file as ksr_config_save() writes one. */
KSR_API int ksr_config_save_format(const struct ksr_config *cfg, const struct ksr_rules *rules, const char *path, enum ksr_config_format format, unsigned int flags, char *err, size_t errlen);
/*
 * The format cfg was read in (detected when read with
 * KSR_CONFIG_FORMAT_AUTO, kept by ksr_clamp()'s copy); LINES for one made
 * with ksr_config_new() or ksr_config_from_defaults().
 */
KSR_API enum ksr_config_format ksr_config_read_format(const struct ksr_config *cfg);
/*
 * The i-th part of the input the reader kept without interpreting it:
 * *key "vcpu_features" or "kvm_capabilities" (Firecracker, *text its JSON),
 * "reg_modifiers" (Firecracker's modifiers of registers without rules, a
 * JSON array), "cpu" (QEMU's model name) or "properties" (QEMU properties
 * other than SYSREG_, comma separated); written back in the same format.
 * -ERANGE past the last.
 */
KSR_API int ksr_config_kept(const struct ksr_config *cfg, unsigned int i, const char **key, const char **text);

/* ---- accepted values ----------------------------------------------------- */

/*
 * A set of values of a field, in the field's order: signed fields as
 * signed numbers (-8..7 for 4 bits), unsigned ones as 0..2^width-1.
 */
struct ksr_values;

/* Fields up to this wide are enumerated; wider ones give -E2BIG. */
#define KSR_VALUES_MAX_WIDTH 16

/**
 * ksr_field_values() - every value of a field KVM accepts
 * @reg: the register
 * @f: one of its fields
 * @background: the register value the field is set in (usually its default)
 * @vals: set to the values v for which ksr_predict() accepts @background
 *        with the field set to v (the register's default as current value)
 *
 * Return: 0, -E2BIG for a field wider than KSR_VALUES_MAX_WIDTH (read its
 * rule instead), -ENOMEM.
 */
KSR_API int ksr_field_values(const struct ksr_reg *reg, const struct ksr_field *f, uint64_t background, struct ksr_values **vals);
/* The same for any bits: width bits at shift, compared signed or not. */
KSR_API int ksr_bits_values(const struct ksr_reg *reg, unsigned int shift, unsigned int width, bool is_signed, uint64_t background, struct ksr_values **vals);
/*
 * The values a firmware value list (KSR_REG_KIND_FIRMWARE, not a bitmap)
 * accepts in a VM at its defaults, those of its listed values ksr_predict()
 * accepts; -EINVAL for another register, -ENOMEM.
 */
KSR_API int ksr_reg_values_accepted(const struct ksr_reg *reg, struct ksr_values **vals);
KSR_API void ksr_values_free(struct ksr_values *vals);
/* How many values. */
KSR_API uint64_t ksr_values_count(const struct ksr_values *vals);
/* Maximal runs of consecutive values, in order. */
KSR_API unsigned int ksr_values_nr_ranges(const struct ksr_values *vals);
/* The i-th run lo..hi; -ERANGE when i is out of range. */
KSR_API int ksr_values_range(const struct ksr_values *vals, unsigned int i, int64_t *lo, int64_t *hi);
KSR_API bool ksr_values_contains(const struct ksr_values *vals, int64_t v);
/*
 * "0..1,3" or "-8..1" (runs "lo..hi", "none" when empty) into buf like
 * snprintf: returns the full length.
 */
KSR_API int ksr_values_format(const struct ksr_values *vals, char *buf, size_t len);

/* ---- operations and their reports --------------------------------------- */

/*
 * Each operation returns a report: whether the answer is yes (all accepted,
 * a baseline exists, the migration works, the profiles are the same), a
 * configuration (checked, clamped or the baseline) and findings, read one
 * at a time into a struct ksr_finding the caller sizes.
 */
struct ksr_report;

enum ksr_finding_kind {
	KSR_FINDING_REG = 1,	/* check, migrate-check: one register's verdict */
	KSR_FINDING_FIELD,	/* check: one field's verdict (or bits in no field) */
	KSR_FINDING_CHANGE,	/* clamp: a field that had to change */
	KSR_FINDING_CHOICE,	/* baseline: a field's value and what limited it */
	KSR_FINDING_BLOCKER,	/* baseline, migrate-check: what blocks */
	KSR_FINDING_DIFF,	/* diff: one difference */
	KSR_FINDING_COMPARE,	/* compare: a field (or bits) where the models differ or block */
};

/* struct ksr_finding.blocks (compare): which model does not run where. */
enum ksr_compare_blocks {
	KSR_COMPARE_BLOCKS_A_ON_B = 1u << 0,	/* A's model is refused by B */
	KSR_COMPARE_BLOCKS_B_ON_A = 1u << 1,	/* B's model is refused by A */
};

/*
 * One finding. Values of fields are raw bits (value >> shift, width bits);
 * is_signed says how to order them. Pointers stay valid until the report is
 * freed.
 */
struct ksr_finding {
	size_t size;		/* set by the caller: sizeof(struct ksr_finding) */
	enum ksr_finding_kind kind;
	const char *reg_name;	/* the register's name */
	struct ksr_encoding enc;
	bool is_field;		/* shift/width are a field (else bits in no field or the register) */
	const char *field_name;	/* NULL for bits in no field or a field without a name */
	unsigned int shift, width;
	uint64_t mask;		/* the bits concerned; 0: the whole register */
	bool is_signed;
	bool ok;		/* REG, FIELD: accepted */
	enum ksr_reason reason;	/* the predictor's reason, 0 when none applies */
	const char *why;	/* the reason in words ("above-default", "not-writable-and-defaults-differ", ...) */
	uint64_t value;		/* REG: the value; FIELD: the field's bits; CHANGE: requested;
				 * CHOICE: chosen; BLOCKER: the configuration's bits (migrate) */
	uint64_t result;	/* REG: what is stored; CHANGE: clamped; BLOCKER: the target's
				 * default bits (migrate) */
	const struct ksr_values *allowed;	/* FIELD, CHANGE, BLOCKER (migrate): the
						 * values accepted (NULL: not a field or too wide) */
	unsigned int nr_profiles;		/* CHOICE, BLOCKER (baseline): the profiles */
	const uint64_t *profile_values;		/* ... each one's default bits */
	const struct ksr_values *const *profile_allowed;	/* ... each one's accepted values */
	uint64_t missing;	/* BLOCKER: bit p: profile p (baseline) or the target (bit 0,
				 * migrate) lacks the register */
	uint64_t limited_by;	/* CHOICE: bit p: the value is profile p's own richest (p limited it) */
	const char *what;	/* DIFF: "register", "field", "default", "rule", ...;
				 * COMPARE: "rejected-by-a", "rejected-by-b" or NULL */
	const char *old_text, *new_text;	/* DIFF: in the first and second profile, or NULL */
	uint64_t reg_id;	/* the register's KVM_SET_ONE_REG id (ksr_reg_id()); 0: none */
	unsigned int blocks;	/* COMPARE: KSR_COMPARE_BLOCKS_* bits; 0: differs, blocks nothing */
};

KSR_API void ksr_report_free(struct ksr_report *rep);
/* Yes: every register accepted, a baseline exists, the migration works, no difference. */
KSR_API bool ksr_report_ok(const struct ksr_report *rep);
KSR_API unsigned int ksr_report_nr(const struct ksr_report *rep);
/*
 * Fills f (up to f->size bytes; the tail of a larger struct is zeroed) with
 * the i-th finding: 0, -ERANGE when i is out of range, -EINVAL when f->size
 * is too small to hold kind.
 */
KSR_API int ksr_report_get(const struct ksr_report *rep, unsigned int i, struct ksr_finding *f);
/* The configuration checked, clamped or found; NULL when there is none (no baseline, diff, compare). */
KSR_API const struct ksr_config *ksr_report_config(const struct ksr_report *rep);

/* The answer of ksr_compare(), in the words of QEMU's query-cpu-model-comparison. */
enum ksr_comparison {
	KSR_COMPARISON_NONE = 0,	/* the report is not a comparison */
	KSR_COMPARISON_IDENTICAL,	/* each model runs where the other runs */
	KSR_COMPARISON_SUPERSET,	/* B's model runs on A, A's not on B */
	KSR_COMPARISON_SUBSET,		/* A's model runs on B, B's not on A */
	KSR_COMPARISON_INCOMPATIBLE,	/* neither (or a configuration is refused) */
};

/* A comparison's report: its answer; KSR_COMPARISON_NONE for another operation's. */
KSR_API enum ksr_comparison ksr_report_comparison(const struct ksr_report *rep);
/* "identical", "superset", "subset", "incompatible"; NULL for NONE or another value. */
KSR_API const char *ksr_comparison_name(enum ksr_comparison comparison);

/**
 * ksr_check() - the verdict on a configuration, register by register and
 * field by field
 * @rules: the rules (a VM at its defaults)
 * @cfg: the values to write
 * @rep: set to the report: per register a REG finding then a FIELD finding
 *       for every field (each field set alone in the register's default),
 *       with the accepted values of every refused one, and one for bits in
 *       no field that are refused
 * @err: message buffer
 * @errlen: its size
 *
 * Return: 0 (ksr_report_ok(): all accepted), -ENOENT for a register the
 * rules lack, -ENOMEM.
 */
KSR_API int ksr_check(const struct ksr_rules *rules, const struct ksr_config *cfg, struct ksr_report **rep, char *err, size_t errlen);

/**
 * ksr_clamp() - the closest accepted configuration at or below a requested one
 * @rules: the rules
 * @cfg: the requested values
 * @rep: set to the report: the clamped configuration and a CHANGE finding
 *       per field that changed. Per field: the requested value if accepted,
 *       else the greatest accepted value below it in the field's order,
 *       else the smallest above; bits in no field take the default. The
 *       result is verified with ksr_predict().
 * @err: message buffer
 * @errlen: its size
 *
 * Return: 0, -ENOENT for a register the rules lack, -E2BIG for a field too
 * wide to enumerate, -ENOMEM, -EPROTO if the result is not accepted.
 */
KSR_API int ksr_clamp(const struct ksr_rules *rules, const struct ksr_config *cfg, struct ksr_report **rep, char *err, size_t errlen);

/**
 * ksr_baseline() - the richest configuration every profile accepts
 * @rules: the profiles' rules
 * @nr: how many (1..64)
 * @rep: set to the report: if ok, the configuration (per field the greatest
 *       value every profile accepts on its own defaults: CHOICE findings
 *       with each profile's default and which ones limited it; other bits
 *       as the defaults), verified with ksr_predict() on every profile;
 *       else no configuration and a BLOCKER finding for every field or
 *       bits without a common value and every register a profile lacks
 * @err: message buffer
 * @errlen: its size
 *
 * A firmware register: the bits every profile's bitmap offers; of a value
 * list, the greatest profile's default every profile accepts, else the
 * greatest value all accept, else a BLOCKER (ksr_check(3)).
 *
 * Fields are those of every profile (a field one profile has over bits
 * another has in no field counts, those bits being unfielded there); the
 * result does not depend on the order of the profiles, but for registers
 * every profile ignores writes of, which keep the first profile's default.
 * Profiles whose fields overlap without being the same bits and sign
 * ("bits 7:4" in one, "bits 5:4" in another) have no baseline: -EINVAL,
 * the message naming the register, both fields and both profiles (their
 * files when loaded with ksr_profile_load()), whatever their order.
 *
 * Return: 0, -EINVAL when the profiles' vCPU features differ, their fields
 * conflict or nr is 0, -E2BIG (more than 64 profiles or a field too wide),
 * -ENOMEM, -EPROTO.
 */
KSR_API int ksr_baseline(const struct ksr_rules *const *rules, unsigned int nr, struct ksr_report **rep, char *err, size_t errlen);

/**
 * ksr_migrate_check() - can a guest configured on one VM be restored on another
 * @from: the rules of the source VM
 * @to: the rules of the destination VM
 * @cfg: the guest's configuration on @from (registers it lacks keep
 *       @from's defaults), or NULL for @from's defaults
 * @rep: set to the report: the whole configuration, a REG finding per
 *       register checked on @to and a BLOCKER per refused field or bits
 *       (value: the guest's, result: @to's default, allowed: @to's values)
 *       and per register @to lacks
 * @err: message buffer
 * @errlen: its size
 *
 * Return: 0 (ksr_report_ok(): it can), -EINVAL when @cfg is not accepted
 * on @from or the vCPU features differ, -ENOENT for a register @from
 * lacks, -ENOMEM.
 */
KSR_API int ksr_migrate_check(const struct ksr_rules *from, const struct ksr_rules *to, const struct ksr_config *cfg, struct ksr_report **rep, char *err, size_t errlen);

/**
 * ksr_diff() - what differs between two sets of rules
 * @a: the first (old)
 * @b: the second (new)
 * @rep: set to the report: a DIFF finding per difference: registers and
 *       fields (matched by id, by bits) added or removed, vCPU
 *       features, register defaults, masks and flags, field names, signs,
 *       rules, safe values, writability, minimums, aliases and defaults
 * @err: message buffer
 * @errlen: its size
 *
 * Return: 0 (ksr_report_ok(): identical), -ENOMEM.
 */
KSR_API int ksr_diff(const struct ksr_rules *a, const struct ksr_rules *b, struct ksr_report **rep, char *err, size_t errlen);

/**
 * ksr_compare() - how two CPU models compare, as QEMU's
 * query-cpu-model-comparison answers
 * @a: the rules of A (a profile)
 * @b: the rules of B
 * @cfg: a configuration written over each one's defaults, or NULL
 * @rep: set to the report: ksr_report_comparison(), and a COMPARE finding
 *       per field (or bits in no field, or whole firmware register) where
 *       the two models differ or one blocks the other
 * @err: message buffer
 * @errlen: its size
 *
 * A's model is A's defaults, or @cfg written over them as ksr_predict()
 * says KVM stores it (as ksr_migrate_check() makes a guest); "A's model
 * runs on B" is ksr_migrate_check(A, B)'s answer: every register of the
 * model accepted by a VM of B at its defaults (one B lacks blocks).
 * IDENTICAL: both run on each other; SUPERSET: B's runs on A, A's not on
 * B; SUBSET: the reverse; INCOMPATIBLE: neither, or @cfg is refused by A
 * or B (the findings are then the refused fields, what "rejected-by-a" or
 * "rejected-by-b"). ksr_report_ok(): IDENTICAL; ksr_report_config(): NULL.
 * See ksr_compare(3).
 *
 * Return: 0, -EINVAL when the vCPU features differ, -ENOMEM.
 */
KSR_API int ksr_compare(const struct ksr_rules *a, const struct ksr_rules *b, const struct ksr_config *cfg,
			struct ksr_report **rep, char *err, size_t errlen);

/*
 * ksr_compare() of A's model with cfg_a and B's with cfg_b (each NULL: the
 * defaults): for configurations read over one set of rules' defaults
 * (Firecracker, QEMU), read once over each.
 */
KSR_API int ksr_compare_configs(const struct ksr_rules *a, const struct ksr_config *cfg_a,
				const struct ksr_rules *b, const struct ksr_config *cfg_b,
				struct ksr_report **rep, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
