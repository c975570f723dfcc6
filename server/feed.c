/* Atom feeds (RFC 4287) of recent changes, for a domain or a saved query,
 * and the OpenSearch description that lets browsers search Vigie. */
#include "routes.h"
#include "catalog.h"
#include "escape.h"
#include "veille.h"
#include "wdiff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A Unix time in UTC: its day, or with its time as RFC 3339 writes it. */
static void utc_time(long long t, int with_time, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	if (with_time)
		strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
	else
		strftime(out, 32, "%Y-%m-%d", &tm);
}

static void rfc3339(long long t, char out[32])
{
	utc_time(t, 1, out);
}

/* The page of a document (its version commit, or NULL: without one);
 * NULL when memory runs out. */
static char *page_link(const char *base, const char *repo, const char *path, const char *commit)
{
	vg_strbuf b = VG_STRBUF_INIT;
	vg_strbuf_printf(&b, "%s/#/doc?", base ? base : "");
	if (repo) {
		vg_strbuf_puts(&b, "repo=");
		vg_escape_url(&b, repo);
		vg_strbuf_putc(&b, '&');
	}
	vg_strbuf_puts(&b, "path=");
	vg_escape_url(&b, path ? path : "");
	if (commit) {
		vg_strbuf_puts(&b, "&rev=");
		vg_escape_url(&b, commit);
	}
	return vg_strbuf_detach(&b);
}

/* The page of a hit's version. */
static char *hit_link(const char *base, json_t *hit)
{
	const char *commit = json_string_value(json_object_get(hit, "commit"));
	return page_link(base, json_string_value(json_object_get(hit, "repo")),
	                 json_string_value(json_object_get(hit, "path")), commit ? commit : "");
}

/* The query string that reproduces this feed: q, the repositories and
 * the facet filters. */
static char *feed_query(vg_request *r, const vg_search_req *req)
{
	vg_strbuf b = VG_STRBUF_INIT;
	const char **repos = NULL;
	size_t n = 0;
	vg_err err;
	vg_strbuf_puts(&b, "");
	if (req->query && *req->query) {
		vg_strbuf_puts(&b, "q=");
		vg_escape_url(&b, req->query);
	}
	if (vg_param_all(r, "repo", &repos, &n, &err) == 0) {
		for (size_t i = 0; i < n; i++) {
			vg_strbuf_puts(&b, b.len ? "&repo=" : "repo=");
			vg_escape_url(&b, repos[i]);
		}
	}
	free(repos);
	for (size_t i = 0; i < req->n_filters; i++) {
		const char *eq = strchr(req->filters[i], '=');
		if (b.len)
			vg_strbuf_putc(&b, '&');
		vg_strbuf_add(&b, req->filters[i], (size_t)(eq - req->filters[i]));
		vg_strbuf_putc(&b, '=');
		vg_escape_url(&b, eq + 1);
	}
	return vg_strbuf_detach(&b);
}

#define ATOM_TYPE "application/atom+xml; charset=utf-8"

/* What a feed entry says of its version: added or amended, by which text
 * (its commit's subject), and the paragraphs that changed with their words
 * marked ("change": {"kind", "text", "html", "paragraphs"}). */
/* The repository of a hit: the one it names, or the reader's only one. */
static vg_reader_repo *hit_repo(vg_reader *rd, json_t *hit)
{
	const char *name = json_string_value(json_object_get(hit, "repo"));
	return name ? vg_reader_find(rd, name) : rd->n_repos == 1 ? &rd->repos[0] : NULL;
}

