/* Searching: the user's query (French, legal references, field names,
 * operators) turned into a Xapian query, run on current versions or as of
 * a date or commit, and answered in the one JSON shape of DESIGN.md. */
#ifndef VG_SEARCH_H
#define VG_SEARCH_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "strlist.h"

/* The fields people search and filter on (fields.def). */
typedef enum {
#define VG_FIELD(id, name, prefix, kind, facet, label, value, front) VG_F_##id,
#include "fields.def"
#undef VG_FIELD
	VG_N_FIELDS
} vg_field_id;

enum { VG_TEXT, VG_FILTER };

typedef struct vg_field {
	const char *name;   /* in queries and filters */
	const char *prefix; /* of its terms */
	int kind;           /* VG_TEXT or VG_FILTER */
	int facet;          /* counted in results */
	const char *label;  /* in French */
} vg_field;

/* The table, indexed by vg_field_id. */
extern const vg_field vg_fields[VG_N_FIELDS];
/* The prefix of a field's terms. */
#define VG_PREFIX(id) (vg_fields[VG_F_##id].prefix)
/* The name of a field in queries, filters and facets. */
#define VG_FIELD_NAME(id) (vg_fields[VG_F_##id].name)
/* The field called name (folded), or NULL. This function can't fail. */
const vg_field *vg_fields_find(const char *name);

typedef struct vg_searcher vg_searcher;

/* Opens the index folder for reading. *out is freed with
 * vg_searcher_free; one searcher serves one thread at a time. */
int vg_searcher_open(vg_searcher **out, const char *index_dir, vg_err *err);
void vg_searcher_free(vg_searcher *s);
/* Opens several indexes (index_dirs[0..n)) searched as one, as Xapian's
 * add_database does: hits carry "repo" (names[k], the repository of
 * index k; names may be NULL for none) and results a "repo" facet;
 * ranking uses the statistics of them all. What is positioned in one
 * repository's history ("as of" a date or commit, documents by path)
 * needs a searcher of one index: on several it fails with VG_EINVAL. */
int vg_searcher_open_many(vg_searcher **out, const char *const *index_dirs, const char *const *names, size_t n,
                          vg_err *err);
/* Moves to the newest index revision (or rebuilt generation) if any. */
int vg_searcher_refresh(vg_searcher *s, vg_err *err);
/* What the indexes read hold, as a string that changes whenever one of
 * them moves (another indexed commit or generation); malloc'd, or NULL
 * when out of memory. */
char *vg_searcher_stamp(const vg_searcher *s);
/* The same for the generations alone, which change when an index is
 * built again (its docids then name other documents); malloc'd, or NULL
 * when out of memory. */
char *vg_searcher_generations(const vg_searcher *s);

/* The French lexicon that tells typos from words the documents do not use
 * (borrowed; it must outlive the searcher). Without one, unknown words are
 * only suggested, never corrected. */
struct vg_lexicon;
void vg_searcher_use_lexicon(vg_searcher *s, struct vg_lexicon *lexicon);
/* Counts at most max matches one by one (VG_SEARCH_EXACT_COUNTS unless
 * set; 0: all of them), estimating beyond; remote indexes count all. */
void vg_searcher_count_exactly(vg_searcher *s, unsigned max);
/* The repository of shard k (0 with one index), or NULL when unnamed. */
const char *vg_searcher_repo_name(const vg_searcher *s, unsigned k);
/* The labels readers see of facet values, {field: {value: label}}, from
 * the repositories' schemas and folder headings; borrowed until the next
 * refresh. */
const json_t *vg_searcher_labels(const vg_searcher *s);
/* How many indexes the searcher reads as one. */
size_t vg_searcher_shard_count(const vg_searcher *s);
/* The index a docid of the searcher's database comes from (Xapian
 * interleaves the documents of combined databases). */
unsigned vg_searcher_shard_of(const vg_searcher *s, unsigned docid);
/* The timeline of index k; borrowed until the next refresh. */
struct vg_timeline;
const struct vg_timeline *vg_searcher_shard_timeline(const vg_searcher *s, unsigned k);

/* How many documents are current (live, searchable versions) into *n. */
int vg_searcher_count_current(vg_searcher *s, unsigned *n, vg_err *err);

/* The index the searcher reads, and its timeline; borrowed until the next
 * refresh. */
struct vg_xdb;
struct vg_timeline;
struct vg_xdb *vg_searcher_db(vg_searcher *s);
const struct vg_timeline *vg_searcher_timeline(const vg_searcher *s);
/* Timeline position of rev (NULL or "": current, *pos = -1; else a date or
 * a commit id). */
int vg_searcher_position(const vg_searcher *s, const char *rev, double *pos, vg_err *err);
/* Docid of the searchable version of path visible at pos (< 0: current),
 * or 0 when there is none. */
int vg_searcher_find_version(vg_searcher *s, const char *path, double pos, unsigned *docid,
                             vg_err *err);

/* The form of a folded word as the documents write it ("etablissement" →
 * "établissement"), in lower case, from the first current documents
 * holding it (a form in lower case there if any: a capital often drops its
 * accent); malloc'd, or NULL (none holds it, or out of memory). */
char *vg_searcher_written_form(const vg_searcher *s, const char *word);

#define VG_QUERY_MAX 1000      /* characters, as the page's search box counts them */
#define VG_QUERY_MAX_WILDCARDS 5 /* words ending in '*' */
#define VG_SEARCH_TIME_LIMIT 2.0 /* seconds before counts become estimates ("partial") */
/* Matches a search counts one by one for its total and facets; a broader
 * one estimates them from an even sample ("partial"), so that its cost
 * does not grow with the corpus. */
