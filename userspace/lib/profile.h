/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Profiles: the rules of a VM as JSON (format kvm-safe-rules/v1, documented
 * in Documentation/profile-format.rst).
 */
#ifndef KSR_PROFILE_H
#define KSR_PROFILE_H

#include <stdio.h>

#include "rules.h"

#define KSR_PROFILE_SCHEMA "kvm-safe-rules/v1"

struct ksr_profile_meta {
	const char *kernel;		/* uname -r of the host */
	const char *source;		/* "ioctl" */
	unsigned int vcpu_features;	/* KSR_FEAT_* the VM was made with */
};

/* Writes the profile as JSON to out; returns 0 or a negative errno. */
int ksr_profile_write(FILE *out, const struct ksr_rules *rules,
		      const struct ksr_profile_meta *meta);

#endif
