#include "fixtures.h"
#include "indexer.h"
#include "search.h"
#include "strbuf.h"

#include <check.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *fx_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char tmpl[512];
	snprintf(tmpl, sizeof(tmpl), "%s/vigie-test-XXXXXX", base && *base ? base : "/tmp");
	char *d = mkdtemp(tmpl);
	ck_assert_msg(d != NULL, "mkdtemp failed");
	return strdup(d);
}

static int vsh(char **out, const char *fmt, va_list ap)
{
	vg_strbuf cmd = VG_STRBUF_INIT;
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	vg_strbuf_grow(&cmd, (size_t)n);
	vsnprintf(cmd.ptr, (size_t)n + 1, fmt, ap);
	cmd.len = (size_t)n;
	int status;
	if (out) {
		FILE *p = popen(cmd.ptr, "r");
		ck_assert_msg(p != NULL, "popen failed: %s", cmd.ptr);
		vg_strbuf b = VG_STRBUF_INIT;
		char buf[4096];
		size_t r;
		while ((r = fread(buf, 1, sizeof(buf), p)) > 0)
			vg_strbuf_add(&b, buf, r);
		status = pclose(p);
		while (b.len && b.ptr[b.len - 1] == '\n')
			b.ptr[--b.len] = '\0';
		*out = vg_strbuf_detach(&b);
	} else {
		status = system(cmd.ptr);
	}
	vg_strbuf_free(&cmd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int fx_sh(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vsh(NULL, fmt, ap);
	va_end(ap);
	return rc;
}

char *fx_sh_out(const char *fmt, ...)
{
	char *out = NULL;
	va_list ap;
	va_start(ap, fmt);
	vsh(&out, fmt, ap);
	va_end(ap);
	return out;
}

void fx_rmrf(const char *path)
{
	if (path && strncmp(path, "/", 1) == 0 && strstr(path, "vigie-test-"))
		fx_sh("rm -rf '%s'", path);
}

void fx_git_init(const char *repo)
{
	ck_assert_int_eq(fx_sh("git init -q -b main '%s' && git -C '%s' config user.name 'Jeanne Juriste' "
	                       "&& git -C '%s' config user.email jeanne@ac-lille.fr",
	                       repo, repo, repo),
	                 0);
}

void fx_write_bytes(const char *repo, const char *path, const char *data, size_t len)
{
	char full[1024];
	snprintf(full, sizeof(full), "%s/%s", repo, path);
	char *slash = strrchr(full, '/');
	*slash = '\0';
	ck_assert_int_eq(fx_sh("mkdir -p '%s'", full), 0);
	*slash = '/';
	FILE *f = fopen(full, "wb");
	ck_assert_msg(f != NULL, "cannot write %s", full);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	fclose(f);
}

void fx_write(const char *repo, const char *path, const char *content)
{
	fx_write_bytes(repo, path, content, strlen(content));
}

void fx_commit(const char *repo, const char *date, const char *message)
{
	ck_assert_int_eq(fx_sh("cd '%s' && git add -A && GIT_AUTHOR_DATE='%sT12:00:00Z' "
	                       "GIT_COMMITTER_DATE='%sT12:00:00Z' git commit -q --allow-empty -m '%s'",
	                       repo, date, date, message),
	                 0);
}

/* History of the standard repository:
 *  2012-01-10  a note on the régie d'avances (front matter), a watch note
 *              on EPLE citing L. 421-11 and L. 421-12 and using "éducation
 *              civique", a payroll procedure (.txt), the article R421-58.
 *  2013-07-10  the watch note now says "enseignement moral et civique"; a
 *              note with a broken front matter; a Latin-1 note.
 *  2014-03-01  the régie note renamed; the payroll procedure deleted; the
 *              synonyms file; a binary file named .md; a note on the
 *              décision budgétaire modificative (never says "DBM").
 */
char *fx_standard_repo(void)
{
	char *dir = fx_tmpdir();
	char repo[600];
	snprintf(repo, sizeof(repo), "%s/docs", dir);
	fx_git_init(repo);
	fx_write(repo, "comptabilite/regies/regie-avances.md",
	         "---\n"
	         "titre: Régie d'avances en EPLE\n"
	         "date: 2012-01-05\n"
	         "domaine: comptabilite\n"
	         "type: procedure\n"
	         "academie: Lille\n"
	         "auteur: Jeanne Juriste\n"
	         "references: [\"R. 421-58\"]\n"
	         "mots-cles: [régie, avances]\n"
	         "---\n"
	         "# Régie d'avances\n\n"
	         "L'agent comptable contrôle la régie d'avances de l'établissement, "
	         "conformément à l'article R. 421-58 du code de l'éducation.\n\n"
	         "| plafond | montant |\n|---|---|\n| avances | 2 000 € |\n");
	fx_write(repo, "veille-juridique/2012/note-eple.md",
	         "---\n"
	         "titre: Veille sur les EPLE\n"
	         "date: 2012-01-09\n"
	         "domaine: veille-juridique\n"
	         "type: note\n"
	         "academie: amiens\n"
	         "---\n"
	         "Les établissements publics locaux d'enseignement relèvent des "
	         "articles L. 421-11 et L. 421-12. L'enseignement d'éducation civique "
	         "y est assuré jusqu'à la fin du collège.\n");
	fx_write(repo, "paye/procedure-paye.txt",
	         "Procédure de paye des assistants d'éducation\n\n"
	         "Le décret n° 2003-484 fixe les conditions de recrutement.\n");
	fx_write(repo, "code/article-r421-58.md",
	         "# Article R421-58\n\nLe budget de l'établissement est présenté en "
	         "section de fonctionnement et section d'investissement.\n");
	fx_commit(repo, "2012-01-10", "Premières notes");

	fx_write(repo, "veille-juridique/2012/note-eple.md",
	         "---\n"
	         "titre: Veille sur les EPLE\n"
	         "date: 2013-07-08\n"
	         "domaine: veille-juridique\n"
	         "type: note\n"
	         "academie: amiens\n"
	         "---\n"
	         "Les établissements publics locaux d'enseignement relèvent des "
	         "articles L. 421-11 et L. 421-12. L'enseignement moral et civique "
	         "y est assuré jusqu'à la fin du collège.\n");
	fx_write(repo, "veille-juridique/2013/casse.md",
	         "---\ntitre: [non fermé\ndate: 2013-07-01\n---\n"
	         "# Note cassée\n\nUne dotation globale de fonctionnement.\n");
	fx_write(repo, "veille-juridique/2013/latin1.md",
	         "# Ecole\n\nLa r\xe9gie de recettes du coll\xe8ge.\n");
	fx_commit(repo, "2013-07-10", "Enseignement moral et civique");

	fx_sh("cd '%s' && git mv comptabilite/regies/regie-avances.md comptabilite/regies/regies-avances.md "
	      "&& git rm -q paye/procedure-paye.txt",
	      repo);
	fx_write(repo, ".vigie/synonymes.txt",
	         "# Sigles\nEPLE = établissement public local d'enseignement\n"
	         "DBM = décision budgétaire modificative\n"
	         "DMO = décision modificative\n");
	fx_write_bytes(repo, "modeles/binaire.md", "PK\x03\x04\0\0\0binary", 13);
	fx_write(repo, "comptabilite/budget/dbm.md",
	         "# Modifier le budget\n\nLa décision budgétaire modificative n° 2 ajuste les "
	         "crédits quand a < b & c > d.\n");
	fx_commit(repo, "2014-03-01", "Renommage et suppression");
	free(dir);
	return strdup(repo);
}

char *fx_repo, *fx_index;
static char *fx_work;

void fx_indexed_setup(void)
{
	fx_repo = fx_standard_repo();
	fx_work = fx_tmpdir();
	fx_index = malloc(strlen(fx_work) + 8);
	sprintf(fx_index, "%s/index", fx_work);
	fx_update(fx_repo, fx_index);
}

void fx_indexed_teardown(void)
{
	*strrchr(fx_repo, '/') = '\0';
	fx_rmrf(fx_repo);
	fx_rmrf(fx_work);
	free(fx_repo);
	free(fx_work);
	free(fx_index);
}

void fx_scratch_init(fx_scratch *sc)
{
	sc->dir = fx_tmpdir();
	snprintf(sc->repo, sizeof(sc->repo), "%s/docs", sc->dir);
	snprintf(sc->index, sizeof(sc->index), "%s/index", sc->dir);
	fx_git_init(sc->repo);
}

void fx_scratch_done(fx_scratch *sc)
{
	fx_rmrf(sc->dir);
	free(sc->dir);
	sc->dir = NULL;
}

vg_index_opts fx_index_opts(const char *repo, const char *index)
{
	vg_index_opts o;
	memset(&o, 0, sizeof(o));
	o.repo = repo;
	o.index = index;
	return o;
}

void fx_update(const char *repo, const char *index)
{
	vg_index_opts o = fx_index_opts(repo, index);
	vg_index_stats st;
	vg_err err;
	int rc = vg_index_update(&o, &st, &err);
	ck_assert_msg(rc == 0, "update failed: %s", err.msg);
}

int fx_run(vg_searcher *s, const vg_search_req *req, json_t **res, vg_err *err)
{
	vg_results r;
	*res = NULL;
	int rc = vg_search_run(&r, s, req, err);
	if (rc < 0)
		return rc;
	*res = vg_results_json(&r);
	vg_results_clear(&r);
	ck_assert_ptr_nonnull(*res);
	return 0;
}

int fx_search_req(const char *index, const vg_search_req *req, json_t **res, vg_err *err)
{
	vg_searcher *s = NULL;
	*res = NULL;
	int rc = vg_searcher_open(&s, index, err);
	ck_assert_msg(rc == 0, "open: %s", err->msg);
	rc = fx_run(s, req, res, err);
	vg_searcher_free(s);
	return rc;
}

json_t *fx_search(const char *index, const char *query, const char *as_of)
{
	vg_err err;
	json_t *res = NULL;
	vg_search_req req;
	memset(&req, 0, sizeof(req));
	req.query = query;
	req.as_of = as_of;
	req.limit = 100;
	int rc = fx_search_req(index, &req, &res, &err);
	ck_assert_msg(rc == 0, "search « %s »: %s", query, err.msg);
	return res;
}

char *fx_hit_paths(json_t *result)
{
	vg_strbuf b = VG_STRBUF_INIT;
	size_t i;
	json_t *h;
	vg_strbuf_puts(&b, "");
	json_array_foreach(json_object_get(result, "hits"), i, h) {
		if (i)
			vg_strbuf_putc(&b, ',');
		vg_strbuf_puts(&b, json_string_value(json_object_get(h, "path")));
	}
	return vg_strbuf_detach(&b);
}

int fx_has_hit(json_t *result, const char *path)
{
	size_t i;
	json_t *h;
	json_array_foreach(json_object_get(result, "hits"), i, h)
		if (strcmp(json_string_value(json_object_get(h, "path")), path) == 0)
			return 1;
	return 0;
}
