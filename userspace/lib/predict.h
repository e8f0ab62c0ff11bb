/* SPDX-License-Identifier: GPL-2.0 */
/* The predictor is declared in kvm-safe-rules.h (kept for the guest tests). */
#ifndef KSR_PREDICT_H
#define KSR_PREDICT_H

#include "internal.h"

#endif
