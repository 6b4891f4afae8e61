/*
 * criterion.h - the part of Criterion's API the unit tests use, for
 * `make tsan` only.  Criterion cannot start under ThreadSanitizer (its
 * inheritable arena needs fixed addresses TSan has reserved: Criterion
 * issue 274), so the tsan build puts this directory first on the include
 * path.  Each Test() runs in its own child process, as with Criterion;
 * a failed assertion ends that child with a message.  Messages given to
 * the assertions are not shown.
 */
#ifndef IMGDRIFT_TSAN_CRITERION_H
#define IMGDRIFT_TSAN_CRITERION_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

void shim_register(const char *suite, const char *name, void (*fn)(void),
    unsigned timeout);
void shim_fail(const char *file, int line, const char *what)
    __attribute__((noreturn));
void shim_skip(void) __attribute__((noreturn));

struct shim_opts {
	unsigned timeout;	/* seconds, 0 for none */
	int end_;		/* ends the list a Test() gives */
};

#define SHIM_TEST_(s, n, ...)						\
	static void s##_##n(void);					\
	__attribute__((constructor)) static void s##_##n##_reg(void)	\
	{								\
		struct shim_opts o = { __VA_ARGS__ };			\
		shim_register(#s, #n, s##_##n, o.timeout);		\
	}								\
	static void s##_##n(void)
#define Test(...)		SHIM_TEST_(__VA_ARGS__, .end_ = 0)

#define SHIM_ASSERT_(c, ...)						\
	do {								\
		if (!(c))						\
			shim_fail(__FILE__, __LINE__, #c);		\
	} while (0)
#define cr_assert(...)		SHIM_ASSERT_(__VA_ARGS__, 0)
#define SHIM_NOT_(c, ...)	SHIM_ASSERT_(!(c), 0)
#define cr_assert_not(...)	SHIM_NOT_(__VA_ARGS__, 0)
#define SHIM_CMP_(op, a, b, ...) SHIM_ASSERT_((a) op (b), 0)
#define cr_assert_eq(...)	SHIM_CMP_(==, __VA_ARGS__, 0)
#define cr_assert_neq(...)	SHIM_CMP_(!=, __VA_ARGS__, 0)
#define cr_assert_lt(...)	SHIM_CMP_(<, __VA_ARGS__, 0)
#define cr_assert_leq(...)	SHIM_CMP_(<=, __VA_ARGS__, 0)
#define cr_assert_gt(...)	SHIM_CMP_(>, __VA_ARGS__, 0)
#define cr_assert_geq(...)	SHIM_CMP_(>=, __VA_ARGS__, 0)
#define SHIM_NULL_(p, ...)	SHIM_ASSERT_((p) == NULL, 0)
#define cr_assert_null(...)	SHIM_NULL_(__VA_ARGS__, 0)
#define SHIM_NNULL_(p, ...)	SHIM_ASSERT_((p) != NULL, 0)
#define cr_assert_not_null(...)	SHIM_NNULL_(__VA_ARGS__, 0)
#define SHIM_STREQ_(a, b, ...)	SHIM_ASSERT_(strcmp((a), (b)) == 0, 0)
#define cr_assert_str_eq(...)	SHIM_STREQ_(__VA_ARGS__, 0)
#define SHIM_STRNEQ_(a, b, ...)	SHIM_ASSERT_(strcmp((a), (b)) != 0, 0)
#define cr_assert_str_neq(...)	SHIM_STRNEQ_(__VA_ARGS__, 0)
#define cr_assert_fail(...)	shim_fail(__FILE__, __LINE__, "cr_assert_fail")
#define cr_skip_test(...)	shim_skip()

#endif
