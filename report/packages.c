/*
 * packages.c - render `imgdrift inspect --packages`: the packages of each
 * image (the OS's and the applications'), as text for people and as JSON schema imgdrift.packages/1
 * (docs/json-inspect.md) for programs, like a small SBOM.
 */
#include <string.h>

#include "report/report.h"
#include "util/json.h"
#include "util/sbuf.h"

/* The text form's one escaper. */
static void
put(FILE *fp, struct sbuf *sb, const char *s)
{
	sbuf_reset(sb);
	sbuf_add_escaped(sb, s, strlen(s));
	fputs(sbuf_str(sb), fp);
}

static void
image_text(FILE *fp, struct sbuf *sb, const struct tar_image *im, size_t n,
    const struct pkg_db *db)
{
	const struct pkg *p;
	const char *why;
	size_t i, k;
	bool any = false;

	fprintf(fp, "image %zu  ", n);
	put(fp, sb, im->platform != NULL ? im->platform : "(platform unknown)");
	fputc('\n', fp);
	if (db == NULL) {
		fputs("  package lists not recorded (fingerprint format version 1 or 2)\n",
		    fp);
		return;
	}
	for (i = 0; i < PKG_NECO; i++) {
		if (!pkg_db_present(db, (enum pkg_eco)i))
			continue;
		any = true;
		if ((why = pkg_db_problem(db, (enum pkg_eco)i)) != NULL) {
			fprintf(fp, "  %s database ", pkg_eco_name((enum pkg_eco)i));
			put(fp, sb, why);
			fputc('\n', fp);
		}
		for (k = 0; (why = pkg_db_note(db, (enum pkg_eco)i, k)) != NULL;
		    k++) {
			fprintf(fp, "  %s: ", pkg_eco_name((enum pkg_eco)i));
			put(fp, sb, why);
			fputc('\n', fp);
		}
	}
	if (!any)
		fputs("  no package database\n", fp);
	for (i = 0; i < pkg_db_count(db); i++) {
		p = pkg_db_get(db, i);
		fprintf(fp, "  %s  ", pkg_eco_name((enum pkg_eco)p->eco));
		put(fp, sb, p->name);
		fputs("  ", fp);
		put(fp, sb, p->version);
		fputs("  ", fp);
		put(fp, sb, p->arch[0] != '\0' ? p->arch : "-");
		if (p->nfiles == 0 && p->owns_dir)
			fputs("  a directory", fp);
		else
			fprintf(fp, "  %zu file%s%s", p->nfiles, p->nfiles == 1 ?
			    "" : "s", p->owns_dir ? " and a directory" : "");
		if (p->where[0] != '\0') {
			fputs("  ", fp);
			put(fp, sb, p->where);
		}
		fputc('\n', fp);
	}
}

static json_t *
image_json(const struct tar_image *im, const struct pkg_db *db)
{
	json_t *o = json_object(), *a = json_array(), *dbs = json_array(), *x, *nl;
	const struct pkg *p;
	const char *why;
	size_t i, k;

	json_object_set_new(o, "platform", util_json_str(im->platform));
	/* false: a fingerprint of format version 1 or 2, which records none */
	json_object_set_new(o, "recorded", json_boolean(db != NULL));
	for (i = 0; i < PKG_NECO; i++) {
		if (!pkg_db_present(db, (enum pkg_eco)i))
			continue;
		why = pkg_db_problem(db, (enum pkg_eco)i);
		x = json_object();
		json_object_set_new(x, "ecosystem",
		    json_string(pkg_eco_name((enum pkg_eco)i)));
		json_object_set_new(x, "read", json_boolean(why == NULL));
		json_object_set_new(x, "problem", util_json_str(why));
		nl = json_array();
		for (k = 0; (why = pkg_db_note(db, (enum pkg_eco)i, k)) != NULL; k++)
			json_array_append_new(nl, util_json_str(why));
		json_object_set_new(x, "notes", nl);
		json_array_append_new(dbs, x);
	}
	json_object_set_new(o, "databases", dbs);
	for (i = 0; i < pkg_db_count(db); i++) {
		p = pkg_db_get(db, i);
		x = json_object();
		json_object_set_new(x, "ecosystem",
		    json_string(pkg_eco_name((enum pkg_eco)p->eco)));
		json_object_set_new(x, "name", util_json_str(p->name));
		json_object_set_new(x, "version", util_json_str(p->version));
		json_object_set_new(x, "arch", util_json_str(p->arch));
		json_object_set_new(x, "path", p->where[0] != '\0' ?
		    util_json_str(p->where) : json_null());
		json_object_set_new(x, "files", json_integer((json_int_t)p->nfiles));
		json_object_set_new(x, "owns_directory", json_boolean(p->owns_dir));
		json_array_append_new(a, x);
	}
	json_object_set_new(o, "packages", a);
	return o;
}

int
report_packages(FILE *fp, const char *name, const struct tar_archive *ar,
    struct pkg_db *const *dbs, enum report_format fmt)
{
	struct sbuf sb = SBUF_INIT;
	json_t *o, *a;
	size_t i;
	int rc = 0;

	if (fmt == REPORT_JSON) {
		o = json_object();
		a = json_array();
		json_object_set_new(o, "schema", json_string("imgdrift.packages/1"));
		json_object_set_new(o, "input", util_json_str(name));
		for (i = 0; i < tar_nimages(ar); i++)
			json_array_append_new(a, image_json(tar_image(ar, i), dbs[i]));
		json_object_set_new(o, "images", a);
		rc = json_dumpf(o, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', fp);
		json_decref(o);
	} else {
		fputs("input  ", fp);
		put(fp, &sb, name);
		fputc('\n', fp);
		for (i = 0; i < tar_nimages(ar); i++)
			image_text(fp, &sb, tar_image(ar, i), i + 1, dbs[i]);
	}
	sbuf_release(&sb);
	return rc == 0 && !ferror(fp) ? 0 : ERR_IO;
}
