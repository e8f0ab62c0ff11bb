// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel internals the module needs and Linux 6.12 does not export.
 *
 * The module is built for one kernel build: it refuses to load on any other
 * (its release and version strings must be the ones of the headers it was
 * built with). On that kernel it finds each internal by name through
 * kallsyms, and checks what it found: the symbol at the address must be the
 * one asked for, starting there, and KVM's system register table must have
 * the size and the shape of the struct sys_reg_desc it was compiled with.
 * Anything unexpected is one line in the kernel log and a refused load;
 * nothing is guessed.
 */
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/kvm_host.h>
#include <linux/string.h>
#include <linux/utsname.h>
#include <generated/utsrelease.h>
#include <generated/utsversion.h>
#include <asm/spectre.h>

#include "id_reg_rules.h"
#include "ksyms.h"

struct ksr_kernel ksr_kernel;

static struct arm64_ftr_reg *(*get_arm64_ftr_reg_fn)(u32 sys_id);
static s64 (*arm64_ftr_safe_value_fn)(const struct arm64_ftr_bits *ftrp, s64 new, s64 cur);
static struct static_key *mismatched_32bit_el0_key;
static enum mitigation_state (*spectre_state_fn[3])(void);

/* Indexes of spectre_state_fn[], and the kernel functions they point to */
enum { KSR_SPECTRE_V2, KSR_SPECTRE_V4, KSR_SPECTRE_BHB };
static const char *const spectre_state_names[] = {
	[KSR_SPECTRE_V2] = "arm64_get_spectre_v2_state",
	[KSR_SPECTRE_V4] = "arm64_get_spectre_v4_state",
	[KSR_SPECTRE_BHB] = "arm64_get_spectre_bhb_state",
};

struct arm64_ftr_reg *ksr_get_arm64_ftr_reg(u32 sys_id)
{
	return get_arm64_ftr_reg_fn(sys_id);
}

s64 ksr_arm64_ftr_safe_value(const struct arm64_ftr_bits *ftrp, s64 new, s64 cur)
{
	return arm64_ftr_safe_value_fn(ftrp, new, cur);
}

enum mitigation_state ksr_arm64_get_spectre_v2_state(void)
{
	return spectre_state_fn[KSR_SPECTRE_V2]();
}

enum mitigation_state ksr_arm64_get_spectre_v4_state(void)
{
	return spectre_state_fn[KSR_SPECTRE_V4]();
}

enum mitigation_state ksr_arm64_get_spectre_bhb_state(void)
{
	return spectre_state_fn[KSR_SPECTRE_BHB]();
}

/* kvm_supports_32bit_el0(), with the key read through its address */
bool ksr_kvm_supports_32bit_el0(void)
{
	u64 pfr0 = read_sanitised_ftr_reg(SYS_ID_AA64PFR0_EL1);

	return !static_key_enabled(mismatched_32bit_el0_key) &&
	       id_aa64pfr0_32bit_el0(pfr0);
}

/*
 * The symbol at @addr, as "name", its offset and its size; -ENOENT if
 * kallsyms has no symbol there or it is a module's.
 */
static int symbol_at(unsigned long addr, char *name, unsigned long *offset,
		     unsigned long *size)
{
	char buf[KSYM_SYMBOL_LEN];
	char *plus, *slash;

	sprint_symbol(buf, addr);
	plus = strrchr(buf, '+');
	slash = plus ? strchr(plus, '/') : NULL;
	if (!plus || !slash || strchr(slash, ' '))
		return -ENOENT;
	*plus = *slash = '\0';
	if (kstrtoul(plus + 1, 0, offset) || kstrtoul(slash + 1, 0, size))
		return -ENOENT;
	strscpy(name, buf, KSYM_NAME_LEN);
	return 0;
}

/* kallsyms_lookup_name() is not exported: a kprobe on it gives its address. */
static unsigned long (*lookup_name)(const char *name);

static int find_lookup_name(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	unsigned long addr, offset, size;
	char name[KSYM_NAME_LEN];
	int ret;

	ret = register_kprobe(&kp);
	if (ret) {
		pr_err("cannot find kallsyms_lookup_name (register_kprobe: %d): not loading\n",
		       ret);
		return ret;
	}
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);

	/* The probe may sit after the function's entry (its ftrace patch site). */
	if (symbol_at(addr, name, &offset, &size) || strcmp(name, "kallsyms_lookup_name")) {
		pr_err("the kprobe on kallsyms_lookup_name is not in it: not loading\n");
		return -ENOENT;
	}
	lookup_name = (void *)(addr - offset);
	return 0;
}

