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

int ksr_jr_bad(struct jr *r, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vbad(r, fmt, ap);
	va_end(ap);
	return ret;
}

int ksr_jr_bad_key(struct jr *r, const char *key, const char *fmt, ...)
{
	size_t len = ksr_jr_push(r, key, 0);
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vbad(r, fmt, ap);
	va_end(ap);
	r->path[len] = '\0';
	return ret;
}

size_t ksr_jr_push(struct jr *r, const char *key, int index)
{
	size_t len = strlen(r->path);

	if (key)
		snprintf(r->path + len, sizeof(r->path) - len, "%s%s", len ? "." : "", key);
	else
		snprintf(r->path + len, sizeof(r->path) - len, "[%d]", index);
	return len;
}

void ksr_jr_pop(struct jr *r, size_t len)
{
	r->path[len] = '\0';
}

const char *ksr_jr_type_name(json_object *o)
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

int ksr_jr_get(struct jr *r, json_object *obj, const char *key, json_type type, bool optional,
	       bool nullable, json_object **out)
{
	static const char *const wanted[] = {
		[json_type_boolean] = "a boolean", [json_type_int] = "an integer",
		[json_type_object] = "an object", [json_type_array] = "an array",
		[json_type_string] = "a string",
	};
	*out = NULL;
	if (!json_object_object_get_ex(obj, key, out))
		return optional ? 0 : ksr_jr_bad_key(r, key, "missing");
	if (json_object_is_type(*out, type) || (nullable && !*out))
		return 0;
	return ksr_jr_bad_key(r, key, "must be %s%s, not %s", wanted[type], nullable ? " or null" : "",
			      ksr_jr_type_name(*out));
}

int ksr_jr_get_int(struct jr *r, json_object *obj, const char *key, int64_t lo, int64_t hi,
		   int64_t *v)
{
	json_object *o;
	int ret;

	ret = ksr_jr_get(r, obj, key, json_type_int, false, false, &o);
	if (ret)
		return ret;
	errno = 0;
	*v = json_object_get_int64(o);
	if (errno || (*v == INT64_MAX && json_object_get_uint64(o) > INT64_MAX) ||
	    *v < lo || *v > hi)
		return ksr_jr_bad_key(r, key, "must be %" PRId64 "..%" PRId64 ", not %s", lo, hi,
				      json_object_get_string(o));
	return 0;
}

int ksr_jr_get_bool(struct jr *r, json_object *obj, const char *key, uint32_t flag, uint32_t *flags)
{
	json_object *o;
	int ret = ksr_jr_get(r, obj, key, json_type_boolean, false, false, &o);

	if (!ret && json_object_get_boolean(o))
		*flags |= flag;
	return ret;
}

int ksr_jr_get_hex64(struct jr *r, json_object *obj, const char *key, uint64_t *v)
{
	const char *s, *p;
	json_object *o;
	int ret;

	ret = ksr_jr_get(r, obj, key, json_type_string, false, false, &o);
	if (ret)
		return ret;
	s = json_object_get_string(o);
	p = s + 2;
	if (strncmp(s, "0x", 2) || !*p || strlen(p) > 16 ||
	    strspn(p, "0123456789abcdefABCDEF") != strlen(p))
		return ksr_jr_bad_key(r, key, "must be a hex string \"0x\" and 1 to 16 digits, not \"%s\"",
				      s);
	*v = strtoull(p, NULL, 16);
	return 0;
}

int ksr_jr_get_id(struct jr *r, json_object *obj, const char *key, uint64_t *id)
{
	json_object *o;
	int ret;

	ret = ksr_jr_get(r, obj, key, json_type_string, false, false, &o);
	if (ret)
		return ret;
	ret = ksr_parse_id(json_object_get_string(o), id);
	if (ret == -ENOENT)
		return ksr_jr_bad_key(r, key, "must be a register id \"0x\" and 16 hex digits, not \"%.80s\"",
				      json_object_get_string(o));
	if (ret)
		return ksr_jr_bad_key(r, key, "%s is neither an ID register's nor a firmware register's id",
				      json_object_get_string(o));
	return 0;
}

