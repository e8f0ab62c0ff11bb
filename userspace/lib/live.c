// SPDX-License-Identifier: GPL-2.0
/*
 * The live source: a scratch VM and KVM_ARM_GET_REG_SAFE_RULES. The only part of
 * the library that uses the series' UAPI (and arm64): the KVM_ARM_ID_RULE_*
 * values are mapped onto the library's own here. Its definitions come from
 * uapi/linux/kvm_reg_safe_rules.h, so a stock kernel's <linux/kvm.h> does.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <linux/kvm.h>
#include "linux/kvm_reg_safe_rules.h"
#include "linux/kvm_safe_rules_dev.h"

#include "internal.h"
#include "sysreg.h"
#include "sysreg-names.h"
#include "vm.h"

/*
 * Layout version 2 (firmware pseudo-registers), until the series' UAPI
 * header has it: the same values as the kernel's.
 */
#ifndef KVM_ARM_REG_SAFE_RULES_FW
/* struct kvm_arm_reg_safe_rules.flags: also report the firmware pseudo-registers */
#define KVM_ARM_REG_SAFE_RULES_FW		(1U << 0)
/* entry kinds */
#define KVM_ARM_ID_RULE_KIND_FW_REG		3
#define KVM_ARM_ID_RULE_KIND_FW_VALUE		4
/* FW_REG entry flags (besides KVM_ARM_ID_RULE_IMMUTABLE and KVM_ARM_ID_RULE_PROBE) */
#define KVM_ARM_ID_RULE_FW_BITMAP		(1U << 16)
#define KVM_ARM_ID_RULE_FW_FOLLOWS_ID_REGS	(1U << 17)
#endif

/*
 * The UAPI's rule types and flags, mapped onto the library's own. A type,
 * kind or flag this library does not know is never ignored: the field (or
 * register) is marked as one to probe, as api.rst asks.
 */
static uint8_t rule_type(uint8_t uapi)
{
	switch (uapi) {
	case KVM_ARM_ID_RULE_EXACT:
		return KSR_RULE_EXACT;
	case KVM_ARM_ID_RULE_LOWER_SAFE:
		return KSR_RULE_LOWER_SAFE;
	case KVM_ARM_ID_RULE_HIGHER_SAFE:
		return KSR_RULE_HIGHER_SAFE;
	case KVM_ARM_ID_RULE_HIGHER_OR_ZERO_SAFE:
		return KSR_RULE_HIGHER_OR_ZERO_SAFE;
	}
	return KSR_RULE_UNKNOWN;
}

struct flag_map {
	uint32_t uapi, ksr;
};

static const struct flag_map reg_flags[] = {
	{ KVM_ARM_ID_RULE_RAZ, KSR_REG_RAZ },
	{ KVM_ARM_ID_RULE_WRITE_IGNORED, KSR_REG_WRITES_IGNORED },
	{ KVM_ARM_ID_RULE_IMMUTABLE, KSR_REG_IMMUTABLE },
	{ KVM_ARM_ID_RULE_PROBE, KSR_REG_PROBE },
	{ 0, 0 }
};

/* A firmware register's: anything else (RAZ, WRITE_IGNORED, ...) is to probe. */
static const struct flag_map fw_reg_flags[] = {
	{ KVM_ARM_ID_RULE_IMMUTABLE, KSR_REG_IMMUTABLE },
	{ KVM_ARM_ID_RULE_PROBE, KSR_REG_PROBE },
	{ KVM_ARM_ID_RULE_FW_BITMAP, KSR_REG_BITMAP },
	{ KVM_ARM_ID_RULE_FW_FOLLOWS_ID_REGS, KSR_REG_FOLLOWS_ID_REGS },
	{ 0, 0 }
};