static void describe_change(vg_reader *rd, json_t *hit)
{
	vg_reader_repo *rr = hit_repo(rd, hit);
	const char *path = json_string_value(json_object_get(hit, "path"));
	char *before = NULL, *now = NULL;
	vg_err err;
	vg_history h;
	if (!rr || !path || vg_catalog_history(&h, rr->searcher, path, &err) < 0)
		return;
	/* The hit's own version (a feed may be as of a past day) and the one
	 * before it. */
	const char *commit = json_string_value(json_object_get(hit, "commit"));
	const vg_history_version *current = NULL, *previous = NULL;
	for (size_t k = 0; commit && !current && k < h.n; k++)
		if (strcmp(h.versions[k].commit, commit) == 0) {
			current = &h.versions[k];
			previous = k + 1 < h.n ? &h.versions[k + 1] : NULL;
		}
	if (!current) {
		vg_history_clear(&h);
		return;
	}
	json_t *change = json_pack("{s:s}", "kind", previous ? "modifié" : "ajouté");
	if (change)
		vg_set_commit_subject(rr, current->commit, change, "text");
	vg_wdiff_result d;
	if (change && previous &&
	    vg_catalog_text(rr->searcher, previous->path, previous->commit, &before, &err) == 0 &&
	    vg_catalog_text(rr->searcher, path, current->commit, &now, &err) == 0 && vg_wdiff(&d, before, now, &err) == 0) {
		/* The changed paragraphs only, their words marked. */
		vg_strbuf b = VG_STRBUF_INIT;
		for (size_t i = 0, shown = 0; i < d.n && shown < 5; i++) {
			if (strcmp(d.paras[i].op, "same") == 0)
				continue;
			vg_strbuf_printf(&b, "<p>%s</p>", d.paras[i].html);
			shown++;
		}
		char *html = vg_strbuf_detach(&b);
		json_object_set_new(change, "html", json_string(html ? html : ""));
		json_object_set_new(change, "paragraphs", json_integer((json_int_t)d.changes));
		free(html);
		vg_wdiff_clear(&d);
	}
	if (change)
		json_object_set_new(hit, "change", change);
	free(before);
	free(now);
	vg_history_clear(&h);
}

/* A deleted document's hit says by which commit it went. */
static void describe_deletion(vg_reader *rd, json_t *hit)
{
	json_t *change = json_pack("{s:s}", "kind", "supprimé");
	if (!change)
		return;
	vg_set_commit_subject(hit_repo(rd, hit), json_string_value(json_object_get(hit, "deleted_by")), change, "text");
	json_object_set_new(hit, "change", change);
}

static int by_change_desc(const void *a, const void *b)
{
	json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "changed"));
	json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "changed"));
	return x < y ? 1 : x > y ? -1 : 0;
}

/* A search's results as the JSON that feeds are made from (NULL when it
 * fails; err says why). */
static int search_json(vg_reader *rd, const vg_search_req *req, json_t **out, vg_err *err)
{
	vg_results res;
	int rc = vg_search_run(&res, rd->searcher, req, err);
	if (rc < 0)
		return rc;
	*out = vg_results_json(&res);
	vg_results_clear(&res);
	return *out ? 0 : vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
}

/* The documents of the search deleted since, among its hits by time of
 * change, the latest first, as many hits as asked in all. */
static void add_deletions(vg_reader *rd, const vg_search_req *req, json_t *res)
{
	vg_search_req gone = *req;
	json_t *deleted = NULL, *hits = json_object_get(res, "hits");
	vg_err err;
	gone.deleted = 1;
	gone.offset = 0;
	if (search_json(rd, &gone, &deleted, &err) < 0)
		return;
	json_t *more = json_object_get(deleted, "hits");
	size_t n = json_array_size(hits) + json_array_size(more), k = 0, i;
	json_t **all = n ? calloc(n, sizeof(*all)) : NULL, *h;
	if (all) {
		json_array_foreach(hits, i, h)
			all[k++] = json_incref(h);
		json_array_foreach(more, i, h) {
			describe_deletion(rd, h);
			all[k++] = json_incref(h);
		}
		qsort(all, k, sizeof(*all), by_change_desc);
		json_array_clear(hits);
		for (i = 0; i < k; i++) {
			if (i < (req->limit ? req->limit : 10))
				json_array_append(hits, all[i]);
			json_decref(all[i]);
		}
		free(all);
	}
	json_decref(deleted);
}

/* Reads the search parameters, lets adjust() set what the format decides,
 * and runs the search for the request's user (describe: each hit also says
 * what changed, see describe_change); answers the error itself and
 * returns -1 when it cannot. */
