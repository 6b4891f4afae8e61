/*
 * test_lint.c - imgdrift lint: each rule firing and not firing, the parser's
 * cases, escaping, and each output format parsed back.
 */
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "cli/cli.h"
#include "lint/lint.h"
#include "util/sbuf.h"

#define FIXTURES "tests/lint"
#define DIGEST "sha256:" \
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
/* A FROM that fires nothing, for tests about RUN and ADD. */
#define PINNED_FROM "FROM --platform=linux/amd64 debian:12@" DIGEST "\n"
/* Last in a file, it keeps source-date-epoch-unset quiet without moving a
   line, so that a test sees only its own rule. */
#define QUIET_END "ARG SOURCE_DATE_EPOCH\n"

static struct lint_run *
lint_src(const char *src)
{
	struct lint_run *r = lint_new();
	struct err e = { 0, "" };
	int rc = lint_buf(r, "Dockerfile", src, strlen(src), FIXTURES, &e);

	cr_assert_eq(rc, 0, "lint_buf: %d %s", rc, e.msg);
	return r;
}

/* @return how often rule id fired in r; an id that is no rule fails the
   test, so a typo cannot pass as "does not fire". */
/* Lint the text built in src, and release src. */
static struct lint_run *
lint_built(struct sbuf *src)
{
	struct lint_run *r = lint_src(sbuf_str(src));

	sbuf_release(src);
	return r;
}

/* Append n copies of s. */
static void
add_n(struct sbuf *sb, const char *s, int n)
{
	while (n-- > 0)
		sbuf_addstr(sb, s);
}

static size_t
count_rule(const struct lint_run *r, const char *id)
{
	size_t i, n = 0;

	cr_assert_not_null(lint_rule_find(id), "no rule '%s'", id);
	for (i = 0; i < lint_count(r); i++)
		if (strcmp(lint_finding_at(r, i)->rule->id, id) == 0)
			n++;
	return n;
}

static const struct lint_finding *
find_rule(const struct lint_run *r, const char *id)
{
	size_t i;

	cr_assert_not_null(lint_rule_find(id), "no rule '%s'", id);
	for (i = 0; i < lint_count(r); i++)
		if (strcmp(lint_finding_at(r, i)->rule->id, id) == 0)
			return lint_finding_at(r, i);
	cr_assert_fail("no finding %s", id);
	return NULL;
}

/* Lint src and @return how often rule id fired. */
static size_t
fires(const char *src, const char *id)
{
	struct lint_run *r = lint_src(src);
	size_t n = count_rule(r, id);

	lint_free(r);
	return n;
}

/* RUN cmd after a clean FROM: @return how often id fired. */
static size_t
run_fires(const char *cmd, const char *id)
{
	char src[4096];

	snprintf(src, sizeof(src), PINNED_FROM "RUN %s\n", cmd);
	return fires(src, id);
}

static int
lint_fails(const char *src, struct err *e)
{
	struct lint_run *r = lint_new();
	int rc = lint_buf(r, "Dockerfile", src, strlen(src), NULL, e);

	cr_assert_eq(lint_count(r), 0);
	lint_free(r);
	return rc;
}

static char *
render(const struct lint_run *r, enum lint_format fmt)
{
	struct err e = { 0, "" };
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	cr_assert_not_null(fp);
	cr_assert_eq(lint_render(r, fp, fmt, &e), 0);
	fclose(fp);
	return buf;
}

/* Base images. */

Test(lint_base, tag_without_digest_is_not_pinned)
{
	struct lint_run *r = lint_src("FROM python:3.12-slim\n");
	const struct lint_finding *f = find_rule(r, "base-not-pinned");

	cr_assert_eq(f->line, 1);
	cr_assert_eq(f->col, 6);
	cr_assert_eq(f->rule->severity, LINT_ERROR);
	cr_assert_str_eq(f->message,
	    "base image 'python:3.12-slim' is pinned by tag, not by digest");
	lint_free(r);
}

Test(lint_base, digest_is_pinned)
{
	cr_assert_eq(fires("FROM python:3.12@" DIGEST "\n", "base-not-pinned"), 0);
	cr_assert_eq(fires("FROM python:3.12@" DIGEST "\n", "base-latest"), 0);
}

Test(lint_base, malformed_digest_is_not_pinned)
{
	cr_assert_eq(fires("FROM python:3.12@sha256:abc\n", "base-not-pinned"), 1);
}

Test(lint_base, latest_tag)
{
	cr_assert_eq(fires("FROM node:latest\n", "base-latest"), 1);
}

Test(lint_base, no_tag_means_latest)
{
	cr_assert_eq(fires("FROM ubuntu\n", "base-latest"), 1);
	cr_assert_eq(fires("FROM registry.example:5000/team/app\n",
	    "base-latest"), 1);
}

Test(lint_base, release_tag_is_not_latest)
{
	cr_assert_eq(fires("FROM registry.example:5000/app:1.4\n",
	    "base-latest"), 0);
}

Test(lint_base, digest_without_tag_is_a_note)
{
	struct lint_run *r = lint_src("FROM alpine@" DIGEST "\n");

	cr_assert_eq(find_rule(r, "base-digest-unlabelled")->rule->severity,
	    LINT_NOTE);
	cr_assert_eq(count_rule(r, "base-latest"), 0);
	lint_free(r);
	cr_assert_eq(fires("FROM alpine:3.19@" DIGEST "\n",
	    "base-digest-unlabelled"), 0);
}

Test(lint_base, platform_implicit_once_per_file)
{
	cr_assert_eq(fires("FROM a:1 AS x\nFROM b:1\nFROM c:1\n",
	    "platform-implicit"), 1);
}

Test(lint_base, platform_given)
{
	cr_assert_eq(fires("FROM --platform=linux/arm64 a:1\n"
	    "FROM --platform=$BUILDPLATFORM b:1\n", "platform-implicit"), 0);
}

Test(lint_base, stage_reference_and_scratch_are_not_images)
{
	struct lint_run *r = lint_src(PINNED_FROM "FROM scratch\n"
	    "FROM --platform=linux/amd64 golang:1.22@" DIGEST " AS Build\n"
	    "FROM build\nFROM BUILD AS again\n");

	cr_assert_eq(lint_count(r), 0);
	lint_free(r);
}

Test(lint_base, many_stages_any_case)
{
	struct sbuf src = SBUF_INIT;
	struct lint_run *r;
	int i;

	sbuf_addstr(&src, "FROM scratch AS s0\n");
	for (i = 1; i < 2000; i++)
		sbuf_addf(&src, "FROM S%d AS s%d\n", i - 1, i);
	sbuf_addstr(&src, "FROM s2000\n");
	r = lint_built(&src);
	cr_assert_eq(lint_count(r), 3);		/* s2000 is no stage */
	cr_assert_eq(find_rule(r, "base-latest")->line, 2001);
	lint_free(r);
}

