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
/* Section headers read: all an ELF file can number (e_shnum is 16 bits;
   the extended numbering of more, e_shnum 0, is not read). */
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

/* An ELF file's header: where its section headers are. */
struct elf {
	bool be, is64;
	unsigned w;		/* an address's width: 4 or 8 */
	uint64_t shoff;
	unsigned shentsize, shnum, shstrndx;
};

/* Read the header from the file's first bytes p[0..n).  @return whether
   it is an ELF file with section headers. */
static bool
elf_header(const uint8_t *p, size_t n, struct elf *f)
{
	if (n < 52 || memcmp(p, "\177ELF", 4) != 0 || (p[4] != 1 && p[4] != 2) ||
	    (p[5] != 1 && p[5] != 2))
		return false;
	f->is64 = p[4] == 2;
	f->be = p[5] == 2;
	f->w = f->is64 ? 8 : 4;
	if (f->is64 && n < 64)
		return false;
	f->shoff = get(p + (f->is64 ? 40 : 32), f->w, f->be);
	f->shentsize = (unsigned)get(p + (f->is64 ? 58 : 46), 2, f->be);
	f->shnum = (unsigned)get(p + (f->is64 ? 60 : 48), 2, f->be);
	f->shstrndx = (unsigned)get(p + (f->is64 ? 62 : 50), 2, f->be);
	return f->shentsize == (f->is64 ? 64u : 40u) && f->shnum > 0 &&
	    f->shnum <= ELF_SECTIONS_MAX && f->shstrndx < f->shnum;
}

/* Some bytes of a file: w[0..nw) are its bytes from offset base on. */
struct span {
	const uint8_t *w;
	size_t nw;
	uint64_t base;
};

/* @return the bytes [off, off + len) of the file, NULL when s lacks any. */
static const uint8_t *
span_at(const struct span *s, uint64_t off, uint64_t len)
{
	if (off < s->base || off - s->base > s->nw ||
	    len > s->nw - (off - s->base))
		return NULL;
	return s->w + (off - s->base);
}

/*
 * Find .dep-v0 by the section headers of f in the bytes s holds.
 * @return 1 and *sec, *len; 0 when there is none, or s lacks the headers
 * or their names; -1 when one is named whose bytes s lacks.
 */
static int
elf_dep(const struct elf *f, const struct span *s, const uint8_t **sec,
    size_t *len)
{
	const uint8_t *sh = span_at(s, f->shoff, (uint64_t)f->shnum *
	    f->shentsize), *h, *str, *data;
	uint64_t stroff, strsize, name, off, size;
	unsigned i;

	if (sh == NULL)
		return 0;
	h = sh + (size_t)f->shstrndx * f->shentsize;
	stroff = get(h + (f->is64 ? 24 : 16), f->w, f->be);
	strsize = get(h + (f->is64 ? 32 : 20), f->w, f->be);
	if ((str = span_at(s, stroff, strsize)) == NULL)
		return 0;
	for (i = 0; i < f->shnum; i++) {
		h = sh + (size_t)i * f->shentsize;
		name = get(h, 4, f->be);
		if (name >= strsize || strsize - name < 8 ||
		    memcmp(str + name, ".dep-v0", 8) != 0)
			continue;
		off = get(h + (f->is64 ? 24 : 16), f->w, f->be);
		size = get(h + (f->is64 ? 32 : 20), f->w, f->be);
		if ((data = span_at(s, off, size)) == NULL)
			return -1;
		if (sec != NULL)
			*sec = data;
		if (len != NULL)
			*len = (size_t)size;
		return 1;
	}
	return 0;
}

bool
pkg_cargo_section(const uint8_t *p, size_t n, const uint8_t **sec,
    size_t *len)
{
	struct span s = { p, n, 0 };
	struct elf f;

	return elf_header(p, n, &f) && elf_dep(&f, &s, sec, len) == 1;
}

bool
pkg_cargo_window(const uint8_t *p, size_t n, uint64_t size, uint64_t *from,
    uint64_t *to)
{
	struct elf f;
	uint64_t end;

	if (!elf_header(p, n, &f) || f.shoff > size ||
	    (uint64_t)f.shnum * f.shentsize > size - f.shoff)
		return false;
	end = f.shoff + (uint64_t)f.shnum * f.shentsize;
	*from = f.shoff > PKG_CARGO_WINDOW ? f.shoff - PKG_CARGO_WINDOW : 0;
	*to = end;
	return true;
}

int
pkg_cargo_find(const uint8_t *p, size_t n, const uint8_t *w, size_t nw,
    uint64_t from, const uint8_t **sec, size_t *len)
{
	struct span s = { w, nw, from };
	struct elf f;

	return elf_header(p, n, &f) ? elf_dep(&f, &s, sec, len) : 0;
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
	size_t i;
	int r = 0;

	struct err pe;

	/* Each input is a .dep-v0 section's bytes (pkg_cargo_find()). */
	for (i = 0; i < n && r == 0; i++) {
		if (in[i].over) {
			pkg_unread(db, PKG_CARGO, in[i].path, ".dep-v0 lies more "
			    "than %u MiB before the section headers (the second "
			    "look reads it where the binary differs on both "
			    "sides, within --look-max-file)",
			    PKG_CARGO_WINDOW >> 20);
			continue;
		}
		sbuf_reset(&js);
		memset(&pe, 0, sizeof(pe));
		if (inflate_bounded(in[i].data, in[i].len, &js, &pe) < 0 ||
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