int ksr_jr_get_encoding(struct jr *r, json_object *o, struct ksr_encoding *enc)
{
	static const int64_t max[5] = { 3, 7, 15, 15, 7 };
	static const char *const part[5] = { "op0", "op1", "CRn", "CRm", "op2" };
	uint8_t v[5];
	size_t len;
	int ret = 0;

	len = ksr_jr_push(r, "encoding", 0);
	if (json_object_array_length(o) != 5) {
		ret = ksr_jr_bad(r, "must be [op0, op1, CRn, CRm, op2], not %zu numbers",
				 json_object_array_length(o));
		goto out;
	}
	for (int i = 0; i < 5; i++) {
		json_object *e = json_object_array_get_idx(o, i);
		size_t l2 = ksr_jr_push(r, NULL, i);

		if (!json_object_is_type(e, json_type_int) || json_object_get_int64(e) < 0 ||
		    json_object_get_int64(e) > max[i]) {
			ret = ksr_jr_bad(r, "%s must be an integer 0..%" PRId64 ", not %s", part[i], max[i],
					 json_object_get_string(e) ?: "null");
			goto out;
		}
		v[i] = (uint8_t)json_object_get_int64(e);
		ksr_jr_pop(r, l2);
	}
	*enc = (struct ksr_encoding){ v[0], v[1], v[2], v[3], v[4] };
out:
	ksr_jr_pop(r, len);
	return ret;
}

/* ---- writing ------------------------------------------------------------ */

json_object *ksr_jw_hex64(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%016" PRIx64, v);
	return json_object_new_string(buf);
}

json_object *ksr_jw_encoding(struct ksr_encoding e)
{
	json_object *enc = json_object_new_array();

	json_object_array_add(enc, json_object_new_int(e.op0));
	json_object_array_add(enc, json_object_new_int(e.op1));
	json_object_array_add(enc, json_object_new_int(e.crn));
	json_object_array_add(enc, json_object_new_int(e.crm));
	json_object_array_add(enc, json_object_new_int(e.op2));
	return enc;
}

int ksr_jw_print(json_object *root, FILE *out)
{
	if (fputs(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
						 JSON_C_TO_STRING_SPACED |
						 JSON_C_TO_STRING_NOSLASHESCAPE), out) == EOF ||
	    fputc('\n', out) == EOF)
		return -EIO;
	return 0;
}

/* ---- whole documents and files ------------------------------------------ */

/*
 * RFC 8259 and nothing more, checked before json-c parses (its strict mode
 * still takes single quotes, NaN, Infinity, "1.", control characters in
 * strings, duplicate keys, the last one winning, and integers out of range,
 * clamped): a recursive descent that only looks. Integers (no fraction, no
 * exponent) must fit in 64 signed bits; strings must not hold U+0000 (C
 * strings would end there); an object must not repeat a key.
 */
#define JSON_MAX_DEPTH 32	/* json-c's default */

struct js {
	const char *t;
	size_t len, at;
	const char *problem;
	char buf[160];		/* for problems naming a key */
};

struct key {
	const char *s;		/* decoded: into the text when it has no escape, else owned */
	size_t n;
	size_t at;
	bool owned;
};

static bool js_fail(struct js *j, const char *problem)
{
	if (!j->problem)
		j->problem = problem;
	return false;
}