Test(lint_base, stage_name_only_counts_after_it_is_defined)
{
	cr_assert_eq(fires("FROM builder\nFROM a:1@" DIGEST " AS builder\n",
	    "base-latest"), 1);
}

/* ARG before FROM. */

Test(lint_arg, default_is_resolved)
{
	struct lint_run *r = lint_src("ARG PY=3.12\n"
	    "ARG BASE=python:${PY}-slim\nFROM ${BASE}\n");
	const struct lint_finding *f = find_rule(r, "base-not-pinned");

	cr_assert_str_eq(f->message,
	    "base image 'python:3.12-slim' is pinned by tag, not by digest");
	cr_assert_eq(f->line, 3);
	cr_assert_eq(count_rule(r, "arg-base-unresolved"), 0);
	lint_free(r);
}

Test(lint_arg, no_default_is_unresolved)
{
	struct lint_run *r = lint_src("ARG BASE\nFROM $BASE\n");
	const struct lint_finding *f = find_rule(r, "arg-base-unresolved");

	cr_assert_str_eq(f->message,
	    "base image '$BASE' depends on ARG BASE, which has no default");
	cr_assert_eq(count_rule(r, "base-not-pinned"), 0);
	lint_free(r);
}

Test(lint_arg, undeclared_is_unresolved)
{
	cr_assert_eq(fires("FROM ${NOPE}:1\n", "arg-base-unresolved"), 1);
}

Test(lint_arg, colon_dash_default)
{
	struct lint_run *r = lint_src("ARG TAG\nFROM alpine:${TAG:-3.19}@"
	    DIGEST "\n");

	cr_assert_eq(count_rule(r, "arg-base-unresolved"), 0);
	cr_assert_eq(count_rule(r, "base-not-pinned"), 0);
	lint_free(r);
}

Test(lint_arg, colon_dash_keeps_a_set_value)
{
	struct lint_run *r = lint_src("ARG TAG=latest\nFROM alpine:${TAG:-3.19}\n");

	cr_assert_eq(count_rule(r, "base-latest"), 1);
	lint_free(r);
}

Test(lint_arg, quoted_default_and_several_per_line)
{
	struct lint_run *r = lint_src("ARG A=\"debian\" B='12'\nFROM $A:$B\n");

	cr_assert_str_eq(find_rule(r, "base-not-pinned")->message,
	    "base image 'debian:12' is pinned by tag, not by digest");
	lint_free(r);
}

Test(lint_arg, args_after_from_do_not_reach_from)
{
	cr_assert_eq(fires(PINNED_FROM "ARG X=alpine:3\nFROM $X\n",
	    "arg-base-unresolved"), 1);
}

Test(lint_arg, doubling_defaults_are_cut_and_the_finding_says_so)
{
	struct sbuf src = SBUF_INIT;
	struct lint_run *r;
	int i;

	sbuf_addstr(&src, "ARG A0=xx\n");
	for (i = 1; i <= 41; i++)
		sbuf_addf(&src, "ARG A%d=${A%d}$A%d\n", i, i - 1, i - 1);
	sbuf_addstr(&src, "FROM img:${A41}\n");
	r = lint_built(&src);
	cr_assert_str_eq(find_rule(r, "arg-base-unresolved")->message,
	    "base image 'img:${A41}' is not checked: its ARGs expand past the "
	    "limit (4096 bytes for one value, 1048576 for all)");
	cr_assert_eq(count_rule(r, "base-not-pinned"), 0);
	lint_free(r);
}

Test(lint_arg, all_expanded_defaults_share_one_limit)
{
	struct sbuf src = SBUF_INIT;
	struct lint_run *r;
	int i;

	sbuf_addstr(&src, "ARG A=");
	add_n(&src, "a", 4000);
	for (i = 0; i < 300; i++)	/* 300 x 4000 bytes: past 1 MiB */
		sbuf_addf(&src, "\nARG B%d=$A", i);
	sbuf_addstr(&src, "\nFROM $B0:1\nFROM $B299:1\n");
	r = lint_built(&src);
	cr_assert_eq(count_rule(r, "arg-base-unresolved"), 1);
	cr_assert_eq(find_rule(r, "arg-base-unresolved")->line, 303);
	cr_assert_eq(find_rule(r, "base-not-pinned")->line, 302);
	lint_free(r);
}

Test(lint_arg, a_long_image_without_args_is_still_checked)
{
	struct sbuf src = SBUF_INIT;
	struct lint_run *r;

	sbuf_addstr(&src, "FROM registry.example/");
	add_n(&src, "a", 5000);
	sbuf_addstr(&src, ":1\n");
	r = lint_built(&src);
	cr_assert_eq(count_rule(r, "base-not-pinned"), 1);
	cr_assert_eq(count_rule(r, "arg-base-unresolved"), 0);
	lint_free(r);
}

/* pip. */

Test(lint_pip, unpinned)
{
	struct lint_run *r = lint_src(PINNED_FROM
	    "RUN pip install --no-cache-dir flask requests==2.31.0 gunicorn\n");
	const struct lint_finding *f = find_rule(r, "pip-unpinned");

	cr_assert_str_eq(f->message, "pip install without ==: flask, gunicorn");
	cr_assert_eq(f->line, 2);
	cr_assert_eq(f->col, 32);
	lint_free(r);
}

Test(lint_pip, pinned)
{
	cr_assert_eq(run_fires("pip3 install flask==3.0.0 'idna==3.6'",
	    "pip-unpinned"), 0);
}

Test(lint_pip, python_m_pip)
{
	cr_assert_eq(run_fires("python3 -m pip install flask", "pip-unpinned"), 1);
}

Test(lint_pip, local_paths_and_constraints_are_not_registry_names)
{
	cr_assert_eq(run_fires("pip install . ./dist/app-1.0-py3-none-any.whl",
	    "pip-unpinned"), 0);
	cr_assert_eq(run_fires("pip install -c constraints.txt flask",
	    "pip-unpinned"), 0);
	cr_assert_eq(run_fires("pip download flask", "pip-unpinned"), 0);
}

Test(lint_pip, requirements_without_require_hashes)
{
	cr_assert_eq(run_fires("pip install -r missing.txt", "pip-no-hashes"), 1);
	cr_assert_eq(run_fires("pip install --require-hashes -r requirements.txt",
	    "pip-no-hashes"), 0);
}

Test(lint_pip, requirements_file_is_read)
{
	struct lint_run *r = lint_src(PINNED_FROM
	    "RUN pip install -r /app/requirements.txt\n");

	cr_assert_str_eq(find_rule(r, "pip-no-hashes")->message,
	    "pip install -r '/app/requirements.txt' without --require-hashes; "
	    "of its 3 requirements, 1 not pinned with == (flask (line 7)), "
	    "2 with no --hash");
	lint_free(r);
}

