/*
 * client.c - the OCI distribution API over libcurl: GET a manifest (the
 * Accept list of OCI and Docker media types) or a blob, pulled block by
 * block (curl's multi interface, paused when the reader falls behind),
 * following redirects by hand so that credentials never leave the
 * registry's host, answering 401 with the Bearer or Basic flow, and
 * retrying 429 and 5xx with backoff (Retry-After honoured).
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>

#include "reg/reg.h"
#include "reg/reg_int.h"
#include "util/sbuf.h"
#include "util/util.h"

#define RS_PAUSE_AT	(1u << 20)	/* bytes held before curl is paused */

static const char accept_list[] =
    "Accept: application/vnd.oci.image.index.v1+json, "
    "application/vnd.oci.image.manifest.v1+json, "
    "application/vnd.docker.distribution.manifest.list.v2+json, "
    "application/vnd.docker.distribution.manifest.v2+json";

struct reg_client {
	struct reg_ref ref;
	struct reg_opts opts;
	char *base;		/* "https://HOST" or "http://HOST" */
	bool scheme_known;	/* base has been answered once */
	char *auth;		/* "Authorization: ..." for the registry host */
	struct sbuf cas;	/* the *.crt files of --cert-dir, in name order */
	bool auth_tried;	/* a 401 was answered once already */
	struct reg_stats stats;
};

/* One GET, pulled by its reader. */
struct reg_stream {
	struct reg_client *c;
	CURLM *m;
	CURL *h;
	struct curl_slist *hdrs;
	char *url;
	const char *what;	/* "manifest '1.4'", "blob sha256:..." */
	uint8_t *buf;		/* body bytes received, not yet read */
	size_t pos, len, cap;
	bool paused, done, started;
	CURLcode result;
	long status;
	uint64_t got;		/* body bytes received */
	uint64_t max;		/* more is an error */
	bool has_size;		/* the body must be exactly max bytes */
	bool over;
	char location[2048];
	char www_auth[1024];
	char content_type[256];
	char digest_hdr[80];	/* Docker-Content-Digest */
	long retry_after;	/* seconds, -1 when absent */
	char errbuf[CURL_ERROR_SIZE];
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void
curl_init_once(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		xalloc_die();
}

/* "localhost", 127.0.0.1 or ::1, with or without a port. */
static bool
host_is_loopback(const char *host)
{
	const char *p;

	return (skip_prefix(host, "localhost", &p) ||
	    skip_prefix(host, "127.0.0.1", &p) || skip_prefix(host, "[::1]", &p)) &&
	    (*p == '\0' || *p == ':');
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read every *.crt of dir (the containers tools' certs.d layout: each a
   CA certificate) into cas.  @return 0, or ERR_IO / ERR_USAGE. */
static int
load_cert_dir(const char *dir, struct sbuf *cas, struct err *e)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL, *path;
	size_t n = 0, cap = 0, i, len;
	FILE *fp;
	char blk[4096];
	int r = 0;

	if ((d = opendir(dir)) == NULL)
		return err_set(e, ERR_IO, "--cert-dir '%s': %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len > 4 && strcmp(de->d_name + len - 4, ".crt") == 0) {
			xgrow(&names, &cap, n + 1, sizeof(*names));
			names[n++] = xstrdup(de->d_name);
		}
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n && r == 0; i++) {
		path = xstrfmt("%s/%s", dir, names[i]);
		if ((fp = fopen(path, "r")) == NULL)
			r = err_set(e, ERR_IO, "--cert-dir: '%s': %s", path,
			    strerror(errno));
		while (fp != NULL && (len = fread(blk, 1, sizeof(blk), fp)) > 0)
			sbuf_add(cas, blk, len);
		if (fp != NULL)
			fclose(fp);
		sbuf_addc(cas, '\n');
		free(path);
	}
	if (n == 0)
		r = err_set(e, ERR_USAGE, "--cert-dir '%s' holds no *.crt file", dir);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return r;
}

