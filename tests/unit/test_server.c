/* vigie-server pieces that need no network: routing, paths, configuration,
 * metrics. */
#include "auth.h"
#include "escape.h"
#include "config.h"
#include "fixtures.h"
#include "http.h"
#include "metrics.h"
#include "routes.h"

#include <crypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

START_TEST(routes_match_method_and_path)
{
	int method_ok;
	const vg_route *r = vg_route_find("GET", "/api/search", &method_ok);
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r->name, "/api/search");
	ck_assert_int_eq(r->api, 1);
	ck_assert_ptr_nonnull(vg_route_find("HEAD", "/api/doc", &method_ok));
	ck_assert_ptr_null(vg_route_find("POST", "/api/search", &method_ok));
	ck_assert_int_eq(method_ok, 1);
	ck_assert_ptr_null(vg_route_find("GET", "/api/nothing", &method_ok));
	ck_assert_int_eq(method_ok, 0);
	r = vg_route_find("GET", "/static/app.js", &method_ok);
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r->name, "/static");
	ck_assert_str_eq(vg_route_find("GET", "/feed.atom", &method_ok)->name, "/feed.atom");
}
END_TEST

START_TEST(document_paths_stay_inside_the_repository)
{
	const char *good[] = {"a.md", "comptabilite/regies/regie-avances.md", "veille/2026/note été.md", ".vigie/schema.yml"};
	const char *bad[] = {"", "/etc/passwd", "../x.md", "a/../b.md", "a/./b.md", "a//b.md", "a/", "a\\b.md", "a\x01.md", "a/.."};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_msg(vg_path_valid(good[i], strlen(good[i])), "%s", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!vg_path_valid(bad[i], strlen(bad[i])), "%s", bad[i]);
	ck_assert(!vg_path_valid("a\0b", 3));
	ck_assert(!vg_path_valid("caf\xe9.md", 7));
}
END_TEST

START_TEST(configuration_file_and_options)
{
	char *dir = fx_tmpdir();
	char path[600];
	snprintf(path, sizeof(path), "%s/vigie.conf", dir);
	FILE *f = fopen(path, "w");
	fputs("# commentaire\nport = 9090\nrepo = /srv/docs.git   # fin de ligne\nmax_connections=512\n\n", f);
	fclose(f);
	vg_config c;
	vg_err err;
	int help;
	vg_config_init(&c);
	char *argv[] = {"vigie-server", "--config", path, "--port", "0", "--index", "/srv/index", NULL};
	ck_assert_int_eq(vg_config_args(&c, 7, argv, &help, &err), 0);
	ck_assert_uint_eq(c.port, 0);
	ck_assert_str_eq(c.repo, "/srv/docs.git");
	ck_assert_str_eq(c.index, "/srv/index");
	ck_assert_uint_eq(c.max_connections, 512);
	ck_assert_uint_eq(c.max_per_ip, 64);
	ck_assert_int_eq(vg_config_set(&c, "port", "70000", &err), VG_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "port"));
	/* The limit holds for the value with its suffix. */
	ck_assert_int_eq(vg_config_set(&c, "port", "65535k", &err), VG_EINVAL);
	ck_assert_int_eq(vg_config_set(&c, "max_push", "60M", &err), 0);
	ck_assert_uint_eq(c.max_push, 60u << 20);
	ck_assert_int_eq(vg_config_set(&c, "other_refs", "oui", &err), 0);
	ck_assert_int_eq(c.other_refs, 1);
	ck_assert_int_eq(vg_config_set(&c, "other_refs", "peut-être", &err), VG_EINVAL);
	ck_assert_int_eq(vg_config_set(&c, "couleur", "bleu", &err), VG_EINVAL);
	ck_assert_int_eq(vg_config_set(&c, "memory_limit", "128K", &err), 0);
	ck_assert_uint_eq(c.memory_limit, 128 * 1024);
	ck_assert_uint_eq(c.malloc_arenas, 4);
	ck_assert_int_eq(vg_config_set(&c, "malloc_arenas", "0", &err), 0);
	ck_assert_uint_eq(c.malloc_arenas, 0);
	ck_assert_int_eq(vg_config_set(&c, "malloc_arenas", "65", &err), VG_EINVAL);
	vg_config_clear(&c);
	f = fopen(path, "w");
	fputs("port = 80\nsans egal\n", f);
	fclose(f);
	vg_config_init(&c);
	ck_assert_int_eq(vg_config_load(&c, path, &err), VG_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "ligne 2"));
	vg_config_clear(&c);
	/* A '#' inside a value is kept; one after white space starts a comment. */
	f = fopen(path, "w");
	fputs("web = /srv/web#1 # le dossier\n#port = 1\n", f);
	fclose(f);
	vg_config_init(&c);
	ck_assert_int_eq(vg_config_load(&c, path, &err), 0);
	ck_assert_str_eq(c.web, "/srv/web#1");
	vg_config_clear(&c);
	/* An over-long line is reported as such, with its number. */
	f = fopen(path, "w");
	fputs("port = 80\nbase_url = http://", f);
	for (int i = 0; i < 5000; i++)
		fputc('a', f);
	fputs("\n", f);
	fclose(f);
	vg_config_init(&c);
	ck_assert_int_eq(vg_config_load(&c, path, &err), VG_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "ligne 2 : ligne trop longue"));
	vg_config_clear(&c);
	fx_rmrf(dir);
	free(dir);
}
END_TEST