/* The address of the kernel's symbol @name, which must start there. */
static unsigned long find_symbol(const char *name, unsigned long *size)
{
	unsigned long addr = lookup_name(name), offset, sz;
	char found[KSYM_NAME_LEN];

	if (!addr || symbol_at(addr, found, &offset, &sz) || offset || strcmp(found, name)) {
		pr_err("the kernel symbol %s is not where kallsyms says: not loading\n", name);
		return 0;
	}
	if (size)
		*size = sz;
	return addr;
}

/*
 * The module needs the part of sys_reg_descs[] from its start to CTR_EL0,
 * the last register the rules cover (the VM-wide ID registers come before
 * it in encoding order). kallsyms' size of a symbol is the distance to the
 * next one, alignment and KASAN's redzone included, so it only bounds the
 * table: the walk stops at CTR_EL0, inside the table, and checks on its way
 * that the entries are the struct sys_reg_desc this module was compiled
 * with: sorted by encoding as KVM checks at init, every VM-wide ID register
 * with a reset function, ID_AA64PFR0_EL1's entry named SYS_ID_AA64PFR0_EL1.
 */
static int check_sys_reg_descs(unsigned long addr, unsigned long size)
{
	const struct sys_reg_desc *descs = (const void *)addr;
	unsigned int i, n = size / sizeof(*descs);
	const char *why = NULL;
	bool pfr0 = false;
	u32 enc = 0;

	for (i = 0; !why && i < n; i++) {
		enc = reg_to_encoding(&descs[i]);
		if (i && reg_to_encoding(&descs[i - 1]) >= enc)
			why = "it is not sorted by encoding";
		else if (enc == SYS_CTR_EL0 || enc > SYS_CTR_EL0)
			break;
		else if (is_vm_ftr_id_reg(enc) && !descs[i].reset)
			why = "an ID register has no reset function";
		else if (enc == SYS_ID_AA64PFR0_EL1)
			pfr0 = descs[i].name &&
			       !strcmp(descs[i].name, "SYS_ID_AA64PFR0_EL1");
	}
	if (!why && (i == n || enc != SYS_CTR_EL0 || !descs[i].reset))
		why = "CTR_EL0 is not where it should be";
	if (!why && !pfr0)
		why = "ID_AA64PFR0_EL1 is not where it should be";
	if (why) {
		pr_err("sys_reg_descs (%lu bytes) is not a table of the struct sys_reg_desc (%zu bytes) this module was built with (%s): not loading\n",
		       size, sizeof(*descs), why);
		return -ENOEXEC;
	}

	ksr_kernel.sys_reg_descs = descs;
	ksr_kernel.nr_sys_reg_descs = i + 1;
	return 0;
}

/**
 * ksr_ksyms_init() - check the kernel, and find its internals
 *
 * Return: 0, or a negative errno after one line in the kernel log.
 */
int ksr_ksyms_init(void)
{
	const struct new_utsname *uts = &init_uts_ns.name;
	unsigned long addr, size;
	int ret;

	if (strcmp(uts->release, UTS_RELEASE) || strcmp(uts->version, UTS_VERSION)) {
		pr_err("built for Linux %s %s, this is %s %s: not loading\n",
		       UTS_RELEASE, UTS_VERSION, uts->release, uts->version);
		return -ENOEXEC;
	}

	ret = find_lookup_name();
	if (ret)
		return ret;

	get_arm64_ftr_reg_fn = (void *)find_symbol("get_arm64_ftr_reg", NULL);
	arm64_ftr_safe_value_fn = (void *)find_symbol("arm64_ftr_safe_value", NULL);
	mismatched_32bit_el0_key = (void *)find_symbol("arm64_mismatched_32bit_el0", NULL);
	for (int i = 0; i < ARRAY_SIZE(spectre_state_fn); i++) {
		spectre_state_fn[i] = (void *)find_symbol(spectre_state_names[i], NULL);
		if (!spectre_state_fn[i])
			return -ENOENT;
	}
	addr = find_symbol("sys_reg_descs", &size);
	if (!get_arm64_ftr_reg_fn || !arm64_ftr_safe_value_fn ||
	    !mismatched_32bit_el0_key || !addr)
		return -ENOENT;

	return check_sys_reg_descs(addr, size);
}
