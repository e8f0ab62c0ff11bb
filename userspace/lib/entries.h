/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The entries of KVM_ARM_GET_REG_SAFE_RULES (kernel or module) as rules:
 * entries.c, which needs no arm64 header, so that the host's unit tests
 * feed it entries too; live.c fetches them and adds the names.
 */
#ifndef KSR_ENTRIES_H
#define KSR_ENTRIES_H

#include "linux/kvm_reg_safe_rules.h"

#include "internal.h"

/*
 * The registers of n entries, in their order: an ID register entry
 * (KIND_REG) followed by its field entries, a firmware register entry
 * (KIND_FW_REG) followed by its value entries, or an entry of a kind this
 * library does not know (its register, to probe; its nr_fields entries
 * skipped). A type, kind or flag this library does not know is never
 * ignored: the field or register becomes one to probe. The rules have no
 * names (ksr_reg_init()'s NULL), no metadata and no index yet. 0, -EPROTO
 * with *why (a static string) when the entries are not that, -ENOMEM.
 */
int ksr_rules_from_entries(const struct kvm_arm_id_reg_rule *e, uint32_t n, struct ksr_rules **out,
			   const char **why);

#endif
