#include "search.h"
#include "escape.h"
#include "document.h"
#include "fields.h"
#include "legalref.h"
#include "lexicon.h"
#include "quantity.h"
#include "query.h"
#include "store.h"
#include "strbuf.h"
#include "synonyms.h"
#include "text.h"
#include "timeline.h"
#include "xapian_shim.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* One index a searcher reads: a repository's. */
typedef struct shard {
	char *name;           /* the repository's, or NULL */
	char *index_dir;
	char *db_path;        /* the generation opened (resolved link) */
	vg_xdb *db;
	vg_timeline tl;
} shard;

struct vg_searcher {
	shard *shards;        /* the indexes read, searched as one */
	size_t n_shards;
	vg_xdb *combined;     /* their union, with several */
	vg_xdb *db;           /* what searches read: the one index, or the union */
	vg_timeline no_tl;    /* the timeline of several: none (head -1) */
	vg_synonyms *synonyms;
	json_t *labels;       /* facet values' labels, of every index merged */
	vg_lexicon *lexicon;  /* borrowed, or NULL */
	unsigned exact_counts; /* vg_searcher_count_exactly */
};

void vg_searcher_use_lexicon(vg_searcher *s, vg_lexicon *lexicon)
{
	s->lexicon = lexicon;
}

void vg_searcher_count_exactly(vg_searcher *s, unsigned max)
{
	s->exact_counts = max;
}

/* The labels of facet values each index stores, merged (the first index
 * that labels a value names it). */
static void load_labels(vg_searcher *s)
{
	json_decref(s->labels);
	s->labels = json_object();
	for (size_t i = 0; s->labels && i < s->n_shards; i++) {
		char *data = NULL;
		size_t len = 0;
		vg_err e;
		json_t *one = vg_xdb_get_meta(s->shards[i].db, "vg:labels", &data, &len, &e) == 0 && data
		                      ? json_loadb(data, len, 0, NULL)
		                      : NULL;
		const char *field;
		json_t *values;
		json_object_foreach(json_is_object(one) ? one : NULL, field, values) {
			json_t *mine = json_object_get(s->labels, field);
			if (!mine)
				json_object_set(s->labels, field, values);
			else
				json_object_update_missing(mine, values);
		}
		json_decref(one);
		free(data);
	}
}

const json_t *vg_searcher_labels(const vg_searcher *s)
{
	return s->labels;
}

/* The synonyms that ship with Vigie, then each repository's. */
static int load_synonyms(vg_searcher *s, vg_err *err)
{
	load_labels(s);
	vg_synonyms_free(s->synonyms);
	s->synonyms = NULL;
	vg_strbuf all = VG_STRBUF_INIT;
	vg_strbuf_puts(&all, vg_synonyms_shipped);
	int rc = 0;
	for (size_t i = 0; i < s->n_shards && rc == 0; i++) {
		char *syn = NULL;
		size_t len = 0;
		rc = vg_xdb_get_meta(s->shards[i].db, "vg:synonyms", &syn, &len, err);
		vg_strbuf_puts(&all, "\n");
		vg_strbuf_add(&all, syn ? syn : "", syn ? len : 0);
		free(syn);
	}
	if (rc == 0 && all.oom)
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	if (rc == 0)
		rc = vg_synonyms_parse(all.ptr, all.len, &s->synonyms, err);
	vg_strbuf_free(&all);
	return rc;
}

/* Opens (or moves to the newest revision of) the generation a shard's
 * link points to now; *changed says whether anything moved. */
static int open_shard(shard *sh, int *changed, vg_err *err)
{
	char *link = NULL;
	*changed = 0;
	/* A remote index is the one its server serves, generations included. */
	int remote = strncmp(sh->index_dir, "tcp://", 6) == 0;
	int rc = remote ? 0 : vg_store_current(sh->index_dir, &link, err);
	if (rc < 0)
		return rc;
	char *real = remote ? strdup(sh->index_dir) : realpath(link, NULL);
	free(link);
	if (!real)
		return vg_err_set(err, VG_ENOTFOUND, "index introuvable dans %s", sh->index_dir);
	if (sh->db_path && strcmp(real, sh->db_path) == 0) {
		free(real);
		rc = vg_xdb_reopen(sh->db, changed, err);
	} else {
		vg_xdb *db = NULL;
		if ((rc = vg_xdb_open(&db, real, VG_XDB_READ, err)) < 0) {
			free(real);
			return rc;
		}
		vg_xdb_free(sh->db);
		free(sh->db_path);
		sh->db = db;
		sh->db_path = real;
		*changed = 1;
	}
	if (rc == 0 && *changed) {
		vg_timeline_clear(&sh->tl);
		rc = vg_timeline_load(sh->db, &sh->tl, err);
	}
	return rc;
}

/* Opens every shard's current generation, and their union. */
static int open_current(vg_searcher *s, vg_err *err)
{
	int any = 0, rc = 0;
	for (size_t i = 0; i < s->n_shards && rc == 0; i++) {
		int changed = 0;
		rc = open_shard(&s->shards[i], &changed, err);
		any |= changed;
	}
	if (rc < 0 || !any)
		return rc;
	if (s->n_shards > 1) {
		vg_xdb **parts = calloc(s->n_shards, sizeof(*parts));
		vg_xdb *combined = NULL;
		for (size_t i = 0; parts && i < s->n_shards; i++)
			parts[i] = s->shards[i].db;
		rc = parts ? vg_xdb_combine(&combined, parts, s->n_shards, err) : vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
		free(parts);
		if (rc < 0)
			return rc;
		vg_xdb_free(s->combined);
		s->combined = combined;
	}
	s->db = s->n_shards > 1 ? s->combined : s->shards[0].db;
	return load_synonyms(s, err);
}

