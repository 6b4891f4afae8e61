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

#endif