#define VG_SEARCH_EXACT_COUNTS 20000

typedef struct vg_search_req {
	const char *query;          /* may be NULL or "" with filters */
	const char *as_of;          /* NULL, "YYYY-MM-DD" or a commit id */
	const char *const *filters; /* "field=value" */
	size_t n_filters;
	int sort_by_date;           /* newest document date first */
	int sort_by_change;         /* most recently committed version first */
	unsigned offset;
	unsigned limit;             /* 0: 10; at most 100 */
	const char *like;           /* path: documents like this one */
	size_t snippet_length;      /* 0: 240 bytes */
	int with_version_time;      /* hits also carry "changed": commit time (s) */
	int verbatim;               /* search the words as typed, never corrected */
	const char *date_from;      /* "YYYY-MM-DD": documents dated this day or after; NULL: any */
	const char *date_to;        /* "YYYY-MM-DD": documents dated this day or before; NULL: any */
	int only_paths_set;         /* only the documents at only_paths[0..n_only_paths), in any */
	const char *const *only_paths; /* repository searched (none: no document) */
	size_t n_only_paths;
	int deleted;                /* instead of today's documents, those deleted since (their
	                               last version), the latest deletion first; hits carry
	                               "deleted_by" (the commit) and "changed" its time; as_of,
	                               sorts and facets do not apply */
} vg_search_req;

/* One hit of a search. Strings are owned; NULL where the document has
 * no such field. */
typedef struct vg_hit {
	char *path, *title, *commit, *date, *domaine, *type, *academie;
	vg_strlist references; /* the references it cites, canonical */
	vg_strlist breadcrumb; /* the headings above it */
	char *snippet;         /* HTML: its text around the words found, in <mark> */
	int score;             /* percent */
	char *format;          /* an attachment's format; NULL for Markdown and text */
	unsigned page;         /* a PDF's page of the snippet; 0: not a PDF */
	int changed_known;     /* changed is set */
	long long changed;     /* the commit time of its version (with_version_time), or of
	                          its deletion (deleted) */
	char *repo;            /* its repository, with several; NULL otherwise */
	int deleted;           /* a deleted document (req->deleted): */
	char deleted_by[41];   /* the commit that deleted it ("" when unknown) */
} vg_hit;

/* How many matches have each value of a facet ("domaine", "repo"...). */
typedef struct vg_facet_count {
	char *value;
	unsigned long long count;
} vg_facet_count;

typedef struct vg_facet {
	char name[16];
	vg_facet_count *values;
	size_t n;
} vg_facet;

/* What a search found, and how it read the query. */
typedef struct vg_results {
	char *query;             /* as asked */
	char *as_of;             /* the date or commit asked; NULL: today */
	unsigned long long total; /* matches (estimated when partial) */
	unsigned offset, limit;
	char *suggestion;        /* "Vouliez-vous dire" query; NULL: none */
	char *corrected;         /* the query searched instead of the one typed; NULL: none */
	int all_words;           /* the best hit holds every word */
	vg_strlist missing_words; /* otherwise the words that no match holds */
	vg_hit *hits;
	size_t n_hits;
	vg_facet *facets;        /* domaine, academie, type, annee, then repo with several */
	size_t n_facets;
	int partial;             /* counts ran out of time: estimates */
} vg_results;

/* Runs a search into *out (vg_results_clear releases it; on failure there
 * is nothing to release). In a query without boolean operators, words
 * that no document knows (neither the word nor its stem) are corrected
 * from the index's spelling data unless req->verbatim: "corrected" then
 * holds the query searched. Bad queries and filters give VG_EQUERY or
 * VG_EINVAL with a French message; VG_ENOTFOUND for an unknown as_of or
 * like; VG_ENOMEM, VG_EIO, VG_ECORRUPT, VG_EUNREACHABLE from the index. */
int vg_search_run(vg_results *out, vg_searcher *s, const vg_search_req *req, vg_err *err);

/* Frees what *r holds and zeroes it. This function can't fail. */
void vg_results_clear(vg_results *r);

/* The results as DESIGN.md's JSON object, the one shape of the API and
 * the CLI; NULL when out of memory. */
json_t *vg_results_json(const vg_results *r);

/* The strings of l as a JSON array; NULL when out of memory. */
json_t *vg_strings_json(const vg_strlist *l);

/* The facet called name of r, or NULL. This function can't fail. */
vg_facet *vg_results_facet(vg_results *r, const char *name);

/* Sets r's facet called name (at most 15 bytes) to copies of values[0..n),
 * in place of the one of that name or after the others; VG_ENOMEM (r is
 * unchanged then). */
int vg_results_set_facet(vg_results *r, const char *name, const vg_facet_count *values, size_t n);

/* Frees f's values and gives it values[0..n), which it takes. This
 * function can't fail. */
void vg_facet_take(vg_facet *f, vg_facet_count *values, size_t n);

/* The error object {"error": {"code": ..., "message": ...}} for a failure. */
json_t *vg_search_error_json(const vg_err *err);

/* Highlights a hit: turns the marked snippet of folded text (as
 * vg_xmset_snippet gives it) back into the original text, HTML-escaped,
 * matches in <mark>; *start (if not NULL) receives where the first match
 * (or the snippet) starts in the original. Exposed for tests. */
char *vg_search_map_snippet(const char *marked, const char *folded, size_t folded_len,
                            const uint32_t *orig, const char *original, size_t *start);

#endif
