/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Profiles: the rules of a VM as JSON (format kvm-safe-rules/v2, which reads
 * v1 too, documented in Documentation/profile-format.rst); the calls are in
 * kvm-safe-rules.h.
 */
#ifndef KSR_PROFILE_H
#define KSR_PROFILE_H

/* What writers write: v1 and the firmware registers */
#define KSR_PROFILE_SCHEMA "kvm-safe-rules/v2"
/* What readers also read: the ID registers only */
#define KSR_PROFILE_SCHEMA_V1 "kvm-safe-rules/v1"

#endif
