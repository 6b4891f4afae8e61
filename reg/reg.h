/*
 * reg.h - images in a registry: docker:// references and a client of the
 * OCI distribution API (libcurl) that streams manifests and blobs.
 *
 * reg/ knows nothing of images beyond names and digests: tar/ asks it for
 * bytes, feeds them through the blob pipeline and verifies them.
 */
#ifndef IMGDRIFT_REG_H
#define IMGDRIFT_REG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/err.h"

/* Named limits. */
#define REG_MANIFEST_MAX	(4u << 20)	/* one manifest or index */
#define REG_REPO_MAX		255		/* a repository name */
#define REG_HOST_MAX		255		/* a registry host[:port] */
#define REG_TAG_MAX		128		/* a tag */
#define REG_REDIRECTS_MAX	8		/* redirects followed for one GET */
#define REG_RETRIES_MAX		4		/* retries on 429 and 5xx */
#define REG_RETRY_AFTER_MAX	30		/* seconds of Retry-After honoured */
#define REG_TIMEOUT_DEFAULT	30		/* seconds without progress */

/*
 * A registry reference, "HOST/REPO:TAG" or "HOST/REPO@sha256:HEX" (what
 * follows "docker://"), as the containers tools read it: a first component
 * with '.' or ':' in it, or "localhost", is the host; else the host is
 * docker.io and a one-component name is under "library/".
 */
struct reg_ref {
	char host[REG_HOST_MAX + 1];	/* "docker.io", "127.0.0.1:5000" */
	char repo[REG_REPO_MAX + 1];	/* "library/debian" */
	char tag[REG_TAG_MAX + 1];	/* "" when a digest is given */
	char digest[72];		/* "sha256:HEX", or "" */
};

/*
 * Parse s (without "docker://") into r.
 * @return 0, or ERR_USAGE with a message naming what is wrong.
 */
int reg_ref_parse(const char *s, struct reg_ref *r, struct err *e);
/* @return the tag or the digest of r: what its manifest is fetched by. */
const char *reg_ref_tail(const struct reg_ref *r);

/* How to reach a registry (the options of every command that reads one). */
struct reg_opts {
	const char *creds;	/* "USER:PASS" (--creds), or NULL: the auth files */
	const char *cert_dir;	/* a directory whose ca.crt verifies the
				   registry (--cert-dir), or NULL: the system's */
	bool tls_verify_off;	/* --tls-verify=false: no verification, and
				   plain HTTP for any host that speaks it */
	long timeout;		/* seconds without progress; 0: the default */
	const char *cache;	/* --cache DIR: layers' entry tables by digest
				   (tar/cache.c), or NULL */
};

/* What one client fetched, for the report. */
struct reg_stats {
	uint64_t bytes;		/* body bytes received (manifests, blobs, tokens) */
	unsigned requests, retries, manifests, blobs;
	/* Filled by tar_registry_stats(): layers left unfetched (the same
	   blob on the other side, not needed) and their bytes; layers
	   fetched after all, because a comparison needed them. */
	unsigned layers_deferred, layers_late;
	unsigned layers_cached;	/* read from --cache DIR, not fetched */
	uint64_t bytes_deferred;
};

struct reg_client;
struct reg_stream;

/*
 * A client of the registry of ref: HTTPS verified against the system's CAs
 * (or o->cert_dir), plain HTTP only for a loopback host that does not speak
 * TLS, or with o->tls_verify_off.  o is copied (its strings are borrowed:
 * they must outlive the client).  @return 0 and *out (free with
 * reg_client_free()), or a negative ERR_* code.
 */
int reg_client_new(const struct reg_ref *ref, const struct reg_opts *o,
    struct reg_client **out, struct err *e);
void reg_client_free(struct reg_client *c);
/* @return what c fetched so far (valid until reg_client_free()). */
const struct reg_stats *reg_client_stats(const struct reg_client *c);
/*
 * A client for another thread: c's registry, options, scheme and
 * credentials as they are now (copied, so that a token obtained once is
 * used by every thread), its own count of what it fetches.  c must not
 * change while it is copied.  @return the copy (free with
 * reg_client_free()).
 */
struct reg_client *reg_client_dup(const struct reg_client *c);
/* Count what st says another client fetched as c's (the manifests, blobs,
   bytes, requests and retries). */
void reg_client_add_stats(struct reg_client *c, const struct reg_stats *st);

/*
 * GET the manifest named tail (a tag or "sha256:HEX") with the Accept list
 * of OCI and Docker manifest and index types.  @return 0, the body in *body
 * (malloc'd, *len bytes, at most REG_MANIFEST_MAX: more is ERR_LIMIT) and
 * its Content-Type in *media_type (malloc'd), or a negative ERR_* code
 * whose message names the reference (401, 403, 404: ERR_IO).
 */
int reg_get_manifest(struct reg_client *c, const char *tail, char **body,
    size_t *len, char **media_type, struct err *e);
/*
 * Start the GET of blob digest ("sha256:HEX") of size bytes.  Read it with
 * reg_stream_read(); a body longer or shorter than size is ERR_DIGEST
 * naming the blob (the digest itself is the reader's to check).
 * @return 0 and *out (free with reg_stream_free()), or a negative code.
 */
int reg_blob_open(struct reg_client *c, const char *digest, uint64_t size,
    struct reg_stream **out, struct err *e);
/* A src_read_fn: @return bytes read (> 0), 0 at the end, or ERR_*. */
ssize_t reg_stream_read(void *ctx, void *buf, size_t len, struct err *e);
void reg_stream_free(struct reg_stream *s);

/* A WWW-Authenticate challenge (reg_challenge_parse()). */
struct reg_challenge {
	bool bearer, basic;
	char realm[1024], service[256], scope[512];
};
/* Parse a WWW-Authenticate value.  @return 0, or -1 for a scheme other
   than Bearer and Basic or a malformed or oversized parameter. */
int reg_challenge_parse(const char *s, struct reg_challenge *ch);

struct reg_creds {
	char user[256], pass[1024];
};
/*
 * Credentials for ref's host: o->creds, else the first auth file that
 * names the host ($REGISTRY_AUTH_FILE, ${XDG_RUNTIME_DIR}/containers/
 * auth.json, ~/.docker/config.json; credHelpers, auths, credsStore).
 * @return 0 and *cr, 1 when there are none, or a negative ERR_* code.
 */
int reg_creds_find(const struct reg_ref *ref, const struct reg_opts *o,
    struct reg_creds *cr, struct err *e);

#endif
