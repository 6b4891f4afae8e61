/*
 * auth.c - credentials and the answer to a 401: the Bearer token flow
 * (WWW-Authenticate realm, service, scope) and Basic; credentials from
 * --creds, or the auth files the containers tools and docker read
 * ($REGISTRY_AUTH_FILE, ${XDG_RUNTIME_DIR}/containers/auth.json,
 * ~/.docker/config.json: "auths" with base64 "auth", "credHelpers",
 * "credsStore", a helper run as docker-credential-NAME get).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>
#include <openssl/evp.h>

#include "reg/reg.h"
#include "reg/reg_int.h"
#include "util/sbuf.h"
#include "util/util.h"

#define HELPER_OUT_MAX	(64u << 10)

extern char **environ;

int
reg_challenge_parse(const char *s, struct reg_challenge *ch)
{
	const char *k, *v;
	size_t kn, vn, i;
	char *dst;
	size_t cap;

	memset(ch, 0, sizeof(*ch));
	s += strspn(s, " \t");
	if (strncasecmp(s, "Bearer", 6) == 0 && (s[6] == ' ' || s[6] == '\0'))
		ch->bearer = true;
	else if (strncasecmp(s, "Basic", 5) == 0 && (s[5] == ' ' || s[5] == '\0'))
		ch->basic = true;
	else
		return -1;
	s += strcspn(s, " \t");
	for (;;) {
		s += strspn(s, " \t,");
		if (*s == '\0')
			return 0;
		k = s;
		kn = strcspn(s, "= \t,");
		s += kn;
		if (*s != '=')
			return -1;
		s++;
		dst = NULL;
		cap = 0;
		if (kn == 5 && strncasecmp(k, "realm", 5) == 0)
			dst = ch->realm, cap = sizeof(ch->realm);
		else if (kn == 7 && strncasecmp(k, "service", 7) == 0)
			dst = ch->service, cap = sizeof(ch->service);
		else if (kn == 5 && strncasecmp(k, "scope", 5) == 0)
			dst = ch->scope, cap = sizeof(ch->scope);
		if (*s == '"') {
			v = ++s;
			for (vn = 0; s[vn] != '\0' && s[vn] != '"'; vn++)
				if (s[vn] == '\\' && s[vn + 1] != '\0')
					vn++;
			if (s[vn] != '"')
				return -1;
			s += vn + 1;
		} else {
			v = s;
			vn = strcspn(s, ", \t");
			s += vn;
		}
		if (dst != NULL) {
			if (vn >= cap)
				return -1;
			for (i = 0; i < vn; i++)
				*dst++ = v[i] == '\\' && i + 1 < vn ? v[++i] : v[i];
			*dst = '\0';
		}
	}
}

/* Decode base64 "user:pass" into user and pass.  @return 0 or -1. */
static int
decode_auth(const char *b64, char *user, size_t un, char *pass, size_t pn)
{
	size_t n = strlen(b64);
	unsigned char *out = xmalloc(n / 4 * 3 + 4);
	int len = n % 4 == 0 ? EVP_DecodeBlock(out, (const unsigned char *)b64,
	    (int)n) : -1;
	char *colon;
	int r = -1;

	if (len < 0)
		goto out;
	while (len > 0 && b64[n - 1] == '=' && (n--, 1))
		len--;
	out[len] = '\0';
	if (strlen((char *)out) != (size_t)len ||
	    (colon = strchr((char *)out, ':')) == NULL)
		goto out;
	*colon = '\0';
	if (strlen((char *)out) >= un || strlen(colon + 1) >= pn)
		goto out;
	strcpy(user, (char *)out);
	strcpy(pass, colon + 1);
	r = 0;
 out:
	free(out);
	return r;
}

/* Run docker-credential-NAME get with host on its input.  @return 0 and
   the credentials, 1 when it has none, or a negative ERR_* code. */
