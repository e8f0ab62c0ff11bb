// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON and file plumbing of profiles and configurations (jsonio.h):
 * strict reading with the JSON path in every message, whole-document
 * parsing, whole-file reading, all-or-nothing saving.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jsonio.h"

/* ---- reading ------------------------------------------------------------ */

static int vbad(struct jr *r, const char *fmt, va_list ap)
{
	char problem[256];

	vsnprintf(problem, sizeof(problem), fmt, ap);
	return ksr_fail(r->err, r->errlen, -EINVAL, "%s: %s: %s", r->name,
			r->path[0] ? r->path : "(top level)", problem);
}

int jr_bad(struct jr *r, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vbad(r, fmt, ap);
	va_end(ap);
	return ret;
}

int jr_bad_key(struct jr *r, const char *key, const char *fmt, ...)
{
	size_t len = jr_push(r, key, 0);
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vbad(r, fmt, ap);
	va_end(ap);
	r->path[len] = '\0';
	return ret;
}

size_t jr_push(struct jr *r, const char *key, int index)
{
	size_t len = strlen(r->path);

	if (key)
		snprintf(r->path + len, sizeof(r->path) - len, "%s%s", len ? "." : "", key);
	else
		snprintf(r->path + len, sizeof(r->path) - len, "[%d]", index);
	return len;
}

void jr_pop(struct jr *r, size_t len)
{
	r->path[len] = '\0';
}

const char *jr_type_name(json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_null:
		return "null";
	case json_type_boolean:
		return "a boolean";
	case json_type_double:
		return "a fractional number";
	case json_type_int:
		return "an integer";
	case json_type_object:
		return "an object";
	case json_type_array:
		return "an array";
	case json_type_string:
		return "a string";
	}
	return "something else";
}

int jr_get(struct jr *r, json_object *obj, const char *key, json_type type, bool optional,
	   bool nullable, json_object **out)
{
	static const char *const wanted[] = {
		[json_type_boolean] = "a boolean", [json_type_int] = "an integer",
		[json_type_object] = "an object", [json_type_array] = "an array",
		[json_type_string] = "a string",
	};
	*out = NULL;
	if (!json_object_object_get_ex(obj, key, out))
		return optional ? 0 : jr_bad_key(r, key, "missing");
	if (json_object_is_type(*out, type) || (nullable && !*out))
		return 0;
	return jr_bad_key(r, key, "must be %s%s, not %s", wanted[type], nullable ? " or null" : "",
			  jr_type_name(*out));
}

int jr_get_int(struct jr *r, json_object *obj, const char *key, int64_t lo, int64_t hi, int64_t *v)
{
	json_object *o;
	int ret;

	ret = jr_get(r, obj, key, json_type_int, false, false, &o);
	if (ret)
		return ret;
	errno = 0;
	*v = json_object_get_int64(o);
	if (errno || (*v == INT64_MAX && json_object_get_uint64(o) > INT64_MAX) ||
	    *v < lo || *v > hi)
		return jr_bad_key(r, key, "must be %" PRId64 "..%" PRId64 ", not %s", lo, hi,
				  json_object_get_string(o));
	return 0;
}

int jr_get_bool(struct jr *r, json_object *obj, const char *key, uint32_t flag, uint32_t *flags)
{
	json_object *o;
	int ret = jr_get(r, obj, key, json_type_boolean, false, false, &o);

	if (!ret && json_object_get_boolean(o))
		*flags |= flag;
	return ret;
}

int jr_get_hex64(struct jr *r, json_object *obj, const char *key, uint64_t *v)
{
	const char *s, *p;
	json_object *o;
	int ret;

	ret = jr_get(r, obj, key, json_type_string, false, false, &o);
	if (ret)
		return ret;
	s = json_object_get_string(o);
	p = s + 2;
	if (strncmp(s, "0x", 2) || !*p || strlen(p) > 16 ||
	    strspn(p, "0123456789abcdefABCDEF") != strlen(p))
		return jr_bad_key(r, key, "must be a hex string \"0x\" and 1 to 16 digits, not \"%s\"",
				  s);
	*v = strtoull(p, NULL, 16);
	return 0;
}

int jr_get_encoding(struct jr *r, json_object *o, struct ksr_encoding *enc)
{
	static const int64_t max[5] = { 3, 7, 15, 15, 7 };
	static const char *const part[5] = { "op0", "op1", "CRn", "CRm", "op2" };
	uint8_t v[5];
	size_t len;
	int ret = 0;

	len = jr_push(r, "encoding", 0);
	if (json_object_array_length(o) != 5) {
		ret = jr_bad(r, "must be [op0, op1, CRn, CRm, op2], not %zu numbers",
			     json_object_array_length(o));
		goto out;
	}
	for (int i = 0; i < 5; i++) {
		json_object *e = json_object_array_get_idx(o, i);
		size_t l2 = jr_push(r, NULL, i);

		if (!json_object_is_type(e, json_type_int) || json_object_get_int64(e) < 0 ||
		    json_object_get_int64(e) > max[i]) {
			ret = jr_bad(r, "%s must be an integer 0..%" PRId64 ", not %s", part[i], max[i],
				     json_object_get_string(e) ?: "null");
			goto out;
		}
		v[i] = (uint8_t)json_object_get_int64(e);
		jr_pop(r, l2);
	}
	*enc = (struct ksr_encoding){ v[0], v[1], v[2], v[3], v[4] };
out:
	jr_pop(r, len);
	return ret;
}

/* ---- writing ------------------------------------------------------------ */

json_object *jw_hex64(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%016" PRIx64, v);
	return json_object_new_string(buf);
}