START_TEST(metrics_are_prometheus_text)
{
	vg_metrics *m = vg_metrics_new();
	vg_metrics_record(m, "/api/search", 200, 0.004);
	vg_metrics_record(m, "/api/search", 200, 0.02);
	vg_metrics_record(m, "/api/doc", 404, 0.001);
	vg_strbuf b = VG_STRBUF_INIT;
	vg_metrics_write(m, &b);
	ck_assert_ptr_nonnull(strstr(b.ptr, "vigie_http_requests_total{route=\"/api/search\",status=\"200\"} 2\n"));
	ck_assert_ptr_nonnull(strstr(b.ptr, "vigie_http_requests_total{route=\"/api/doc\",status=\"404\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(b.ptr, "vigie_http_request_duration_seconds_bucket{le=\"0.005\"} 2\n"));
	ck_assert_ptr_nonnull(strstr(b.ptr, "vigie_http_request_duration_seconds_bucket{le=\"+Inf\"} 3\n"));
	ck_assert_ptr_nonnull(strstr(b.ptr, "vigie_http_request_duration_seconds_count 3\n"));
	vg_strbuf_free(&b);
	vg_metrics_free(m);
}
END_TEST

START_TEST(html_escaping_is_done_in_one_place)
{
	vg_strbuf b = VG_STRBUF_INIT;
	const char *s = "<script>alert(\"x\")</script> & l'été";
	vg_escape_html(&b, s, strlen(s));
	ck_assert_str_eq(b.ptr, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; l'été");
	vg_strbuf_free(&b);
}
END_TEST

/* Repositories are sections; one without is made of repo and index; a
 * section that forgets who reads is refused (access fails closed). */
START_TEST(repository_sections_and_the_single_repository)
{
	char *dir = fx_tmpdir();
	char path[600];
	snprintf(path, sizeof(path), "%s/vigie.conf", dir);
	vg_err err;
	vg_config c;
	FILE *f = fopen(path, "w");
	fprintf(f, "port = 80\nweb = %s\n[repository commun]\npath = /d/commun.git\nindex = /d/i-commun\nread = anonymous\n"
	           "\n[repository lille]  # l'académie\npath = /d/lille.git\nindex = /d/i-lille\nread = lille\npush = juristes-lille\n"
	           "title = Académie de Lille\n", dir);
	fclose(f);
	vg_config_init(&c);
	ck_assert_int_eq(vg_config_load(&c, path, &err), 0);
	ck_assert_int_eq(vg_config_check(&c, &err), 0);
	ck_assert_uint_eq(c.n_repos, 2);
	size_t pos = 9;
	const vg_repo_conf *l = vg_config_repo(&c, "lille", &pos);
	ck_assert_ptr_nonnull(l);
	ck_assert_uint_eq(pos, 1);
	ck_assert_str_eq(l->push, "juristes-lille");
	ck_assert_str_eq(l->title, "Académie de Lille");
	ck_assert_ptr_null(vg_config_repo(&c, "amiens", NULL));
	vg_config_clear(&c);
	static const char *const bad[][2] = {
		{"[repository lille]\npath = /a\nindex = /b\n", "« read » manquant"},
		{"[repository ../x]\n", "nom de dépôt invalide"},
		{"[repository docs.git]\n", "nom de dépôt invalide"},
		{"[depot lille]\n", "[repository NOM]"},
		{"[repository lille]\ncouleur = bleu\n", "paramètre de dépôt inconnu"},
		{"[repository a]\npath = /a\nindex = /i\nread = all\n[repository b]\npath = /b\nindex = /i\nread = all\n", "même dépôt git ou même index"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		f = fopen(path, "w");
		fprintf(f, "web = %s\n%s", dir, bad[i][0]);
		fclose(f);
		vg_config_init(&c);
		int rc = vg_config_load(&c, path, &err);
		if (rc == 0)
			rc = vg_config_check(&c, &err);
		ck_assert_msg(rc == VG_EINVAL && strstr(err.msg, bad[i][1]), "case %zu: %s", i, err.msg);
		vg_config_clear(&c);
	}
	/* repo and index alone: one repository named after its folder. */
	vg_config_init(&c);
	ck_assert_int_eq(vg_config_set(&c, "repo", "/srv/docs.git", &err), 0);
	ck_assert_int_eq(vg_config_set(&c, "index", "/srv/index", &err), 0);
	ck_assert_int_eq(vg_config_set(&c, "web", dir, &err), 0);
	ck_assert_int_eq(vg_config_check(&c, &err), 0);
	ck_assert_uint_eq(c.n_repos, 1);
	ck_assert_str_eq(c.repos[0].name, "docs");
	ck_assert_str_eq(c.repos[0].read, "anonymous");
	vg_config_clear(&c);
	fx_rmrf(dir);
	free(dir);
}
END_TEST

/* Who reads and pushes which repository. */
START_TEST(repository_rules_decide_reading_and_pushing)
{
	vg_repo_conf commun = {.name = "commun", .path = "/c", .index = "/i", .read = "anonymous"};
	vg_repo_conf lille = {.name = "lille", .path = "/l", .index = "/j", .read = "lille", .push = "juristes-lille"};
	vg_repo_conf code = {.name = "code", .path = "/k", .index = "/m", .read = "all", .upstream = "/u"};
	vg_repo_conf all[] = {commun, lille, code};
	vg_user anon, jl, cl, adm;
	memset(&anon, 0, sizeof(anon));
	memset(&jl, 0, sizeof(jl));
	memset(&cl, 0, sizeof(cl));
	memset(&adm, 0, sizeof(adm));
	snprintf(jl.name, sizeof(jl.name), "jl");
	jl.role = VG_ROLE_CONTRIBUTOR;
	vg_strlist_add_unique(&jl.groups, "contributors");
	vg_strlist_add_unique(&jl.groups, "lille");
	vg_strlist_add_unique(&jl.groups, "juristes-lille");
	snprintf(cl.name, sizeof(cl.name), "cl");
	vg_strlist_add_unique(&cl.groups, "lille");
	snprintf(adm.name, sizeof(adm.name), "adm");
	adm.role = VG_ROLE_ADMIN;
	ck_assert_uint_eq(vg_user_readable(&anon, all, 3, 1), 1);
	ck_assert_uint_eq(vg_user_readable(&anon, all, 3, 0), 0); /* anonymous = no */
	ck_assert_uint_eq(vg_user_readable(&cl, all, 3, 1), 7);
	ck_assert_uint_eq(vg_user_readable(&adm, all, 3, 0), 7);
	ck_assert(vg_user_may_push(&jl, &lille, 1));
	ck_assert(vg_user_may_push(&jl, &commun, 1)); /* contributors by default */
	ck_assert(!vg_user_may_push(&cl, &lille, 1));
	ck_assert(!vg_user_may_push(&anon, &commun, 1));
	ck_assert(!vg_user_may_push(&adm, &code, 1)); /* a mirror */
	ck_assert(vg_user_may_push(&adm, &lille, 1));
	/* A group named in a longer one is not that group. */
	vg_repo_conf lil = {.name = "lil", .path = "/x", .index = "/y", .read = "lille-bis, amiens"};
	ck_assert(!vg_user_may_read(&cl, &lil, 1));
	vg_user_clear(&jl);
	vg_user_clear(&cl);
}
END_TEST

START_TEST(accounts_roles_and_slowed_failures)
{
	char *dir = fx_tmpdir();
	char users[600], groups[600];
	snprintf(users, sizeof(users), "%s/users", dir);
	snprintf(groups, sizeof(groups), "%s/groups", dir);
	char *hash = strdup(crypt("s3cret", crypt_gensalt("$2b$", 5, NULL, 0)));
	FILE *f = fopen(users, "w");
	fprintf(f, "# comptes\nalice:%s\n", hash);
	fclose(f);
	f = fopen(groups, "w");
	fputs("contributors: alice bob\nlille: alice\n", f);
	fclose(f);
	vg_auth *a = NULL;
	vg_throttle *t = NULL;
	vg_err err;
	vg_user u;
	ck_assert_int_eq(vg_throttle_new(&t, &err), 0);
	ck_assert_int_eq(vg_auth_load(&a, users, groups, &err), 0);
	ck_assert_int_eq(vg_auth_check(a, t, "alice", "s3cret", "10.0.0.1", &u), VG_AUTH_OK);
	ck_assert_str_eq(u.name, "alice");
	ck_assert_int_eq(u.role, VG_ROLE_CONTRIBUTOR);
	ck_assert(vg_user_in(&u, "lille"));
	ck_assert(!vg_user_in(&u, "amiens"));
	vg_user_clear(&u);
	ck_assert_int_eq(vg_auth_check(a, t, NULL, NULL, "10.0.0.1", &u), VG_AUTH_ANONYMOUS);
	ck_assert_int_eq(vg_auth_check(a, t, "alice", "faux", "10.0.0.1", &u), VG_AUTH_BAD);
	ck_assert_int_eq(vg_auth_check(a, t, "mallory", "s3cret", "10.0.0.1", &u), VG_AUTH_BAD);
	vg_auth_free(a);
	ck_assert_uint_eq(vg_throttle_delay_ms(0), 0);
	ck_assert_uint_eq(vg_throttle_delay_ms(1), 250);
	ck_assert_uint_eq(vg_throttle_delay_ms(3), 1000);
	ck_assert_uint_eq(vg_throttle_delay_ms(50), 8000);
	f = fopen(users, "w");
	fputs("sans-deux-points\n", f);
	fclose(f);
	ck_assert_int_eq(vg_auth_load(&a, users, NULL, &err), VG_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "ligne 1"));
	vg_throttle_free(t);
	free(hash);
	fx_rmrf(dir);
	free(dir);
}
END_TEST

START_TEST(failed_logins_are_slowed_per_address_and_per_account)
{
	vg_throttle *t = NULL;
	vg_err err;
	ck_assert_int_eq(vg_throttle_new(&t, &err), 0);
	ck_assert_uint_eq(vg_throttle_fail(t, "10.0.0.1", "alice"), 1);
	ck_assert_uint_eq(vg_throttle_fail(t, "10.0.0.1", "alice"), 2);
	/* Guessing alice's password from elsewhere is slowed by her account... */
	ck_assert_uint_eq(vg_throttle_fail(t, "10.0.0.2", "alice"), 3);
	/* ...and other accounts from the first address by that address. */
	ck_assert_uint_eq(vg_throttle_fail(t, "10.0.0.1", "bob"), 3);
	/* Another account's success resets nothing of that address. */
	vg_throttle_succeed(t, "carol");
	ck_assert_uint_eq(vg_throttle_failures(t, "10.0.0.1", "dave"), 3);
	/* Alice's own success forgets her account's failures only. */
	vg_throttle_succeed(t, "alice");
	ck_assert_uint_eq(vg_throttle_failures(t, "10.0.0.3", "alice"), 0);
	ck_assert_uint_eq(vg_throttle_failures(t, "10.0.0.2", "alice"), 1);
	vg_throttle_free(t);
}
END_TEST

START_TEST(git_requests_are_classified_as_git_will_serve_them)
{
	vg_git_target t;
	ck_assert_int_eq(vg_git_classify(&t, "GET", "/git/docs.git/info/refs", "git-upload-pack", 1, "docs.git", "docs.git"), 0);
	ck_assert_int_eq(t.service, VG_GIT_FETCH);
	ck_assert_int_eq(t.pack, 0);
	ck_assert_str_eq(t.path_info, "/docs.git/info/refs");
	ck_assert_str_eq(t.query, "service=git-upload-pack");
	ck_assert_int_eq(vg_git_classify(&t, "HEAD", "/git/docs.git/info/refs", "git-receive-pack", 1, "docs.git", "docs.git"), 0);
	ck_assert_int_eq(t.service, VG_GIT_PUSH);
	ck_assert_str_eq(t.query, "service=git-receive-pack");
	/* The path decides a pack exchange; its query is never passed on. */
	ck_assert_int_eq(vg_git_classify(&t, "POST", "/git/docs.git/git-upload-pack", "git-receive-pack", 1, "docs.git", "docs.git"), 0);
	ck_assert_int_eq(t.service, VG_GIT_FETCH);
	ck_assert_int_eq(t.pack, 1);
	ck_assert_str_eq(t.query, "");
	ck_assert_int_eq(vg_git_classify(&t, "POST", "/git/docs.git/git-receive-pack", NULL, 0, "docs.git", "docs.git"), 0);
	ck_assert_int_eq(t.service, VG_GIT_PUSH);
	ck_assert_str_eq(t.path_info, "/docs.git/git-receive-pack");
	/* Repeated service parameters: git keeps the last, the bridge refuses. */
	ck_assert_int_eq(vg_git_classify(&t, "GET", "/git/docs.git/info/refs", "git-receive-pack", 2, "docs.git", "docs.git"), VG_EINVAL);
	const char *not_git[][3] = {
		{"GET", "/git/docs.git/info/refs", NULL},               /* dumb protocol */
		{"GET", "/git/docs.git/info/refs", "git-upload-archive"},
		{"GET", "/git/docs.git/HEAD", "git-receive-pack"},
		{"GET", "/git/docs.git/objects/info/packs", NULL},
		{"GET", "/git/docs.git/objects/5f/e2f06a6ec3e25b918c1456d8f6baf342bd92e5", NULL},
		{"GET", "/git/docs.git/info/refs/git-receive-pack", "git-upload-pack"},
		{"GET", "/git/docs.git/git-upload-pack", NULL},
		{"POST", "/git/docs.git/info/refs", "git-upload-pack"},
		{"PUT", "/git/docs.git/git-receive-pack", NULL},
		{"GET", "/git/docs.git//info/refs", "git-upload-pack"},
		{"GET", "/git/docs.git/./info/refs", "git-upload-pack"},
		{"GET", "/git/docs.git/x/../info/refs", "git-upload-pack"},
		{"GET", "/git/other.git/info/refs", "git-upload-pack"},
		{"GET", "/git/docs.gitx/info/refs", "git-upload-pack"},
		{"GET", "/git/docs.git", NULL},
		{"GET", "/git/", NULL},
	};
	for (size_t i = 0; i < sizeof(not_git) / sizeof(not_git[0]); i++)
		ck_assert_msg(vg_git_classify(&t, not_git[i][0], not_git[i][1], not_git[i][2], not_git[i][2] ? 1 : 0,
		                              "docs.git", "docs.git") == VG_ENOTFOUND,
		              "%s %s", not_git[i][0], not_git[i][1]);
}
END_TEST

Suite *vg_suite_server(void)
{
	Suite *s = suite_create("server");
	TCase *tc = tcase_create("pieces");
	tcase_add_test(tc, routes_match_method_and_path);
	tcase_add_test(tc, document_paths_stay_inside_the_repository);
	tcase_add_test(tc, configuration_file_and_options);
	tcase_add_test(tc, metrics_are_prometheus_text);
	tcase_add_test(tc, html_escaping_is_done_in_one_place);
	tcase_add_test(tc, repository_sections_and_the_single_repository);
	tcase_add_test(tc, repository_rules_decide_reading_and_pushing);
	tcase_add_test(tc, accounts_roles_and_slowed_failures);
	tcase_add_test(tc, git_requests_are_classified_as_git_will_serve_them);
	tcase_add_test(tc, failed_logins_are_slowed_per_address_and_per_account);
	suite_add_tcase(s, tc);
	return s;
}