static int feed_search(vg_request *r, void (*adjust)(vg_request *, vg_search_req *), int describe, vg_search_req *req,
                       char ***filters, json_t **res, enum MHD_Result *ret)
{
	vg_err err;
	const char *code;
	int rc = vg_api_search_request(r, req, filters, &err);
	if (rc < 0) {
		*ret = vg_respond_error(r, vg_http_status_of(rc, &code), code, err.msg);
		return -1;
	}
	req->with_version_time = 1;
	adjust(r, req);
	vg_reader *rd = vg_borrow_reader(r, 1, ret);
	if (!rd) {
		vg_api_free_filters(*filters, req->n_filters);
		return -1;
	}
	rc = search_json(rd, req, res, &err);
	size_t i;
	json_t *hit;
	json_array_foreach(rc == 0 && describe ? json_object_get(*res, "hits") : NULL, i, hit)
		describe_change(rd, hit);
	/* Today's feed also says what went. */
	if (rc == 0 && describe && !req->as_of)
		add_deletions(rd, req, *res);
	vg_readers_put(r->server->readers, rd);
	if (rc < 0) {
		vg_api_free_filters(*filters, req->n_filters);
		*ret = vg_respond_error(r, vg_http_status_of(rc, &code), code, err.msg);
		return -1;
	}
	return 0;
}

/* A feed lists the latest changes first. */
static void atom_adjust(vg_request *r, vg_search_req *req)
{
	(void)r;
	req->sort_by_change = 1;
	req->sort_by_date = 0;
	if (!req->limit || req->limit == 10)
		req->limit = 30;
}

enum MHD_Result vg_feed_atom(vg_request *r)
{
	vg_search_req req;
	char **filters = NULL;
	enum MHD_Result ret = MHD_NO;
	char *key = vg_cache_key(r);
	if (vg_respond_cached(r, key, ATOM_TYPE, &ret)) {
		free(key);
		return ret;
	}
	json_t *res = NULL;
	if (feed_search(r, atom_adjust, 1, &req, &filters, &res, &ret) < 0) {
		free(key);
		return ret;
	}
	char *base = vg_base_url(r), *query = feed_query(r, &req);
	vg_strbuf b = VG_STRBUF_INIT;
	json_t *hits = json_object_get(res, "hits");
	long long newest = 0;
	size_t i;
	json_t *h;
	json_array_foreach(hits, i, h) {
		long long t = (long long)json_integer_value(json_object_get(h, "changed"));
		if (t > newest)
			newest = t;
	}
	char updated[32];
	rfc3339(newest ? newest : (long long)time(NULL), updated);
	vg_strbuf_puts(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	                   "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fr\">\n  <title>Vigie : ");
	if (req.query && *req.query) {
		vg_strbuf_puts(&b, "« ");
		vg_escape_xml(&b, req.query);
		vg_strbuf_puts(&b, " »");
	} else {
		vg_strbuf_puts(&b, "nouveautés");
	}
	for (size_t f = 0; f < req.n_filters; f++) {
		vg_strbuf_puts(&b, ", ");
		vg_escape_xml(&b, req.filters[f]);
	}
	vg_strbuf_puts(&b, "</title>\n  <subtitle>Documents nouveaux ou modifiés de la documentation partagée "
	                   "des académies de Lille et d'Amiens</subtitle>\n  <id>");
	vg_strbuf_printf(&b, "%s/feed.atom%s", base, *query ? "?" : "");
	vg_escape_xml(&b, query);
	vg_strbuf_puts(&b, "</id>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"");
	vg_strbuf_printf(&b, "%s/feed.atom%s", base, *query ? "?" : "");
	vg_escape_xml(&b, query);
	vg_strbuf_printf(&b, "\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"%s/%s", base,
	                 *query ? "?" : "");
	vg_escape_xml(&b, query);
	vg_strbuf_printf(&b, "\"/>\n  <updated>%s</updated>\n  <author><name>Vigie</name></author>\n"
	                 "  <generator>Vigie</generator>\n",
	                 updated);
	json_array_foreach(hits, i, h) {
		char when[32];
		rfc3339((long long)json_integer_value(json_object_get(h, "changed")), when);
		char *link = hit_link(base, h);
		vg_strbuf_puts(&b, "  <entry>\n    <title>");
		vg_escape_xml(&b, json_string_value(json_object_get(h, "title")));
		vg_strbuf_puts(&b, "</title>\n    <id>");
		vg_escape_xml(&b, link ? link : "");
		/* Its deletion is another entry than its last version's. */
		if (json_object_get(h, "deleted_by"))
			vg_strbuf_puts(&b, "#suppression");
		vg_strbuf_puts(&b, "</id>\n    <link rel=\"alternate\" type=\"text/html\" href=\"");
		vg_escape_xml(&b, link ? link : "");
		vg_strbuf_printf(&b, "\"/>\n    <updated>%s</updated>\n", when);
		json_t *domaine = json_object_get(h, "domaine");
		if (json_is_string(domaine)) {
			vg_strbuf_puts(&b, "    <category term=\"");
			vg_escape_xml(&b, json_string_value(domaine));
			vg_strbuf_puts(&b, "\"/>\n");
		}
		/* What changed, then the snippet; HTML (escaped text, <mark>,
		 * <ins>, <del>) escaped once more as a type="html" summary. */
		json_t *change = json_object_get(h, "change");
		vg_strbuf summary = VG_STRBUF_INIT;
		if (change) {
			const char *text = json_string_value(json_object_get(change, "text"));
			vg_strbuf_puts(&summary, "<p>");
			const char *kind = json_string_value(json_object_get(change, "kind")) ?: "";
			vg_strbuf_puts(&summary, strcmp(kind, "ajouté") == 0     ? "Ajouté"
			                         : strcmp(kind, "supprimé") == 0 ? "Supprimé"
			                                                         : "Modifié");
			if (text) {
				vg_strbuf_puts(&summary, " : ");
				vg_escape_html(&summary, text, strlen(text));
			}
			json_int_t n = json_integer_value(json_object_get(change, "paragraphs"));
			if (n)
				vg_strbuf_printf(&summary, " (%lld paragraphe%s modifié%s)", (long long)n, n > 1 ? "s" : "", n > 1 ? "s" : "");
			vg_strbuf_puts(&summary, "</p>");
			vg_strbuf_puts(&summary, json_string_value(json_object_get(change, "html")) ?: "");
		}
		vg_strbuf_printf(&summary, "<p>%s</p>", json_string_value(json_object_get(h, "snippet")) ?: "");
		vg_strbuf_puts(&b, "    <summary type=\"html\">");
		vg_escape_xml(&b, summary.ptr ? summary.ptr : "");
		vg_strbuf_puts(&b, "</summary>\n  </entry>\n");
		vg_strbuf_free(&summary);
		free(link);
	}
	vg_strbuf_puts(&b, "</feed>\n");
	json_decref(res);
	free(base);
	free(query);
	vg_api_free_filters(filters, req.n_filters);
	if (b.oom) {
		free(key);
		return vg_respond_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "mémoire insuffisante");
	}
	ret = vg_respond_and_cache(r, key, ATOM_TYPE, b.ptr, b.len);
	free(key);
	vg_strbuf_free(&b);
	return ret;
}

