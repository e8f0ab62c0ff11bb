/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Peak memory of a piece of work, two ways:
 *
 *  - the whole child: run it in a forked child and read the child's
 *    ru_maxrss (peak resident set, KiB) with wait4(). The child starts as a
 *    copy of the parent, so the figure means something only against
 *    another child forked from the same parent state (e.g. one doing
 *    nothing);
 *  - a part of it: peakmem_mark() returns the free heap to the kernel
 *    (malloc_trim()), resets the peak resident set to the current one
 *    (/proc/self/clear_refs, "5") and returns it; peakmem_since() is then
 *    what the peak (VmHWM) rose by since the mark.
 */
#ifndef KSR_BENCH_PEAKMEM_H
#define KSR_BENCH_PEAKMEM_H

/*
 * Runs fn(arg) in a forked child; returns its ru_maxrss in KiB and sets
 * *reported to what fn returned. Fails the benchmark if the child fails.
 */
long peakmem_child(long (*fn)(void *arg), void *arg, const char *what, long *reported);

/* The resident set in KiB, after trimming the heap and resetting the peak. */
long peakmem_mark(void);
/* KiB the peak resident set rose above mark since peakmem_mark(). */
long peakmem_since(long mark);

#endif