static const struct flag_map field_flags[] = {
	{ KVM_ARM_ID_RULE_SIGNED, KSR_FIELD_SIGNED },
	{ KVM_ARM_ID_RULE_WRITABLE, KSR_FIELD_WRITABLE },
	{ KVM_ARM_ID_RULE_MIN, KSR_FIELD_MIN },
	{ KVM_ARM_ID_RULE_MIN_OR_ZERO, KSR_FIELD_MIN_OR_ZERO },
	{ KVM_ARM_ID_RULE_ALIAS, KSR_FIELD_ALIAS },
	{ KVM_ARM_ID_RULE_ALIAS_HOST, KSR_FIELD_ALIAS_HOST },
	{ KVM_ARM_ID_RULE_PROBE, KSR_FIELD_PROBE },
	{ 0, 0 }
};

/* Maps known flags; any other bit becomes the source's "probe" flag. */
static uint32_t map_flags(const struct flag_map *map, uint32_t uapi, uint32_t probe)
{
	uint32_t out = 0, known = 0;

	for (; map->uapi; map++) {
		known |= map->uapi;
		if (uapi & map->uapi)
			out |= map->ksr;
	}
	return uapi & ~known ? out | probe : out;
}

static struct ksr_encoding id_to_encoding(uint64_t id)
{
	return (struct ksr_encoding){
		.op0 = (id & KVM_REG_ARM64_SYSREG_OP0_MASK) >> KVM_REG_ARM64_SYSREG_OP0_SHIFT,
		.op1 = (id & KVM_REG_ARM64_SYSREG_OP1_MASK) >> KVM_REG_ARM64_SYSREG_OP1_SHIFT,
		.crn = (id & KVM_REG_ARM64_SYSREG_CRN_MASK) >> KVM_REG_ARM64_SYSREG_CRN_SHIFT,
		.crm = (id & KVM_REG_ARM64_SYSREG_CRM_MASK) >> KVM_REG_ARM64_SYSREG_CRM_SHIFT,
		.op2 = (id & KVM_REG_ARM64_SYSREG_OP2_MASK) >> KVM_REG_ARM64_SYSREG_OP2_SHIFT,
	};
}

static const char *field_name(const char *reg, uint8_t shift, uint8_t width)
{
	const struct ksr_sysreg_name *r = ksr_sysreg_lookup(reg);

	for (unsigned int i = 0; r && i < r->nr_fields; i++)
		if (r->fields[i].shift == shift && r->fields[i].width == width)
			return r->fields[i].name;
	return NULL;
}

/* ---- the provider: the VM's ioctl, or the module's device ---------------- */

#define DEV_PATH "/dev/" KVM_SAFE_RULES_DEV_NAME

/*
 * Opens the provider of KVM_ARM_GET_REG_SAFE_RULES for a VM: the VM's file
 * when its kernel has the capability ("kernel"), else the module's device
 * attached to the VM ("module"). Sets *fd to the file to ask, *dev_fd to the
 * device (-1 for the kernel; the caller closes it) and *provider.
 */
int ksr_rules_provider_open(struct ksr_vm *vm, int *fd, int *dev_fd, const char **provider,
			    char *err, size_t errlen)
{
	int dev, ret;

	*dev_fd = -1;
	if (ksr_vm_check_extension(vm, KVM_CAP_ARM_REG_SAFE_RULES) > 0) {
		*fd = ksr_vm_fd(vm);
		*provider = KSR_PROVIDER_KERNEL;
		return 0;
	}
	dev = open(DEV_PATH, O_RDWR | O_CLOEXEC);
	if (dev < 0) {
		ret = -errno;
		/* ENXIO, ENODEV: a device node without the module behind it */
		if (ret == -ENOENT || ret == -ENXIO || ret == -ENODEV)
			return ksr_fail(err, errlen, -EOPNOTSUPP,
					"this kernel has no KVM_CAP_ARM_REG_SAFE_RULES and no " DEV_PATH
					" (load the kvm_safe_rules module: Documentation/module.rst)");
		return ksr_fail(err, errlen, ret, "this kernel has no KVM_CAP_ARM_REG_SAFE_RULES"
				" and " DEV_PATH " cannot be opened: %s", strerror(-ret));
	}
	if (ioctl(dev, KVM_SAFE_RULES_ATTACH_VM, ksr_vm_fd(vm)) < 0) {
		ret = -errno;
		close(dev);
		return ksr_fail(err, errlen, ret, DEV_PATH ": KVM_SAFE_RULES_ATTACH_VM: %s",
				strerror(-ret));
	}
	ret = ioctl(dev, KVM_CHECK_EXTENSION, KVM_CAP_ARM_REG_SAFE_RULES);
	if (ret <= 0) {
		const char *why = ret < 0 ? strerror(errno) : "0";

		close(dev);
		return ksr_fail(err, errlen, -EOPNOTSUPP,
				DEV_PATH ": KVM_CHECK_EXTENSION(KVM_CAP_ARM_REG_SAFE_RULES): %s", why);
	}
	*fd = *dev_fd = dev;
	*provider = KSR_PROVIDER_MODULE;
	return 0;
}

