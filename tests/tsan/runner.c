/*
 * runner.c - main() for the unit tests built against tests/tsan's
 * criterion.h: run each Test() in a child process, in the order they were
 * registered, and exit 1 when any failed.  Options are ignored.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "criterion/criterion.h"

#define SHIM_MAX	1024
#define SHIM_SKIPPED	77

static struct {
	const char *suite, *name;
	void (*fn)(void);
	unsigned timeout;
} tests[SHIM_MAX];
static size_t ntests;

void
shim_register(const char *suite, const char *name, void (*fn)(void),
    unsigned timeout)
{
	if (ntests == SHIM_MAX) {
		fprintf(stderr, "tsan runner: more than %d tests\n", SHIM_MAX);
		exit(2);
	}
	tests[ntests].suite = suite;
	tests[ntests].name = name;
	tests[ntests].fn = fn;
	tests[ntests].timeout = timeout;
	ntests++;
}

void
shim_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: assertion failed: %s\n", file, line, what);
	fflush(NULL);
	_exit(1);
}

void
shim_skip(void)
{
	fflush(NULL);
	_exit(SHIM_SKIPPED);
}

int
main(int argc, char **argv)
{
	size_t i, failed = 0, skipped = 0;
	pid_t pid;
	int st;

	(void)argc;
	(void)argv;
	for (i = 0; i < ntests; i++) {
		fflush(NULL);
		if ((pid = fork()) < 0) {
			perror("fork");
			return 2;
		}
		if (pid == 0) {
			alarm(tests[i].timeout);
			tests[i].fn();
			fflush(NULL);
			_exit(0);
		}
		if (waitpid(pid, &st, 0) < 0) {
			perror("waitpid");
			return 2;
		}
		if (WIFEXITED(st) && WEXITSTATUS(st) == SHIM_SKIPPED)
			skipped++;
		else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			failed++;
			fprintf(stderr, "FAIL: %s::%s (%s %d)\n", tests[i].suite,
			    tests[i].name, WIFEXITED(st) ? "exit" : "signal",
			    WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
		}
	}
	printf("[====] Synthesis: Tested: %zu | Passing: %zu | Failing: %zu | "
	    "Skipped: %zu\n", ntests, ntests - failed - skipped, failed, skipped);
	return failed > 0;
}