int vg_searcher_open_many(vg_searcher **out, const char *const *index_dirs, const char *const *names, size_t n,
                          vg_err *err)
{
	*out = NULL;
	vg_searcher *s = calloc(1, sizeof(*s));
	if (!s || n == 0 || !(s->shards = calloc(n, sizeof(*s->shards)))) {
		free(s);
		return n == 0 ? vg_err_set(err, VG_EINVAL, "aucun index à lire")
		              : vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	}
	s->n_shards = n;
	s->no_tl.head = -1;
	s->exact_counts = VG_SEARCH_EXACT_COUNTS;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		s->shards[i].tl.head = -1;
		if (!(s->shards[i].index_dir = strdup(index_dirs[i])) ||
		    (names && names[i] && !(s->shards[i].name = strdup(names[i]))))
			rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	}
	if (rc == 0)
		rc = open_current(s, err);
	if (rc < 0) {
		vg_searcher_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

int vg_searcher_open(vg_searcher **out, const char *index_dir, vg_err *err)
{
	return vg_searcher_open_many(out, &index_dir, NULL, 1, err);
}

void vg_searcher_free(vg_searcher *s)
{
	if (!s)
		return;
	vg_xdb_free(s->combined);
	for (size_t i = 0; s->shards && i < s->n_shards; i++) {
		vg_xdb_free(s->shards[i].db);
		vg_timeline_clear(&s->shards[i].tl);
		free(s->shards[i].db_path);
		free(s->shards[i].index_dir);
		free(s->shards[i].name);
	}
	free(s->shards);
	vg_synonyms_free(s->synonyms);
	json_decref(s->labels);
	free(s);
}

const char *vg_searcher_repo_name(const vg_searcher *s, unsigned k)
{
	return s->shards[k % s->n_shards].name;
}

size_t vg_searcher_shard_count(const vg_searcher *s)
{
	return s->n_shards;
}

unsigned vg_searcher_shard_of(const vg_searcher *s, unsigned docid)
{
	return docid ? (unsigned)((docid - 1) % s->n_shards) : 0;
}

const vg_timeline *vg_searcher_shard_timeline(const vg_searcher *s, unsigned k)
{
	return &s->shards[k % s->n_shards].tl;
}

int vg_searcher_refresh(vg_searcher *s, vg_err *err)
{
	return open_current(s, err);
}

int vg_searcher_count_current(vg_searcher *s, unsigned *n, vg_err *err)
{
	return vg_xdb_count_current(s->db, n, err);
}

vg_xdb *vg_searcher_db(vg_searcher *s)
{
	return s->db;
}

const vg_timeline *vg_searcher_timeline(const vg_searcher *s)
{
	return s->n_shards == 1 ? &s->shards[0].tl : &s->no_tl;
}

/* Each repository's position as of rev for a searcher of several: a date
 * holds in each (-2 where nothing was indexed yet); a commit belongs to
 * one repository, and stands for its day in the others. */
static int shard_positions(const vg_searcher *s, const char *rev, double *out, vg_err *err)
{
	char day[11] = "";
	size_t owner = s->n_shards;
	if (!vg_doc_date_valid(rev)) {
		for (size_t i = 0; i < s->n_shards; i++) {
			long p = -1;
			vg_err e;
			int rc = vg_timeline_resolve(&s->shards[i].tl, rev, &p, &e);
			if (rc == VG_ENOTFOUND)
				continue;
			if (rc < 0 || owner < s->n_shards)
				return rc < 0 ? vg_err_set(err, rc, "%s", e.msg)
				              : vg_err_set(err, VG_EINVAL, "identifiant de commit ambigu : %s", rev);
			owner = i;
			out[i] = (double)p;
			vg_format_date(s->shards[i].tl.entries[p].time, day);
		}
		if (owner == s->n_shards)
			return vg_err_set(err, VG_ENOTFOUND, "commit %s inconnu des dépôts lus", rev);
	}
	for (size_t i = 0; i < s->n_shards; i++) {
		long p = -1;
		vg_err e;
		if (i == owner)
			continue;
		int rc = vg_timeline_resolve(&s->shards[i].tl, day[0] ? day : rev, &p, &e);
		if (rc < 0 && rc != VG_ENOTFOUND)
			return vg_err_set(err, rc, "%s", e.msg);
		out[i] = rc < 0 ? -2 : (double)p;
	}
	return 0;
}

int vg_searcher_position(const vg_searcher *s, const char *rev, double *pos, vg_err *err)
{
	long p = -1;
	*pos = -1;
	if (!rev || !*rev)
		return 0;
	if (s->n_shards > 1)
		return vg_err_set(err, VG_EINVAL, "une position « à la date » est propre à un dépôt");
	int rc = vg_timeline_resolve(&s->shards[0].tl, rev, &p, err);
	if (rc == 0)
		*pos = (double)p;
	return rc;
}

json_t *vg_search_error_json(const vg_err *err)
{
	return json_pack("{s:{s:s, s:s}}", "error", "code", vg_err_api_code(err->code), "message", err->msg);
}

/* ---- query text --------------------------------------------------------- */

/* The query q read: folded as documents are, the inversions of questions
 * split ("peut-on"), references in any spelling and synonyms made clauses
 * of their own; *asked receives the kinds of quantity it asks for. */
static int read_query(const vg_searcher *s, const char *q, vg_query **out, unsigned *asked, vg_err *err)
{
	char *folded = vg_text_fold_str(q, VG_FOLD_QUERY);
	if (!folded)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	vg_text_split_inversions(folded);
	int rc = vg_query_parse(out, folded, s->synonyms, err);
	*asked = vg_quantity_asked(folded);
	free(folded);
	return rc;
}

/* The first limit current documents holding word (exact form), as a
 * match set, or NULL when none does. */
static vg_xmset *first_visible(const vg_searcher *s, const char *word, unsigned limit)
{
	vg_err err;
	vg_xfilter f = {"w", word};
	vg_xsearch spec;
	vg_xmset *m = NULL;
	memset(&spec, 0, sizeof(spec));
	spec.filters = &f;
	spec.n_filters = 1;
	spec.as_of = -1;
	spec.limit = limit;
	if (vg_xdb_search(s->db, &spec, &m, &err) == 0 && vg_xmset_size(m) > 0)
		return m;
	vg_xmset_free(m);
	return NULL;
}

static int word_in_index(const vg_searcher *s, const char *word)
{
	unsigned freq = 0;
	vg_err err;
	return vg_xdb_count(s->db, word, &freq, &err) == 0 && freq > 0;
}

/* 1 when a word of the query means something to the index: its exact
 * form or another word of its stem is in a document the reader may see. */
static int word_known(const vg_searcher *s, const char *word)
{
	if (word_in_index(s, word))
		return 1;
	char *stem = vg_xdb_stem_term(s->db, word);
	int known = stem && word_in_index(s, stem);
	free(stem);
	return known;
}

/* The form of the folded word as documents write it ("etablissement" →
 * "établissement"), from the first visible documents holding it (written
 * in lower case there if any does), in lower case; malloc'd, or NULL (then
 * the folded word will do). */
#define WRITTEN_FORM_DOCS 5
char *vg_searcher_written_form(const vg_searcher *s, const char *word)
{
	vg_xmset *m = first_visible(s, word, WRITTEN_FORM_DOCS);
	char *form = NULL;
	size_t wl = strlen(word);
	vg_err err;
	for (unsigned k = 0; m && k < vg_xmset_size(m); k++) {
		unsigned docid;
		int percent;
		char *data = NULL;
		size_t len = 0, body_len;
		const char *body;
		json_t *meta = NULL;
		vg_folded f = {NULL, 0, NULL};
		int lower = 0;
		if (vg_xmset_hit(m, k, &docid, &percent, &data, &len, &err) == 0 &&
		    vg_fields_parse_data(data, len, &meta, &body, &body_len, &err) == 0 &&
		    vg_text_fold(body, body_len, VG_FOLD_MAP, &f) == 0) {
			for (const char *at = f.text; !lower && (at = strstr(at, word)) != NULL; at++) {
				size_t i = (size_t)(at - f.text);
				int starts = i == 0 || !((f.text[i - 1] >= 'a' && f.text[i - 1] <= 'z') ||
				                         (unsigned char)f.text[i - 1] >= 0x80);
				int ends = !((at[wl] >= 'a' && at[wl] <= 'z') || (at[wl] >= '0' && at[wl] <= '9'));
				if (!starts || !ends)
					continue;
				/* A capital often drops its accent ("Etablissement"): a
				 * form in lower case says how the word is written. */
				const char *o = body + f.orig[i];
				lower = !(*o >= 'A' && *o <= 'Z');
				if (!form || lower) {
					free(form);
					form = vg_text_lower(o, f.orig[i + wl] - f.orig[i]);
				}
			}
		}
		vg_folded_clear(&f);
		json_decref(meta);
		free(data);
		if (lower)
			break;
	}
	vg_xmset_free(m);
	return form;
}

/* A word the index does not know is a typo when it is neither an acronym
 * (typed in capitals: "CDI", "PSE") nor a French word the documents do not
 * use ("cantine", "gamin"); without a lexicon, nobody can tell. */
static int is_typo(const vg_searcher *s, const char *typed, size_t len)
{
	size_t upper = 0;
	for (size_t i = 0; i < len; i++)
		upper += typed[i] >= 'A' && typed[i] <= 'Z';
	if (upper >= 2 && upper * 2 >= len)
		return 0;
	char *w = s->lexicon ? strndup(typed, len) : NULL;
	int known = w ? vg_lexicon_knows(s->lexicon, w) : -1;
	free(w);
	return known == 0;
}

/* A word that (with its stem) is in fewer than one document in this many
 * is one the documents hardly use: the thesaurus may widen it. */
#define RARE_WORD_RATIO 1000
#define ALTERNATIVES_PER_WORD 40

/* For each plain word of a plain query (not quoted, not in a field, not
 * required or excluded, not a stop word) that the documents hardly use,
 * the thesaurus's words of the same meaning that they do use, as
 * "word\x1fother" into *alts. */
static int collect_alternatives(const vg_searcher *s, const vg_query *query, vg_strlist *alts)
{
	unsigned docs = 0;
	vg_err err;
	int rc = 0;
	if (!s->lexicon || !query->plain || !query->root || vg_xdb_count(s->db, NULL, &docs, &err) < 0)
		return 0;
	for (size_t c = 0; c < query->root->n_children && rc == 0; c++) {
		const vg_qnode *n = query->root->children[c];
		if (n->kind != VG_Q_WORDS || n->sign != VG_Q_MAY || *n->prefix)
			continue;
		const char *word = n->text;
		size_t len = strlen(word);
		int alpha = len >= 3;
		for (size_t i = 0; i < len && alpha; i++)
			alpha = (word[i] >= 'a' && word[i] <= 'z') || (unsigned char)word[i] >= 0x80;
		char *stem = alpha ? vg_xdb_stem_term(s->db, word) : NULL;
		unsigned freq = 0, stem_freq = 0;
		vg_strlist syn = {NULL, 0};
		if (stem && !vg_text_is_stopword(word) && vg_xdb_count(s->db, word, &freq, &err) == 0 &&
		    vg_xdb_count(s->db, stem, &stem_freq, &err) == 0 &&
		    (unsigned long long)(freq + stem_freq) * RARE_WORD_RATIO < docs)
			rc = vg_lexicon_synonyms(s->lexicon, word, &syn);
		for (size_t i = 0, kept = 0; i < syn.count && rc == 0 && kept < ALTERNATIVES_PER_WORD; i++) {
			unsigned f = 0;
			if (vg_xdb_count(s->db, syn.items[i], &f, &err) < 0 || f == 0)
				continue;
			/* Only synonyms that the thesaurus also gives the other way
			 * ("employeur" for "patron" and back): a word listed under many
			 * meanings ("cadre" under "cantine") is not one. */
			vg_strlist back = {NULL, 0};
			rc = vg_lexicon_synonyms(s->lexicon, syn.items[i], &back);
			int mutual = vg_strlist_has(&back, word);
			vg_strlist_clear(&back);
			if (!mutual)
				continue;
			vg_strbuf pair = VG_STRBUF_INIT;
			vg_strbuf_printf(&pair, "%s\x1f%s", word, syn.items[i]);
			rc = pair.oom ? VG_ENOMEM : vg_strlist_add_unique(alts, pair.ptr);
			vg_strbuf_free(&pair);
			kept++;
		}
		vg_strlist_clear(&syn);
		free(stem);
	}
	return rc;
}

/* The next word of the folded query from *i on that a typo could be: a
 * word of letters, of 3 bytes at least, neither a field's name or value
 * nor a prefix ("regl*") nor part of an expression of the synonyms
 * ("burn-out" is not "but-out", "heures sup" not "heures sur"). Sets
 * [*start, *i); 0 at the end. */
static int next_plain_word(const vg_searcher *s, const vg_folded *f, size_t *i, size_t *start)
{
	while (*i < f->len) {
		char c = f->text[*i];
		if (!((c >= 'a' && c <= 'z') || (unsigned char)c >= 0x80)) {
			(*i)++;
			continue;
		}
		*start = *i;
		vg_strlist groups = {NULL, 0};
		size_t expr_end = 0, group;
		int expr = vg_synonyms_match(s->synonyms, f->text, f->len, *start, &groups, &expr_end, &group) == 1;
		vg_strlist_clear(&groups);
		if (expr) {
			*i = expr_end;
			continue;
		}
		int alpha = 1;
		/* An apostrophe between letters that folding left (not an
		 * elision: "prud'homal", "aujourd'hui") is inside the word, as the
		 * indexer reads it. */
		while (*i < f->len && ((f->text[*i] >= 'a' && f->text[*i] <= 'z') ||
		                       (f->text[*i] >= '0' && f->text[*i] <= '9') || (unsigned char)f->text[*i] >= 0x80 ||
		                       (f->text[*i] == '\'' && *i + 1 < f->len && f->text[*i + 1] >= 'a' &&
		                        f->text[*i + 1] <= 'z'))) {
			if (f->text[*i] >= '0' && f->text[*i] <= '9')
				alpha = 0;
			(*i)++;
		}
		int field = (*i < f->len && f->text[*i] == ':') || (*start > 0 && f->text[*start - 1] == ':');
		if (alpha && !field && *i - *start >= 3 && !(*i < f->len && f->text[*i] == '*'))
			return 1;
	}
	return 0;
}

/* A word typed without the hyphen or space of a compound ("soustraitant",
 * "mitemps") as the documents write the compound ("sous-traitant",
 * "mi-temps"): two words of two letters or more that a current document
 * holds one after the other; malloc'd, or NULL when there are none. */
static char *split_compound(const vg_searcher *s, const char *word)
{
	size_t len = strlen(word);
	vg_err err;
	for (size_t i = 2; i + 2 <= len; i++) {
		if ((word[i] & 0xc0) == 0x80)
			continue; /* inside a character */
		char *first = strndup(word, i), *then = strdup(word + i), *out = NULL;
		if (first && then && word_in_index(s, first) && word_in_index(s, then) &&
		    vg_xdb_holds_pair(s->db, first, then, &err) == 1) {
			char *a = vg_searcher_written_form(s, first), *b = vg_searcher_written_form(s, then);
			vg_strbuf joined = VG_STRBUF_INIT;
			vg_strbuf_printf(&joined, "%s-%s", a ? a : first, b ? b : then);
			out = vg_strbuf_detach(&joined);
			free(a);
			free(b);
		}
		free(first);
		free(then);
		if (out)
			return out;
	}
	return NULL;
}

/* "Vouliez-vous dire": the user's query with each word that the index
 * does not know replaced by the dictionary's closest word, the one that
 * goes best with the words it knows. NULL if none. *typos tells whether
 * every word replaced was a typo (is_typo). */
static char *suggest(const vg_searcher *s, const char *q, int *typos, vg_err *err)
{
	*typos = 1;
	vg_folded f;
	if (vg_text_fold(q, strlen(q), VG_FOLD_MAP | VG_FOLD_QUERY, &f) < 0)
		return NULL;
	vg_strbuf out = VG_STRBUF_INIT;
	vg_strlist known = {NULL, 0}, unknown = {NULL, 0};
	size_t copied = 0, i = 0, start;
	int changed = 0;
	while (next_plain_word(s, &f, &i, &start)) {
		char *word = strndup(f.text + start, i - start);
		/* A word known only by its stem finds what its stem does, but if
		 * no French word is written so ("conseill") it is a typo all the
		 * same, and the page says what was meant. */
		int is_known = word && (word_in_index(s, word) || vg_synonyms_knows(s->synonyms, word) ||
		                        (word_known(s, word) && !is_typo(s, q + f.orig[start], f.orig[i] - f.orig[start])));
		if (word && !vg_text_is_stopword(word))
			vg_strlist_add(is_known ? &known : &unknown, word);
		free(word);
	}
	i = 0;
	while (unknown.count && next_plain_word(s, &f, &i, &start)) {
		char *word = strndup(f.text + start, i - start);
		char *better = NULL;
		if (word && vg_strlist_has(&unknown, word) && !(better = split_compound(s, word)))
			vg_xdb_spelling(s->db, word, (const char *const *)known.items, known.count, &better, err);
		if (better && vg_text_is_stopword(better) && strlen(better) < 5) {
			/* A short word that says nothing would only take its place
			 * ("sup" is not "sur"); a longer one is a question's word
			 * mistyped ("combiien"), which the query then leaves out. */
			free(better);
			better = NULL;
		}
		if (better) {
			size_t os = f.orig[start], oe = f.orig[i];
			char *written = vg_searcher_written_form(s, better);
			if (!is_typo(s, q + os, oe - os))
				*typos = 0;
			vg_strbuf_add(&out, q + copied, os - copied);
			/* An elision without its apostrophe ("dadministration") is
			 * that elision, not a letter too many. */
			if (strlen(word) == strlen(better) + 1 && strchr("cdjlmnst", word[0]) && strcmp(word + 1, better) == 0)
				vg_strbuf_printf(&out, "%c'", q[os]);
			vg_strbuf_puts(&out, written ? written : better);
			free(written);
			copied = oe;
			changed = 1;
		}
		free(better);
		free(word);
	}
	vg_strlist_clear(&known);
	vg_strlist_clear(&unknown);
	vg_strbuf_puts(&out, q + copied);
	vg_folded_clear(&f);
	char *r = vg_strbuf_detach(&out);
	if (!changed) {
		free(r);
		return NULL;
	}
	return r;
}

/* ---- snippets --------------------------------------------------------------- */

typedef struct mark_event {
	size_t pos;  /* in the unescaped snippet text */
	char kind;   /* 1 start, 2 end, 3 omission */
} mark_event;

char *vg_search_map_snippet(const char *marked, const char *folded, size_t folded_len,
                            const uint32_t *orig, const char *original, size_t *start)
{
	if (start)
		*start = 0;
	vg_strbuf plain = VG_STRBUF_INIT, out = VG_STRBUF_INIT;
	mark_event *ev = NULL;
	size_t n_ev = 0, cap = 0;
	for (const char *p = marked; *p; p++) {
		if (*p >= 1 && *p <= 3) {
			if (n_ev == cap) {
				cap = cap ? cap * 2 : 16;
				mark_event *e = realloc(ev, cap * sizeof(*e));
				if (!e)
					goto oom;
				ev = e;
			}
			ev[n_ev].pos = plain.len;
			ev[n_ev].kind = *p;
			n_ev++;
		} else if (*p == '&' && strncmp(p, "&amp;", 5) == 0) {
			vg_strbuf_putc(&plain, '&');
			p += 4;
		} else if (*p == '&' && strncmp(p, "&lt;", 4) == 0) {
			vg_strbuf_putc(&plain, '<');
			p += 3;
		} else if (*p == '&' && strncmp(p, "&gt;", 4) == 0) {
			vg_strbuf_putc(&plain, '>');
			p += 3;
		} else {
			vg_strbuf_putc(&plain, *p);
		}
	}
	if (plain.oom)
		goto oom;
	const char *at = plain.len ? memmem(folded, folded_len, plain.ptr, plain.len) : NULL;
	if (!at) {
		/* Should not happen; show the folded text rather than nothing. */
		vg_escape_html(&out, plain.ptr ? plain.ptr : "", plain.len);
	} else {
		size_t base = (size_t)(at - folded), cursor = base;
		if (start)
			*start = orig[base];
		for (size_t k = 0; start && k < n_ev; k++) {
			if (ev[k].kind == 1) {
				*start = orig[base + ev[k].pos]; /* the first match */
				break;
			}
		}
		for (size_t k = 0; k <= n_ev; k++) {
			size_t upto = k < n_ev ? base + ev[k].pos : base + plain.len;
			if (upto > cursor) {
				size_t os = orig[cursor], oe = orig[upto];
				vg_escape_html(&out, original + os, oe - os);
				cursor = upto;
			}
			if (k == n_ev)
				break;
			if (ev[k].kind == 1)
				vg_strbuf_puts(&out, "<mark>");
			else if (ev[k].kind == 2)
				vg_strbuf_puts(&out, "</mark>");
			else
				vg_strbuf_puts(&out, ev[k].pos == 0 ? "... " : " ...");
		}
	}
	free(ev);
	vg_strbuf_free(&plain);
	return vg_strbuf_detach(&out);
oom:
	free(ev);
	vg_strbuf_free(&plain);
	vg_strbuf_free(&out);
	return NULL;
}

typedef struct ref_fold {
	const char *body;
	vg_strbuf text;
	uint32_t *map;
	size_t map_cap;
	size_t done; /* body[0..done) is folded */
	int oom;
} ref_fold;

static void ref_fold_add(ref_fold *rf, const char *s, size_t n, const uint32_t *orig, uint32_t at)
{
	if (rf->text.len + n + 1 > rf->map_cap) {
		size_t cap = (rf->text.len + n + 1) * 2;
		uint32_t *m = realloc(rf->map, cap * sizeof(*m));
		if (!m) {
			rf->oom = 1;
			return;
		}
		rf->map = m;
		rf->map_cap = cap;
	}
	for (size_t i = 0; i < n; i++)
		rf->map[rf->text.len + i] = orig ? orig[i] + at : at;
	vg_strbuf_add(&rf->text, s, n);
}

static void ref_fold_gap(ref_fold *rf, size_t end)
{
	vg_folded f;
	if (end <= rf->done)
		return;
	if (vg_text_fold(rf->body + rf->done, end - rf->done, VG_FOLD_MAP, &f) < 0) {
		rf->oom = 1;
		return;
	}
	ref_fold_add(rf, f.text, f.len, f.orig, (uint32_t)rf->done);
	vg_folded_clear(&f);
	rf->done = end;
}

static int ref_fold_cb(const vg_ref_match *m, void *ctx)
{
	ref_fold *rf = ctx;
	char form[VG_REF_MAX];
	ref_fold_gap(rf, m->start);
	vg_legalref_term(m->canon, form);
	/* Spaces keep it a word of its own, even after an apostrophe. */
	ref_fold_add(rf, " ", 1, NULL, (uint32_t)m->start);
	ref_fold_add(rf, form, strlen(form), NULL, (uint32_t)m->start);
	ref_fold_add(rf, " ", 1, NULL, (uint32_t)m->end);
	rf->done = m->end;
	return 0;
}

/* Folds body for snippets, each legal reference replaced by its term form
 * ("r421_58") so that MSet::snippet can highlight it as a whole. */
static int fold_with_refs(const char *body, size_t len, vg_folded *out)
{
	ref_fold rf = {body, VG_STRBUF_INIT, NULL, 0, 0, 0};
	vg_legalref_scan(body, len, 0, ref_fold_cb, &rf);
	ref_fold_gap(&rf, len);
	ref_fold_add(&rf, "", 0, NULL, 0);
	if (rf.oom || rf.text.oom) {
		free(rf.map);
		vg_strbuf_free(&rf.text);
		return VG_ENOMEM;
	}
	rf.map[rf.text.len] = (uint32_t)len;
	out->len = rf.text.len;
	out->text = vg_strbuf_detach(&rf.text);
	out->orig = rf.map;
	return out->text ? 0 : VG_ENOMEM;
}

static char *snippet_for(vg_xmset *m, const char *body, size_t body_len, size_t length,
                         int with_refs, size_t *start, vg_err *err)
{
	vg_folded f;
	char *marked = NULL, *html = NULL;
	if (body_len == 0)
		return strdup("");
	if ((with_refs ? fold_with_refs(body, body_len, &f)
	               : vg_text_fold(body, body_len, VG_FOLD_MAP, &f)) < 0)
		return NULL;
	if (vg_xmset_snippet(m, f.text, f.len, length, &marked, err) == 0)
		html = vg_search_map_snippet(marked, f.text, f.len, f.orig, body, start);
	free(marked);
	vg_folded_clear(&f);
	return html;
}

/* ---- the search ----------------------------------------------------------- */

int vg_searcher_find_version(vg_searcher *s, const char *path, double pos, unsigned *docid,
                             vg_err *err)
{
	*docid = 0;
	if (s->n_shards > 1)
		return vg_err_set(err, VG_EINVAL, "un document se cherche dans son dépôt");
	char *pterm = vg_fields_path_term(path);
	unsigned *ids = NULL;
	size_t n = 0;
	if (!pterm)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	const char *terms[] = {pterm, VG_T_DOC};
	int rc = vg_xdb_match_all(s->db, terms, 2, &ids, &n, err);
	for (size_t i = n; rc == 0 && i-- > 0 && !*docid;) {
		vg_xdoc *d = NULL;
		if ((rc = vg_xdb_get(s->db, ids[i], &d, err)) < 0)
			break;
		double from = vg_xdoc_get_number(d, VG_SLOT_FROM, 0);
		double to = vg_xdoc_get_number(d, VG_SLOT_TO, VG_SEQ_OPEN);
		if (pos < 0 ? to >= VG_SEQ_OPEN : (from <= pos && pos < to))
			*docid = ids[i];
		vg_xdoc_free(d);
	}
	free(ids);
	free(pterm);
	return rc;
}

/* The counts of facet k of a match set into f. */
static int read_facet(vg_xmset *m, unsigned k, vg_facet *f, vg_err *err)
{
	char **values = NULL;
	unsigned *counts = NULL;
	size_t n = 0;
	if (vg_xmset_facets(m, k, &values, &counts, &n, err) < 0)
		return err->code < 0 ? err->code : VG_ENOMEM;
	vg_facet_count *c = calloc(n ? n : 1, sizeof(*c));
	for (size_t i = 0; c && i < n; i++) {
		c[i].value = values[i];
		c[i].count = counts[i];
		values[i] = NULL;
	}
	vg_xmset_facets_free(values, counts, c ? 0 : n);
	if (!c)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	vg_facet_take(f, c, n);
	return 0;
}

/* The facets of fields.def, counted over a match set, into r. */
static int read_facets(vg_xmset *m, vg_results *r, vg_err *err)
{
	if (!(r->facets = calloc(VG_N_FIELDS + 1, sizeof(*r->facets))))
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	for (unsigned f = 0, k = 0; f < VG_N_FIELDS; f++) {
		if (!vg_fields[f].facet)
			continue;
		vg_facet *facet = &r->facets[r->n_facets++];
		snprintf(facet->name, sizeof(facet->name), "%s", vg_fields[f].name);
		int rc = read_facet(m, k++, facet, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Hit i of a match set into h. */
static int read_hit(vg_xmset *m, unsigned i, size_t snippet_len, int with_refs, int with_time, vg_hit *h,
                    vg_err *err)
{
	unsigned docid;
	char *data = NULL;
	size_t len = 0;
	json_t *meta = NULL;
	const char *body;
	size_t body_len;
	int rc, oom = 0;
	if ((rc = vg_xmset_hit(m, i, &docid, &h->score, &data, &len, err)) < 0 ||
	    (rc = vg_fields_parse_data(data, len, &meta, &body, &body_len, err)) < 0)
		goto done;
	h->path = vg_fields_meta_string(meta, "path", &oom);
	h->title = vg_fields_meta_string(meta, "title", &oom);
	/* A text that opens with its title ("Article R421-70") says it once,
	 * above the snippet: the snippet starts after it. */
	size_t start = 0, skip = h->title ? strlen(h->title) : 0;
	if (!skip || skip >= body_len || strncmp(body, h->title, skip) != 0 || body[skip] != '\n')
		skip = 0;
	else
		skip++;
	h->snippet = snippet_for(m, body + skip, body_len - skip, snippet_len, with_refs, &start, err);
	start += skip;
	h->commit = vg_fields_meta_string(meta, "commit", &oom);
	h->date = vg_fields_meta_string(meta, "date", &oom);
	h->domaine = vg_fields_meta_string(meta, "domaine", &oom);
	h->type = vg_fields_meta_string(meta, "type", &oom);
	h->academie = vg_fields_meta_string(meta, "academie", &oom);
	oom |= !h->snippet || vg_fields_meta_strings(meta, "references", &h->references) < 0 ||
	       vg_fields_meta_strings(meta, "breadcrumb", &h->breadcrumb) < 0;
	/* Attachments say what they are, and a PDF hit its page. */
	const char *format = json_string_value(json_object_get(meta, "format"));
	if (format && strcmp(format, "markdown") != 0 && strcmp(format, "texte") != 0)
		oom |= !(h->format = strdup(format));
	json_t *pages = json_object_get(meta, "pages");
	if (json_array_size(pages) > 0) {
		size_t page = 0, k;
		json_t *p;
		json_array_foreach(pages, k, p)
			if ((size_t)json_integer_value(p) <= start)
				page = k + 1;
		h->page = (unsigned)(page ? page : 1);
	}
	if (with_time) {
		h->changed_known = 1;
		h->changed = (long long)vg_xmset_hit_number(m, i, VG_SLOT_CTIME);
	}
	if (oom)
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
done:
	json_decref(meta);
	free(data);
	return rc;
}

/* Each index's generation, and with heads its indexed commit. */
static char *describe_indexes(const vg_searcher *s, int heads)
{
	vg_strbuf b = VG_STRBUF_INIT;
	vg_strbuf_puts(&b, "");
	for (size_t i = 0; i < s->n_shards; i++) {
		const vg_timeline *tl = &s->shards[i].tl;
		const char *head = heads && tl->head >= 0 ? vg_timeline_commit_at(tl, (double)tl->head) : NULL;
		vg_strbuf_printf(&b, "%s@%s;", s->shards[i].db_path ? s->shards[i].db_path : s->shards[i].index_dir,
		                 head ? head : "");
	}
	return vg_strbuf_detach(&b);
}

char *vg_searcher_stamp(const vg_searcher *s)
{
	return describe_indexes(s, 1);
}

char *vg_searcher_generations(const vg_searcher *s)
{
	return describe_indexes(s, 0);
}

/* A deleted document's hit: the commit that deleted it, at position pos
 * of its repository's timeline, and that commit's time. */
static void deleted_when(vg_hit *h, const vg_timeline *tl, double pos)
{
	const char *commit = vg_timeline_commit_at(tl, pos);
	h->deleted = 1;
	snprintf(h->deleted_by, sizeof(h->deleted_by), "%s", commit ? commit : "");
	/* A commit there: pos is within the timeline. */
	if (commit) {
		h->changed_known = 1;
		h->changed = (long long)tl->entries[(size_t)pos].time;
	}
}

/* The "repo" facet *repos of named repositories. Several are counted one
 * by one (a match spy of their union cannot tell whose a match is, nor
 * count from a repository's own table of facets): the same search on
 * each alone, its total and facets added to m's. One is m itself. */
static int count_each_repository(vg_searcher *s, const vg_xsearch *spec, vg_xmset *m, vg_facet *repos, vg_err *err)
{
	snprintf(repos->name, sizeof(repos->name), "repo");
	if (!(repos->values = calloc(s->n_shards, sizeof(*repos->values))))
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	if (s->n_shards == 1 && vg_xmset_total(m) > 0) {
		if (!(repos->values[0].value = strdup(s->shards[0].name)))
			return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
		repos->values[repos->n++].count = vg_xmset_total(m);
	}
	int rc = 0;
	for (size_t k = 0; rc == 0 && s->n_shards > 1 && k < s->n_shards; k++) {
		vg_xsearch one = *spec;
		vg_xmset *part = NULL;
		one.n_shards = 1;
		one.shard_as_of = NULL;
		if (spec->shard_as_of && !spec->gone && (one.as_of = spec->shard_as_of[k]) < -1)
			continue; /* nothing indexed yet at that date (deletions ignore it) */
		one.offset = 0;
		one.limit = 0;
		one.facets = 1; /* every match counted, or a sample */
		if ((rc = vg_xdb_search(s->shards[k].db, &one, &part, err)) == 0)
			rc = vg_xmset_add_counts(m, part, err);
		if (rc == 0 && s->shards[k].name && vg_xmset_total(part) > 0) {
			if (!(repos->values[repos->n].value = strdup(s->shards[k].name)))
				rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
			else
				repos->values[repos->n++].count = vg_xmset_total(part);
		}
		vg_xmset_free(part);
	}
	return rc;
}

/* A facet whose values are filtered counts as if its own filter were not
 * there (values of one facet are ORed, so each count says what ticking it
 * too would add): the same search without that facet's filters, counted. */
static int disjunctive_facets(vg_searcher *s, const vg_xsearch *spec, vg_results *r, vg_err *err)
{
	int rc = 0;
	for (unsigned f = 0, k = 0; rc == 0 && f < VG_N_FIELDS; f++) {
		if (!vg_fields[f].facet)
			continue;
		unsigned slot = k++;
		vg_xfilter *others = calloc(spec->n_filters + 1, sizeof(*others));
		size_t n = 0;
		if (!others)
			return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
		for (size_t i = 0; i < spec->n_filters; i++)
			if (strcmp(spec->filters[i].group, vg_fields[f].name) != 0)
				others[n++] = spec->filters[i];
		if (n < spec->n_filters) {
			vg_xsearch without = *spec;
			vg_xmset *m = NULL;
			without.filters = others;
			without.n_filters = n;
			without.offset = 0;
			without.limit = 0;
			without.facets = 1;
			if ((rc = vg_xdb_search(s->db, &without, &m, err)) == 0) {
				r->partial |= vg_xmset_partial(m);
				rc = read_facet(m, slot, vg_results_facet(r, vg_fields[f].name), err);
			}
			vg_xmset_free(m);
		}
		free(others);
	}
	return rc;
}

/* The words of the query text that folded to word (folded, at word
 * boundaries of f), in lower case with their accents ("écolière" for
 * "ecoliere"); NULL when not found there or out of memory. */
static char *as_typed(const char *text, const vg_folded *f, const char *word)
{
	size_t wl = strlen(word);
	for (const char *at = f->text; wl && (at = strstr(at, word)) != NULL; at++) {
		size_t a = (size_t)(at - f->text), b = a + wl;
		if ((a > 0 && f->text[a - 1] != ' ') || (b < f->len && f->text[b] != ' '))
			continue;
		size_t from = f->orig[a], to = f->orig[b];
		while (to > from && strchr(" \t\n,;:.!?()\"", text[to - 1]))
			to--;
		return to > from ? vg_text_lower(text + from, to - from) : NULL;
	}
	return NULL;
}

/* The words of a plain query (text) that no matching document holds, as
 * the user wrote them. */
static int missing_words(vg_xmset *m, const char *text, vg_strlist *out, vg_err *err)
{
	char **words = NULL;
	size_t n = 0;
	vg_folded f = {0};
	int rc = vg_xmset_missing_words(m, &words, &n, err);
	int mapped = n && vg_text_fold(text, strlen(text), VG_FOLD_MAP, &f) == 0;
	for (size_t i = 0; i < n; i++) {
		char *typed = mapped ? as_typed(text, &f, words[i]) : NULL;
		if (rc == 0 && vg_strlist_add_unique(out, typed ? typed : words[i]) < 0)
			rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
		free(typed);
		free(words[i]);
	}
	free(words);
	vg_folded_clear(&f);
	return rc;
}

/* Adds to spec's filters (*filters, reallocated) one group of the exact
 * path terms of req->only_paths (kept in *terms); without any path, a term
 * that no document has. */
static int only_paths(const vg_search_req *req, vg_xsearch *spec, vg_xfilter **filters, vg_strlist *terms,
                      vg_err *err)
{
	for (size_t i = 0; i < req->n_only_paths; i++) {
		char *t = vg_fields_path_term(req->only_paths[i]);
		int rc = t ? vg_strlist_add_unique(terms, t) : VG_ENOMEM;
		free(t);
		if (rc < 0)
			return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	}
	if (!terms->count && vg_strlist_add_unique(terms, VG_P_PATH "#") < 0)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	vg_xfilter *grown = realloc(*filters, (spec->n_filters + terms->count) * sizeof(*grown));
	if (!grown)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	for (size_t i = 0; i < terms->count; i++)
		grown[spec->n_filters + i] = (vg_xfilter){"vgpath", terms->items[i]};
	*filters = grown;
	spec->filters = grown;
	spec->n_filters += terms->count;
	return 0;
}

int vg_search_run(vg_results *out, vg_searcher *s, const vg_search_req *req, vg_err *err)
{
	const char *q = req->query ? req->query : "";
	unsigned limit = req->limit ? req->limit : 10;
	vg_xfilter *filters = NULL;
	char **terms = NULL;
	char *suggestion = NULL, *corrected = NULL;
	vg_query *query = NULL;
	unsigned asked = 0;
	const char *exclude[1];
	char guide_term[32];
	vg_xmset *m = NULL;
	vg_facet repos = {"", NULL, 0};
	vg_strlist alternatives = {NULL, 0}, path_terms = {NULL, 0};
	double *shard_as_of = NULL;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (limit > 100)
		limit = 100;
	if (!vg_utf8_valid(q, strlen(q)))
		return vg_err_set(err, VG_EQUERY, "requête invalide : UTF-8 mal formé");
	if (vg_utf8_length(q) > VG_QUERY_MAX)
		return vg_err_set(err, VG_EQUERY, "requête trop longue (%zu caractères, maximum %d)", vg_utf8_length(q),
		                  VG_QUERY_MAX);
	/* Each truncated word may stand for hundreds of words: a bound on the
	 * cost of one query. */
	size_t wildcards = 0;
	for (const char *p = q; (p = strchr(p, '*')) != NULL; p++)
		wildcards += p > q && p[-1] != ' ' && p[-1] != '*';
	if (wildcards > VG_QUERY_MAX_WILDCARDS)
		return vg_err_set(err, VG_EQUERY, "trop de mots tronqués (%zu) : au plus %d mots terminés par « * » par recherche",
		                  wildcards, VG_QUERY_MAX_WILDCARDS);
	if (req->offset > 100000)
		return vg_err_set(err, VG_EINVAL, "décalage trop grand (maximum 100000)");

	char *spelt = vg_text_spell_out(q);
	if (!spelt)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	q = spelt;

	vg_xsearch spec;
	memset(&spec, 0, sizeof(spec));
	spec.as_of = -1;
	spec.n_shards = s->n_shards;
	/* A period of the documents' dates, bounds included. */
	char from8[9], to8[9];
	const char *bounds[] = {req->date_from, req->date_to};
	char *slots[] = {from8, to8};
	for (int k = 0; k < 2; k++) {
		if (!bounds[k] || !*bounds[k])
			continue;
		if (!vg_doc_date_valid(bounds[k]))
			return vg_err_set(err, VG_EINVAL, "période : « %s » n'est pas une date AAAA-MM-JJ", bounds[k]);
		snprintf(slots[k], 9, "%.4s%.2s%.2s", bounds[k], bounds[k] + 5, bounds[k] + 8);
	}
	spec.date_from = req->date_from && *req->date_from ? from8 : NULL;
	spec.date_to = req->date_to && *req->date_to ? to8 : NULL;
	/* Positions are per repository (their first-parent histories differ):
	 * with several, each has its own. */
	if (s->n_shards > 1 && req->as_of && *req->as_of) {
		/* Each repository's own position is applied where the index is
		 * read: a remote server cannot. */
		for (size_t i = 0; i < s->n_shards; i++)
			if (strncmp(s->shards[i].index_dir, "tcp://", 6) == 0)
				return vg_err_set(err, VG_EINVAL,
				                  "à une date, un dépôt dont l'index est distant (%s) se cherche seul : précisez le dépôt",
				                  s->shards[i].name ? s->shards[i].name : s->shards[i].index_dir);
		if (!(shard_as_of = calloc(s->n_shards, sizeof(*shard_as_of))))
			return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
		if ((rc = shard_positions(s, req->as_of, shard_as_of, err)) < 0) {
			free(shard_as_of);
			return rc;
		}
		spec.shard_as_of = shard_as_of;
		spec.as_of = 0;
	} else if ((rc = vg_searcher_position(s, req->as_of, &spec.as_of, err)) < 0) {
		return rc;
	}
	if (req->n_filters) {
		filters = calloc(req->n_filters, sizeof(*filters));
		terms = calloc(req->n_filters * 2, sizeof(*terms));
		if (!filters || !terms) {
			rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
			goto done;
		}
		for (size_t i = 0; i < req->n_filters; i++) {
			const char *f = req->filters[i];
			const char *eq = strchr(f, '=');
			if (!eq || eq == f || !eq[1]) {
				rc = vg_err_set(err, VG_EINVAL, "filtre invalide « %s » : champ=valeur attendu", f);
				goto done;
			}
			char *field = strndup(f, (size_t)(eq - f));
			if (!field) {
				rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
				goto done;
			}
			terms[2 * i] = vg_text_fold_str(field, 0);
			rc = vg_fields_filter_term(field, eq + 1, &terms[2 * i + 1], err);
			free(field);
			if (rc < 0)
				goto done;
			if (!terms[2 * i]) {
				rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
				goto done;
			}
			filters[i].group = terms[2 * i];
			filters[i].term = terms[2 * i + 1];
		}
		spec.filters = filters;
		spec.n_filters = req->n_filters;
	}
	if (req->only_paths_set && (rc = only_paths(req, &spec, &filters, &path_terms, err)) < 0)
		goto done;
	if (req->like && *req->like) {
		unsigned docid;
		if ((rc = vg_searcher_find_version(s, req->like, spec.as_of, &docid, err)) < 0)
			goto done;
		if (!docid) {
			rc = vg_err_set(err, VG_ENOTFOUND, "document introuvable : %s", req->like);
			goto done;
		}
		spec.like = docid;
	} else {
		int typos = 0;
		if (*q)
			suggestion = suggest(s, q, &typos, err);
		if ((rc = read_query(s, q, &query, &asked, err)) < 0)
			goto done;
		if (query->plain && suggestion && typos && !req->verbatim) {
			/* Typos are corrected at once: the results are the corrected
			 * query's, and the user may ask for the words as typed. */
			vg_query_free(query);
			query = NULL;
			if ((rc = read_query(s, suggestion, &query, &asked, err)) < 0)
				goto done;
			corrected = suggestion;
			suggestion = NULL;
		}
		spec.marks = (const char *const *)query->refs.items;
		spec.n_marks = query->refs.count;
		spec.query = query;
	}
	spec.sort = req->sort_by_change ? VG_SORT_CHANGE : req->sort_by_date ? VG_SORT_DATE : VG_SORT_RELEVANCE;
	if (req->deleted) {
		spec.gone = 1;
		spec.sort = VG_SORT_END;
	}
	/* The repositories' guides are left out unless a type is asked. */
	int type_asked = 0;
	for (size_t i = 0; i < req->n_filters; i++)
		type_asked |= strncmp(req->filters[i], "type=", 5) == 0;
	vg_fields_guide_term(guide_term);
	exclude[0] = guide_term;
	spec.exclude = exclude;
	spec.n_exclude = !type_asked && !strstr(q, "type:");
	spec.offset = req->offset;
	spec.limit = limit;
	spec.facets = s->n_shards == 1; /* several: counted each alone, below */
	spec.index_pages = VG_T_INDEX;
	spec.time_limit = VG_SEARCH_TIME_LIMIT;
	spec.exact_counts = s->exact_counts;
	if (query && query->plain) {
		if (collect_alternatives(s, query, &alternatives) < 0) {
			rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
			goto done;
		}
		spec.quantities_asked = asked;
		spec.alternatives = (const char *const *)alternatives.items;
		spec.n_alternatives = alternatives.count;
	}
	if ((rc = vg_xdb_search(s->db, &spec, &m, err)) < 0)
		goto done;
	out->all_words = vg_xmset_all_words(m);
	if (!out->all_words && (rc = missing_words(m, corrected ? corrected : q, &out->missing_words, err)) < 0)
		goto done;
	size_t n = vg_xmset_size(m);
	if (n && !(out->hits = calloc(n, sizeof(*out->hits)))) {
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
		goto done;
	}
	for (unsigned i = 0; i < n; i++) {
		vg_hit *h = &out->hits[out->n_hits++];
		if ((rc = read_hit(m, i, req->snippet_length ? req->snippet_length : 240, spec.n_marks > 0,
		                   req->with_version_time, h, err)) < 0)
			goto done;
		/* A hit of several repositories says whose it is. */
		const shard *sh = &s->shards[vg_xmset_hit_shard(m, i) % s->n_shards];
		if (sh->name && !(h->repo = strdup(sh->name))) {
			rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
			goto done;
		}
		if (req->deleted)
			deleted_when(h, &sh->tl, vg_xmset_hit_number(m, i, VG_SLOT_TO));
	}
	if (((s->n_shards > 1 || s->shards[0].name) && (rc = count_each_repository(s, &spec, m, &repos, err)) < 0) ||
	    (rc = read_facets(m, out, err)) < 0 || (rc = disjunctive_facets(s, &spec, out, err)) < 0)
		goto done;
	if (s->shards[0].name) {
		out->facets[out->n_facets++] = repos; /* read_facets left it room */
		memset(&repos, 0, sizeof(repos));
	}
	out->total = vg_xmset_total(m);
	out->offset = req->offset;
	out->limit = limit;
	out->partial |= vg_xmset_partial(m);
	out->suggestion = suggestion;
	out->corrected = corrected;
	suggestion = corrected = NULL;
	if (!(out->query = strdup(q)) || (req->as_of && *req->as_of && !(out->as_of = strdup(req->as_of))))
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
done:
	if (rc < 0)
		vg_results_clear(out);
	vg_facet_take(&repos, NULL, 0);
	vg_xmset_free(m);
	if (terms)
		for (size_t i = 0; i < req->n_filters * 2; i++)
			free(terms[i]);
	free(terms);
	free(filters);
	vg_query_free(query);
	free(suggestion);
	free(corrected);
	free(shard_as_of);
	free(spelt);
	vg_strlist_clear(&alternatives);
	vg_strlist_clear(&path_terms);
	return rc;
}

