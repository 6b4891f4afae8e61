#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

int
err_setf(struct err *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL || e->code != 0)
		return code;
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return code;
}

void
err_prefix(struct err *e, const char *fmt, ...)
{
	char old[sizeof(e->msg)];
	va_list ap;
	int n;

	memcpy(old, e->msg, sizeof(old));
	va_start(ap, fmt);
	n = vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(e->msg) - 2)
		return;
	e->msg[n] = ':';
	e->msg[n + 1] = ' ';
	memcpy(e->msg + n + 2, old, sizeof(e->msg) - (size_t)n - 2);
	e->msg[sizeof(e->msg) - 1] = '\0';
}

void
err_clear(struct err *e)
{
	e->code = 0;
	e->msg[0] = '\0';
}

const char *
err_name(int code)
{
	switch (code) {
	case ERR_OK:		return "ok";
	case ERR_USAGE:		return "usage";
	case ERR_IO:		return "i/o error";
	case ERR_FORMAT:	return "bad format";
	case ERR_DIGEST:	return "digest mismatch";
	case ERR_LIMIT:		return "limit exceeded";
	case ERR_UNSUPPORTED:	return "unsupported";
	default:		return "internal error";
	}
}