int
reg_client_new(const struct reg_ref *ref, const struct reg_opts *o,
    struct reg_client **out, struct err *e)
{
	struct reg_client *c;
	const char *host = ref->host;
	int r;

	pthread_once(&curl_once, curl_init_once);
	c = xcalloc(1, sizeof(*c));
	c->ref = *ref;
	if (o != NULL)
		c->opts = *o;
	if (c->opts.cert_dir != NULL && !c->opts.tls_verify_off &&
	    (r = load_cert_dir(c->opts.cert_dir, &c->cas, e)) < 0) {
		sbuf_release(&c->cas);
		free(c);
		return r;
	}
	if (strcmp(host, "docker.io") == 0)
		host = "registry-1.docker.io";
	c->base = xstrfmt("https://%s", host);
	*out = c;
	return 0;
}

void
reg_client_free(struct reg_client *c)
{
	if (c == NULL)
		return;
	free(c->base);
	free(c->auth);
	sbuf_release(&c->cas);
	free(c);
}

const struct reg_stats *
reg_client_stats(const struct reg_client *c)
{
	return &c->stats;
}

struct reg_client *
reg_client_dup(const struct reg_client *c)
{
	struct reg_client *d = xcalloc(1, sizeof(*d));

	d->ref = c->ref;
	d->opts = c->opts;
	d->base = xstrdup(c->base);
	d->scheme_known = c->scheme_known;
	d->auth = c->auth != NULL ? xstrdup(c->auth) : NULL;
	d->auth_tried = c->auth_tried;
	if (c->cas.len > 0)
		sbuf_add(&d->cas, c->cas.buf, c->cas.len);
	return d;
}

void
reg_client_add_stats(struct reg_client *c, const struct reg_stats *st)
{
	c->stats.bytes += st->bytes;
	c->stats.requests += st->requests;
	c->stats.retries += st->retries;
	c->stats.manifests += st->manifests;
	c->stats.blobs += st->blobs;
}

static size_t
on_header(char *p, size_t size, size_t n, void *ctx)
{
	struct reg_stream *s = ctx;
	size_t len = size * n, k;
	const char *v;
	char line[2048];
	struct {
		const char *name;
		char *dst;
		size_t cap;
	} keep[] = {
		{ "location:", s->location, sizeof(s->location) },
		{ "www-authenticate:", s->www_auth, sizeof(s->www_auth) },
		{ "content-type:", s->content_type, sizeof(s->content_type) },
		{ "docker-content-digest:", s->digest_hdr, sizeof(s->digest_hdr) },
	};

	k = len < sizeof(line) - 1 ? len : sizeof(line) - 1;
	memcpy(line, p, k);
	line[k] = '\0';
	line[strcspn(line, "\r\n")] = '\0';
	if (strncmp(line, "HTTP/", 5) == 0) {
		/* A new response (after 100 Continue): forget the last one's. */
		s->location[0] = s->www_auth[0] = s->content_type[0] = '\0';
		s->digest_hdr[0] = '\0';
		s->retry_after = -1;
		return len;
	}
	for (k = 0; k < sizeof(keep) / sizeof(keep[0]); k++)
		if (strncasecmp(line, keep[k].name, strlen(keep[k].name)) == 0) {
			v = line + strlen(keep[k].name);
			v += strspn(v, " \t");
			snprintf(keep[k].dst, keep[k].cap, "%s", v);
		}
	if (strncasecmp(line, "retry-after:", 12) == 0) {
		v = line + 12;
		v += strspn(v, " \t");
		if (*v >= '0' && *v <= '9')
			s->retry_after = strtol(v, NULL, 10);
	}
	return len;
}