/* pip checks hashes as soon as one requirement has one: a file that pins
   and hashes every requirement is enforced without --require-hashes. */
Test(lint_pip, requirements_file_all_hashed)
{
	struct lint_run *r = lint_src(PINNED_FROM
	    "RUN pip install --requirement=requirements-hashed.txt\n");

	cr_assert_eq(count_rule(r, "pip-no-hashes"), 0);
	lint_free(r);
}

Test(lint_npm, global_unpinned_is_an_error)
{
	cr_assert_eq(run_fires("npm install -g typescript", "npm-global-unpinned"),
	    1);
	cr_assert_eq(run_fires("npm install -g typescript", "npm-install"), 0);
	cr_assert_eq(run_fires("npm i --global typescript@5.4.5",
	    "npm-global-unpinned"), 0);
	cr_assert_eq(run_fires("npm install left-pad", "npm-install"), 1);
}

/* apt, apk. */

Test(lint_apt, unpinned)
{
	struct lint_run *r = lint_src(PINNED_FROM
	    "RUN apt-get update && apt-get install -y --no-install-recommends "
	    "curl ca-certificates=20230311\n");

	cr_assert_str_eq(find_rule(r, "apt-unpinned")->message,
	    "apt-get install without =version: curl");
	lint_free(r);
}

Test(lint_apt, pinned_and_local_debs)
{
	cr_assert_eq(run_fires("apt install -y curl=7.88.1-10 ./pkg.deb "
	    "-o Dpkg::Options::=--force-confold", "apt-unpinned"), 0);
}

Test(lint_apt, redirection_targets_are_not_packages)
{
	cr_assert_eq(run_fires("apt-get install -y curl=7 > /dev/null 2>&1",
	    "apt-unpinned"), 0);
}

Test(lint_apt, upgrade)
{
	cr_assert_eq(run_fires("apt-get update && apt-get -y upgrade",
	    "apt-upgrade"), 1);
	cr_assert_eq(run_fires("apt-get dist-upgrade -y", "apt-upgrade"), 1);
	cr_assert_eq(run_fires("apt-get update", "apt-upgrade"), 0);
}

Test(lint_apk, unpinned)
{
	cr_assert_eq(run_fires("apk add --no-cache curl", "apk-unpinned"), 1);
}

Test(lint_apk, pinned_and_virtual_name)
{
	cr_assert_eq(run_fires("apk add --no-cache --virtual .build-deps "
	    "gcc=13.2.1-r0 musl-dev~=1.2", "apk-unpinned"), 0);
}

/* npm, yarn, gem, cargo, go. */

Test(lint_npm, install_where_ci_belongs)
{
	cr_assert_eq(run_fires("npm install", "npm-install"), 1);
	cr_assert_eq(run_fires("npm ci --omit=dev", "npm-install"), 0);
}

Test(lint_npm, global_package_without_version)
{
	cr_assert_eq(run_fires("npm install -g pnpm @angular/cli@17.0.0",
	    "npm-global-unpinned"), 1);
	cr_assert_eq(run_fires("npm i -g pnpm@8.15.1 @angular/cli@17.0.0",
	    "npm-global-unpinned"), 0);
	cr_assert_eq(run_fires("npm install -g npm@latest",
	    "npm-global-unpinned"), 1);
}

/* An empty word is no version: read within its bytes (fuzz_lint found the
   read past it, fuzz/corpus/lint/npm-empty-word). */
Test(lint_npm, empty_word_is_not_pinned)
{
	cr_assert_eq(run_fires("npm install -g \"\"", "npm-global-unpinned"), 1);
}

Test(lint_yarn, unlocked)
{
	cr_assert_eq(run_fires("yarn", "yarn-unlocked"), 1);
	cr_assert_eq(run_fires("yarn install --production", "yarn-unlocked"), 1);
}

Test(lint_yarn, locked_or_not_an_install)
{
	cr_assert_eq(run_fires("yarn install --frozen-lockfile",
	    "yarn-unlocked"), 0);
	cr_assert_eq(run_fires("yarn --immutable", "yarn-unlocked"), 0);
	cr_assert_eq(run_fires("yarn build", "yarn-unlocked"), 0);
}

Test(lint_gem, unpinned)
{
	cr_assert_eq(run_fires("gem install bundler", "gem-unpinned"), 1);
}

Test(lint_gem, pinned)
{
	cr_assert_eq(run_fires("gem install bundler -v 2.5.6", "gem-unpinned"), 0);
	cr_assert_eq(run_fires("gem install bundler:2.5.6 --no-document",
	    "gem-unpinned"), 0);
}

Test(lint_cargo, unlocked)
{
	cr_assert_eq(run_fires("cargo install ripgrep", "cargo-unlocked"), 1);
	cr_assert_eq(run_fires("cargo install --locked ripgrep --version 14.1.0",
	    "cargo-unlocked"), 0);
	cr_assert_eq(run_fires("cargo build --release", "cargo-unlocked"), 0);
}

Test(lint_go, install_latest)
{
	cr_assert_eq(run_fires("go install golang.org/x/tools/gopls@latest",
	    "go-install-latest"), 1);
	cr_assert_eq(run_fires("go install golang.org/x/tools/gopls@v0.15.1",
	    "go-install-latest"), 0);
}

/* ADD, downloads, git. */

Test(lint_add, url_without_checksum)
{
	struct lint_run *r = lint_src(PINNED_FROM
	    "ADD https://example.com/tool.tar.gz /opt/\n");

	cr_assert_eq(find_rule(r, "add-url-no-checksum")->col, 5);
	lint_free(r);
}

Test(lint_add, checksum_or_local)
{
	cr_assert_eq(fires(PINNED_FROM "ADD --checksum=" DIGEST
	    " https://example.com/tool.tar.gz /opt/\n", "add-url-no-checksum"), 0);
	cr_assert_eq(fires(PINNED_FROM "ADD tool.tar.gz /opt/\n",
	    "add-url-no-checksum"), 0);
}

Test(lint_add, json_form)
{
	cr_assert_eq(fires(PINNED_FROM
	    "ADD [\"https://example.com/a b.tgz\", \"/opt/\"]\n",
	    "add-url-no-checksum"), 1);
}

Test(lint_curl, pipe_into_shell)
{
	struct lint_run *r = lint_src(PINNED_FROM
	    "RUN curl -fsSL https://get.example.com | sudo bash -s --\n");

	cr_assert_str_eq(find_rule(r, "curl-pipe-shell")->message,
	    "download from 'https://get.example.com' is piped into bash");
	lint_free(r);
}

