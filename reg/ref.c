/*
 * ref.c - docker:// references, as the containers tools and the
 * distribution reference grammar read them.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "reg/reg.h"
#include "util/util.h"

static bool
is_lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* A host (n bytes of h): letters, digits, '-' and '.', then maybe
   ":PORT".  @return 0, or ERR_USAGE naming the rule it breaks. */
static int
host_check(const char *h, size_t n, struct err *e)
{
	size_t i = 0, port = 0;

	if (n > REG_HOST_MAX)
		return err_set(e, ERR_USAGE, "registry host longer than %d bytes",
		    REG_HOST_MAX);
	for (; i < n && h[i] != ':'; i++)
		if (!isalnum((unsigned char)h[i]) && h[i] != '-' && h[i] != '.')
			return err_set(e, ERR_USAGE, "registry host '%.*s': "
			    "character '%c' not allowed (letters, digits, '-' and "
			    "'.', then :PORT)", (int)n, h, h[i]);
	if (i == 0)
		return err_set(e, ERR_USAGE, "registry host '%.*s': no name "
		    "before the port", (int)n, h);
	if (i < n) {
		for (i++; i < n; i++, port++)
			if (!isdigit((unsigned char)h[i]))
				break;
		if (i < n || port == 0 || port > 5)
			return err_set(e, ERR_USAGE, "registry host '%.*s': the "
			    "port must be 1 to 5 digits", (int)n, h);
	}
	return 0;
}

/* One path component: [a-z0-9]+ joined by '.', '_', "__" or '-'s. */
static bool
component_ok(const char *p, size_t n)
{
	size_t i = 0, k;

	for (;;) {
		if (i >= n || !is_lower_alnum(p[i]))
			return false;
		while (i < n && is_lower_alnum(p[i]))
			i++;
		if (i == n)
			return true;
		k = i;
		if (p[i] == '.')
			i++;
		else if (p[i] == '_')
			i += i + 1 < n && p[i + 1] == '_' ? 2 : 1;
		else
			while (i < n && p[i] == '-')
				i++;
		if (i == k)
			return false;
	}
}

static bool
repo_ok(const char *p)
{
	const char *slash;

	for (;; p = slash + 1) {
		slash = strchr(p, '/');
		if (!component_ok(p, slash != NULL ? (size_t)(slash - p) : strlen(p)))
			return false;
		if (slash == NULL)
			return true;
	}
}

/* A tag (n bytes of t): [A-Za-z0-9_][A-Za-z0-9_.-]*, at most REG_TAG_MAX
   bytes.  @return 0, or ERR_USAGE naming the rule it breaks. */
static int
tag_check(const char *t, size_t n, struct err *e)
{
	size_t i;

	if (n == 0)
		return err_set(e, ERR_USAGE, "empty tag after ':'");
	if (n > REG_TAG_MAX)
		return err_set(e, ERR_USAGE, "tag longer than %d bytes",
		    REG_TAG_MAX);
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)t[i]) && t[i] != '_' &&
		    (i == 0 || (t[i] != '.' && t[i] != '-')))
			return err_set(e, ERR_USAGE, "tag '%.*s': character '%c' "
			    "not allowed%s (letters, digits, '_', '.' and '-', "
			    "not '.' or '-' first)", (int)n, t, t[i],
			    i == 0 ? " first" : "");
	return 0;
}

static bool
digest_ok(const char *d)
{
	const char *hex;
	size_t i;

	if (!skip_prefix(d, "sha256:", &hex) || strlen(hex) != 64)
		return false;
	for (i = 0; i < 64; i++)
		if (!((hex[i] >= '0' && hex[i] <= '9') ||
		    (hex[i] >= 'a' && hex[i] <= 'f')))
			return false;
	return true;
}

int
reg_ref_parse(const char *s, struct reg_ref *r, struct err *e)
{
	const char *at, *name = s, *slash, *colon, *end;
	size_t n;
	int rc;

	memset(r, 0, sizeof(*r));
	if ((at = strchr(s, '@')) != NULL) {
		if (!digest_ok(at + 1))
			return err_set(e, ERR_USAGE, "the digest after '@' must be "
			    "sha256: and 64 lowercase hex digits");
		snprintf(r->digest, sizeof(r->digest), "%s", at + 1);
	}
	end = at != NULL ? at : s + strlen(s);
	slash = memchr(s, '/', (size_t)(end - s));
	if (slash != NULL && (memchr(s, '.', (size_t)(slash - s)) != NULL ||
	    memchr(s, ':', (size_t)(slash - s)) != NULL ||
	    (slash - s == 9 && strncmp(s, "localhost", 9) == 0))) {
		if ((rc = host_check(s, (size_t)(slash - s), e)) < 0)
			return rc;
		memcpy(r->host, s, (size_t)(slash - s));
		name = slash + 1;
	} else
		snprintf(r->host, sizeof(r->host), "docker.io");
	/* A tag follows the last ':' after the last '/'. */
	colon = NULL;
	for (slash = name; slash < end; slash++)
		if (*slash == ':')
			colon = slash;
		else if (*slash == '/')
			colon = NULL;
	n = (size_t)((colon != NULL ? colon : end) - name);
	if (strcmp(r->host, "docker.io") == 0 && memchr(name, '/', n) == NULL)
		n += (size_t)snprintf(r->repo, sizeof(r->repo), "library/");
	if (n > REG_REPO_MAX)
		return err_set(e, ERR_USAGE, "repository name longer than %d "
		    "bytes", REG_REPO_MAX);
	memcpy(r->repo + strlen(r->repo), name,
	    (size_t)((colon != NULL ? colon : end) - name));
	if (!repo_ok(r->repo))
		return err_set(e, ERR_USAGE, "bad repository name (lowercase "
		    "letters, digits and separators)");
	if (colon != NULL) {
		n = (size_t)(end - colon - 1);
		if ((rc = tag_check(colon + 1, n, e)) < 0)
			return rc;
		memcpy(r->tag, colon + 1, n);
	}
	/* A digest wins over a tag, as the containers tools read name:tag@digest. */
	if (r->digest[0] != '\0')
		r->tag[0] = '\0';
	else if (r->tag[0] == '\0')
		snprintf(r->tag, sizeof(r->tag), "latest");
	return 0;
}

const char *
reg_ref_tail(const struct reg_ref *r)
{
	return r->digest[0] != '\0' ? r->digest : r->tag;
}
