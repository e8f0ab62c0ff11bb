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

/* No live source, no names from arch/arm64/tools/sysreg either (sysreg.c). */
const char *ksr_encoding_known_name(struct ksr_encoding enc)
{
	(void)enc;
	return NULL;
}

/* Every source of this build is a profile: nothing needs a VM. */
int ksr_source_get_id(struct ksr_source *src, uint64_t id, uint64_t *value)
{
	(void)src;
	(void)id;
	(void)value;
	return -EOPNOTSUPP;
}

int ksr_source_writable_mask(struct ksr_source *src, struct ksr_encoding enc, uint64_t *mask)
{
	(void)src;
	(void)enc;
	(void)mask;
	return -EOPNOTSUPP;
}

int ksr_source_rules_provider(struct ksr_source *src, const char **provider, char *err,
			      size_t errlen)
{
	(void)provider;
	return ksr_fail(err, errlen, -EOPNOTSUPP, "a %s source has no VM", ksr_source_kind(src));
}
