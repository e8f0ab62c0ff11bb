/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the JSON readers and writers of the library share (profiles and
 * configurations): a strict reader that names the file and the JSON path
 * in every message, reading a whole file, parsing a whole document, and
 * saving a file all or nothing.
 */
#ifndef KSR_JSONIO_H
#define KSR_JSONIO_H

#include <stdbool.h>
#include <stdio.h>
#include <json.h>

#include "internal.h"

/* Where a reader is: the file and the JSON path, for messages. */
struct jr {
	const char *name;
	char *err;
	size_t errlen;
	char path[128];
};

/* Reports a problem at the current path; returns -EINVAL. */
int ksr_jr_bad(struct jr *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Reports a problem with key of the current object; returns -EINVAL. */
int ksr_jr_bad_key(struct jr *r, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Appends ".key" or "[i]" (key NULL) to the path; returns the length to restore. */
size_t ksr_jr_push(struct jr *r, const char *key, int index);
void ksr_jr_pop(struct jr *r, size_t len);
/* "an integer", "a string", ... */
const char *ksr_jr_type_name(json_object *o);
/*
 * obj[key] of the type wanted (or null, when nullable); *out is NULL for an
 * absent optional key.
 */
int ksr_jr_get(struct jr *r, json_object *obj, const char *key, json_type type, bool optional,
	       bool nullable, json_object **out);
/* An integer in [lo, hi]. */
int ksr_jr_get_int(struct jr *r, json_object *obj, const char *key, int64_t lo, int64_t hi,
		   int64_t *v);
/* A boolean: sets flag in *flags when true. */
int ksr_jr_get_bool(struct jr *r, json_object *obj, const char *key, uint32_t flag,
		    uint32_t *flags);
/* "0x" and 1 to 16 hex digits. */
int ksr_jr_get_hex64(struct jr *r, json_object *obj, const char *key, uint64_t *v);
/* A register id "0x" and 16 hex digits, a sysreg's or a firmware register's (ksr_parse_id()). */
int ksr_jr_get_id(struct jr *r, json_object *obj, const char *key, uint64_t *id);
/* obj.encoding: [op0, op1, CRn, CRm, op2], each in range. */
int ksr_jr_get_encoding(struct jr *r, json_object *o, struct ksr_encoding *enc);

/* "0x%016x" as a JSON string. */
json_object *ksr_jw_hex64(uint64_t v);
/* [op0, op1, CRn, CRm, op2] */
json_object *ksr_jw_encoding(struct ksr_encoding e);
/*
 * Prints root pretty and a newline, with '/' as it is (json-c would write
 * "\/"); returns 0 or -EIO. Every JSON the library and the CLI write.
 */
int ksr_jw_print(json_object *root, FILE *out);

/*
 * Parses text as exactly one JSON document: on error -EINVAL and
 * "NAME: line L, column C: not JSON: PROBLEM".
 */
int ksr_json_parse(const char *text, size_t len, const char *name, json_object **root,
		   char *err, size_t errlen);

/* A whole file (no NUL bytes, at most max bytes), NUL-terminated, to free(). */
int ksr_read_file(const char *path, size_t max, const char *what, char **text, size_t *len,
		  char *err, size_t errlen);

/*
 * Writes path through write(ctx, out): a regular file (or a new one, or the
 * one a dangling link names), links followed, into a temporary file of its
 * directory renamed over it once complete (never partial; its mode kept,
 * its owner too where allowed); a FIFO or a device in place; a directory is
 * refused (-EISDIR), and so is a regular file of more than one hard link
 * (-EMLINK: replacing one name would break the links, rewriting it in
 * place would not be all or nothing). Every error (ENOSPC, ...) is
 * returned as -errno with "PATH: PROBLEM" in err.
 */
int ksr_save_file(const char *path, int (*write)(const void *ctx, FILE *out), const void *ctx,
		  char *err, size_t errlen);

#endif