/* "this kernel" or the module's device, for messages */
static const char *provider_what(const char *provider)
{
	return !strcmp(provider, KSR_PROVIDER_MODULE) ? DEV_PATH : "this kernel";
}

/* ---- the entries --------------------------------------------------------- */

/* Calls the ioctl with room for n entries; returns the ioctl's result. */
static int get_entries(int fd, struct kvm_arm_reg_safe_rules *args,
		       struct kvm_arm_id_reg_rule *entries, uint32_t n, uint32_t flags)
{
	memset(args, 0, sizeof(*args));
	args->flags = flags;
	args->entry_size = sizeof(*entries);
	args->nr_entries = n;
	args->entries = (uint64_t)(uintptr_t)entries;
	return ioctl(fd, KVM_ARM_GET_REG_SAFE_RULES, args) < 0 ? -errno : 0;
}

/*
 * Fetches the entries from fd, the provider's file (the VM's or the module's
 * device, the same ioctl on both): asks for the count, then fetches;
 * retries if it changed in between. Returns 0 with *entries (to free) and
 * *n, or -errno. A provider that does not know the ioctl (or gives the
 * capability's number another meaning) answers the first call with ENOTTY
 * or EINVAL, or with a reply that is not this layout: both are "no such
 * API", never rules. flags asks for the firmware registers too; with
 * fw_retry, a provider refusing them (EINVAL: an older module) is asked
 * once more without.
 */
static int fetch_entries(int fd, const char *provider, uint32_t flags, bool fw_retry,
			 struct kvm_arm_id_reg_rule **entries, uint32_t *n, char *err, size_t errlen)
{
	struct kvm_arm_id_reg_rule *e = NULL;
	struct kvm_arm_reg_safe_rules args;
	int ret;

	ret = get_entries(fd, &args, NULL, 0, flags);
	if (ret == -EINVAL && flags && fw_retry) {
		flags = 0;
		ret = get_entries(fd, &args, NULL, 0, flags);
	}
	if (ret == -ENOTTY || ret == -EINVAL || (ret == -E2BIG && !args.nr_entries))
		return ksr_fail(err, errlen, -EOPNOTSUPP,
				"KVM_ARM_GET_REG_SAFE_RULES is not %s's (%s)", provider_what(provider),
				ret == -E2BIG ? "no entries" : strerror(-ret));
	for (int tries = 0; ret == -E2BIG && tries < 4; tries++) {
		struct kvm_arm_id_reg_rule *bigger;
		uint32_t want = args.nr_entries;

		bigger = realloc(e, (want ? want : 1) * sizeof(*e));
		if (!bigger) {
			free(e);
			return ksr_fail(err, errlen, -ENOMEM, "out of memory");
		}
		e = bigger;
		ret = get_entries(fd, &args, e, want, flags);
	}
	if (!ret && args.entry_size < KVM_ARM_ID_REG_RULE_SIZE_VER0)
		ret = -EPROTO;
	if (ret) {
		free(e);
		return ksr_fail(err, errlen, ret, "KVM_ARM_GET_REG_SAFE_RULES (%s): %s",
				provider, strerror(-ret));
	}
	*entries = e;
	*n = args.nr_entries;
	return 0;
}

