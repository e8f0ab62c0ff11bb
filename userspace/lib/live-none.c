// SPDX-License-Identifier: GPL-2.0
/*
 * The live source of a build without KVM/arm64 (e.g. the x86_64 host
 * library): there is no VM to ask, only profiles.
 */
#include <errno.h>

#include "internal.h"

int ksr_source_open_vm(struct ksr_source **src, const struct ksr_vm_opts *opts,
		       char *err, size_t errlen)
{
	(void)src;
	(void)opts;
	return ksr_fail(err, errlen, -EOPNOTSUPP,
			"this build has no live source (KVM/arm64 only); use a profile");
}