static int
run_helper(const char *name, const char *host, struct reg_creds *cr,
    struct err *e)
{
	char *prog = xstrfmt("docker-credential-%s", name);
	char *argv[] = { prog, (char *)(uintptr_t)"get", NULL };
	posix_spawn_file_actions_t fa;
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, st, r;
	pid_t pid = -1;
	struct sbuf sb = SBUF_INIT;
	char blk[4096];
	ssize_t n;
	json_t *j = NULL;
	const char *u, *p;

	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0) {
		r = err_set(e, ERR_IO, "cannot run %s: %s", prog, strerror(errno));
		goto out;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	r = posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(out[1]);
	in[0] = out[1] = -1;
	if (r != 0) {
		pid = -1;
		r = err_set(e, ERR_IO, "cannot run %s: %s", prog, strerror(r));
		goto out;
	}
	signal(SIGPIPE, SIG_IGN);
	(void)!write(in[1], host, strlen(host));
	close(in[1]);
	in[1] = -1;
	while ((n = read(out[0], blk, sizeof(blk))) > 0 && sb.len <= HELPER_OUT_MAX)
		sbuf_add(&sb, blk, (size_t)n);
	/* Closed before the wait: a helper still writing gets EPIPE, not a
	   full pipe that nobody reads. */
	close(out[0]);
	out[0] = -1;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	pid = -1;
	if (sb.len > HELPER_OUT_MAX) {
		r = err_set(e, ERR_FORMAT, "%s get: answer larger than the limit "
		    "of %u bytes", prog, HELPER_OUT_MAX);
		goto out;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		r = 1;	/* "credentials not found in native keychain" */
		goto out;
	}
	j = json_loadb(sbuf_str(&sb), sb.len, 0, NULL);
	u = json_string_value(json_object_get(j, "Username"));
	p = json_string_value(json_object_get(j, "Secret"));
	if (u == NULL || p == NULL || strlen(u) >= sizeof(cr->user) ||
	    strlen(p) >= sizeof(cr->pass)) {
		r = err_set(e, ERR_FORMAT, "%s get: no Username and Secret in its "
		    "answer", prog);
		goto out;
	}
	snprintf(cr->user, sizeof(cr->user), "%s", u);
	snprintf(cr->pass, sizeof(cr->pass), "%s", p);
	r = 0;
 out:
	if (pid > 0)
		waitpid(pid, &st, 0);
	for (st = 0; st < 2; st++) {
		if (in[st] >= 0)
			close(in[st]);
		if (out[st] >= 0)
			close(out[st]);
	}
	json_decref(j);
	sbuf_release(&sb);
	free(prog);
	return r;
}

/* Does the "auths" key k name host?  ("host", "https://host",
   "http://host/v1/", "host/repo" for that repository.) */
static bool
key_matches(const char *k, const char *host, const char *repo)
{
	const char *rest;

	(void)(skip_prefix(k, "https://", &k) || skip_prefix(k, "http://", &k));
	if (!(strcmp(host, "docker.io") == 0 && (skip_prefix(k, "index.docker.io",
	    &rest) || skip_prefix(k, "registry-1.docker.io", &rest))) &&
	    !skip_prefix(k, host, &rest))
		return false;
	if (*rest == '\0' || strcmp(rest, "/") == 0 || strcmp(rest, "/v1/") == 0 ||
	    strcmp(rest, "/v2/") == 0)
		return true;
	return rest[0] == '/' && strcmp(rest + 1, repo) == 0;
}

/* Credentials for the client's host from one auth file.  @return 0 and
   cr, 1 when the file has none (or is absent), or ERR_*. */
static int
from_file(const char *path, const struct reg_ref *ref, struct reg_creds *cr,
    struct err *e)
{
	json_error_t je;
	json_t *j, *v;
	const char *k, *helper = NULL, *b64;
	int r = 1;

	if (access(path, F_OK) != 0)
		return 1;
	if ((j = json_load_file(path, 0, &je)) == NULL)
		return err_set(e, ERR_FORMAT, "auth file '%s': %s", path, je.text);
	helper = json_string_value(json_object_get(json_object_get(j,
	    "credHelpers"), ref->host));
	if (helper != NULL) {
		r = run_helper(helper, ref->host, cr, e);
		goto out;
	}
	json_object_foreach(json_object_get(j, "auths"), k, v) {
		if (!key_matches(k, ref->host, ref->repo) ||
		    (b64 = json_string_value(json_object_get(v, "auth"))) == NULL)
			continue;
		if (decode_auth(b64, cr->user, sizeof(cr->user), cr->pass,
		    sizeof(cr->pass)) < 0) {
			r = err_set(e, ERR_FORMAT, "auth file '%s': the auth of '%s' is "
			    "not base64 of USER:PASS", path, k);
			goto out;
		}
		r = 0;
		goto out;
	}
	if ((helper = json_string_value(json_object_get(j, "credsStore"))) != NULL)
		r = run_helper(helper, ref->host, cr, e);
 out:
	json_decref(j);
	return r;
}

int
reg_creds_find(const struct reg_ref *ref, const struct reg_opts *o,
    struct reg_creds *cr, struct err *e)
{
	const char *env, *colon;
	char *path;
	int i, r = 1;