static size_t
on_body(char *p, size_t size, size_t n, void *ctx)
{
	struct reg_stream *s = ctx;
	size_t len = size * n;

	if (s->status == 0)
		curl_easy_getinfo(s->h, CURLINFO_RESPONSE_CODE, &s->status);
	/* Only a 2xx body is kept; an error page is read and dropped. */
	if (s->status < 200 || s->status > 299)
		return len;
	if (s->len - s->pos >= RS_PAUSE_AT) {
		s->paused = true;
		return CURL_WRITEFUNC_PAUSE;
	}
	if (s->got + len > s->max) {
		s->over = true;
		return 0;	/* curl stops with CURLE_WRITE_ERROR */
	}
	if (s->pos > 0 && s->pos == s->len)
		s->pos = s->len = 0;
	xgrow(&s->buf, &s->cap, s->len + len, 1);
	memcpy(s->buf + s->len, p, len);
	s->len += len;
	s->got += len;
	s->c->stats.bytes += len;
	return len;
}

static void
stream_stop(struct reg_stream *s)
{
	if (s->h != NULL) {
		curl_multi_remove_handle(s->m, s->h);
		curl_easy_cleanup(s->h);
		s->h = NULL;
	}
	curl_slist_free_all(s->hdrs);
	s->hdrs = NULL;
}

/* Same scheme, host and port as the registry's base URL? */
static bool
same_origin(const char *base, const char *url)
{
	size_t n = strlen(base);

	return strncmp(url, base, n) == 0 && (url[n] == '/' || url[n] == '\0');
}

