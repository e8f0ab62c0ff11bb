// SPDX-License-Identifier: GPL-2.0
/*
 * The library's version. The Makefile's LIB_VERSION is the one place it is
 * written (the shared library's name, the .pc file, this string); the
 * header's KSR_VERSION_MAJOR and KSR_VERSION_MINOR are checked against it
 * here, so that the two cannot drift apart.
 */
#include "internal.h"

#if !defined(KSR_LIB_VERSION) || !defined(KSR_LIB_VERSION_MAJOR) || !defined(KSR_LIB_VERSION_MINOR)
#error "build with the Makefile's -DKSR_LIB_VERSION=\"M.m.p\" -DKSR_LIB_VERSION_MAJOR=M -DKSR_LIB_VERSION_MINOR=m"
#endif

_Static_assert(KSR_LIB_VERSION_MAJOR == KSR_VERSION_MAJOR && KSR_LIB_VERSION_MINOR == KSR_VERSION_MINOR,
	       "kvm-safe-rules.h's KSR_VERSION_MAJOR.KSR_VERSION_MINOR is not the Makefile's LIB_VERSION");

const char *ksr_version(void)
{
	return KSR_LIB_VERSION;
}