Test(lint_curl, download_without_checksum)
{
	cr_assert_eq(run_fires("wget -q https://example.com/t.tgz && tar xf t.tgz",
	    "download-unverified"), 1);
	cr_assert_eq(run_fires("wget -q https://example.com/t.tgz && tar xf t.tgz",
	    "curl-pipe-shell"), 0);
	cr_assert_eq(run_fires("curl -fsSLo /tmp/x https://example.com/x && "
	    "chmod +x /tmp/x", "download-unverified"), 1);
}

Test(lint_curl, download_never_used_is_not_reported)
{
	cr_assert_eq(run_fires("curl -fsSL -o /etc/notes https://example.com/n "
	    "&& cat /etc/motd", "download-unverified"), 0);
	cr_assert_eq(run_fires("wget -q https://example.com/readme.txt",
	    "download-unverified"), 0);
}

Test(lint_curl, download_with_checksum)
{
	cr_assert_eq(run_fires("curl -fsSLo t.tgz https://example.com/t.tgz && "
	    "echo \"$SHA  t.tgz\" | sha256sum -c - && tar xf t.tgz",
	    "curl-pipe-shell"), 0);
	cr_assert_eq(run_fires("curl --version", "curl-pipe-shell"), 0);
}

Test(lint_curl, command_substitution_into_shell)
{
	cr_assert_eq(run_fires("sh -c \"$(curl -fsSL https://x.example/i.sh)\"",
	    "curl-pipe-shell"), 1);
	cr_assert_eq(run_fires("bash <(wget -qO- https://x.example/i.sh)",
	    "curl-pipe-shell"), 1);
}

Test(lint_curl, backquotes_name_the_tool)
{
	struct lint_run *r = lint_src(PINNED_FROM
	    "RUN sh -c \"`wget -qO- https://x.example/i.sh`\"\n");

	cr_assert_str_eq(find_rule(r, "curl-pipe-shell")->message,
	    "sh runs what wget downloads");
	lint_free(r);
}

Test(lint_git, clone_unpinned)
{
	struct lint_run *r = lint_src(PINNED_FROM
	    "RUN git clone --depth 1 --branch v1.2 https://github.com/a/b.git\n");

	cr_assert_str_eq(find_rule(r, "git-clone-unpinned")->message,
	    "git clone of 'https://github.com/a/b.git' with no commit checked out");
	lint_free(r);
}

Test(lint_git, checkout_of_a_commit)
{
	cr_assert_eq(run_fires("git clone https://github.com/a/b.git && "
	    "git -C b checkout 3f2a9c1d", "git-clone-unpinned"), 0);
	cr_assert_eq(run_fires("git clone --revision=0123456789abcdef "
	    "https://github.com/a/b.git", "git-clone-unpinned"), 0);
	cr_assert_eq(run_fires("git clone https://github.com/a/b.git && "
	    "git checkout main", "git-clone-unpinned"), 1);
}

Test(lint_git, checkout_later_in_the_same_stage)
{
	cr_assert_eq(fires(PINNED_FROM "RUN git clone https://x.example/b.git\n"
	    "WORKDIR /b\nRUN git checkout ${COMMIT}\n", "git-clone-unpinned"), 0);
	cr_assert_eq(fires(PINNED_FROM "RUN git clone https://x.example/b.git\n"
	    PINNED_FROM "RUN git checkout 0123456\n", "git-clone-unpinned"), 1);
}

/* The parser. */

Test(lint_parse, continuation_positions)
{
	struct lint_run *r = lint_src(PINNED_FROM
	    "RUN apt-get update \\\n"
	    "    && apt-get install -y \\\n"
	    "       curl=7 \\\n"
	    "       git\n");
	const struct lint_finding *f = find_rule(r, "apt-unpinned");

	cr_assert_eq(f->line, 5);
	cr_assert_eq(f->col, 8);
	lint_free(r);
}

Test(lint_parse, comments_and_blank_lines_inside_continuation)
{
	cr_assert_eq(fires(PINNED_FROM
	    "RUN apt-get install -y \\\n"
	    "# curl is needed\n"
	    "\n"
	    "    curl\n", "apt-unpinned"), 1);
}

Test(lint_parse, escape_directive)
{
	struct lint_run *r = lint_src("# escape=`\n" PINNED_FROM
	    "RUN apt-get install -y `\n"
	    "    C:\\tools\\pkg.deb `\n"
	    "    curl\n");
	const struct lint_finding *f = find_rule(r, "apt-unpinned");

	cr_assert_eq(f->line, 5);
	lint_free(r);
}

Test(lint_parse, escape_directive_after_a_comment_is_a_comment)
{
	/* the backtick does not continue, so "curl" starts an instruction */
	struct err e = { 0, "" };

	cr_assert_eq(lint_fails("# hello\n# escape=`\n" PINNED_FROM
	    "RUN apt-get install `\ncurl\n", &e), ERR_FORMAT);
	cr_assert_str_eq(e.msg, "Dockerfile: line 5: unknown instruction 'curl'");
}

Test(lint_parse, bad_escape_directive)
{
	struct err e = { 0, "" };

	cr_assert_eq(lint_fails("# escape=x\nFROM a\n", &e), ERR_FORMAT);
	cr_assert(strstr(e.msg, "line 1") != NULL);
}

Test(lint_parse, syntax_directive_and_case_insensitive_instructions)
{
	struct lint_run *r = lint_src("# syntax=docker/dockerfile:1\n"
	    "arg SOURCE_DATE_EPOCH\n"
	    "from --platform=linux/amd64 debian:12@" DIGEST "\n"
	    "Run apt-get install -y curl && rm -rf /var/log/*\n");

	cr_assert_eq(lint_count(r), 1);
	cr_assert_eq(find_rule(r, "apt-unpinned")->line, 4);
	lint_free(r);
}

Test(lint_parse, heredoc_script)
{
	struct lint_run *r = lint_src(PINNED_FROM
	    "RUN <<EOF\n"
	    "set -e\n"
	    "apk add \\\n"
	    "  jq\n"
	    "EOF\n"
	    "RUN apk add curl=8\n");
	const struct lint_finding *f = find_rule(r, "apk-unpinned");

	cr_assert_eq(count_rule(r, "apk-unpinned"), 1);
	cr_assert_eq(f->line, 5);
	cr_assert_eq(f->col, 3);
	lint_free(r);
}

Test(lint_parse, heredoc_with_dash_and_quotes)
{
	cr_assert_eq(fires(PINNED_FROM
	    "RUN bash -e <<-'SCRIPT'\n"
	    "\tapk add jq\n"
	    "\tSCRIPT\n", "apk-unpinned"), 1);
}