static int
stream_start(struct reg_stream *s, const char *header, struct err *e)
{
	struct reg_client *c = s->c;
	long timeout = c->opts.timeout > 0 ? c->opts.timeout : REG_TIMEOUT_DEFAULT;
	struct curl_blob blob;

	stream_stop(s);
	s->pos = s->len = 0;
	s->got = 0;
	s->status = 0;
	s->done = s->paused = s->over = false;
	s->result = CURLE_OK;
	s->errbuf[0] = '\0';
	s->location[0] = s->www_auth[0] = s->content_type[0] = '\0';
	s->digest_hdr[0] = '\0';
	s->retry_after = -1;
	if ((s->h = curl_easy_init()) == NULL)
		return err_set(e, ERR_INTERNAL, "cannot start libcurl");
	if (header != NULL)
		s->hdrs = curl_slist_append(s->hdrs, header);
	/* Credentials go to the registry's own origin, never to a host it
	   redirects to (blob storage). */
	if (c->auth != NULL && same_origin(c->base, s->url))
		s->hdrs = curl_slist_append(s->hdrs, c->auth);
	s->hdrs = curl_slist_append(s->hdrs, "User-Agent: imgdrift");
	curl_easy_setopt(s->h, CURLOPT_URL, s->url);
	curl_easy_setopt(s->h, CURLOPT_HTTPHEADER, s->hdrs);
	curl_easy_setopt(s->h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(s->h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(s->h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(s->h, CURLOPT_CONNECTTIMEOUT, timeout);
	curl_easy_setopt(s->h, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(s->h, CURLOPT_LOW_SPEED_TIME, timeout);
	curl_easy_setopt(s->h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(s->h, CURLOPT_HEADERDATA, s);
	curl_easy_setopt(s->h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(s->h, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(s->h, CURLOPT_ERRORBUFFER, s->errbuf);
	curl_easy_setopt(s->h, CURLOPT_NETRC, (long)CURL_NETRC_IGNORED);
	if (c->opts.tls_verify_off) {
		curl_easy_setopt(s->h, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(s->h, CURLOPT_SSL_VERIFYHOST, 0L);
	} else if (c->cas.len > 0) {
		blob.data = c->cas.buf;
		blob.len = c->cas.len;
		blob.flags = CURL_BLOB_NOCOPY;
		curl_easy_setopt(s->h, CURLOPT_CAINFO_BLOB, &blob);
	}
	if (curl_multi_add_handle(s->m, s->h) != CURLM_OK)
		return err_set(e, ERR_INTERNAL, "cannot start libcurl");
	s->c->stats.requests++;
	return 0;
}

/* Run curl until there are body bytes to read, or the end. */
static void
stream_pump(struct reg_stream *s)
{
	CURLMsg *msg;
	int running, left, nfds;

	if (s->paused && s->pos == s->len) {
		s->paused = false;
		curl_easy_pause(s->h, CURLPAUSE_CONT);
	}
	curl_multi_perform(s->m, &running);
	while ((msg = curl_multi_info_read(s->m, &left)) != NULL)
		if (msg->msg == CURLMSG_DONE) {
			s->done = true;
			s->result = msg->data.result;
		}
	if (s->status == 0)
		curl_easy_getinfo(s->h, CURLINFO_RESPONSE_CODE, &s->status);
	if (!s->done && s->pos == s->len && !s->paused)
		curl_multi_poll(s->m, NULL, 0, 1000, &nfds);
}

/* Pump until the status and headers are in (or the end). */
static void
stream_wait_head(struct reg_stream *s)
{
	while (!s->done && (s->status == 0 || (s->status >= 200 &&
	    s->status <= 299 && s->len == s->pos)))
		stream_pump(s);
	/* A non-2xx answer: read its body to the end (it is dropped). */
	while (!s->done && (s->status < 200 || s->status > 299))
		stream_pump(s);
}

/* The error of a transfer that curl ended badly. */
static int
transfer_error(struct reg_stream *s, struct err *e)
{
	const char *why = s->errbuf[0] != '\0' ? s->errbuf :
	    curl_easy_strerror(s->result);

	switch (s->result) {
	case CURLE_OPERATION_TIMEDOUT:
		return err_set(e, ERR_IO, "%s: no answer from %s in %ld seconds (%s)",
		    s->what, s->c->ref.host, s->c->opts.timeout > 0 ?
		    s->c->opts.timeout : (long)REG_TIMEOUT_DEFAULT, why);
	case CURLE_SSL_CONNECT_ERROR:
		/* Often a registry that speaks plain HTTP, which only a loopback
		   host may (stream_get()). */
		if (!host_is_loopback(s->c->ref.host) && !s->c->opts.tls_verify_off)
			return err_set(e, ERR_IO, "%s: TLS with %s failed: %s (--cert-dir "
			    "DIR for a private CA; plain HTTP is spoken only with "
			    "localhost and 127.0.0.1, or with --tls-verify=false)",
			    s->what, s->c->ref.host, why);
		/* FALLTHROUGH */
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
		return err_set(e, ERR_IO, "%s: TLS with %s failed: %s (--cert-dir "
		    "DIR for a private CA)", s->what, s->c->ref.host, why);
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
		return err_set(e, ERR_IO, "%s: cannot reach %s: %s", s->what,
		    s->c->ref.host, why);
	default:
		return err_set(e, ERR_IO, "%s: transfer from %s failed: %s",
		    s->what, s->c->ref.host, why);
	}
}

/* Wait before retry number n (from 0): Retry-After when given (up to
   REG_RETRY_AFTER_MAX), else 0.25 s doubled each time. */
static void
backoff(const struct reg_stream *s, int n)
{
	struct timespec ts;
	long ms = 250L << n;

	if (s->retry_after >= 0)
		ms = (s->retry_after < REG_RETRY_AFTER_MAX ? s->retry_after :
		    REG_RETRY_AFTER_MAX) * 1000L;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = ms % 1000 * 1000000L;
	nanosleep(&ts, NULL);
}

/* Make loc (maybe relative) absolute against s->url. */
static char *
resolve_location(const struct reg_stream *s)
{
	CURLU *u = curl_url();
	char *abs = NULL, *out = NULL;

	if (u != NULL && curl_url_set(u, CURLUPART_URL, s->url, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_URL, s->location, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_URL, &abs, 0) == CURLUE_OK)
		out = xstrdup(abs);
	curl_free(abs);
	curl_url_cleanup(u);
	return out;
}

static int
status_error(struct reg_stream *s, struct err *e)
{
	const char *ref = s->c->ref.repo;

	switch (s->status) {
	case 401:
		return err_set(e, ERR_IO, "%s of %s/%s: not authorized (401): %s",
		    s->what, s->c->ref.host, ref, s->c->auth != NULL ?
		    "the credentials were refused" : "give --creds USER:PASS or log in");
	case 403:
		return err_set(e, ERR_IO, "%s of %s/%s: access denied (403)", s->what,
		    s->c->ref.host, ref);
	case 404:
		return err_set(e, ERR_IO, "%s of %s/%s: not found (404)", s->what,
		    s->c->ref.host, ref);
	default:
		return err_set(e, ERR_IO, "%s of %s/%s: the registry answered HTTP %ld",
		    s->what, s->c->ref.host, ref, s->status);
	}
}

/*
 * GET path (under /v2/REPO/) until a 2xx answer has begun: redirects,
 * authentication, retries.  @return 0 with body bytes to read (or the
 * end), or a negative ERR_* code.
 */
static int
stream_get(struct reg_stream *s, const char *path, const char *header,
    struct err *e)
{
	struct reg_client *c = s->c;
	int redirects = 0, retries = 0, r;
	char *next;

	for (;;) {
		if (s->url == NULL)
			s->url = xstrfmt("%s/v2/%s/%s", c->base, c->ref.repo, path);
		if ((r = stream_start(s, header, e)) < 0)
			return r;
		stream_wait_head(s);
		if (s->done && s->result != CURLE_OK && s->status == 0) {
			/* No HTTP answer.  A loopback registry (or any, with
			   --tls-verify=false) may speak plain HTTP. */
			if (!c->scheme_known && s->result == CURLE_SSL_CONNECT_ERROR &&
			    (host_is_loopback(c->ref.host) || c->opts.tls_verify_off) &&
			    starts_with(c->base, "https://")) {
				next = xstrfmt("http://%s", c->base + 8);
				free(c->base);
				c->base = next;
				c->scheme_known = true;
				free(s->url);
				s->url = NULL;
				continue;
			}
			return transfer_error(s, e);
		}
		if (same_origin(c->base, s->url))
			c->scheme_known = true;
		if (s->status >= 300 && s->status <= 399 && s->location[0] != '\0') {
			if (++redirects > REG_REDIRECTS_MAX)
				return err_set(e, ERR_IO, "%s: more than %d redirects "
				    "(a redirect loop?)", s->what, REG_REDIRECTS_MAX);
			if ((next = resolve_location(s)) == NULL)
				return err_set(e, ERR_FORMAT, "%s: bad redirect", s->what);
			free(s->url);
			s->url = next;
			continue;
		}
		if (s->status == 401 && !c->auth_tried && s->www_auth[0] != '\0' &&
		    same_origin(c->base, s->url)) {
			c->auth_tried = true;
			if ((r = reg_auth_answer(c, s->www_auth, e)) < 0) {
				err_prefix(e, "%s", s->what);
				return r;
			}
			if (c->auth != NULL)
				continue;
		}
		if ((s->status == 429 || (s->status >= 500 && s->status <= 599)) &&
		    retries < REG_RETRIES_MAX) {
			backoff(s, retries++);
			c->stats.retries++;
			continue;
		}
		if (s->status < 200 || s->status > 299)
			return status_error(s, e);
		return 0;
	}
}

static struct reg_stream *
stream_new(struct reg_client *c, const char *what, uint64_t max, bool exact)
{
	struct reg_stream *s = xcalloc(1, sizeof(*s));

	s->c = c;
	s->what = what;
	s->max = max;
	s->has_size = exact;
	if ((s->m = curl_multi_init()) == NULL)
		xalloc_die();
	return s;
}

void
reg_stream_free(struct reg_stream *s)
{
	if (s == NULL)
		return;
	stream_stop(s);
	curl_multi_cleanup(s->m);
	free(s->url);
	free(s->buf);
	free((char *)(uintptr_t)s->what);
	free(s);
}

ssize_t
reg_stream_read(void *ctx, void *buf, size_t len, struct err *e)
{
	struct reg_stream *s = ctx;
	size_t n;

	while (s->pos == s->len && !s->done)
		stream_pump(s);
	if (s->pos == s->len) {
		if (s->over && !s->has_size)
			return err_set(e, ERR_LIMIT, "%s is larger than the limit of "
			    "%llu bytes", s->what, (unsigned long long)s->max);
		if (s->over)
			return err_set(e, ERR_DIGEST, "%s is longer than the %llu bytes "
			    "its descriptor says", s->what, (unsigned long long)s->max);
		if (s->result != CURLE_OK)
			return transfer_error(s, e);
		if (s->has_size && s->got != s->max)
			return err_set(e, ERR_DIGEST, "%s is %llu bytes, shorter than "
			    "the %llu its descriptor says", s->what,
			    (unsigned long long)s->got, (unsigned long long)s->max);
		return 0;
	}
	n = s->len - s->pos < len ? s->len - s->pos : len;
	memcpy(buf, s->buf + s->pos, n);
	s->pos += n;
	return (ssize_t)n;
}

int
reg_blob_open(struct reg_client *c, const char *digest, uint64_t size,
    struct reg_stream **out, struct err *e)
{
	struct reg_stream *s;
	char *path = xstrfmt("blobs/%s", digest);
	int r;

	s = stream_new(c, xstrfmt("blob %s", digest), size, true);
	r = stream_get(s, path, NULL, e);
	free(path);
	if (r < 0) {
		reg_stream_free(s);
		return r;
	}
	c->stats.blobs++;
	*out = s;
	return 0;
}

int
reg_get_manifest(struct reg_client *c, const char *tail, char **body,
    size_t *len, char **media_type, struct err *e)
{
	struct reg_stream *s;
	struct sbuf sb = SBUF_INIT;
	char *path = xstrfmt("manifests/%s", tail), blk[16384];
	ssize_t n;
	int r;

	s = stream_new(c, xstrfmt("manifest '%s'", tail), REG_MANIFEST_MAX, false);
	if ((r = stream_get(s, path, accept_list, e)) < 0)
		goto out;
	while ((n = reg_stream_read(s, blk, sizeof(blk), e)) > 0)
		sbuf_add(&sb, blk, (size_t)n);
	if ((r = (int)n) < 0)
		goto out;
	*len = sb.len;
	*body = sbuf_detach(&sb);
	*media_type = xstrndup(s->content_type, strcspn(s->content_type, "; "));
	c->stats.manifests++;
	r = 0;
 out:
	free(path);
	sbuf_release(&sb);
	reg_stream_free(s);
	return r;
}

/* Set the Authorization header (reg_int.h). */
void
reg_client_set_auth(struct reg_client *c, char *header)
{
	free(c->auth);
	c->auth = header;
}

const struct reg_ref *
reg_client_ref(const struct reg_client *c)
{
	return &c->ref;
}

const struct reg_opts *
reg_client_opts(const struct reg_client *c)
{
	return &c->opts;
}

/*
 * GET url (the token server of a Bearer challenge) into *body, at most
 * REG_MANIFEST_MAX bytes, with header (NULL: none).  @return 0 or ERR_*.
 */
int
reg_get_url(struct reg_client *c, const char *url, const char *header,
    char **body, size_t *len, struct err *e)
{
	struct reg_stream *s = stream_new(c, xstrfmt("token from %s", url),
	    REG_MANIFEST_MAX, false);
	struct sbuf sb = SBUF_INIT;
	char blk[4096];
	ssize_t n;
	int r;

	s->url = xstrdup(url);
	if ((r = stream_start(s, header, e)) < 0)
		goto out;
	stream_wait_head(s);
	if (s->done && s->result != CURLE_OK && s->status == 0) {
		r = transfer_error(s, e);
		goto out;
	}
	if (s->status < 200 || s->status > 299) {
		r = status_error(s, e);
		goto out;
	}
	while ((n = reg_stream_read(s, blk, sizeof(blk), e)) > 0)
		sbuf_add(&sb, blk, (size_t)n);
	if ((r = (int)n) < 0)
		goto out;
	*len = sb.len;
	*body = sbuf_detach(&sb);
 out:
	sbuf_release(&sb);
	reg_stream_free(s);
	return r;
}