static int fill_field(struct ksr_field *f, const char *reg_name,
		      const struct kvm_arm_id_reg_rule *e)
{
	f->shift = e->shift;
	f->width = e->width;
	f->type = rule_type(e->type);
	f->host_type = f->type;
	f->flags = map_flags(field_flags, e->flags, KSR_FIELD_PROBE);
	if (f->type == KSR_RULE_UNKNOWN)
		f->flags |= KSR_FIELD_PROBE;
	f->safe_val = e->safe_val;
	f->min_val = e->min_val;
	f->alias_from = e->alias_from;
	f->alias_to = e->alias_to;
	return ksr_set_name(&f->name, reg_name ? field_name(reg_name, e->shift, e->width) : NULL);
}

/*
 * The entries of one register: the register's entry, then nr_fields entries
 * of the kind its kind takes (FIELD after REG, FW_VALUE after FW_REG), of
 * the same register. An entry of a kind this library does not know stands
 * for its register, its nr_fields entries skipped whatever they are.
 */
static bool entries_ok(const struct kvm_arm_id_reg_rule *e, uint32_t left)
{
	uint32_t sub;

	if (e->nr_fields > left - 1)
		return false;
	switch (e->kind) {
	case KVM_ARM_ID_RULE_KIND_REG:
		sub = KVM_ARM_ID_RULE_KIND_FIELD;
		break;
	case KVM_ARM_ID_RULE_KIND_FW_REG:
		sub = KVM_ARM_ID_RULE_KIND_FW_VALUE;
		break;
	case KVM_ARM_ID_RULE_KIND_FIELD:
	case KVM_ARM_ID_RULE_KIND_FW_VALUE:
		return false;
	default:
		return true;
	}
	for (uint32_t j = 1; j <= e->nr_fields; j++)
		if (e[j].kind != sub || e[j].reg != e->reg)
			return false;
	return true;
}

static int fill_id_reg(struct ksr_reg *reg, const struct kvm_arm_id_reg_rule *e)
{
	struct ksr_encoding enc = id_to_encoding(e->reg);

	if (ksr_reg_init(reg, enc, ksr_encoding_known_name(enc), e->nr_fields))
		return -ENOMEM;
	reg->id = e->reg;
	reg->flags = map_flags(reg_flags, e->flags, KSR_REG_PROBE);
	reg->writable_mask = e->mask;
	reg->limit = e->limit;
	reg->unfielded_mask = e->unfielded_mask;
	for (uint32_t j = 0; j < e->nr_fields; j++)
		if (fill_field(&reg->fields[j], reg->name, &e[1 + j]))
			return -ENOMEM;
	return 0;
}

/*
 * A firmware register: a bitmap (its mask the bits KVM offers, one field
 * each) or its accepted values, ascending (-EPROTO when they are not).
 * Anything this library does not know about it makes it one to probe.
 */
static int fill_fw_reg(struct ksr_reg *reg, const struct kvm_arm_id_reg_rule *e)
{
	bool bitmap = e->flags & KVM_ARM_ID_RULE_FW_BITMAP;

	if (ksr_fw_reg_init(reg, e->reg, NULL, 0, bitmap ? 0 : e->nr_fields))
		return -ENOMEM;
	reg->flags = map_flags(fw_reg_flags, e->flags, KSR_REG_PROBE);
	reg->writable_mask = e->mask;
	reg->limit = e->limit;
	reg->unfielded_mask = e->unfielded_mask;
	if (bitmap) {
		if (e->nr_fields)
			reg->flags |= KSR_REG_PROBE;
		return ksr_fw_bitmap_fields(reg);
	}
	for (uint32_t j = 0; j < e->nr_fields; j++) {
		const struct kvm_arm_id_reg_rule *v = &e[1 + j];

		if (j && v->alias_from <= reg->values[j - 1].value)
			return -EPROTO;
		if (v->flags)
			reg->flags |= KSR_REG_PROBE;
		reg->values[j] = (struct ksr_fw_value){ v->alias_from, v->alias_to };
	}
	return 0;
}