Test(lint_parse, heredoc_for_another_program_is_not_shell)
{
	cr_assert_eq(fires(PINNED_FROM
	    "RUN python3 <<EOF\nimport os\nos.system('apk add jq')\nEOF\n",
	    "apk-unpinned"), 0);
	cr_assert_eq(fires(PINNED_FROM
	    "RUN <<EOF\n#!/usr/bin/env python3\napk add jq\nEOF\n",
	    "apk-unpinned"), 0);
}

Test(lint_parse, copy_heredoc_body_is_not_instructions)
{
	struct lint_run *r = lint_src(PINNED_FROM
	    "COPY <<EOF /etc/app.conf\nFROM ubuntu\nRUN apk add jq\nEOF\n");

	cr_assert_eq(lint_count(r), 0);
	lint_free(r);
}

Test(lint_parse, unterminated_heredoc)
{
	struct err e = { 0, "" };

	cr_assert_eq(lint_fails(PINNED_FROM "RUN <<EOF\napk add jq\n", &e),
	    ERR_FORMAT);
	cr_assert_str_eq(e.msg,
	    "Dockerfile: line 2: heredoc <<EOF is not terminated");
}

Test(lint_parse, exec_form)
{
	cr_assert_eq(run_fires("[\"apt-get\", \"install\", \"-y\", \"curl\"]",
	    "apt-unpinned"), 1);
	cr_assert_eq(run_fires("--mount=type=cache,target=/root/.cache "
	    "[\"/bin/sh\", \"-c\", \"pip install flask\"]", "pip-unpinned"), 1);
}

Test(lint_parse, exec_form_that_is_not_json_is_shell)
{
	cr_assert_eq(run_fires("[ -f x ] || apk add jq", "apk-unpinned"), 1);
}

Test(lint_parse, command_chains)
{
	cr_assert_eq(run_fires("true; apk add a || apk add b & apk add c | cat",
	    "apk-unpinned"), 3);
	cr_assert_eq(run_fires("set -eux; if [ -n x ]; then apk add a; fi",
	    "apk-unpinned"), 1);
	cr_assert_eq(run_fires("DEBIAN_FRONTEND=noninteractive sudo -u root "
	    "apt-get install -y curl", "apt-unpinned"), 1);
}

Test(lint_parse, quoted_operators_are_words)
{
	cr_assert_eq(run_fires("echo 'apk add a && apk add b'", "apk-unpinned"),
	    0);
	cr_assert_eq(run_fires("echo \"x; apk add b\"", "apk-unpinned"), 0);
}

Test(lint_parse, run_flags_are_skipped)
{
	cr_assert_eq(run_fires("--mount=type=cache,target=/var/cache/apk "
	    "--network=default apk add jq", "apk-unpinned"), 1);
}

Test(lint_parse, crlf_line_endings)
{
	struct lint_run *r = lint_src("FROM a:1\r\nRUN apk add \\\r\n jq\r\n");

	cr_assert_eq(find_rule(r, "apk-unpinned")->line, 3);
	lint_free(r);
}

Test(lint_parse, unknown_instruction)
{
	struct err e = { 0, "" };

	cr_assert_eq(lint_fails("FROM a\n\nFRMO b\n", &e), ERR_FORMAT);
	cr_assert_str_eq(e.msg, "Dockerfile: line 3: unknown instruction 'FRMO'");
}

Test(lint_parse, instruction_before_from)
{
	struct err e = { 0, "" };

	cr_assert_eq(lint_fails("RUN true\nFROM a\n", &e), ERR_FORMAT);
	cr_assert(strstr(e.msg, "line 1") != NULL);
}

Test(lint_parse, no_from)
{
	struct err e = { 0, "" };

	cr_assert_eq(lint_fails("# nothing\nARG X=1\n", &e), ERR_FORMAT);
	cr_assert_str_eq(e.msg, "Dockerfile: no FROM instruction");
}

Test(lint_parse, from_without_image)
{
	struct err e = { 0, "" };

	cr_assert_eq(lint_fails("FROM   \n", &e), ERR_FORMAT);
}

/* Errors carry the raw word; cli/ escapes it when it prints
   (tests/hostile/gen_names.py). */
Test(lint_parse, hostile_unknown_instruction_is_named_raw)
{
	struct err e = { 0, "" };

	cr_assert_eq(lint_fails("FROM a\n\x1b]0;x\x07 b\n", &e), ERR_FORMAT);
	cr_assert_str_eq(e.msg,
	    "Dockerfile: line 2: unknown instruction '\x1b]0;x\x07'");
}

Test(lint_parse, byte_order_mark_is_skipped)
{
	struct lint_run *r = lint_src("\xef\xbb\xbf# escape=`\nFROM ubuntu:22.04\n"
	    "RUN apk add `\n  jq\n");
	char *out = render(r, LINT_TEXT);

	cr_assert_eq(find_rule(r, "base-not-pinned")->col, 6);
	cr_assert_eq(find_rule(r, "apk-unpinned")->line, 4);
	cr_assert_null(strstr(out, "\xef\xbb\xbf"));
	cr_assert_null(strstr(out, "xef"));
	free(out);
	lint_free(r);
	r = lint_src("\xef\xbb\xbf" "FROM ubuntu:22.04\n");
	cr_assert_eq(find_rule(r, "base-not-pinned")->col, 6);
	lint_free(r);
}

Test(lint_parse, nul_byte_is_an_error)
{
	struct lint_run *r = lint_new();
	struct err e = { 0, "" };
	static const char src[] = "FROM a:1\nRUN apk\0 add jq\n";

	cr_assert_eq(lint_buf(r, "Dockerfile", src, sizeof(src) - 1, NULL, &e),
	    ERR_FORMAT);
	cr_assert_str_eq(e.msg, "Dockerfile: line 2, column 8: a NUL byte, "
	    "which a Dockerfile (text) cannot hold");
	cr_assert_eq(lint_buf(r, "Dockerfile", "\0FROM a\n", 8, NULL, &e),
	    ERR_FORMAT);
	cr_assert_eq(lint_count(r), 0);
	lint_free(r);
}

Test(lint_parse, columns_count_code_points)
{
	struct lint_run *r = lint_src(PINNED_FROM
	    "RUN echo \xc3\xa9\xc3\xa9 && apk add jq\n");

	cr_assert_eq(find_rule(r, "apk-unpinned")->col, 24);
	lint_free(r);
}

Test(lint_parse, columns_past_many_blocks)
{
	struct sbuf src = SBUF_INIT;
	struct lint_run *r;

	sbuf_addstr(&src, PINNED_FROM "RUN echo ");
	add_n(&src, "\xc3\xa9", 100);
	sbuf_addstr(&src, " && apk add jq\n");
	r = lint_built(&src);
	cr_assert_eq(find_rule(r, "apk-unpinned")->col, 9 + 100 + 12 + 1);
	lint_free(r);
}

/* Files and the run. */

