/* Test fixtures: small real git repositories made with the git command,
 * and helpers to index and search them. */
#ifndef VG_TEST_FIXTURES_H
#define VG_TEST_FIXTURES_H

#include <check.h>
#include <jansson.h>
#include <stddef.h>

#include "indexer.h"
#include "search.h"
#include "strbuf.h"

/* The suites of suites.def, run together by runner.c. */
#define VG_SUITE(name) Suite *vg_suite_##name(void);
#include "suites.def"
#undef VG_SUITE

/* A new empty folder under $TMPDIR (malloc'd path). */
char *fx_tmpdir(void);
/* Removes a folder made by fx_tmpdir, recursively. */
void fx_rmrf(const char *path);
/* Runs a shell command built from fmt; returns its exit status. */
int fx_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* git init with an author identity. */
void fx_git_init(const char *repo);
/* Writes path (folders made as needed) in the work tree of repo. */
void fx_write(const char *repo, const char *path, const char *content);
void fx_write_bytes(const char *repo, const char *path, const char *data, size_t len);
/* git add -A and commit, author and committer dated date ("2012-01-10"). */
void fx_commit(const char *repo, const char *date, const char *message);
/* Output of a shell command, trailing newline removed (malloc'd). */
char *fx_sh_out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The French documentation repository most tests share (see fixtures.c
 * for its history). Returns the repository path (malloc'd). */
char *fx_standard_repo(void);

/* The standard repository and its index, made once for a test case
 * (tcase_add_unchecked_fixture(tc, fx_indexed_setup, fx_indexed_teardown)). */
extern char *fx_repo, *fx_index;
void fx_indexed_setup(void);
void fx_indexed_teardown(void);

/* A repository of its own for one test: dir (removed by
 * fx_scratch_done), dir/docs made a git repository, dir/index for its
 * index. */
typedef struct fx_scratch {
	char *dir;
	char repo[600];
	char index[600];
} fx_scratch;
void fx_scratch_init(fx_scratch *sc);
void fx_scratch_done(fx_scratch *sc);

/* Default indexing options for repo into index. */
vg_index_opts fx_index_opts(const char *repo, const char *index);
/* Indexes repo into index with default options; fails the test on error. */
void fx_update(const char *repo, const char *index);
/* Runs a search request; returns its status (res is NULL on error). */
/* vg_search_run on s, its results as their JSON (vg_results_json). */
int fx_run(vg_searcher *s, const vg_search_req *req, json_t **res, vg_err *err);
int fx_search_req(const char *index, const vg_search_req *req, json_t **res, vg_err *err);
/* Runs a search, failing the test on error. */
json_t *fx_search(const char *index, const char *query, const char *as_of);
/* Paths of the hits of a result, joined by ",", in order (malloc'd). */
char *fx_hit_paths(json_t *result);
/* 1 if the result has a hit with this path. */
int fx_has_hit(json_t *result, const char *path);

#endif