/* ---- the legal watch as a feed ----------------------------------------- */

/* "1er janvier 2013" for "2013-01-01". */
static void french_day(vg_strbuf *b, const char *day)
{
	static const char *const months[] = {"janvier", "février", "mars", "avril", "mai", "juin", "juillet",
	                                     "août", "septembre", "octobre", "novembre", "décembre"};
	int y, m, d;
	if (!day || sscanf(day, "%d-%d-%d", &y, &m, &d) != 3 || m < 1 || m > 12) {
		vg_strbuf_puts(b, day ? day : "");
		return;
	}
	if (d == 1)
		vg_strbuf_printf(b, "1er %s %d", months[m - 1], y);
	else
		vg_strbuf_printf(b, "%d %s %d", d, months[m - 1], y);
}

/* GET /veille.atom?repo=&since=: one entry per change of an article that
 * a note cites, newest first, linking to the note. */
/* The entries of the watch feed: one per change, into the buffer. */
typedef struct veille_feed {
	const char *base;
	vg_strbuf *b;
} veille_feed;

static int veille_entries(vg_reader *rd, const vg_veille_list *l, void *ctx)
{
	const veille_feed *f = ctx;
	vg_strbuf *b = f->b;
	for (size_t i = 0; i < l->n_notes; i++) {
		const vg_veille_note *note = &l->notes[i];
		char *link = page_link(f->base, note->repo, note->path, "");
		for (size_t j = 0; j < note->n_articles; j++) {
			const vg_veille_article *a = &note->articles[j];
			for (size_t k = 0; k < a->n_changes; k++) {
				const vg_veille_change *ch = &a->changes[k];
				vg_strbuf title = VG_STRBUF_INIT;
				vg_strbuf_printf(&title, "À revoir : %s — %s %s", note->title ? note->title : "", a->label, ch->kind);
				if (ch->renumbered_path)
					vg_strbuf_printf(&title, " en %s", ch->renumbered_label);
				vg_strbuf_puts(&title, " le ");
				french_day(&title, ch->date);
				vg_strbuf_puts(b, "  <entry>\n    <title>");
				vg_escape_xml(b, title.ptr ? title.ptr : "");
				vg_strbuf_puts(b, "</title>\n    <id>");
				vg_escape_xml(b, link ? link : "");
				vg_strbuf_puts(b, "#");
				vg_escape_xml(b, a->reference);
				vg_strbuf_printf(b, "-%s</id>\n    <link rel=\"alternate\" type=\"text/html\" href=\"", ch->date);
				vg_escape_xml(b, link ? link : "");
				vg_strbuf_printf(b, "\"/>\n    <updated>%sT00:00:00Z</updated>\n    <summary>",
				                 ch->date[0] ? ch->date : "1970-01-01");
				/* Its summary: the subject of the commit that made it. */
				char *subject = vg_commit_subject(vg_reader_find(rd, a->repo), ch->commit);
				vg_escape_xml(b, subject ? subject : "");
				free(subject);
				vg_strbuf_puts(b, "</summary>\n  </entry>\n");
				vg_strbuf_free(&title);
			}
		}
		free(link);
	}
	return b->oom ? -1 : 0;
}

