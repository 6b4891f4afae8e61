/*
 * test_reg.c - registry references, read as the containers tools read
 * them (containers/image docker/reference).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "reg/reg.h"

static void
parses(const char *s, const char *host, const char *repo, const char *tag,
    const char *digest)
{
	struct reg_ref r;
	struct err e = { 0, "" };

	cr_assert_eq(reg_ref_parse(s, &r, &e), 0, "%s: %s", s, e.msg);
	cr_assert_str_eq(r.host, host, "%s", s);
	cr_assert_str_eq(r.repo, repo, "%s", s);
	cr_assert_str_eq(r.tag, tag, "%s", s);
	cr_assert_str_eq(r.digest, digest, "%s", s);
}

static void
refused(const char *s, const char *why)
{
	struct reg_ref r;
	struct err e = { 0, "" };

	cr_assert_eq(reg_ref_parse(s, &r, &e), ERR_USAGE, "%s", s);
	cr_assert(strstr(e.msg, why) != NULL, "%s: %s", s, e.msg);
}

#define D64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

Test(ref, host_repo_tag)
{
	parses("127.0.0.1:5000/app:1.4", "127.0.0.1:5000", "app", "1.4", "");
	parses("localhost/a/b/c", "localhost", "a/b/c", "latest", "");
	parses("registry.example.com/team/app_x.y-z:v1.0_rc-1",
	    "registry.example.com", "team/app_x.y-z", "v1.0_rc-1", "");
	parses("localhost:5000/app", "localhost:5000", "app", "latest", "");
}

Test(ref, docker_hub_defaults)
{
	parses("debian:bookworm", "docker.io", "library/debian", "bookworm", "");
	parses("debian", "docker.io", "library/debian", "latest", "");
	parses("bitnami/nginx", "docker.io", "bitnami/nginx", "latest", "");
	parses("docker.io/debian", "docker.io", "library/debian", "latest", "");
}

Test(ref, digest_wins_over_tag)
{
	struct reg_ref r;
	struct err e = { 0, "" };

	parses("h.io/app@sha256:" D64, "h.io", "app", "", "sha256:" D64);
	parses("h.io/app:1@sha256:" D64, "h.io", "app", "", "sha256:" D64);
	cr_assert_eq(reg_ref_parse("h.io/app@sha256:" D64, &r, &e), 0);
	cr_assert_str_eq(reg_ref_tail(&r), "sha256:" D64);
	cr_assert_eq(reg_ref_parse("h.io/app:2", &r, &e), 0);
	cr_assert_str_eq(reg_ref_tail(&r), "2");
}

Test(ref, malformed)
{
	refused("h.io/app@sha256:abc", "digest");
	refused("h.io/app@md5:" D64, "digest");
	refused("h.io/App:1", "repository");
	refused("h.io/a//b", "repository");
	refused("h.io/-a", "repository");
	refused("h.io/a..b", "repository");
	refused("h.io/a:", "empty tag after ':'");
	refused("h.io/a:-x", "tag '-x': character '-' not allowed first");
	refused("h.io/a:x\033[31m", "tag 'x\033[31m': character '\033' not "
	    "allowed (letters, digits, '_', '.' and '-'");
	refused("h.io:99999999/a", "registry host 'h.io:99999999': the port "
	    "must be 1 to 5 digits");
	refused("h.io:5x/a", "the port must be 1 to 5 digits");
	refused(":5000/a", "registry host ':5000': no name before the port");
	refused("h_x.io/a", "registry host 'h_x.io': character '_' not allowed");
	refused("", "repository");
}

/* The length limits are named in the message, and hold exactly. */
Test(ref, limits_are_named)
{
	char s[REG_HOST_MAX + REG_TAG_MAX + 16];
	struct reg_ref r;
	struct err e = { 0, "" };

	snprintf(s, sizeof(s), "h.io/a:%0*d", REG_TAG_MAX, 0);
	cr_assert_eq(reg_ref_parse(s, &r, &e), 0, "%s", e.msg);
	snprintf(s, sizeof(s), "h.io/a:%0*d", REG_TAG_MAX + 1, 0);
	refused(s, "tag longer than 128 bytes");
	memset(s, 'h', REG_HOST_MAX - 3);
	snprintf(s + REG_HOST_MAX - 3, sizeof(s) - REG_HOST_MAX + 3, ".io/a");
	cr_assert_eq(reg_ref_parse(s, &r, &e), 0, "%s", e.msg);
	memset(s, 'h', REG_HOST_MAX - 2);
	snprintf(s + REG_HOST_MAX - 2, sizeof(s) - REG_HOST_MAX + 2, ".io/a");
	refused(s, "registry host longer than 255 bytes");
}