/* An entry of a kind this library does not know: its register, to probe. */
static int fill_unknown(struct ksr_reg *reg, const struct kvm_arm_id_reg_rule *e)
{
	struct ksr_encoding enc = id_to_encoding(e->reg);
	int ret;

	if (ksr_id_is_sysreg(e->reg))
		ret = ksr_reg_init(reg, enc, ksr_encoding_known_name(enc), 0);
	else
		ret = ksr_fw_reg_init(reg, e->reg, NULL, 0, 0);
	reg->flags = KSR_REG_PROBE;
	reg->limit = e->limit;
	return ret;
}

/* The register of rules (of the first n) with this id, or NULL. */
static struct ksr_reg *reg_with_id(struct ksr_rules *rules, unsigned int n, uint64_t id)
{
	for (unsigned int i = 0; i < n; i++)
		if (rules->regs[i].id == id)
			return &rules->regs[i];
	return NULL;
}

/* The rules of vm, read from fd of provider (ksr_rules_provider_open()). */
static int rules_from(struct ksr_vm *vm, int fd, const char *provider, struct ksr_rules **out,
		      char *err, size_t errlen)
{
	struct kvm_arm_id_reg_rule *e = NULL;
	struct ksr_rules *rules = NULL;
	unsigned int dup, dup_of;
	bool dup_is_name, module = !strcmp(provider, KSR_PROVIDER_MODULE);
	unsigned int nr_regs = 0;
	struct utsname uts;
	uint32_t n = 0, flags = 0;
	int ret;

	/* Layout version 2: the firmware registers, when asked for. */
	if (module || ksr_vm_check_extension(vm, KVM_CAP_ARM_REG_SAFE_RULES) >= 2)
		flags = KVM_ARM_REG_SAFE_RULES_FW;
	ret = fetch_entries(fd, provider, flags, module, &e, &n, err, errlen);
	if (ret)
		return ret;
	for (uint32_t i = 0; i < n; i += 1 + e[i].nr_fields) {
		if (!entries_ok(&e[i], n - i))
			goto bad_entry;
		nr_regs++;
	}
	if (uname(&uts))
		strcpy(uts.release, "");
	rules = ksr_rules_alloc(nr_regs);
	if (!rules || ksr_rules_set_meta(rules, uts.release, "ioctl", ksr_vm_features(vm)))
		goto nomem;
	rules->provider = provider;

	nr_regs = 0;
	for (uint32_t i = 0; i < n; i += 1 + e[i].nr_fields) {
		struct ksr_reg *reg = &rules->regs[nr_regs], *known;

		if (e[i].kind == KVM_ARM_ID_RULE_KIND_REG) {
			ret = fill_id_reg(reg, &e[i]);
		} else if (e[i].kind == KVM_ARM_ID_RULE_KIND_FW_REG) {
			ret = fill_fw_reg(reg, &e[i]);
		} else if ((known = reg_with_id(rules, nr_regs, e[i].reg))) {
			known->flags |= KSR_REG_PROBE;	/* never ignored */
			continue;
		} else {
			ret = fill_unknown(reg, &e[i]);
		}
		nr_regs++;
		if (ret == -EPROTO) {
			unsigned long long id = e[i].reg;

			ksr_rules_free(rules);
			free(e);
			return ksr_fail(err, errlen, -EPROTO,
					"KVM_ARM_GET_REG_SAFE_RULES (%s): the values of firmware register 0x%016llx are not ascending",
					provider, id);
		}
		if (ret)
			goto nomem;
	}
	/* Fewer when an entry of an unknown kind was about a register already listed */
	rules->nr_regs = nr_regs;
	/* KVM lists each register once: the index's duplicates are not looked at. */
	if (ksr_rules_index(rules, &dup, &dup_of, &dup_is_name))
		goto nomem;
	free(e);
	*out = rules;
	return 0;

nomem:
	ksr_rules_free(rules);
	free(e);
	return ksr_fail(err, errlen, -ENOMEM, "out of memory");

bad_entry:
	free(e);
	return ksr_fail(err, errlen, -EPROTO,
			"KVM_ARM_GET_REG_SAFE_RULES (%s): entries are not registers each followed by their fields or values",
			provider);
}