Test(lint_file, missing_file)
{
	struct lint_run *r = lint_new();
	struct err e = { 0, "" };

	cr_assert_eq(lint_file(r, FIXTURES "/no-such-Dockerfile", &e), ERR_IO);
	cr_assert(strncmp(e.msg, "cannot open 'tests/lint/no-such-Dockerfile': ",
	    45) == 0, "%s", e.msg);
	lint_free(r);
}

Test(lint_file, fixture_reads_requirements_next_to_it)
{
	struct lint_run *r = lint_new();
	struct err e = { 0, "" };

	cr_assert_eq(lint_file(r, FIXTURES "/pip.Dockerfile", &e), 0, "%s", e.msg);
	cr_assert(strstr(find_rule(r, "pip-no-hashes")->message,
	    "(flask (line 7))") != NULL);
	cr_assert_str_eq(lint_finding_at(r, 0)->file, FIXTURES "/pip.Dockerfile");
	lint_free(r);
}

/*
 * The build context: a Dockerfile names files, and may name them so as to
 * read what is not in the context.  A scratch tree:
 *   top/secret.txt          a line that is not a requirement, and one that is
 *   top/ctx/                the context
 */
#define SECRET "root:x:0:0:root:/root:/bin/bash\nsecretpkg\n"

struct tree {
	char top[256], ctx[300];
};

/* @return dir/name, in a buffer that the next call reuses. */
static const char *
path_in(const char *dir, const char *name)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static void
put_file(const char *dir, const char *name, const char *text)
{
	FILE *fp = fopen(path_in(dir, name), "w");

	cr_assert_not_null(fp, "%s/%s", dir, name);
	fputs(text, fp);
	fclose(fp);
}

static void
tree_make(struct tree *t)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(t->top, sizeof(t->top), "%s/imgdrift-lint.XXXXXX",
	    tmp != NULL ? tmp : P_tmpdir);
	cr_assert_not_null(mkdtemp(t->top));
	snprintf(t->ctx, sizeof(t->ctx), "%s/ctx", t->top);
	cr_assert_eq(mkdir(t->ctx, 0755), 0);
	put_file(t->top, "secret.txt", SECRET);
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st; (void)flag; (void)f;
	return remove(path);
}

