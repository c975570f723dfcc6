/* Looking documents up in the index: one version of a document with what
 * surrounds it (references, citing documents, related ones), its history,
 * and completions for search-as-you-type. */
#ifndef VG_CATALOG_H
#define VG_CATALOG_H

#include <jansson.h>

#include "error.h"
#include "legalref.h"
#include "search.h"

/* A document another one names: one that cites it, one like it, or the
 * article a reference is. */
typedef struct vg_doc_link {
	char *repo;   /* its repository, with several; NULL otherwise */
	char *path;   /* NULL: no such document (a reference to an article not indexed) */
	char *title, *date, *revu; /* NULL where it has none */
	int note;     /* a note the legal watch follows */
} vg_doc_link;

/* A reference a document cites, and the document that is that article. */
typedef struct vg_doc_ref {
	char ref[VG_REF_MAX];          /* canonical: "R421-58" */
	char label[VG_REF_LABEL_MAX];  /* as the law writes it: "article R. 421-58" */
	vg_doc_link article;
} vg_doc_ref;

/* One version of a document. Strings are owned, NULL where it has none. */
typedef struct vg_document {
	/* Its metadata, as the indexer stored it. */
	char *path, *title, *commit, *blob, *date, *domaine, *type, *academie, *auteur, *statut, *remplace, *revu;
	char *is_ref;          /* the article it is, canonical */
	char *format;          /* its extractor: "markdown", "texte", "pdf"... */
	vg_strlist mots_cles, references, problems, breadcrumb;
	int watched;           /* a note the legal watch follows */
	unsigned long long *pages; /* a PDF's: where each page starts in text */
	size_t n_pages;
	/* The version: in force from the day of its commit until the commit
	 * that replaced it. */
	char version_date[11];  /* "" when unknown */
	int current;
	char replaced_by[41];   /* "" while current */
	char until[11];
	char *text;             /* its plain text */
	size_t text_len;
	/* What surrounds it (vg_catalog_document; nothing otherwise). */
	int surrounded;
	vg_doc_ref *cites;      /* its references, each with its article */
	size_t n_cites;
	vg_doc_link *cited_by;  /* an article's: the documents that cite it */
	size_t n_cited_by;
	vg_doc_link *related;   /* documents like it */
	size_t n_related;
} vg_document;

/* The version of path visible at rev (NULL: current; a date or a commit
 * id) in the one index s reads, into *out (vg_document_clear releases it;
 * on failure there is nothing to release), with what surrounds it: the
 * articles its references are, the documents that cite it and the ones
 * like it, as of the same version. The current version's references and
 * citing documents are looked up in around (every repository the reader
 * may read; NULL: s). VG_ENOTFOUND when there is no such version;
 * VG_ENOMEM, VG_EIO, VG_ECORRUPT from the index. */
int vg_catalog_document(vg_document *out, vg_searcher *s, vg_searcher *around, const char *path, const char *rev,
                        vg_err *err);

/* The same without what surrounds it. */
int vg_catalog_version(vg_document *out, vg_searcher *s, const char *path, const char *rev, vg_err *err);

/* Frees what *d holds and zeroes it. This function can't fail. */
void vg_document_clear(vg_document *d);

/* The document as DESIGN.md's JSON object (its metadata, "version",
 * "text", and when surrounded "references" as objects, "cited_by" and
 * "related"); NULL when out of memory. */
json_t *vg_document_json(const vg_document *d);

/* The plain text of the version of path at rev (NULL: current; a date or
 * a commit id) into *text (free it), without what surrounds it.
 * VG_ENOTFOUND when there is no such version. */
int vg_catalog_text(vg_searcher *s, const char *path, const char *rev, char **text, vg_err *err);

/* One version in a document's history. */
typedef struct vg_history_version {
	char *commit;        /* the commit that wrote it */
	char date[11];       /* that commit's day, "YYYY-MM-DD" ("" when unknown) */
	char *path;          /* where it was */
	char *title;         /* its title; NULL when it has none */
	char *blob;          /* its git blob */
	int current;         /* 1 while no commit has replaced it */
	char replaced_by[41]; /* otherwise: the commit that replaced or deleted it */
	char until[11];      /* and that commit's day */
} vg_history_version;

typedef struct vg_history {
	vg_history_version *versions; /* newest first */
	size_t n;
} vg_history;

/* The versions of the document at path, followed across renames, into
 * *out (vg_history_clear releases them; on failure there is nothing to
 * release). VG_ENOTFOUND for an unknown path, VG_ENOMEM, VG_EIO or
 * VG_ECORRUPT from the index. */
int vg_catalog_history(vg_history *out, vg_searcher *s, const char *path, vg_err *err);
/* Frees what *h holds and zeroes it. This function can't fail. */
void vg_history_clear(vg_history *h);

/* The indexed words that start like the last word of prefix, most
 * frequent first, at most limit, into *out (vg_strlist_clear; nothing to
 * release on failure), as the documents write them ("élèves" for "élè");
 * *start: where that last word starts in prefix ("régie d'" is kept of
 * "régie d'ava", none of "prud'h"). VG_ENOMEM, VG_EIO from the index. */
int vg_catalog_suggest(vg_strlist *out, vg_searcher *s, const char *prefix, unsigned limit, size_t *start,
                       vg_err *err);

#endif