int ksr_rules_from_vm(struct ksr_vm *vm, struct ksr_rules **out, char *err, size_t errlen)
{
	const char *provider;
	int fd, dev_fd, ret;

	ret = ksr_rules_provider_open(vm, &fd, &dev_fd, &provider, err, errlen);
	if (ret)
		return ret;
	ret = rules_from(vm, fd, provider, out, err, errlen);
	if (dev_fd >= 0)
		close(dev_fd);
	return ret;
}

/* ---- the source ---------------------------------------------------------- */

/* A live source: the VM, and the module's device attached to it (or -1). */
struct live {
	struct ksr_vm *vm;
	int fd;		/* the provider's file: the VM's or dev_fd */
	int dev_fd;
};

static int vm_rules(struct ksr_source *src, struct ksr_rules **rules, char *err, size_t errlen)
{
	struct live *l = src->priv;

	return rules_from(l->vm, l->fd, src->provider, rules, err, errlen);
}

static int vm_current(struct ksr_source *src, const struct ksr_reg *reg, uint64_t *value)
{
	return ksr_vm_get_reg(((struct live *)src->priv)->vm, reg->id, value);
}

static int vm_write(struct ksr_source *src, const struct ksr_reg *reg, uint64_t value)
{
	return ksr_vm_set_reg(((struct live *)src->priv)->vm, reg->id, value);
}

static void live_free(struct live *l)
{
	if (l->dev_fd >= 0)
		close(l->dev_fd);
	ksr_vm_close(l->vm);
	free(l);
}

static void vm_close(struct ksr_source *src)
{
	live_free(src->priv);
}

static const struct ksr_source_ops vm_ops = {
	.kind = "ioctl",
	.rules = vm_rules,
	.current = vm_current,
	.write = vm_write,
	.close = vm_close,
};

int ksr_source_open_vm(struct ksr_source **src, const struct ksr_vm_opts *user_opts,
		       char *err, size_t errlen)
{
	const char *provider;
	struct ksr_vm_opts opts;
	struct live *l;
	int ret;

	ret = ksr_copy_opts(&opts, sizeof(opts), user_opts);
	if (ret)
		return ksr_fail(err, errlen, ret, "struct ksr_vm_opts: %s",
				ret == -E2BIG ? "options this library does not know" : "bad size");
	if (opts.learn > KSR_LEARN_ANY)
		return ksr_fail(err, errlen, -EINVAL, "struct ksr_vm_opts: learn %u is none of enum ksr_learn",
				opts.learn);
	l = calloc(1, sizeof(*l));
	if (!l)
		return ksr_fail(err, errlen, -ENOMEM, "out of memory");
	ret = ksr_vm_open(&l->vm, opts.features, err, errlen);
	if (ret) {
		free(l);
		return ret;
	}
	if (opts.learn == KSR_LEARN_PROBE)
		goto probe;
	ret = ksr_rules_provider_open(l->vm, &l->fd, &l->dev_fd, &provider, err, errlen);
	if (ret == -EOPNOTSUPP && opts.learn == KSR_LEARN_ANY)
		goto probe;
	if (ret) {
		ksr_vm_close(l->vm);
		free(l);
		return ret;
	}
	*src = ksr_source_new(&vm_ops, l);
	if (!*src) {
		live_free(l);
		return ksr_fail(err, errlen, -ENOMEM, "out of memory");
	}
	(*src)->provider = provider;
	return 0;

probe:
	/* the probing source takes the VM over */
	ret = ksr_probe_open(src, l->vm, err, errlen);
	free(l);
	return ret;
}
