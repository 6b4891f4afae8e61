/*
 * entries.c - compare two entries field by field, and two layers entry by
 * entry (matched by path), classifying every difference.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diff/diff_int.h"

/* "2024-01-02T03:04:05Z", with ".nnnnnnnnn" when there are nanoseconds. */
char *
diff_time_str(int64_t t, int32_t ns)
{
	struct tm tm;
	time_t tt = (time_t)t;
	char buf[64];

	if (gmtime_r(&tt, &tm) == NULL)
		return xstrfmt("@%" PRId64, t);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	return ns ? xstrfmt("%s.%09dZ", buf, (int)ns) : xstrfmt("%sZ", buf);
}

static char *
hash_str(enum tar_hash kind, const uint8_t h[TAR_HASH_MAX])
{
	char hex[2 * TAR_HASH_MAX + 1];

	util_hex_encode(hex, h, tar_hash_len(kind));
	return xstrfmt("%s:%s", tar_hash_name(kind), hex);
}

static bool
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static void
add(struct dctx *c, enum diff_class cls, enum diff_scope scope, int layer,
    const char *path, enum diff_field field, char *a, char *b)
{
	diff_dctx_add(c, cls, scope, diff_class_level(cls), layer, path, field,
	    a, b);
}

/* The class a difference of class cls at path is shown in: in a layer, a
   content or permission difference that the final file systems do not
   show was evened out by another layer, so the split moved (ordering). */
static enum diff_class
layer_class(const struct dctx *c, enum diff_scope scope, const char *path,
    enum diff_class cls)
{
	return scope == DIFF_SCOPE_LAYER && !diff_fs_holds(c, path, false, cls) ?
	    DIFF_ORDERING : cls;
}

static enum diff_class
alone_class(const struct dctx *c, enum diff_scope scope,
    const struct tar_entry *e, bool peer_whiteout)
{
	char *target;
	bool opaque, holds;

	/* The root directory exists whether or not a layer names it (`tar -C
	   dir .` does): its entry alone is tar encoding. */
	if (e->path[0] == '\0' && e->kind == TAR_DIR)
		return DIFF_ENCODING;
	if ((target = diff_whiteout_target(e->path, &opaque)) == NULL)
		return layer_class(c, scope, e->path, DIFF_CONTENT);
	/* A deletion the final trees do not show was written another way
	   (an opaque marker or a whiteout per file) or in another layer. */
	holds = scope != DIFF_SCOPE_LAYER ||
	    diff_fs_holds(c, target, true, DIFF_CONTENT);
	free(target);
	return holds ? DIFF_CONTENT : peer_whiteout ? DIFF_ENCODING :
	    DIFF_ORDERING;
}

void
diff_entry_alone(struct dctx *c, enum diff_scope scope, int layer,
    const struct tar_entry *e, bool in_a, bool peer_whiteout)
{
	char *kind = xstrdup(tar_kind_name(e->kind));

	add(c, alone_class(c, scope, e, peer_whiteout), scope, layer, e->path,
	    DIFF_FIELD_ENTRY, in_a ? kind : NULL, in_a ? NULL : kind);
}

/*
 * Format 1 of the fingerprint hashed a sparse file's holes as the zeros
 * they stand for until the sparse hash changed (docs/fingerprint.md): a
 * sparse file whose hash differs from one recorded in format 1 may differ
 * only in how it was hashed.  Say so, once.
 */
static void
note_fp_v1_sparse(struct dctx *c, const char *path)
{
	if (c->fp_v1_noted)
		return;
	c->fp_v1_noted = true;
	diff_dctx_note(c, xstrfmt("%s %s a fingerprint of format 1, which may "
	    "hash a sparse file with its holes as zeros: the content of '%s' "
	    "(sparse) and of any other sparse file may differ only in how it "
	    "was hashed; record the image again to compare them", c->fp_v1,
	    strchr(c->fp_v1, ' ') != NULL ? "are" : "is", path));
}

/* The values of a finding, formatted only when it is kept as an example. */
#define V(cls, expr) (diff_dctx_keeps_at(c, cls, scope, layer, p) ? (expr) : NULL)

