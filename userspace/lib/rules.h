/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The struct layouts of the rules (internal.h) and the live source's
 * register helpers (sysreg.h), as the guest tests include them.
 */
#ifndef KSR_RULES_H
#define KSR_RULES_H

#include "internal.h"
#include "sysreg.h"

#endif