static void js_blank(struct js *j)
{
	while (j->at < j->len && strchr(" \t\r\n", j->t[j->at]) && j->t[j->at])
		j->at++;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* \uXXXX at t: its value, or -1. */
static long hex4(const char *t, size_t left)
{
	long v = 0;

	if (left < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		int h = hexval(t[i]);

		if (h < 0)
			return -1;
		v = v << 4 | h;
	}
	return v;
}

/* A string at j->at (its '"'); its decoded text into *k when k is not NULL. */
static bool js_string(struct js *j, struct key *k)
{
	size_t start = ++j->at, out = 0;
	bool escaped = false;
	char *dec = NULL;

	for (int pass = 0; pass < 2; pass++) {
		j->at = start;
		while (j->at < j->len && j->t[j->at] != '"') {
			unsigned char c = (unsigned char)j->t[j->at];
			long u;

			if (c < 0x20) {
				free(dec);
				return js_fail(j, "a control character in a string");
			}
			if (c != '\\') {
				if (dec)
					dec[out] = (char)c;
				out++;
				j->at++;
				continue;
			}
			escaped = true;
			if (++j->at >= j->len)
				break;
			c = (unsigned char)j->t[j->at++];
			if (c != 'u') {
				const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t", *e = strchr(from, c);

				if (!e || !c) {
					free(dec);
					return js_fail(j, "a bad escape in a string");
				}
				if (dec)
					dec[out] = to[e - from];
				out++;
				continue;
			}
			u = hex4(j->t + j->at, j->len - j->at);
			if (u < 0) {
				free(dec);
				return js_fail(j, "a bad \\u escape in a string");
			}
			j->at += 4;
			if (u == 0) {
				free(dec);
				return js_fail(j, "\\u0000 in a string");
			}
			if (u >= 0xd800 && u < 0xdc00 && j->len - j->at >= 6 && j->t[j->at] == '\\' &&
			    j->t[j->at + 1] == 'u') {
				long lo = hex4(j->t + j->at + 2, j->len - j->at - 2);

				if (lo >= 0xdc00 && lo < 0xe000) {
					u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
					j->at += 6;
				}
			}
			/* UTF-8, 1 to 4 bytes */
			{
				unsigned char b[4];
				int n;

				if (u < 0x80) {
					b[0] = (unsigned char)u, n = 1;
				} else if (u < 0x800) {
					b[0] = (unsigned char)(0xc0 | u >> 6), b[1] = (unsigned char)(0x80 | (u & 0x3f)), n = 2;
				} else if (u < 0x10000) {
					b[0] = (unsigned char)(0xe0 | u >> 12), b[1] = (unsigned char)(0x80 | ((u >> 6) & 0x3f));
					b[2] = (unsigned char)(0x80 | (u & 0x3f)), n = 3;
				} else {
					b[0] = (unsigned char)(0xf0 | u >> 18), b[1] = (unsigned char)(0x80 | ((u >> 12) & 0x3f));
					b[2] = (unsigned char)(0x80 | ((u >> 6) & 0x3f)), b[3] = (unsigned char)(0x80 | (u & 0x3f)), n = 4;
				}
				if (dec)
					memcpy(dec + out, b, (size_t)n);
				out += (size_t)n;
			}
		}
		if (j->at >= j->len) {
			free(dec);
			return js_fail(j, "a string without its end");
		}
		/* A key with escapes: a second pass decodes it. */
		if (pass || !k || !escaped)
			break;
		dec = malloc(out + 1);
		if (!dec)
			return js_fail(j, "out of memory");
		out = 0;
	}
	j->at++;	/* '"' */
	if (k) {
		k->s = dec ? dec : j->t + start;
		k->n = out;
		k->owned = dec;
	} else {
		free(dec);
	}
	return true;
}

static bool js_number(struct js *j)
{
	size_t start = j->at;
	bool integer = true;

	if (j->t[j->at] == '-')
		j->at++;
	if (j->at < j->len && j->t[j->at] == '0')
		j->at++;
	else if (j->at < j->len && j->t[j->at] >= '1' && j->t[j->at] <= '9')
		while (j->at < j->len && j->t[j->at] >= '0' && j->t[j->at] <= '9')
			j->at++;
	else
		return js_fail(j, "a bad number");
	if (j->at < j->len && j->t[j->at] == '.') {
		integer = false;
		if (++j->at >= j->len || j->t[j->at] < '0' || j->t[j->at] > '9')
			return js_fail(j, "a bad number");
		while (j->at < j->len && j->t[j->at] >= '0' && j->t[j->at] <= '9')
			j->at++;
	}
	if (j->at < j->len && (j->t[j->at] == 'e' || j->t[j->at] == 'E')) {
		integer = false;
		j->at++;
		if (j->at < j->len && (j->t[j->at] == '+' || j->t[j->at] == '-'))
			j->at++;
		if (j->at >= j->len || j->t[j->at] < '0' || j->t[j->at] > '9')
			return js_fail(j, "a bad number");
		while (j->at < j->len && j->t[j->at] >= '0' && j->t[j->at] <= '9')
			j->at++;
	}
	if (integer) {
		/* Within int64: compare the digits with its bounds' ("-0" is 0). */
		bool neg = j->t[start] == '-';
		size_t n = j->at - start - neg;
		const char *lim = neg ? "9223372036854775808" : "9223372036854775807";

		if (n > 19 || (n == 19 && memcmp(j->t + start + neg, lim, 19) > 0)) {
			j->at = start;
			return js_fail(j, "an integer out of range (64 bits, signed)");
		}
	}
	return true;
}

static int key_cmp(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	int c = memcmp(x->s, y->s, x->n < y->n ? x->n : y->n);

	if (c)
		return c;
	if (x->n != y->n)
		return x->n < y->n ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

/* The keys of an object: no two alike (a later one is reported, at its place). */
static bool js_unique(struct js *j, struct key *keys, size_t n)
{
	size_t dup = SIZE_MAX;

	qsort(keys, n, sizeof(*keys), key_cmp);
	for (size_t i = 1; i < n; i++)
		if (keys[i].n == keys[i - 1].n && !memcmp(keys[i].s, keys[i - 1].s, keys[i].n) &&
		    (dup == SIZE_MAX || keys[i].at < keys[dup].at))
			dup = i;
	if (dup == SIZE_MAX)
		return true;
	j->at = keys[dup].at;
	snprintf(j->buf, sizeof(j->buf), "duplicate key \"%.*s\"%s",
		 (int)(keys[dup].n > 64 ? 64 : keys[dup].n), keys[dup].s, keys[dup].n > 64 ? "..." : "");
	return js_fail(j, j->buf);
}

static bool js_value(struct js *j, int depth);

static bool js_object(struct js *j, int depth)
{
	struct key *keys = NULL;
	size_t n = 0, cap = 0;
	bool ok = false;

	j->at++;	/* '{' */
	js_blank(j);
	if (j->at < j->len && j->t[j->at] == '}') {
		j->at++;
		return true;
	}
	for (;;) {
		js_blank(j);
		if (j->at >= j->len || j->t[j->at] != '"') {
			js_fail(j, "a key (a string) expected");
			break;
		}
		if (n == cap) {
			struct key *bigger = realloc(keys, (cap = cap ? 2 * cap : 16) * sizeof(*keys));

			if (!bigger) {
				js_fail(j, "out of memory");
				break;
			}
			keys = bigger;
		}
		keys[n].at = j->at;
		if (!js_string(j, &keys[n]))
			break;
		n++;
		js_blank(j);
		if (j->at >= j->len || j->t[j->at] != ':') {
			js_fail(j, "':' expected");
			break;
		}
		j->at++;
		if (!js_value(j, depth + 1))
			break;
		js_blank(j);
		if (j->at < j->len && j->t[j->at] == ',') {
			j->at++;
			continue;
		}
		if (j->at < j->len && j->t[j->at] == '}') {
			j->at++;
			ok = js_unique(j, keys, n);
			break;
		}
		js_fail(j, "',' or '}' expected");
		break;
	}
	for (size_t i = 0; i < n; i++)
		if (keys[i].owned)
			free((char *)keys[i].s);
	free(keys);
	return ok;
}

static bool js_array(struct js *j, int depth)
{
	j->at++;	/* '[' */
	js_blank(j);
	if (j->at < j->len && j->t[j->at] == ']') {
		j->at++;
		return true;
	}
	for (;;) {
		if (!js_value(j, depth + 1))
			return false;
		js_blank(j);
		if (j->at < j->len && j->t[j->at] == ',') {
			j->at++;
			continue;
		}
		if (j->at < j->len && j->t[j->at] == ']') {
			j->at++;
			return true;
		}
		return js_fail(j, "',' or ']' expected");
	}
}

static bool js_value(struct js *j, int depth)
{
	static const char *const words[] = { "true", "false", "null" };
	char c;

	js_blank(j);
	if (depth > JSON_MAX_DEPTH)
		return js_fail(j, "nested too deeply");
	if (j->at >= j->len)
		return js_fail(j, "a value expected");
	c = j->t[j->at];
	if (c == '{')
		return js_object(j, depth);
	if (c == '[')
		return js_array(j, depth);
	if (c == '"')
		return js_string(j, NULL);
	if (c == '-' || (c >= '0' && c <= '9'))
		return js_number(j);
	for (size_t i = 0; i < 3; i++) {
		size_t n = strlen(words[i]);

		if (j->len - j->at >= n && !memcmp(j->t + j->at, words[i], n)) {
			j->at += n;
			return true;
		}
	}
	return js_fail(j, "a value expected");
}

/* 0, or the problem and where it is (an offset). */
static const char *json_strict_check(const char *text, size_t len, size_t *at, char *buf, size_t buflen)
{
	struct js j = { .t = text, .len = len };

	if (js_value(&j, 1)) {
		js_blank(&j);
		if (j.at == len)
			return NULL;
		js_fail(&j, "more after the document");
	}
	*at = j.at;
	snprintf(buf, buflen, "%s", j.problem);
	return buf;
}

int ksr_json_parse(const char *text, size_t len, const char *name, json_object **out,
		   char *err, size_t errlen)
{
	struct json_tokener *tok;
	enum json_tokener_error jerr;
	json_object *root;
	size_t line = 1, col = 1, at;

	char problem[160];

	if (len > INT32_MAX)
		return ksr_fail(err, errlen, -EFBIG, "%s: too large", name);
	if (json_strict_check(text, len, &at, problem, sizeof(problem))) {
		for (size_t i = 0; i < at && i < len; i++, col++)
			if (text[i] == '\n')
				line++, col = 0;
		return ksr_fail(err, errlen, -EINVAL, "%s: line %zu, column %zu: not JSON: %s",
				name, line, col, problem);
	}
	tok = json_tokener_new();
	if (!tok)
		return ksr_fail(err, errlen, -ENOMEM, "%s: out of memory", name);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
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
 * A new file next to path, PATH.tmp-XXXXXXXX, created with mode, less the
 * process's umask (0666 for a new file: mkstemp() would make it 0600, and
 * changing the umask to compute the mode is not a library's business: it is
 * process state, shared with every thread). Returns the fd, or -errno.
 */
static int create_temp(const char *path, mode_t mode, char *tmp, size_t size)
{
	for (int tries = 0; tries < 100; tries++) {
		uint32_t r;
		int fd;

		if (getrandom(&r, sizeof(r), 0) != sizeof(r))
			return -EIO;
		snprintf(tmp, size, "%s.tmp-%08" PRIx32, path, r);
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
		if (fd >= 0 || errno != EEXIST)
			return fd >= 0 ? fd : -errno;
	}
	return -EEXIST;
}

/*
 * write(ctx) into fd, then flush, fsync (when sync) and close fd, each
 * checked: 0 or the first -errno (that of the stream when write() failed
 * on it, e.g. -ENOSPC rather than its -EIO).
 */
static int write_fd(int fd, bool sync, int (*write)(const void *ctx, FILE *out), const void *ctx)
{
	FILE *out = fdopen(fd, "w");
	int ret;

	if (!out) {
		ret = -errno;
		close(fd);
		return ret;
	}
	errno = 0;
	ret = write(ctx, out);
	if (ret && ferror(out) && errno)
		ret = -errno;
	if (fflush(out) && !ret)
		ret = -errno;
	if (sync && fsync(fileno(out)) && !ret)
		ret = -errno;
	if (fclose(out) && !ret)
		ret = -errno;
	return ret;
}

/*
 * The name path's symbolic links lead to (a relative one from the link's
 * directory), whether that exists or not (a dangling link), in *real (to
 * free); the kernel follows the links among the directories on the way.
 * 0 or -errno.
 */
static int follow_links(const char *path, char **real)
{
	char *cur = strdup(path), *next, target[4096];
	int ret = -ENOMEM;

	for (int hops = 0; cur; hops++) {
		const char *slash = strrchr(cur, '/');
		struct stat st;
		ssize_t n = 0;
		int dir;

		if (lstat(cur, &st))
			ret = errno == ENOENT ? 0 : -errno;
		else if (!S_ISLNK(st.st_mode))
			ret = 0;
		else if (hops == 40)
			ret = -ELOOP;
		else if ((n = readlink(cur, target, sizeof(target))) < 0)
			ret = -errno;
		else
			ret = n == sizeof(target) ? -ENAMETOOLONG : 1;
		if (ret <= 0)
			break;
		dir = target[0] == '/' || !slash ? 0 : (int)(slash - cur + 1);
		if (asprintf(&next, "%.*s%.*s", dir, cur, (int)n, target) < 0)
			next = NULL;
		free(cur);
		cur = next;
		ret = -ENOMEM;
	}
	if (ret)
		free(cur);
	else
		*real = cur;
	return ret;
}

/* Into a temporary file of real's directory, renamed over real when complete. */
static int save_replacing(const char *path, const char *real, const struct stat *old,
			  int (*write)(const void *ctx, FILE *out), const void *ctx,
			  char *err, size_t errlen)
{
	size_t size = strlen(real) + sizeof(".tmp-XXXXXXXX");
	char *tmp = malloc(size);
	int fd, ret;

	if (!tmp)
		return ksr_fail(err, errlen, -ENOMEM, "%s: out of memory", path);
	/* A file replaced keeps its mode and, where allowed, its owner: 0600 until then. */
	fd = create_temp(real, old ? 0600 : 0666, tmp, size);
	if (fd < 0) {
		ret = ksr_fail(err, errlen, fd, "%s: cannot create a temporary file%s%s: %s",
			       path, strcmp(real, path) ? " next to " : "",
			       strcmp(real, path) ? real : "", strerror(-fd));
		free(tmp);
		return ret;
	}
	if (old && fchown(fd, old->st_uid, old->st_gid)) {
		/* Not allowed (only root gives a file away): ours, like sed -i does. */
	}
	if (old && fchmod(fd, old->st_mode & 07777)) {
		ret = ksr_fail(err, errlen, -errno, "%s: %s", path, strerror(errno));
		close(fd);
		goto fail;
	}
	ret = write_fd(fd, true, write, ctx);
	if (ret) {
		ksr_fail(err, errlen, ret, "%s: %s", path, strerror(-ret));
		goto fail;
	}
	if (rename(tmp, real)) {
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

int ksr_save_file(const char *path, int (*write)(const void *ctx, FILE *out), const void *ctx,
		  char *err, size_t errlen)
{
	struct stat st, at;
	char *real;
	int fd, ret;

	if (stat(path, &st)) {
		if (errno != ENOENT)
			return ksr_fail(err, errlen, -errno, "%s: %s", path, strerror(errno));
		st = (struct stat){ 0 };
	}
	if (S_ISDIR(st.st_mode))
		return ksr_fail(err, errlen, -EISDIR, "%s: %s", path, strerror(EISDIR));
	if (st.st_mode && !S_ISREG(st.st_mode)) {
		/* A FIFO or a device: written in place (open() follows the links). */
		fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
		ret = fd < 0 ? -errno : write_fd(fd, S_ISBLK(st.st_mode), write, ctx);
		return ret ? ksr_fail(err, errlen, ret, "%s: %s", path, strerror(-ret)) : 0;
	}
	/*
	 * A file of several hard links: renaming over one name would leave the
	 * others with the old contents, rewriting it in place would not be all
	 * or nothing. Refused, untouched.
	 */
	if (S_ISREG(st.st_mode) && st.st_nlink > 1)
		return ksr_fail(err, errlen, -EMLINK,
				"%s: has %ju hard links: not replaced (the other names would keep the old contents) nor rewritten in place (not all or nothing): write to another name, or remove the other links",
				path, (uintmax_t)st.st_nlink);
	/* A regular file or none yet: the name to replace or create, links followed. */
	ret = follow_links(path, &real);
	if (ret)
		return ksr_fail(err, errlen, ret, "%s: %s", path, strerror(-ret));
	ret = lstat(real, &at) ? -errno : 0;
	if (ret == -ENOENT) {
		at = (struct stat){ 0 };
		ret = 0;
	}
	if (ret)
		ret = ksr_fail(err, errlen, ret, "%s: %s", path, strerror(-ret));
	else if (at.st_mode != st.st_mode || at.st_dev != st.st_dev || at.st_ino != st.st_ino)
		/* A link changed meanwhile, or one like /proc/self/fd/N of a deleted file. */
		ret = ksr_fail(err, errlen, -ESTALE, "%s: its links do not lead to a name of it",
			       path);
	else
		ret = save_replacing(path, real, st.st_mode ? &st : NULL, write, ctx, err, errlen);
	free(real);
	return ret;
}