void
diff_entries(struct dctx *c, enum diff_scope scope, int layer,
    const struct tar_entry *x, const struct tar_entry *y)
{
	const char *p = x->path;
	enum diff_class content = layer_class(c, scope, p, DIFF_CONTENT);
	enum diff_class perm = layer_class(c, scope, p, DIFF_PERMISSION);

	if (x->kind != y->kind) {
		add(c, content, scope, layer, p, DIFF_FIELD_TYPE,
		    xstrdup(tar_kind_name(x->kind)), xstrdup(tar_kind_name(y->kind)));
		return;
	}
	if (x->kind == TAR_REG) {
		c->size_a = x->size;
		c->size_b = y->size;
		if (x->size != y->size)
			add(c, content, scope, layer, p, DIFF_FIELD_SIZE,
			    V(content, xstrfmt("%" PRIu64, x->size)),
			    V(content, xstrfmt("%" PRIu64, y->size)));
		else if (memcmp(x->hash, y->hash, TAR_HASH_MAX) != 0) {
			add(c, content, scope, layer, p, DIFF_FIELD_CONTENT,
			    V(content, hash_str(c->hash_kind, x->hash)),
			    V(content, hash_str(c->hash_kind, y->hash)));
			if ((x->sparse || y->sparse) && c->fp_v1 != NULL)
				note_fp_v1_sparse(c, p);
		}
	}
	if (!str_eq(x->link, y->link))
		add(c, content, scope, layer, p,
		    x->kind == TAR_HARDLINK ? DIFF_FIELD_HARDLINK : DIFF_FIELD_LINK,
		    x->link ? xstrdup(x->link) : NULL, y->link ? xstrdup(y->link) : NULL);
	if (x->devmajor != y->devmajor || x->devminor != y->devminor)
		add(c, content, scope, layer, p, DIFF_FIELD_DEVICE,
		    xstrfmt("%u,%u", x->devmajor, x->devminor),
		    xstrfmt("%u,%u", y->devmajor, y->devminor));
	if (x->mode != y->mode)
		add(c, perm, scope, layer, p, DIFF_FIELD_MODE,
		    xstrfmt("%04o", x->mode), xstrfmt("%04o", y->mode));
	if (x->uid != y->uid)
		add(c, perm, scope, layer, p, DIFF_FIELD_UID,
		    xstrfmt("%" PRId64, x->uid), xstrfmt("%" PRId64, y->uid));
	if (x->gid != y->gid)
		add(c, perm, scope, layer, p, DIFF_FIELD_GID,
		    xstrfmt("%" PRId64, x->gid), xstrfmt("%" PRId64, y->gid));
	if (!str_eq(x->uname, y->uname))
		add(c, perm, scope, layer, p, DIFF_FIELD_UNAME,
		    xstrdup(x->uname), xstrdup(y->uname));
	if (!str_eq(x->gname, y->gname))
		add(c, perm, scope, layer, p, DIFF_FIELD_GNAME,
		    xstrdup(x->gname), xstrdup(y->gname));
	if (!str_eq(x->xattrs, y->xattrs))
		add(c, perm, scope, layer, p, DIFF_FIELD_XATTRS,
		    x->xattrs ? xstrdup(x->xattrs) : NULL,
		    y->xattrs ? xstrdup(y->xattrs) : NULL);
	if (x->mtime != y->mtime || x->mtime_ns != y->mtime_ns) {
		add(c, DIFF_TIMESTAMP, scope, layer, p, DIFF_FIELD_MTIME,
		    V(DIFF_TIMESTAMP, diff_time_str(x->mtime, x->mtime_ns)),
		    V(DIFF_TIMESTAMP, diff_time_str(y->mtime, y->mtime_ns)));
		if (scope == DIFF_SCOPE_LAYER)
			diff_dctx_shift(c, layer, y->mtime - x->mtime);
	}
	if (x->has_atime != y->has_atime || x->atime != y->atime ||
	    x->atime_ns != y->atime_ns)
		add(c, DIFF_TIMESTAMP, scope, layer, p, DIFF_FIELD_ATIME,
		    x->has_atime ? V(DIFF_TIMESTAMP, diff_time_str(x->atime, x->atime_ns)) : NULL,
		    y->has_atime ? V(DIFF_TIMESTAMP, diff_time_str(y->atime, y->atime_ns)) : NULL);
	if (x->has_ctime != y->has_ctime || x->ctime != y->ctime ||
	    x->ctime_ns != y->ctime_ns)
		add(c, DIFF_TIMESTAMP, scope, layer, p, DIFF_FIELD_CTIME,
		    x->has_ctime ? V(DIFF_TIMESTAMP, diff_time_str(x->ctime, x->ctime_ns)) : NULL,
		    y->has_ctime ? V(DIFF_TIMESTAMP, diff_time_str(y->ctime, y->ctime_ns)) : NULL);
	if (scope == DIFF_SCOPE_LAYER && x->hdrfmt != y->hdrfmt)
		add(c, DIFF_ENCODING, scope, layer, p, DIFF_FIELD_HEADER,
		    V(DIFF_ENCODING, diff_hdrfmt_str(x->hdrfmt)),
		    V(DIFF_ENCODING, diff_hdrfmt_str(y->hdrfmt)));
}
#undef V
