/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel internals the module needs and 6.12 does not export, found at
 * load time (ksyms.c), and the names the series' id_reg_rules.c and
 * fw_reg_rules.c call them by. Kbuild includes this file first when it
 * compiles them, the series' files, unchanged: the calls they make to the
 * kernel's get_arm64_ftr_reg(), arm64_ftr_safe_value() and
 * arm64_get_spectre_*_state() become calls to the module's ksr_ functions
 * below, which have the same prototypes (the kernel's declarations are
 * renamed with them, so the compiler checks it).
 */
#ifndef KSR_MODULE_KSYMS_H
#define KSR_MODULE_KSYMS_H

/* Every message of the module, id_reg_rules.c's included, names it */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

/* Before any header declares them: the declarations get the new names too */
#define get_arm64_ftr_reg	ksr_get_arm64_ftr_reg
#define arm64_ftr_safe_value	ksr_arm64_ftr_safe_value
#define arm64_get_spectre_v2_state	ksr_arm64_get_spectre_v2_state
#define arm64_get_spectre_v4_state	ksr_arm64_get_spectre_v4_state
#define arm64_get_spectre_bhb_state	ksr_arm64_get_spectre_bhb_state

#include <linux/kvm_host.h>

/* The series' UAPI, which the stock kernel's headers lack */
#include "kvm_reg_safe_rules.h"

/*
 * kvm_supports_32bit_el0() tests the static key arm64_mismatched_32bit_el0,
 * which is not exported, with a static branch: a module cannot link to it.
 * The module tests the key through its address instead (ksyms.c).
 */
#undef kvm_supports_32bit_el0
#define kvm_supports_32bit_el0()	ksr_kvm_supports_32bit_el0()
bool ksr_kvm_supports_32bit_el0(void);

struct sys_reg_desc;

/**
 * struct ksr_kernel - what the module found in the running kernel
 * @sys_reg_descs:	KVM's system register table (static in sys_regs.c)
 * @nr_sys_reg_descs:	its number of entries
 */
struct ksr_kernel {
	const struct sys_reg_desc *sys_reg_descs;
	unsigned int nr_sys_reg_descs;
};

extern struct ksr_kernel ksr_kernel;

int ksr_ksyms_init(void);

#endif /* KSR_MODULE_KSYMS_H */
