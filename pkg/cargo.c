/*
 * cargo.c - the crates of a Rust binary built with cargo-auditable: its
 * ELF section .dep-v0 holds a zlib stream of JSON, {"packages": [{"name",
 * "version", "source", "kind", "root"}, ...]}.  The section is found by
 * the ELF section headers (32- or 64-bit, either byte order) and inflated
 * with a bound.
 */
#include <stdlib.h>
#include <string.h>

#include <isa-l.h>
#include <jansson.h>

#include "pkg/pkg_int.h"

#define CARGO_JSON_MAX	(8u << 20)	/* the inflated JSON */
#define ELF_SECTIONS_MAX	65535u

static uint64_t
get(const uint8_t *p, unsigned n, bool be)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < n; i++)
		v = v << 8 | p[be ? i : n - 1 - i];
	return v;
}

/* The ELF layout fields, by class. */
struct elf {
	const uint8_t *p;
	size_t n;
	bool be, is64;
};

/* Field at off of width w (4 or 8 by class, or fixed). */
static uint64_t
rd(const struct elf *f, size_t off, unsigned w)
{
	return get(f->p + off, w, f->be);
}

bool
pkg_cargo_section(const uint8_t *p, size_t n, const uint8_t **sec,
    size_t *len)
{
	struct elf f = { p, n, false, false };
	uint64_t shoff, off, size, stroff, strsize, name;
	unsigned shentsize, shnum, shstrndx, i, w;
	size_t h;

	if (n < 52 || memcmp(p, "\177ELF", 4) != 0 || (p[4] != 1 && p[4] != 2) ||
	    (p[5] != 1 && p[5] != 2))
		return false;
	f.is64 = p[4] == 2;
	f.be = p[5] == 2;
	w = f.is64 ? 8 : 4;
	if (f.is64 && n < 64)
		return false;
	shoff = rd(&f, f.is64 ? 40 : 32, w);
	shentsize = (unsigned)rd(&f, f.is64 ? 58 : 46, 2);
	shnum = (unsigned)rd(&f, f.is64 ? 60 : 48, 2);
	shstrndx = (unsigned)rd(&f, f.is64 ? 62 : 50, 2);
	if (shentsize < (f.is64 ? 64u : 40u) || shnum == 0 || shstrndx >= shnum ||
	    shoff > n || (uint64_t)shnum * shentsize > n - shoff)
		return false;
	h = (size_t)shoff + (size_t)shstrndx * shentsize;
	stroff = rd(&f, h + (f.is64 ? 24 : 16), w);
	strsize = rd(&f, h + (f.is64 ? 32 : 20), w);
	if (stroff > n || strsize > n - stroff)
		return false;
	for (i = 0; i < shnum; i++) {
		h = (size_t)shoff + (size_t)i * shentsize;
		name = rd(&f, h, 4);
		if (name >= strsize || strsize - name < 8 ||
		    memcmp(p + stroff + name, ".dep-v0", 8) != 0)
			continue;
		off = rd(&f, h + (f.is64 ? 24 : 16), w);
		size = rd(&f, h + (f.is64 ? 32 : 20), w);
		if (off > n || size > n - off)
			return false;
		if (sec != NULL)
			*sec = p + off;
		if (len != NULL)
			*len = (size_t)size;
		return true;
	}
	return false;
}

/* Inflate the zlib stream p[0..n) into *out, at most CARGO_JSON_MAX
   bytes.  @return 0, or a negative ERR_* code. */
static int
inflate_bounded(const uint8_t *p, size_t n, struct sbuf *out, struct err *e)
{
	struct inflate_state *st = xcalloc(1, sizeof(*st));
	uint8_t buf[65536];
	int r = 0, x;

	isal_inflate_init(st);
	st->crc_flag = ISAL_ZLIB;
	st->next_in = (uint8_t *)(uintptr_t)p;
	st->avail_in = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
	do {
		st->next_out = buf;
		st->avail_out = sizeof(buf);
		if ((x = isal_inflate(st)) != ISAL_DECOMP_OK) {
			r = err_set(e, ERR_FORMAT, ".dep-v0 does not inflate (%d)", x);
			goto out;
		}
		if (sizeof(buf) - st->avail_out > CARGO_JSON_MAX - out->len) {
			r = err_set(e, ERR_LIMIT, ".dep-v0 inflates to more than %u "
			    "MiB", CARGO_JSON_MAX >> 20);
			goto out;
		}
		sbuf_add(out, buf, sizeof(buf) - st->avail_out);
	} while (st->block_state != ISAL_BLOCK_FINISH &&
	    (st->avail_in > 0 || st->avail_out == 0));
	if (st->block_state != ISAL_BLOCK_FINISH)
		r = err_set(e, ERR_FORMAT, ".dep-v0 ends before its zlib stream");
 out:
	free(st);
	return r;
}

/* Add the crates of the JSON text. */
static int
add_crates(struct pkg_db *db, const struct sbuf *js, const char *path,
    struct err *e)
{
	json_error_t je;
	json_t *root = json_loadb(js->buf, js->len, 0, &je), *pkgs, *x;
	const char *name, *ver;
	size_t i;
	long k;
	int r = 0;

	if (root == NULL)
		return err_set(e, ERR_FORMAT, ".dep-v0: not JSON: line %d: %s",
		    je.line, je.text);
	pkgs = json_object_get(root, "packages");
	if (!json_is_array(pkgs)) {
		r = err_set(e, ERR_FORMAT, ".dep-v0: no \"packages\" array");
		goto out;
	}
	/* All or none: every entry checked before any is added. */
	json_array_foreach(pkgs, i, x)
		if (json_string_value(json_object_get(x, "name")) == NULL ||
		    json_string_value(json_object_get(x, "version")) == NULL) {
			r = err_set(e, ERR_FORMAT, ".dep-v0: package %zu has no name "
			    "or version", i + 1);
			goto out;
		}
	json_array_foreach(pkgs, i, x) {
		name = json_string_value(json_object_get(x, "name"));
		ver = json_string_value(json_object_get(x, "version"));
		if ((k = pkg_add(db, PKG_CARGO, name, strlen(name), NULL, 0, ver,
		    strlen(ver), e)) < 0) {
			r = (int)k;
			goto out;
		}
		pkg_set_where(db, (size_t)k, path, strlen(path));
		/* The binary is its root crate's file. */
		if (json_is_true(json_object_get(x, "root")))
			pkg_own_add(db, (size_t)k, path, strlen(path), NULL);
	}
 out:
	json_decref(root);
	return r;
}

int
pkg_cargo_read(struct pkg_db *db, const struct pkg_input *in, size_t n,
    struct err *e)
{
	struct sbuf js = SBUF_INIT;
	const uint8_t *sec;
	size_t i, len;
	int r = 0;

	struct err pe;

	for (i = 0; i < n && r == 0; i++) {
		if (!pkg_cargo_section(in[i].data, in[i].len, &sec, &len))
			continue;
		sbuf_reset(&js);
		memset(&pe, 0, sizeof(pe));
		if (inflate_bounded(sec, len, &js, &pe) < 0 ||
		    (r = add_crates(db, &js, in[i].path, &pe)) < 0) {
			/* past the package limit nothing more is read */
			if (r < 0 && pe.code == ERR_LIMIT) {
				*e = pe;
				break;
			}
			r = 0;
			pkg_note(db, PKG_CARGO, "%s: unreadable: %s", in[i].path,
			    pe.msg);
		}
	}
	sbuf_release(&js);
	return r;
}