/* GET /veille.atom?repo=&since=: one entry per change of an article that
 * a note cites, newest first, linking to the note. */
enum MHD_Result vg_feed_veille(vg_request *r)
{
	enum MHD_Result ret = MHD_NO;
	char *key = vg_cache_key(r);
	if (vg_respond_cached(r, key, ATOM_TYPE, &ret)) {
		free(key);
		return ret;
	}
	char *base = vg_base_url(r);
	char now[32];
	rfc3339((long long)time(NULL), now);
	vg_strbuf b = VG_STRBUF_INIT;
	vg_strbuf_printf(&b,
	                 "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	                 "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fr\">\n"
	                 "  <title>Vigie : notes à revoir</title>\n"
	                 "  <subtitle>Notes dont un article cité a été modifié ou abrogé depuis leur date</subtitle>\n"
	                 "  <id>%s/veille.atom</id>\n"
	                 "  <link rel=\"self\" type=\"application/atom+xml\" href=\"%s/veille.atom\"/>\n"
	                 "  <link rel=\"alternate\" type=\"text/html\" href=\"%s/#/veille\"/>\n"
	                 "  <updated>%s</updated>\n  <author><name>Vigie</name></author>\n",
	                 base, base, base, now);
	veille_feed f = {base, &b};
	if (vg_api_veille_review(r, veille_entries, &f, &ret) == 0) {
		vg_strbuf_puts(&b, "</feed>\n");
		ret = b.oom ? vg_respond_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "mémoire insuffisante")
		            : vg_respond_and_cache(r, key, ATOM_TYPE, b.ptr, b.len);
	}
	free(base);
	free(key);
	vg_strbuf_free(&b);
	return ret;
}

/* ---- CSV export of a result list ---------------------------------------- */

/* An export holds the whole list unless a page is asked for. */
#define CSV_MAX_ROWS 1000

static void csv_adjust(vg_request *r, vg_search_req *req)
{
	const char *limit = NULL;
	vg_err err;
	if (vg_param(r, "limit", &limit, &err) == 0 && !limit)
		req->limit = CSV_MAX_ROWS;
}

/* One cell (RFC 4180 quoting). A cell that a spreadsheet would read as a
 * formula is prefixed with an apostrophe, so an exported title cannot run
 * anything in the reader's spreadsheet. */
static void csv_cell(vg_strbuf *b, const char *s, int last)
{
	s = s ? s : "";
	vg_strbuf_putc(b, '"');
	if (strchr("=+-@\t\r", *s) && *s)
		vg_strbuf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '"')
			vg_strbuf_putc(b, '"');
		vg_strbuf_putc(b, *s);
	}
	vg_strbuf_puts(b, last ? "\"\r\n" : "\";");
}

