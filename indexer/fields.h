/* How a document version is laid out in the index: term prefixes, value
 * slots (xapian_shim.h), and the stored data (metadata as JSON, a NUL byte,
 * then the plain body text). The indexer writes this layout; the searcher
 * reads it. */
#ifndef VG_FIELDS_H
#define VG_FIELDS_H

#include <jansson.h>
#include <stddef.h>

#include "document.h"
#include "error.h"
#include "search.h"
#include "xapian_shim.h"

/* Term prefixes of what is not a searchable field. */
#define VG_P_REF "XREF"      /* ref: — cites or is this reference (vg_legalref_term form) */
#define VG_P_IS "XIS"        /* the document is this article */
#define VG_P_PATH "XPATH"    /* exact path */
#define VG_P_LINEAGE "XLIN"  /* one document across versions and renames */
#define VG_P_FOLDER "XDIR"   /* dossier= — under this folder, at any depth */
#define VG_T_DOC "XDOC"      /* searchable version */
#define VG_T_PROBLEM "XPROB" /* a problem was reported for this version */
#define VG_T_INDEX "XINDEX"  /* a folder's index page (README.md): ranks below content */
#define VG_T_GONE "XGONE"    /* the last version of a deleted document */
#define VG_T_LIVE "XLIVE"    /* a version still current: searches of the present
                                select them by this term, not by a value range
                                over every version */
#define VG_T_CITES "XCITES"  /* a note (front matter, not an article) citing references: watched */
/* A version is live (present at the indexed commit) when its VG_SLOT_TO
 * is VG_SEQ_OPEN, and then it also holds VG_T_LIVE: closing a version
 * sets the value (which searches as of a date read) and removes that one
 * term (which searches of the present read), a term rewrite Xapian pays
 * once per version closed. */

#define VG_SLOT_LINEAGE 8

/* The value in doc of the filter field name of fields.def ("domaine",
 * "type", "academie", "statut", "format"), as indexed; NULL for another
 * name, for the year, or when the document has none. */
const char *vg_fields_doc_value(const vg_doc *doc, const char *name);

/* 1 when the version is live. */
int vg_fields_is_live(vg_xdoc *doc);

/* Exact-path term for path (malloc'd); long paths are hashed. */
char *vg_fields_path_term(const char *path);
/* The term of the documents under a folder ("partie-legislative/livre-iv",
 * without slashes around), malloc'd; long folders are hashed. */
char *vg_fields_folder_term(const char *folder);

/* Builds the index document of a parsed version: text terms (folded,
 * stemmed by gen), field terms, values and data. Version lifecycle terms
 * (live, lineage, positions) are the indexer's. *out: vg_xdoc_free. */
int vg_fields_build(vg_xgen *gen, const vg_doc *doc, const char *commit_hex,
                    const char *blob_hex, vg_xdoc **out, vg_err *err);

/* The index document recording a file that could not be indexed at all. */
int vg_fields_build_skipped(const char *path, const char *commit_hex, const char *blob_hex,
                            const char *reason, vg_xdoc **out, vg_err *err);

/* Splits stored data into its metadata (new reference, json_decref it) and
 * body (pointing into data). */
int vg_fields_parse_data(const char *data, size_t len, json_t **meta, const char **body,
                         size_t *body_len, vg_err *err);

/* A copy of the stored metadata's string member key, or NULL when it has
 * none; *oom is set when the copy fails. */
char *vg_fields_meta_string(json_t *meta, const char *key, int *oom);
/* Appends the stored metadata's list of strings key to *out; VG_ENOMEM. */
int vg_fields_meta_strings(json_t *meta, const char *key, vg_strlist *out);

/* Index document docid (*doc, vg_xdoc_free it) and its metadata (*meta,
 * json_decref it), for callers that need no body. */
int vg_fields_load_meta(vg_xdb *db, unsigned docid, vg_xdoc **doc, json_t **meta, vg_err *err);
/* The docid and metadata (*meta, json_decref it) of hit i of a match set,
 * read from the hit's own data. */
int vg_fields_hit_meta(vg_xmset *m, unsigned i, unsigned *docid, json_t **meta, vg_err *err);
/* The filter term of the repositories' own guides (type guide), which
 * searches and lists leave out. */
void vg_fields_guide_term(char out[32]);

/* Boolean term for a filter field=value ("domaine", "type", "academie",
 * "annee", "statut", "format", "ref"), malloc'd into *term; VG_EINVAL with
 * a French message for an unknown field or a bad value. */
int vg_fields_filter_term(const char *field, const char *value, char **term, vg_err *err);

#endif