static void
tree_free(struct tree *t)
{
	nftw(t->top, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Lint RUN pip install -r FILE in context t->ctx: @return the message. */
static char *
reqs_message(const struct tree *t, const char *file)
{
	struct lint_run *r = lint_new();
	struct err e = { 0, "" };
	char src[1024], *msg;
	size_t i;

	snprintf(src, sizeof(src), PINNED_FROM "RUN pip install --no-cache-dir "
	    "--no-compile -r %s\n" QUIET_END, file);
	cr_assert_eq(lint_buf(r, "Dockerfile", src, strlen(src), t->ctx, &e), 0);
	cr_assert_eq(lint_count(r), 1);
	msg = strdup(lint_finding_at(r, 0)->message);
	for (i = 0; i < lint_count(r); i++)
		cr_assert_null(strstr(lint_finding_at(r, i)->message, "root"));
	lint_free(r);
	return msg;
}

static void
assert_not_read(const struct tree *t, const char *file, const char *why)
{
	char *msg = reqs_message(t, file);
	char want[512];

	snprintf(want, sizeof(want), "pip install -r '%s' without "
	    "--require-hashes%s%s%s", file, why[0] ? " (not read: " : "", why,
	    why[0] ? ")" : "");
	cr_assert_str_eq(msg, want);
	free(msg);
}

Test(lint_context, dot_dot_is_outside)
{
	struct tree t;

	tree_make(&t);
	assert_not_read(&t, "../secret.txt", "outside the build context");
	assert_not_read(&t, "./x/../../secret.txt", "outside the build context");
	tree_free(&t);
}

Test(lint_context, absolute_path_is_looked_up_by_base_name_only)
{
	struct tree t;

	tree_make(&t);
	assert_not_read(&t, path_in(t.top, "secret.txt"), "");
	assert_not_read(&t, "/etc/passwd", "");
	tree_free(&t);
}

Test(lint_context, symlink_out_is_not_followed)
{
	struct tree t;

	tree_make(&t);
	cr_assert_eq(symlink("../secret.txt", path_in(t.ctx, "link.txt")), 0);
	assert_not_read(&t, "link.txt", "a symbolic link");
	cr_assert_eq(symlink("..", path_in(t.ctx, "up")), 0);
	assert_not_read(&t, "up/secret.txt", "a symbolic link");
	cr_assert_eq(symlink("/etc/passwd", path_in(t.ctx, "passwd")), 0);
	assert_not_read(&t, "/etc/passwd", "a symbolic link");
	tree_free(&t);
}

Test(lint_context, fifo_is_not_opened, .timeout = 10)
{
	struct tree t;

	tree_make(&t);
	cr_assert_eq(mkfifo(path_in(t.ctx, "fifo.txt"), 0600), 0);
	assert_not_read(&t, "fifo.txt", "not a regular file");
	assert_not_read(&t, ".", "not a regular file");
	tree_free(&t);
}

Test(lint_context, size_is_bounded)
{
	struct tree t;
	int fd;

	tree_make(&t);
	fd = open(path_in(t.ctx, "big.txt"), O_WRONLY | O_CREAT, 0644);
	cr_assert_geq(fd, 0);
	cr_assert_eq(ftruncate(fd, LINT_FILE_MAX + 1), 0);
	close(fd);
	assert_not_read(&t, "big.txt", "larger than the size limit");
	tree_free(&t);
}

Test(lint_context, lines_that_are_not_requirements_are_never_quoted)
{
	struct tree t;
	char *msg;

	tree_make(&t);
	put_file(t.ctx, "requirements.txt", "\xef\xbb\xbf" SECRET
	    "API_KEY=abc123\nflask>=2 ; python_version > '3'\r\n"
	    "idna==3.6 --hash=sha256:00\n");
	msg = reqs_message(&t, "sub/../requirements.txt");
	cr_assert_str_eq(msg, "pip install -r 'sub/../requirements.txt' without "
	    "--require-hashes; of its 3 requirements, 2 not pinned with == "
	    "(secretpkg (line 2), flask (line 4)), 2 with no --hash; 2 other "
	    "lines not judged");
	free(msg);
	tree_free(&t);
}

Test(lint_context, set_context_replaces_the_dockerfile_directory)
{
	struct lint_run *r = lint_new();
	struct err e = { 0, "" };
	struct tree t;

	tree_make(&t);
	put_file(t.ctx, "requirements.txt", "flask\n");
	put_file(t.top, "Dockerfile", PINNED_FROM "RUN pip install --no-cache-dir "
	    "--no-compile -r requirements.txt\n" QUIET_END);
	lint_set_context(r, t.ctx);
	cr_assert_eq(lint_file(r, path_in(t.top, "Dockerfile"), &e), 0, "%s",
	    e.msg);
	cr_assert(strstr(lint_finding_at(r, 0)->message, "(flask (line 1))")
	    != NULL, "%s", lint_finding_at(r, 0)->message);
	lint_free(r);
	tree_free(&t);
}

Test(lint_run, findings_sorted_and_counted)
{
	struct lint_run *r = lint_src("FROM b\nRUN apk add x --no-cache\n"
	    "FROM alpine@" DIGEST "\n" QUIET_END);
	size_t i;

	for (i = 1; i < lint_count(r); i++)
		cr_assert_leq(lint_finding_at(r, i - 1)->line,
		    lint_finding_at(r, i)->line);
	cr_assert_eq(lint_count_at_least(r, LINT_ERROR), 2);
	cr_assert_eq(lint_count_at_least(r, LINT_WARNING), 4);
	cr_assert_eq(lint_count_at_least(r, LINT_NOTE), 5);
	lint_free(r);
}

Test(lint_run, rule_table)
{
	size_t n, i;
	const struct lint_rule *t = lint_rules(&n);

	cr_assert_gt(n, 0);
	for (i = 0; i < n; i++) {
		/* a row the designated initializers missed is all zero */
		cr_assert_not_null(t[i].id, "rule %zu has no row", i);
		cr_assert_eq(lint_rule_find(t[i].id), &t[i]);
		cr_assert(strlen(t[i].summary) > 0);
		cr_assert(strlen(t[i].fix) > 0);
		cr_assert_geq(t[i].severity, LINT_NOTE);
		cr_assert_leq(t[i].severity, LINT_ERROR);
	}
	cr_assert_null(lint_rule_find("DL3008"));
}

Test(lint_run, names)
{
	enum lint_severity s;
	enum lint_format f;

	cr_assert_eq(lint_parse_severity("warning", &s), 0);
	cr_assert_eq(s, LINT_WARNING);
	cr_assert_eq(lint_parse_severity("fatal", &s), -1);
	cr_assert_eq(lint_parse_format("sarif", &f), 0);
	cr_assert_eq(f, LINT_SARIF);
	cr_assert_eq(lint_parse_format("xml", &f), -1);
	cr_assert_str_eq(lint_severity_name(LINT_NOTE), "note");
}

/* Output. */

Test(lint_render, text)
{
	struct lint_run *r = lint_src("FROM --platform=linux/amd64 ubuntu:22.04\n");
	char *out = render(r, LINT_TEXT);

	cr_assert_str_eq(out, "Dockerfile:1:29: error: base image "
	    "'ubuntu:22.04' is pinned by tag, not by digest [base-not-pinned]\n"
	    "    fix: pin the base by digest: FROM image:tag@sha256:<digest> "
	    "('docker buildx imagetools inspect image:tag' prints it)\n");
	free(out);
	lint_free(r);
}

Test(lint_render, text_escapes_hostile_content)
{
	struct lint_run *r = lint_src(PINNED_FROM
	    "RUN apk add \"\x1b[2J\xff\xe2\x80\xae\\\\\"\n");
	char *out = render(r, LINT_TEXT);

	cr_assert(strstr(out, "apk add without =version: "
	    "\\x1b[2J\\xff\\u{202e}\\\\ [apk-unpinned]") != NULL, "%s", out);
	cr_assert_null(strchr(out, '\x1b'));
	free(out);
	lint_free(r);
}

Test(lint_render, empty_text_is_empty)
{
	struct lint_run *r = lint_src(PINNED_FROM);
	char *out = render(r, LINT_TEXT);

	cr_assert_str_eq(out, "");
	free(out);
	lint_free(r);
}

Test(lint_render, json_parses_back)
{
	struct lint_run *r = lint_src("FROM ubuntu\nRUN apk add \"a\x01\" "
	    "--no-cache\n" QUIET_END);
	char *out = render(r, LINT_JSON);
	json_error_t jerr;
	json_t *j = json_loads(out, 0, &jerr), *f;

	cr_assert_not_null(j, "%s", jerr.text);
	cr_assert_str_eq(json_string_value(json_object_get(j, "schema")),
	    "imgdrift.lint/1");
	cr_assert_str_eq(json_string_value(json_array_get(
	    json_object_get(j, "files"), 0)), "Dockerfile");
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(j,
	    "summary"), "error")), 2);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(j,
	    "summary"), "warning")), 2);
	cr_assert_eq(json_array_size(json_object_get(j, "findings")), 4);
	f = json_array_get(json_object_get(j, "findings"), 3);
	cr_assert_str_eq(json_string_value(json_object_get(f, "rule")),
	    "apk-unpinned");
	cr_assert_str_eq(json_string_value(json_object_get(f, "severity")),
	    "warning");
	cr_assert_eq(json_integer_value(json_object_get(f, "line")), 2);
	cr_assert_eq(json_integer_value(json_object_get(f, "column")), 13);
	cr_assert_str_eq(json_string_value(json_object_get(f, "message")),
	    "apk add without =version: a\\x01");
	cr_assert_not_null(json_object_get(f, "fix"));
	json_decref(j);
	free(out);
	lint_free(r);
}

Test(lint_render, sarif_parses_back)
{
	struct lint_run *r = lint_new();
	struct err e = { 0, "" };
	const char *src = PINNED_FROM "RUN cargo install ripgrep\n" QUIET_END;
	const struct lint_rule *t, *cargo = lint_rule_find("cargo-unlocked");
	char *out;
	json_error_t jerr;
	json_t *j, *run, *res, *reg, *rules;
	size_t nrules;

	cr_assert_eq(lint_buf(r, "dir/my Dockerfile", src, strlen(src), NULL,
	    &e), 0);
	out = render(r, LINT_SARIF);
	j = json_loads(out, 0, &jerr);
	cr_assert_not_null(j, "%s", jerr.text);
	cr_assert_str_eq(json_string_value(json_object_get(j, "version")),
	    "2.1.0");
	run = json_array_get(json_object_get(j, "runs"), 0);
	rules = json_object_get(json_object_get(json_object_get(run, "tool"),
	    "driver"), "rules");
	t = lint_rules(&nrules);
	cr_assert_eq(json_array_size(rules), nrules);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(rules,
	    (size_t)(cargo - t)), "id")), "cargo-unlocked");
	res = json_array_get(json_object_get(run, "results"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(res, "ruleId")),
	    "cargo-unlocked");
	cr_assert_eq(json_integer_value(json_object_get(res, "ruleIndex")),
	    cargo - t);
	cr_assert_str_eq(json_string_value(json_object_get(res, "level")),
	    "warning");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(
	    json_object_get(json_array_get(json_object_get(res, "locations"), 0),
	    "physicalLocation"), "artifactLocation"), "uri")),
	    "dir/my%20Dockerfile");
	reg = json_object_get(json_object_get(json_array_get(json_object_get(res,
	    "locations"), 0), "physicalLocation"), "region");
	cr_assert_eq(json_integer_value(json_object_get(reg, "startLine")), 2);
	cr_assert_eq(json_integer_value(json_object_get(reg, "startColumn")), 11);
	json_decref(j);
	free(out);
	lint_free(r);
}

