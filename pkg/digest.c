/*
 * digest.c - a file's bytes against the digest its package database
 * recorded for it: the algorithm the record names, the bytes hashed with
 * it, and both written the way the ecosystem writes digests (dpkg's
 * md5sums and rpm's FILEDIGESTS in hex, apk's "Q1" + base64 of SHA-1, a
 * Python RECORD's urlsafe base64 without padding, with the size RECORD
 * gives).  The record is decoded and written again, so what a report
 * shows of it is this encoding's characters only, whatever the image held.
 */
#include <string.h>

#include <openssl/evp.h>

#include "pkg/pkg_int.h"

static const char b64_std[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64_url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* How an ecosystem writes a digest. */
enum enc { ENC_HEX, ENC_B64, ENC_B64URL };

/* Decode s[0..len) (base64 of alphabet abc, padding optional) into out,
   exactly n bytes.  @return 0, or -1 when it is not that. */
static int
b64_decode(uint8_t *out, size_t n, const char *s, size_t len, const char *abc)
{
	uint32_t v = 0;
	size_t i, bits = 0, k = 0;
	const char *c;

	while (len > 0 && s[len - 1] == '=')
		len--;
	if (len != (n * 8 + 5) / 6)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] == '\0' || (c = strchr(abc, s[i])) == NULL)
			return -1;
		v = v << 6 | (uint32_t)(c - abc);
		if ((bits += 6) >= 8) {
			bits -= 8;
			if (k < n)
				out[k++] = (uint8_t)(v >> bits);
			v &= (1u << bits) - 1;
		}
	}
	/* The bits past the last byte are zero in a canonical encoding. */
	return k == n && v == 0 ? 0 : -1;
}

/* Write digest d[0..n) into out as enc writes it (apk's "Q1" prefix
   added by the caller). */
static void
encode(char *out, const uint8_t *d, size_t n, enum enc enc)
{
	char *c;

	if (enc == ENC_HEX) {
		util_hex_encode(out, d, n);
		return;
	}
	/* OpenSSL's standard base64 (4 * ceil(n / 3) + 1 bytes); RECORD's
	   is the URL alphabet without padding */
	EVP_EncodeBlock((unsigned char *)out, d, (int)n);
	if (enc != ENC_B64URL)
		return;
	for (c = out; *c != '\0'; c++) {
		if (*c == '+')
			*c = '-';
		else if (*c == '/')
			*c = '_';
		else if (*c == '=')
			*c = '\0';
	}
}

/* The algorithms a record may name, by the names the databases use. */
static const struct {
	const char *name;
	const EVP_MD *(*md)(void);
} algos[] = {
	{ "md5", EVP_md5 },
	{ "sha1", EVP_sha1 },
	{ "sha224", EVP_sha224 },
	{ "sha256", EVP_sha256 },
	{ "sha384", EVP_sha384 },
	{ "sha512", EVP_sha512 },
};

int
pkg_digest_check(enum pkg_eco eco, const char *recorded, const uint8_t *data,
    size_t len, struct pkg_check *c, struct err *e)
{
	uint8_t want[EVP_MAX_MD_SIZE], got[EVP_MAX_MD_SIZE];
	const char *colon = strchr(recorded, ':'), *text, *comma, *prefix = "";
	const char *num, *end;
	const EVP_MD *md = NULL;
	enum enc enc = ENC_HEX;
	unsigned int n = 0;
	uint64_t size;
	size_t i, tlen;
	int bad;

	memset(c, 0, sizeof(*c));
	c->recorded_size = -1;
	c->size = len;
	if (colon == NULL)
		return err_set(e, ERR_FORMAT, "a recorded digest without an "
		    "algorithm");
	text = colon + 1;
	tlen = strlen(text);
	if (eco == PKG_APK && skip_prefix(recorded, "apk:Q1", &text)) {
		/* apk-tools' checksum blob: "Q1" + base64 of a SHA-1 */
		c->algo = "sha1";
		md = EVP_sha1();
		enc = ENC_B64;
		prefix = "Q1";
		tlen = strlen(text);
	} else if (eco == PKG_APK && tlen == 32) {
		/* apk-tools 2 before "Q1": hex of an MD5 */
		c->algo = "md5";
		md = EVP_md5();
	} else if (eco != PKG_APK) {
		for (i = 0; i < sizeof(algos) / sizeof(algos[0]); i++)
			if (strlen(algos[i].name) == (size_t)(colon - recorded) &&
			    strncmp(recorded, algos[i].name, (size_t)(colon -
			    recorded)) == 0) {
				c->algo = algos[i].name;
				md = algos[i].md();
			}
		if (eco == PKG_PYPI) {
			enc = ENC_B64URL;
			if ((comma = strchr(text, ',')) != NULL) {
				tlen = (size_t)(comma - text);
				num = comma + 1;
				end = num + strlen(num);
				if (!pkg_all_digits(num, end) ||
				    !pkg_number(&num, end, &size) || size > INT64_MAX)
					return err_set(e, ERR_FORMAT, "a recorded size "
					    "that is not a number");
				c->recorded_size = (int64_t)size;
			}
		}
	}
	if (md == NULL)
		return err_set(e, ERR_UNSUPPORTED, "%s", eco == PKG_APK ?
		    "an apk checksum that is neither Q1 (SHA-1) nor MD5" :
		    "a digest algorithm imgdrift does not check");
	n = (unsigned int)EVP_MD_size(md);
	bad = enc == ENC_HEX ? tlen != 2 * (size_t)n ||
	    util_hex_decode(want, text, n) < 0 :
	    b64_decode(want, n, text, tlen, enc == ENC_B64 ? b64_std : b64_url);
	if (bad)
		return err_set(e, ERR_FORMAT, "a recorded %s that is not %s", c->algo,
		    enc == ENC_HEX ? "hex" : "base64");
	if (EVP_Digest(data, len, got, &n, md, NULL) != 1)
		return err_set(e, ERR_INTERNAL, "%s of the file failed", c->algo);
	memcpy(c->recorded, prefix, strlen(prefix));
	encode(c->recorded + strlen(prefix), want, n, enc);
	memcpy(c->file, prefix, strlen(prefix));
	encode(c->file + strlen(prefix), got, n, enc);
	c->match = memcmp(want, got, n) == 0 && (c->recorded_size < 0 ||
	    (uint64_t)c->recorded_size == len);
	return 0;
}