json_object *jw_encoding(struct ksr_encoding e)
{
	json_object *enc = json_object_new_array();

	json_object_array_add(enc, json_object_new_int(e.op0));
	json_object_array_add(enc, json_object_new_int(e.op1));
	json_object_array_add(enc, json_object_new_int(e.crn));
	json_object_array_add(enc, json_object_new_int(e.crm));
	json_object_array_add(enc, json_object_new_int(e.op2));
	return enc;
}

int jw_print(json_object *root, FILE *out)
{
	if (fputs(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
						 JSON_C_TO_STRING_SPACED), out) == EOF ||
	    fputc('\n', out) == EOF)
		return -EIO;
	return 0;
}

/* ---- whole documents and files ------------------------------------------ */

int ksr_json_parse(const char *text, size_t len, const char *name, json_object **out,
		   char *err, size_t errlen)
{
	struct json_tokener *tok;
	enum json_tokener_error jerr;
	json_object *root;
	size_t line = 1, col = 1, at;

	if (len > INT32_MAX)
		return ksr_fail(err, errlen, -EFBIG, "%s: too large", name);
	tok = json_tokener_new();
	if (!tok)
		return ksr_fail(err, errlen, -ENOMEM, "%s: out of memory", name);
	root = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	at = json_tokener_get_parse_end(tok);
	if (jerr == json_tokener_success) {
		/* Only white space may follow the document. */
		while (at < len && strchr(" \t\r\n", text[at]) && text[at])
			at++;
		if (at < len) {
			json_object_put(root);
			root = NULL;
			jerr = json_tokener_error_parse_unexpected;
		}
	} else if (jerr == json_tokener_continue) {
		jerr = json_tokener_error_parse_eof;
	}
	json_tokener_free(tok);
	if (jerr != json_tokener_success) {
		for (size_t i = 0; i < at && i < len; i++, col++)
			if (text[i] == '\n')
				line++, col = 0;
		return ksr_fail(err, errlen, -EINVAL, "%s: line %zu, column %zu: not JSON: %s",
				name, line, col, json_tokener_error_desc(jerr));
	}
	*out = root;
	return 0;
}

int ksr_read_file(const char *path, size_t max, const char *what, char **out, size_t *out_len,
		  char *err, size_t errlen)
{
	size_t len = 0, cap = 0;
	char *text = NULL;
	FILE *in;
	int ret = 0;

	in = fopen(path, "r");
	if (!in)
		return ksr_fail(err, errlen, -errno, "%s: %s", path, strerror(errno));
	for (;;) {
		size_t n;

		if (len + 1 >= cap) {
			char *bigger = cap < max ? realloc(text, cap = cap ? cap * 2 : 65536) : NULL;

			if (!bigger) {
				if (cap >= max)
					ret = ksr_fail(err, errlen, -EFBIG, "%s: larger than %zu MiB: not %s",
						       path, max >> 20, what);
				else
					ret = ksr_fail(err, errlen, -ENOMEM, "%s: out of memory", path);
				goto out;
			}
			text = bigger;
		}
		n = fread(text + len, 1, cap - len - 1, in);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(in)) {
		ret = ksr_fail(err, errlen, -EIO, "%s: read error", path);
		goto out;
	}
	if (memchr(text, '\0', len)) {
		ret = ksr_fail(err, errlen, -EINVAL, "%s: not %s: contains a NUL byte", path, what);
		goto out;
	}
	text[len] = '\0';
	*out = text;
	*out_len = len;
	text = NULL;
out:
	free(text);
	fclose(in);
	return ret;
}

/*
 * A new file next to path, PATH.tmp-XXXXXXXX, created with mode 0666 so that
 * the process's umask applies (mkstemp() would make it 0600, and changing
 * the umask to compute the mode is not a library's business: it is process
 * state, shared with every thread). Returns the fd, or -errno.
 */
static int create_temp(const char *path, char *tmp, size_t size)
{
	for (int tries = 0; tries < 100; tries++) {
		uint32_t r;
		int fd;

		if (getrandom(&r, sizeof(r), 0) != sizeof(r))
			return -EIO;
		snprintf(tmp, size, "%s.tmp-%08" PRIx32, path, r);
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0 || errno != EEXIST)
			return fd >= 0 ? fd : -errno;
	}
	return -EEXIST;
}

int ksr_save_atomic(const char *path, int (*write)(const void *ctx, FILE *out), const void *ctx,
		    char *err, size_t errlen)
{
	size_t size = strlen(path) + sizeof(".tmp-XXXXXXXX");
	char *tmp = malloc(size);
	FILE *out;
	int fd, ret;

	if (!tmp)
		return ksr_fail(err, errlen, -ENOMEM, "%s: out of memory", path);
	fd = create_temp(path, tmp, size);
	if (fd < 0) {
		ret = ksr_fail(err, errlen, fd, "%s: cannot create a temporary file: %s",
			       path, strerror(-fd));
		free(tmp);
		return ret;
	}
	out = fdopen(fd, "w");
	if (!out) {
		ret = ksr_fail(err, errlen, -errno, "%s: %s", tmp, strerror(errno));
		close(fd);
		goto fail;
	}
	ret = write(ctx, out);
	if (fflush(out) || fsync(fileno(out)))
		ret = -errno;
	if (fclose(out) && !ret)
		ret = -errno;
	if (ret) {
		ksr_fail(err, errlen, ret, "%s: writing %s: %s", path, tmp, strerror(-ret));
		goto fail;
	}
	if (rename(tmp, path)) {
		ret = ksr_fail(err, errlen, -errno, "%s: %s", path, strerror(errno));
		goto fail;
	}
	free(tmp);
	return 0;
fail:
	unlink(tmp);
	free(tmp);
	return ret;
}