/* fuzz_lint: a command of assignments or redirections only has no program
   word, and the date-in-output check read past its words. */
Test(lint_date, command_without_a_program)
{
	cr_assert_eq(run_fires("> /etc/build-date", "date-in-output"), 0);
	cr_assert_eq(run_fires("A=1 B=\"$(date)\" > /etc/x", "date-in-output"), 0);
	cr_assert_eq(run_fires("date > /etc/build-date", "date-in-output"), 1);
}

/* Found on real Dockerfiles: nginx compares an openssl digest in a test;
   paperless-ngx installs what uv export wrote, hashes and all. */
Test(lint_real, digest_compared_in_a_test_is_a_check)
{
	cr_assert_eq(run_fires("curl -fLO https://example.com/p.tgz && "
	    "[ \"$(openssl sha512 -r p.tgz)\" = \"$SUM\" ] && tar xzf p.tgz",
	    "download-unverified"), 0);
	cr_assert_eq(run_fires("curl -fLO https://example.com/p.tgz && "
	    "[ \"$(cat p.tgz)\" = \"$SUM\" ] && tar xzf p.tgz",
	    "download-unverified"), 1);
}

Test(lint_real, uv_export_then_pip_install_keeps_the_lock)
{
	cr_assert_eq(run_fires("uv export -o r.txt && uv pip install -r r.txt",
	    "uv-unlocked"), 0);
	cr_assert_eq(run_fires("uv export --no-hashes -o r.txt && uv pip install "
	    "-r r.txt", "uv-unlocked"), 1);
}

/* pnpm install and its alias i fire once each; the subcommand is found
   after the global options that take a value (pnpm -C app install). */
Test(lint_pnpm, install_fires_once_after_global_options)
{
	cr_assert_eq(run_fires("pnpm install", "pnpm-unlocked"), 1);
	cr_assert_eq(run_fires("pnpm i", "pnpm-unlocked"), 1);
	cr_assert_eq(run_fires("pnpm -C app install", "pnpm-unlocked"), 1);
	cr_assert_eq(run_fires("pnpm --filter web i", "pnpm-unlocked"), 1);
	cr_assert_eq(run_fires("pnpm --dir=app install", "pnpm-unlocked"), 1);
	cr_assert_eq(run_fires("pnpm -C app install --frozen-lockfile",
	    "pnpm-unlocked"), 0);
	cr_assert_eq(run_fires("pnpm -C install build", "pnpm-unlocked"), 0);
	cr_assert_eq(run_fires("pnpm run build", "pnpm-unlocked"), 0);
}

/* --disable: a rule turned off reports nothing, the others still do; an
   id that is no rule is ERR_USAGE naming it. */
Test(lint_disable, rule_turned_off)
{
	static const char src[] = PINNED_FROM "RUN apt-get update && apt-get "
	    "install -y curl=8.0 && rm -rf /var/lib/apt/lists/*\n";
	struct lint_run *r = lint_new();
	struct err e = { 0, "" };

	cr_assert_eq(lint_buf(r, "Dockerfile", src, strlen(src), NULL, &e), 0);
	cr_assert_eq(count_rule(r, "logs-left"), 1);
	lint_free(r);
	r = lint_new();
	cr_assert_eq(lint_disable(r, "logs-left,gzip-no-n", &e), 0, "%s", e.msg);
	cr_assert_eq(lint_buf(r, "Dockerfile", src, strlen(src), NULL, &e), 0);
	cr_assert_eq(count_rule(r, "logs-left"), 0);
	cr_assert_eq(count_rule(r, "apt-unpinned"), 0);	/* pinned: none */
	cr_assert_eq(lint_disable(r, "logs-left,nope", &e), ERR_USAGE);
	cr_assert(strstr(e.msg, "no rule 'nope'") != NULL, "%s", e.msg);
	err_clear(&e);
	cr_assert_eq(lint_disable(r, ",", &e), ERR_USAGE);
	lint_free(r);
	r = lint_new();
	cr_assert_eq(lint_disable(r, "apt-unpinned", &e), 0, "%s", e.msg);
	cr_assert_eq(lint_buf(r, "Dockerfile", PINNED_FROM "RUN apt-get install "
	    "-y curl\n", strlen(PINNED_FROM) + 28, NULL, &e), 0, "%s", e.msg);
	cr_assert_eq(count_rule(r, "apt-unpinned"), 0);
	cr_assert_eq(count_rule(r, "logs-left"), 1);
	lint_free(r);
}

/* diff --dockerfile's matching: the final stage after the stages it is
   built FROM, and each builder's form of a history step. */
Test(lint_steps, final_stage_and_history_forms)
{
	const char *src = "FROM a AS base\nRUN apt-get update\n"
	    "FROM b AS other\nRUN make\n"
	    "FROM base\nCOPY --chown=1 app /srv/app/\n"
	    "RUN --mount=type=cache,target=/c pip install \\\n  x==1\n"
	    "ENV PATH=/x:$PATH\n";
	const char *hist[] = {
		"/bin/sh -c #(nop) ADD file:f00 in / ",	/* base of a */
		"|1 X=1 /bin/sh -c apt-get update",	/* classic, build args */
		"/bin/sh -c #(nop) COPY dir:abc in /srv/app ",
		"RUN /bin/sh -c pip install x==1 # buildkit",
		"ENV PATH=/x:/usr/bin",			/* classic expands it */
		"RUN make",				/* another stage's */
	};
	unsigned line[6];
	struct lint_run *r = lint_new();
	struct lint_steps ls;
	struct err e = { 0, "" };

	cr_assert_eq(lint_buf_steps(r, "Dockerfile", src, strlen(src), &ls, &e),
	    0, "%s", e.msg);
	cr_assert_eq(ls.n, 4);	/* RUN apt-get, COPY, RUN pip, ENV */
	cr_assert_str_eq(ls.v[0].keyword, "RUN");
	cr_assert_eq(ls.v[2].line, 7);
	cr_assert_eq(ls.v[2].last_line, 8);
	cli_dockerfile_match(&ls, hist, 6, line);
	cr_assert_eq(line[0], 0);
	cr_assert_eq(line[1], 2);
	cr_assert_eq(line[2], 6);
	cr_assert_eq(line[3], 7);
	cr_assert_eq(line[4], 9);
	cr_assert_eq(line[5], 0);
	lint_steps_release(&ls);
	lint_free(r);
}