/* A string value, or the values of an array joined by commas. */
static void csv_value(vg_strbuf *b, json_t *v)
{
	if (!json_is_array(v)) {
		csv_cell(b, json_string_value(v), 0);
		return;
	}
	vg_strbuf joined = VG_STRBUF_INIT;
	size_t i;
	json_t *e;
	json_array_foreach(v, i, e) {
		if (i)
			vg_strbuf_puts(&joined, ", ");
		vg_strbuf_puts(&joined, json_string_value(e) ? json_string_value(e) : "");
	}
	csv_cell(b, joined.ptr, 0);
	vg_strbuf_free(&joined);
}

#define CSV_TYPE "text/csv; charset=utf-8; header=present"

enum MHD_Result vg_feed_csv(vg_request *r)
{
	vg_search_req req;
	char **filters = NULL;
	json_t *res = NULL;
	enum MHD_Result ret = MHD_NO;
	if (feed_search(r, csv_adjust, 0, &req, &filters, &res, &ret) < 0)
		return ret;
	char *base = vg_base_url(r);
	vg_strbuf b = VG_STRBUF_INIT;
	/* The byte order mark and the semicolons are what spreadsheets set to
	 * French expect. */
	vg_strbuf_puts(&b, "\xEF\xBB\xBF\"Titre\";\"Chemin\";\"Type\";\"Domaine\";\"Académie\";\"Date\";"
	                   "\"Version du\";\"Version\";\"Adresse\";\"Dépôt\"\r\n");
	size_t i;
	json_t *h;
	json_array_foreach(json_object_get(res, "hits"), i, h) {
		char when[32] = "";
		long long t = (long long)json_integer_value(json_object_get(h, "changed"));
		if (t)
			utc_time(t, 0, when);
		char *link = hit_link(base, h);
		csv_cell(&b, json_string_value(json_object_get(h, "title")), 0);
		csv_cell(&b, json_string_value(json_object_get(h, "path")), 0);
		csv_value(&b, json_object_get(h, "type"));
		csv_value(&b, json_object_get(h, "domaine"));
		csv_value(&b, json_object_get(h, "academie"));
		csv_value(&b, json_object_get(h, "date"));
		csv_cell(&b, when, 0);
		csv_cell(&b, json_string_value(json_object_get(h, "commit")), 0);
		csv_cell(&b, link, 0);
		csv_cell(&b, json_string_value(json_object_get(h, "repo")), 1);
		free(link);
	}
	json_decref(res);
	free(base);
	vg_api_free_filters(filters, req.n_filters);
	if (b.oom) {
		vg_strbuf_free(&b);
		return vg_respond_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "mémoire insuffisante");
	}
	static const char *const disposition[] = {"Content-Disposition", "attachment; filename=\"vigie-resultats.csv\"",
	                                          NULL};
	ret = vg_respond(r, MHD_HTTP_OK, CSV_TYPE, b.ptr, b.len, disposition);
	vg_strbuf_free(&b);
	return ret;
}

enum MHD_Result vg_feed_opensearch(vg_request *r)
{
	char *base = vg_base_url(r);
	vg_strbuf b = VG_STRBUF_INIT;
	vg_strbuf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	                   "<OpenSearchDescription xmlns=\"http://a9.com/-/spec/opensearch/1.1/\">\n"
	                   "  <ShortName>Vigie</ShortName>\n"
	                   "  <Description>Documentation partagée des académies de Lille et d'Amiens</Description>\n"
	                   "  <InputEncoding>UTF-8</InputEncoding>\n"
	                   "  <Language>fr-fr</Language>\n"
	                   "  <Url type=\"text/html\" method=\"get\" template=\"");
	vg_escape_xml(&b, base ? base : "");
	vg_strbuf_puts(&b, "/?q={searchTerms}\"/>\n  <Url type=\"application/atom+xml\" template=\"");
	vg_escape_xml(&b, base ? base : "");
	vg_strbuf_puts(&b, "/feed.atom?q={searchTerms}\"/>\n"
	                   "  <Url type=\"application/x-suggestions+json\" template=\"");
	vg_escape_xml(&b, base ? base : "");
	vg_strbuf_puts(&b, "/api/suggest?format=opensearch&amp;q={searchTerms}\"/>\n"
	                   "</OpenSearchDescription>\n");
	free(base);
	enum MHD_Result ret = vg_respond(r, MHD_HTTP_OK, "application/opensearchdescription+xml; charset=utf-8",
	                                 b.ptr ? b.ptr : "", b.len, NULL);
	vg_strbuf_free(&b);
	return ret;
}
