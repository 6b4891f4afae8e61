/*
 * err.h - error values shared by every module.
 *
 * A function that can fail returns 0 or a negative ERR_* code and fills the
 * struct err passed as its last argument.  Only cli/ prints the message.
 */
#ifndef IMGDRIFT_ERR_H
#define IMGDRIFT_ERR_H

enum {
	ERR_OK = 0,
	ERR_USAGE = -1,		/* bad arguments */
	ERR_IO = -2,		/* open, read or write failed */
	ERR_FORMAT = -3,	/* input is malformed */
	ERR_DIGEST = -4,	/* a digest, diff_id or size does not match */
	ERR_LIMIT = -5,		/* a named limit was passed */
	ERR_UNSUPPORTED = -6,	/* valid input we do not read */
	ERR_INTERNAL = -7,
};

struct err {
	int code;
	char msg[1024];
};

/*
 * Record an error.  A message already set is kept (the first failure is the
 * one worth reporting) unless it was cleared with err_clear().
 * @return code, so that a failure reads `return err_set(e, ERR_IO, ...)`.
 *
 * err_set() is a macro over err_setf() so that its value is plainly code:
 * a static analyser reads one file at a time and follows no call with
 * "...", so it took `return err_set(e, ERR_FORMAT, ...)` for a return of
 * any value, 0 too.  code is evaluated twice: pass a constant or a field.
 */
int err_setf(struct err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static inline int
err_code_(int code, int set)
{
	(void)set;
	return code;
}
#define err_set(e, code, ...) \
	err_code_((code), err_setf((e), (code), __VA_ARGS__))

/* Prefix the message with "prefix: " (for adding the file name). */
void err_prefix(struct err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

void err_clear(struct err *e);

/* @return a static lowercase name for an ERR_* code. */
const char *err_name(int code);

#endif
