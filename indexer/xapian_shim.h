/* The only door to Xapian: a small C interface over its C++ API. Every
 * function catches every exception (lock errors, other Xapian errors,
 * bad_alloc, anything else) and turns it into a VG_E* code and a message.
 * Strings handed out are malloc'd; the caller frees them. */
#ifndef VG_XAPIAN_SHIM_H
#define VG_XAPIAN_SHIM_H

#include <stddef.h>

#include "error.h"

#ifdef __cplusplus
#define VG_NOEXCEPT noexcept
extern "C" {
#else
#define VG_NOEXCEPT
#endif

/* Value slots of a document version. */
enum {
	VG_SLOT_DATE = 0,     /* "YYYYMMDD", the document's date */
	VG_SLOT_FROM = 1,     /* number: first-parent position where it appeared */
	VG_SLOT_TO = 2,       /* number: position where it was replaced or deleted */
	VG_SLOT_FACETS = 3,   /* the facet values, folded, in one value read once
	                         per match: domaine, academie, type, annee joined
	                         by \x1f (vg_facets_pack) */
	VG_SLOT_CTIME = 7     /* number: commit time of the version */
};

/* How many facets there are: the rows of fields.def with facet 1, in the
 * order of their values in VG_SLOT_FACETS. */
enum {
	VG_N_FACETS = 0
#define VG_FIELD(id, name, prefix, kind, facet, label, value, front) + facet
#include "fields.def"
#undef VG_FIELD
};

/* VG_SLOT_TO of a version that is still current. */
#define VG_SEQ_OPEN 1e15


typedef struct vg_xdb vg_xdb;
typedef struct vg_xdoc vg_xdoc;
typedef struct vg_xgen vg_xgen;
typedef struct vg_xmset vg_xmset;

/* ---- databases ---------------------------------------------------------- */

enum {
	VG_XDB_READ = 0,
	VG_XDB_WRITE = 1,   /* create if missing; VG_ELOCKED if another writer */
	VG_XDB_WAIT = 2,    /* with WRITE: wait for the other writer instead */
	VG_XDB_BULK = 4     /* with WRITE: no fsync at each commit, for a new
	                       database that is synced once built (vg_store_sync) */
};

/* A remote index (xapian-tcpsrv) that does not answer within this long is
 * reported unreachable. */
#define VG_REMOTE_TIMEOUT_MS 10000
#define VG_REMOTE_CONNECT_MS 3000

/* Opens the Xapian database at path, or for reading the one served at
 * "tcp://HOST:PORT" by xapian-tcpsrv. *out is freed with vg_xdb_free. */
int vg_xdb_open(vg_xdb **out, const char *path, int mode, vg_err *err) VG_NOEXCEPT;
void vg_xdb_free(vg_xdb *db) VG_NOEXCEPT;
/* A reader over several databases searched as one (Xapian's
 * add_database): the document of shard k has docid (local - 1) * n + k + 1.
 * The parts stay the caller's, and must outlive *out (vg_xdb_free). */
int vg_xdb_combine(vg_xdb **out, vg_xdb *const *parts, size_t n, vg_err *err) VG_NOEXCEPT;

/* Readers: moves to the latest committed revision; *changed says whether
 * it moved. */
int vg_xdb_reopen(vg_xdb *db, int *changed, vg_err *err) VG_NOEXCEPT;

/* Metadata value for key into *val (malloc'd, NUL-terminated; "" when
 * absent) and its length. */
int vg_xdb_get_meta(vg_xdb *db, const char *key, char **val, size_t *len, vg_err *err) VG_NOEXCEPT;
int vg_xdb_set_meta(vg_xdb *db, const char *key, const char *val, size_t len, vg_err *err) VG_NOEXCEPT;

/* Writers: one transaction at a time; nothing is visible to readers, nor
 * kept after a crash, before vg_xdb_commit. */
int vg_xdb_begin(vg_xdb *db, vg_err *err) VG_NOEXCEPT;
int vg_xdb_commit(vg_xdb *db, vg_err *err) VG_NOEXCEPT;
int vg_xdb_cancel(vg_xdb *db, vg_err *err) VG_NOEXCEPT;

/* Checks every table of the database at path as xapian-check does: the
 * number of errors into *errors and Xapian's report (English, malloc'd)
 * into *report. A database that cannot be opened at all counts as one
 * error. */
int vg_xdb_check(const char *path, size_t *errors, char **report, vg_err *err) VG_NOEXCEPT;

/* Number of documents holding term, or of all documents when term is NULL. */
int vg_xdb_count(vg_xdb *db, const char *term, unsigned *count, vg_err *err) VG_NOEXCEPT;
/* 1 when a current document holds the word first just before the word
 * then ("sous" "traitant"), 0 when none does, < 0 on error. */
int vg_xdb_holds_pair(vg_xdb *db, const char *first, const char *then, vg_err *err) VG_NOEXCEPT;
/* Number of searchable versions that are live. */
int vg_xdb_count_current(vg_xdb *db, unsigned *count, vg_err *err) VG_NOEXCEPT;
/* Ids of the documents holding term, ascending, into *ids (free() it). */
int vg_xdb_postings(vg_xdb *db, const char *term, unsigned **ids, size_t *n, vg_err *err) VG_NOEXCEPT;

/* Ids of the documents holding every one of terms[0..n), ascending. */
int vg_xdb_match_all(vg_xdb *db, const char *const *terms, size_t n, unsigned **ids,
                     size_t *count, vg_err *err) VG_NOEXCEPT;

/* Adds doc (the caller keeps it); its unprefixed terms also feed the
 * spelling dictionary at the next commit. */
int vg_xdb_add(vg_xdb *db, vg_xdoc *doc, unsigned *docid, vg_err *err) VG_NOEXCEPT;
int vg_xdb_replace(vg_xdb *db, unsigned docid, vg_xdoc *doc, vg_err *err) VG_NOEXCEPT;
/* Loads a stored document; *out is freed with vg_xdoc_free. */
int vg_xdb_get(vg_xdb *db, unsigned docid, vg_xdoc **out, vg_err *err) VG_NOEXCEPT;

/* From now on, documents added do not feed the spelling dictionary one by
 * one; vg_xdb_build_spelling does it in one pass (much faster for a whole
 * index). */
void vg_xdb_defer_spelling(vg_xdb *db) VG_NOEXCEPT;
/* Adds every plain word held by at least min_docs documents to the
 * spelling dictionary, weighted by that count. */
int vg_xdb_build_spelling(vg_xdb *db, unsigned min_docs, vg_err *err) VG_NOEXCEPT;

/* The stemmed term of a folded word ("Z" and its French stem, by db's
 * stemmer, which remembers its stems), malloc'd, or NULL when out of
 * memory. */
char *vg_xdb_stem_term(vg_xdb *db, const char *word) VG_NOEXCEPT;

/* The French stem of a folded word, as the index stems it, in out (cap
 * bytes, cut short if need be); "" when it cannot be made. Safe from any
 * thread. */
void vg_xstem(const char *word, char *out, size_t cap) VG_NOEXCEPT;

/* A correction for a folded word from the spelling dictionary, or NULL:
 * of the closest words, the one that goes best with context (the query's
 * other folded words, n_context of them), else the most frequent. */
int vg_xdb_spelling(vg_xdb *db, const char *word, const char *const *context, size_t n_context, char **out,
                    vg_err *err) VG_NOEXCEPT;

/* Up to limit plain words starting with prefix, most documents first, into
 * *words (malloc'd array of malloc'd strings). */
int vg_xdb_complete(vg_xdb *db, const char *prefix, unsigned limit, char ***words, size_t *n,
                    vg_err *err) VG_NOEXCEPT;

/* Every term of prefix (a few: metadata values), not those of longer
 * prefixes ("XDIR…" for "XD"), at most 1,000, into *terms (malloc'd array
 * of malloc'd strings). */
int vg_xdb_prefixed(vg_xdb *db, const char *prefix, char ***terms, size_t *n, vg_err *err) VG_NOEXCEPT;

/* ---- documents ---------------------------------------------------------- */

int vg_xdoc_new(vg_xdoc **out, vg_err *err) VG_NOEXCEPT;
void vg_xdoc_free(vg_xdoc *doc) VG_NOEXCEPT;
/* wdf 0 adds a boolean (filter-only) term. */
int vg_xdoc_add_term(vg_xdoc *doc, const char *term, unsigned wdf, vg_err *err) VG_NOEXCEPT;
int vg_xdoc_remove_term(vg_xdoc *doc, const char *term, vg_err *err) VG_NOEXCEPT;
int vg_xdoc_set_value(vg_xdoc *doc, unsigned slot, const char *val, size_t len, vg_err *err) VG_NOEXCEPT;
/* The raw value in a slot (malloc'd, "" when empty). */
int vg_xdoc_get_value(vg_xdoc *doc, unsigned slot, char **val, size_t *len, vg_err *err) VG_NOEXCEPT;
int vg_xdoc_set_number(vg_xdoc *doc, unsigned slot, double v, vg_err *err) VG_NOEXCEPT;
/* The number in a slot, or def when the slot is empty. */
double vg_xdoc_get_number(vg_xdoc *doc, unsigned slot, double def) VG_NOEXCEPT;
int vg_xdoc_set_data(vg_xdoc *doc, const char *data, size_t len, vg_err *err) VG_NOEXCEPT;
int vg_xdoc_get_data(vg_xdoc *doc, char **data, size_t *len, vg_err *err) VG_NOEXCEPT;

/* ---- term generation (one vg_xgen per thread) ---------------------------- */

int vg_xgen_new(vg_xgen **out, vg_err *err) VG_NOEXCEPT;
void vg_xgen_free(vg_xgen *gen) VG_NOEXCEPT;
enum {
	VG_XGEN_NO_POSITIONS = 1 /* no phrase search on this field */
};
/* Indexes folded text into doc with the French stemmer: unstemmed terms
 * with positions, "Z" stemmed terms without, unless flags say otherwise.
 * prefix may be "" or NULL. Each text of a document takes positions after
 * the previous one's, with a gap: a phrase never spans two texts. */
int vg_xgen_index(vg_xgen *gen, vg_xdoc *doc, const char *folded, size_t len,
                  unsigned wdf_inc, const char *prefix, unsigned flags, vg_err *err) VG_NOEXCEPT;

/* ---- search ------------------------------------------------------------- */

enum {
	VG_SORT_RELEVANCE = 0,
	VG_SORT_DATE = 1,   /* newest document date first */
	VG_SORT_CHANGE = 2, /* most recently committed version first */
	VG_SORT_END = 3     /* most recently ended version first */
};

typedef struct vg_xfilter {
	const char *group; /* terms of one group are ORed, groups are ANDed */
	const char *term;
} vg_xfilter;

typedef struct vg_xsearch {
	const struct vg_query *query; /* what is searched (query.h); NULL: every document */
	const vg_xfilter *filters;
	size_t n_filters;
	const char *date_from;     /* "YYYYMMDD": documents dated this day or after; NULL: any */
	const char *date_to;       /* "YYYYMMDD": documents dated this day or before; NULL: any */
	const char *const *exclude; /* boolean terms whose documents are hidden */
	size_t n_exclude;
	double as_of;              /* first-parent position, or < 0: current */
	int gone;                  /* instead: the last versions of deleted
	                              documents (VG_T_GONE), whatever as_of */
	int sort;                  /* VG_SORT_* */
	unsigned offset, limit;
	int facets;                /* count domaine, academie, type, annee */
	unsigned like;             /* docid: documents like this one instead */
	const char *const *marks;  /* extra words for snippets to highlight, */
	size_t n_marks;            /* that do not change what matches */
	const char *index_pages;   /* term of folder index pages, ranked below
	                              content by relevance; or NULL */
	const char *const *alternatives; /* "word\x1fother": other may stand */
	size_t n_alternatives;           /* for word, weighing less */
	unsigned quantities_asked;  /* VG_QTY_* bits: documents stating one of
	                              these kinds rank a little higher */
	double time_limit;         /* seconds after which matches are no longer
	                              all counted (total and facets estimated);
	                              0: none */
	unsigned exact_counts;     /* matches counted one by one for the total and
	                              the facets, at most: beyond, they are
	                              estimated from an even sample ("partial");
	                              0, or a remote index: all */
	size_t n_shards;           /* databases combined (vg_xdb_combine); 0 or 1: one */
	const double *shard_as_of; /* with several: each one's position, in the
	                              order combined (-1: current, -2: nothing);
	                              NULL: as_of for all */
} vg_xsearch;

/* Runs a search. A query that does not parse gives VG_EQUERY and a French
 * message. *out is freed with vg_xmset_free. */
int vg_xdb_search(vg_xdb *db, const vg_xsearch *spec, vg_xmset **out, vg_err *err) VG_NOEXCEPT;
void vg_xmset_free(vg_xmset *m) VG_NOEXCEPT;
unsigned vg_xmset_size(const vg_xmset *m) VG_NOEXCEPT;
unsigned vg_xmset_total(const vg_xmset *m) VG_NOEXCEPT;
/* Hit i: docid, percentage score and stored data (malloc'd). */
int vg_xmset_hit(vg_xmset *m, unsigned i, unsigned *docid, int *percent,
                 char **data, size_t *len, vg_err *err) VG_NOEXCEPT;
/* The docid of hit i. This function can't fail. */
unsigned vg_xmset_hit_docid(const vg_xmset *m, unsigned i) VG_NOEXCEPT;
/* The shard (0..n_shards-1) hit i comes from. This function can't fail. */
unsigned vg_xmset_hit_shard(const vg_xmset *m, unsigned i) VG_NOEXCEPT;

/* The number in value slot of hit i (0 when empty). */
double vg_xmset_hit_number(vg_xmset *m, unsigned i, unsigned slot) VG_NOEXCEPT;
/* MSet::snippet over folded text, with \x01/\x02 around matches and \x03
 * where text was left out; HTML special characters come out escaped. */
int vg_xmset_snippet(vg_xmset *m, const char *folded, size_t len, size_t length,
                     char **out, vg_err *err) VG_NOEXCEPT;
/* 1 when the search ran out of its time limit: total and facets are
 * estimates. */
int vg_xmset_partial(const vg_xmset *m) VG_NOEXCEPT;
/* For a plain query: 1 when the best hit holds every word of the query
 * (always 1 for other queries and empty results). */
int vg_xmset_all_words(const vg_xmset *m) VG_NOEXCEPT;
/* For a plain query: the query's words that no matching document holds,
 * as the user typed them (folded), into *words (malloc'd array of
 * malloc'd strings; free each and the array). */
int vg_xmset_missing_words(vg_xmset *m, char ***words, size_t *n, vg_err *err) VG_NOEXCEPT;
/* Counts of the facet-th facet (in fields.def's order) over all matches: parallel arrays of *n
 * values (malloc'd strings) and counts, most frequent first. Free with
 * vg_xmset_facets_free. */
int vg_xmset_facets(vg_xmset *m, unsigned facet, char ***values, unsigned **counts,
                    size_t *n, vg_err *err) VG_NOEXCEPT;
void vg_xmset_facets_free(char **values, unsigned *counts, size_t n) VG_NOEXCEPT;
/* Adds part's total and facet counts (of the same search on one of the
 * databases m combines) to m's, which are then these sums; partial if
 * part is. */
int vg_xmset_add_counts(vg_xmset *m, const vg_xmset *part, vg_err *err) VG_NOEXCEPT;

#ifdef __cplusplus
}
#endif
#endif