	memset(cr, 0, sizeof(*cr));
	if (o->creds != NULL) {
		if ((colon = strchr(o->creds, ':')) == NULL ||
		    (size_t)(colon - o->creds) >= sizeof(cr->user) ||
		    strlen(colon + 1) >= sizeof(cr->pass))
			return err_set(e, ERR_USAGE, "--creds takes USER:PASS");
		memcpy(cr->user, o->creds, (size_t)(colon - o->creds));
		snprintf(cr->pass, sizeof(cr->pass), "%s", colon + 1);
		return 0;
	}
	for (i = 0; i < 3 && r == 1; i++) {
		path = NULL;
		if (i == 0 && (env = getenv("REGISTRY_AUTH_FILE")) != NULL &&
		    *env != '\0')
			path = xstrdup(env);
		else if (i == 1 && (env = getenv("XDG_RUNTIME_DIR")) != NULL &&
		    *env != '\0')
			path = xstrfmt("%s/containers/auth.json", env);
		else if (i == 2 && (env = getenv("HOME")) != NULL && *env != '\0')
			path = xstrfmt("%s/.docker/config.json", env);
		if (path != NULL)
			r = from_file(path, ref, cr, e);
		free(path);
	}
	return r;
}

static char *
basic_header(const struct reg_creds *cr)
{
	char *plain = xstrfmt("%s:%s", cr->user, cr->pass);
	size_t n = strlen(plain);
	unsigned char *b64 = xmalloc(4 * ((n + 2) / 3) + 1);
	char *h;

	EVP_EncodeBlock(b64, (unsigned char *)plain, (int)n);
	h = xstrfmt("Authorization: Basic %s", (char *)b64);
	OPENSSL_cleanse(plain, n);
	free(plain);
	free(b64);
	return h;
}

/* Ask the realm of ch for a token: anonymous, or with Basic credentials. */
static int
bearer_token(struct reg_client *c, const struct reg_challenge *ch,
    const struct reg_creds *cr, bool have, struct err *e)
{
	const struct reg_ref *ref = reg_client_ref(c);
	struct sbuf url = SBUF_INIT;
	char *scope = NULL, *esc, *body = NULL, *basic = NULL;
	const char *tok;
	size_t len;
	json_t *j = NULL;
	int r;

	if (!starts_with(ch->realm, "https://") && !starts_with(ch->realm, "http://"))
		return err_set(e, ERR_FORMAT, "the token realm '%s' is not an HTTP "
		    "URL", ch->realm);
	sbuf_addstr(&url, ch->realm);
	sbuf_addc(&url, strchr(ch->realm, '?') != NULL ? '&' : '?');
	if (ch->service[0] != '\0') {
		esc = curl_easy_escape(NULL, ch->service, 0);
		sbuf_addf(&url, "service=%s&", esc);
		curl_free(esc);
	}
	scope = ch->scope[0] != '\0' ? xstrdup(ch->scope) :
	    xstrfmt("repository:%s:pull", ref->repo);
	esc = curl_easy_escape(NULL, scope, 0);
	sbuf_addf(&url, "scope=%s", esc);
	curl_free(esc);
	if (have)
		basic = basic_header(cr);
	if ((r = reg_get_url(c, sbuf_str(&url), basic, &body, &len, e)) < 0)
		goto out;
	j = json_loadb(body, len, 0, NULL);
	if ((tok = json_string_value(json_object_get(j, "token"))) == NULL &&
	    (tok = json_string_value(json_object_get(j, "access_token"))) == NULL) {
		r = err_set(e, ERR_FORMAT, "the token server '%s' gave no token",
		    ch->realm);
		goto out;
	}
	if (strpbrk(tok, "\r\n") != NULL) {
		r = err_set(e, ERR_FORMAT, "the token server '%s' gave a token with "
		    "a line break", ch->realm);
		goto out;
	}
	reg_client_set_auth(c, xstrfmt("Authorization: Bearer %s", tok));
	r = 0;
 out:
	json_decref(j);
	free(body);
	free(basic);
	free(scope);
	sbuf_release(&url);
	return r;
}

int
reg_auth_answer(struct reg_client *c, const char *challenge, struct err *e)
{
	struct reg_challenge ch;
	struct reg_creds cr;
	int r;

	if (reg_challenge_parse(challenge, &ch) < 0)
		return err_set(e, ERR_UNSUPPORTED, "cannot answer the registry's "
		    "challenge '%s' (Bearer or Basic)", challenge);
	if ((r = reg_creds_find(reg_client_ref(c), reg_client_opts(c), &cr, e)) < 0)
		return r;
	if (ch.bearer)
		r = bearer_token(c, &ch, &cr, r == 0, e);
	else if (r == 0) {
		reg_client_set_auth(c, basic_header(&cr));
		r = 0;
	} else
		r = 0;	/* no credentials: the 401 stands */
	OPENSSL_cleanse(&cr, sizeof(cr));
	return r;
}
