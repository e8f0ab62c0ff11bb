/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Profiles: the rules of a VM as JSON (format kvm-safe-rules/v1, documented
 * in Documentation/profile-format.rst); the calls are in kvm-safe-rules.h.
 */
#ifndef KSR_PROFILE_H
#define KSR_PROFILE_H

#define KSR_PROFILE_SCHEMA "kvm-safe-rules/v1"

#endif
