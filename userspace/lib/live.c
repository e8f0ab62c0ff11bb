// SPDX-License-Identifier: GPL-2.0
/*
 * The live source: a scratch VM and KVM_ARM_GET_REG_SAFE_RULES. With
 * entries.c (which maps the KVM_ARM_ID_RULE_* values onto the library's
 * own) the only part of the library that uses the series' UAPI, and the
 * only one that needs arm64. Its definitions come from
 * uapi/linux/kvm_reg_safe_rules.h, so a stock kernel's <linux/kvm.h> does.
 * From layout version 2 the firmware registers are asked for too
 * (KVM_ARM_REG_SAFE_RULES_FW, defined in entries.h until the UAPI header
 * has it).
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
#include "linux/kvm_safe_rules_dev.h"

#include "entries.h"
#include "internal.h"
#include "sysreg.h"
#include "sysreg-names.h"
#include "vm.h"

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

/*
 * The architecture's names of the ID registers and their fields (the rules
 * have none yet); the fields it does not name get their generic names.
 */
static int add_names(struct ksr_rules *rules)
{
	for (unsigned int i = 0; i < rules->nr_regs; i++) {
		struct ksr_reg *reg = &rules->regs[i];

		if (reg->kind != KSR_REG_KIND_ID) {
			if (ksr_reg_name_fields(reg))
				return -ENOMEM;
			continue;
		}
		if (ksr_set_name(&reg->name, ksr_encoding_known_name(reg->enc)))
			return -ENOMEM;
		for (unsigned int j = 0; reg->name && j < reg->nr_fields; j++) {
			struct ksr_field *f = &reg->fields[j];

			if (ksr_set_name(&f->name, field_name(reg->name, f->shift, f->width)))
				return -ENOMEM;
		}
		if (ksr_reg_name_fields(reg))
			return -ENOMEM;
	}
	return 0;
}

/* The rules of vm, read from fd of provider (ksr_rules_provider_open()). */
static int rules_from(struct ksr_vm *vm, int fd, const char *provider, struct ksr_rules **out,
		      char *err, size_t errlen)
{
	bool dup_is_name, module = !strcmp(provider, KSR_PROVIDER_MODULE);
	struct kvm_arm_id_reg_rule *e = NULL;
	struct ksr_rules *rules = NULL;
	unsigned int dup, dup_of;
	const char *why = NULL;
	struct utsname uts;
	uint32_t n = 0, flags = 0;
	int ret;

	/* Layout version 2: the firmware registers, when asked for. */
	if (module || ksr_vm_check_extension(vm, KVM_CAP_ARM_REG_SAFE_RULES) >= 2)
		flags = KVM_ARM_REG_SAFE_RULES_FW;
	ret = fetch_entries(fd, provider, flags, module, &e, &n, err, errlen);
	if (ret)
		return ret;
	ret = ksr_rules_from_entries(e, n, &rules, &why);
	free(e);
	if (ret == -EPROTO)
		return ksr_fail(err, errlen, ret, "KVM_ARM_GET_REG_SAFE_RULES (%s): %s", provider, why);
	if (ret)
		return ksr_fail(err, errlen, ret, "out of memory");
	if (uname(&uts))
		strcpy(uts.release, "");
	rules->provider = provider;
	/* KVM lists each register once: the index's duplicates are not looked at. */
	if (ksr_rules_set_meta(rules, uts.release, "ioctl", ksr_vm_features(vm)) || add_names(rules) ||
	    ksr_rules_index(rules, &dup, &dup_of, &dup_is_name)) {
		ksr_rules_free(rules);
		return ksr_fail(err, errlen, -ENOMEM, "out of memory");
	}
	*out = rules;
	return 0;
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

	if (!src->provider)
		return ksr_fail(err, errlen, -EOPNOTSUPP,
				"the source was opened without rules (KSR_LEARN_NONE)");
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
	if (opts.learn > KSR_LEARN_NONE)
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
	if (opts.learn == KSR_LEARN_NONE) {
		l->fd = l->dev_fd = -1;
		provider = NULL;
		goto out;
	}
	ret = ksr_rules_provider_open(l->vm, &l->fd, &l->dev_fd, &provider, err, errlen);
	if (ret == -EOPNOTSUPP && opts.learn == KSR_LEARN_ANY)
		goto probe;
	if (ret) {
		ksr_vm_close(l->vm);
		free(l);
		return ret;
	}
out:
	*src = ksr_source_new(&vm_ops, l);
	if (!*src) {
		live_free(l);
		return ksr_fail(err, errlen, -ENOMEM, "out of memory");
	}
	(*src)->provider = provider;
	(*src)->vm = l->vm;
	return 0;

probe:
	/* the probing source takes the VM over */
	ret = ksr_probe_open(src, l->vm, err, errlen);
	free(l);
	return ret;
}

/* ---- what needs only the VM: any live source (src->vm; NULL for a profile) */

int ksr_source_get_id(struct ksr_source *src, uint64_t id, uint64_t *value)
{
	if (!src->vm)
		return -EOPNOTSUPP;
	return ksr_vm_get_reg(src->vm, id, value);
}

/* KVM_ARM_FEATURE_ID_RANGE: op0 3, op1 0, 1 or 3, CRn 0, CRm 0..7, op2 0..7 */
static bool in_feature_id_range(struct ksr_encoding e)
{
	return e.op0 == 3 && (e.op1 == 0 || e.op1 == 1 || e.op1 == 3) && e.crn == 0 &&
	       e.crm <= 7 && e.op2 <= 7;
}

int ksr_source_writable_mask(struct ksr_source *src, struct ksr_encoding enc, uint64_t *mask)
{
	uint64_t masks[KVM_ARM_FEATURE_ID_RANGE_SIZE];
	int ret;

	if (!src->vm)
		return -EOPNOTSUPP;
	if (!in_feature_id_range(enc))
		return -EINVAL;
	ret = ksr_vm_writable_masks(src->vm, masks);
	if (!ret)
		*mask = masks[ksr_encoding_to_mask_idx(enc)];
	return ret;
}

int ksr_source_rules_provider(struct ksr_source *src, const char **provider, char *err,
			      size_t errlen)
{
	int fd, dev_fd, ret;

	if (!src->vm)
		return ksr_fail(err, errlen, -EOPNOTSUPP, "a %s source has no VM", ksr_source_kind(src));
	/* A source reading the provider already: the same answer, no second attach */
	if (src->provider && strcmp(src->provider, KSR_PROVIDER_PROBE)) {
		*provider = src->provider;
		return 0;
	}
	ret = ksr_rules_provider_open(src->vm, &fd, &dev_fd, provider, err, errlen);
	if (!ret && dev_fd >= 0)
		close(dev_fd);
	return ret;
}
