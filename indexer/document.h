/* Documents: one blob at one path turned into metadata and plain body text.
 * Front matter is YAML (libyaml); Markdown bodies come from the cmark-gfm
 * syntax tree. A format is a row of formats.def, read by one of the
 * extractors of document.c. */
#ifndef VG_DOCUMENT_H
#define VG_DOCUMENT_H

#include <stddef.h>

#include "error.h"
#include "legalref.h"
#include "strlist.h"

/* The type of a repository's own README.md and CONTRIBUTING.md, left out
 * of searches unless asked for (type=guide). */
#define VG_TYPE_GUIDE "guide"

typedef struct vg_doc {
	char *path;
	const char *format;   /* extractor name: "markdown", "texte" (static) */
	char *title;
	char *date;           /* YYYY-MM-DD, from front matter or the commit */
	char *domaine;
	char *type;
	char *academie;
	char *auteur;
	char *statut;
	char *remplace;
	char *revu;           /* YYYY-MM-DD: checked against the law that day */
	vg_strlist mots_cles;
	vg_strlist references; /* canonical, front matter first, then the text's */
	char is_ref[VG_REF_MAX]; /* the reference this file is, or "" */
	char *body;            /* plain text of the body, UTF-8 */
	size_t body_len;
	size_t *pages;         /* where each page starts in body (PDF), or NULL */
	size_t n_pages;
	int has_front_matter;
	vg_strlist fields;     /* front matter fields given, canonical names */
	vg_strlist unknown;    /* front matter keys Vigie does not know */
	vg_strlist problems;   /* French, one line each: what went wrong and where */
	vg_strlist breadcrumb; /* headings of the folders above it, outermost first
	                          (set by the indexer: vg_breadcrumbs_for) */
} vg_doc;

/* What the repository says about a blob when its front matter does not. */
typedef struct vg_doc_context {
	const char *commit_date; /* YYYY-MM-DD of the commit that introduced it */
	/* Attachments (PDF, office files, HTML): */
	const char *sidecar;     /* FILE.meta.yml next to it (YAML fields), or NULL */
	size_t sidecar_len;
	const char *extracted;   /* vigie-extract's JSON answer already known (cache) */
	char *extracted_out;     /* receives the answer produced, to cache (free() it) */
} vg_doc_context;

typedef struct vg_extractor {
	const char *name;
	/* Fills doc->body (and title, metadata) from text[0..len), valid UTF-8;
	 * for attachments, from the file's bytes (ctx may then be used). */
	int (*extract)(vg_doc *doc, const char *text, size_t len, vg_doc_context *ctx, vg_err *err);
	int attachment;                /* bytes, extracted in a separate process */
} vg_extractor;

/* The extractor for path, by its extension's row in formats.def, or NULL
 * when Vigie does not index that kind of file. */
const vg_extractor *vg_doc_extractor_for(const char *path);

/* The row of formats.def for path's extension. */
typedef struct vg_format {
	const char *extension, *extractor, *family, *media_type;
} vg_format;
/* path's format, or NULL. This function can't fail. */
const vg_format *vg_format_of(const char *path);

/* Parses the file content data[0..len) found at path. Problems that still
 * let the document be indexed (broken front matter, invalid UTF-8, a bad
 * date) are listed in doc->problems; the call then succeeds. It fails only
 * for an unsupported format (VG_EINVAL), a binary file (VG_EINVAL) or lack
 * of memory. *out is freed with vg_doc_free. */
int vg_doc_parse(vg_doc **out, const char *path, const char *data, size_t len,
                 vg_doc_context *ctx, vg_err *err);
void vg_doc_free(vg_doc *doc);

/* Only the metadata fields of a sidecar (FILE.meta.yml): the YAML is what a
 * front matter holds. Problems name path. *out: vg_doc_free. */
int vg_doc_parse_sidecar(vg_doc **out, const char *path, const char *yaml, size_t len, vg_err *err);

/* Where the body starts in text[0..len): after a byte-order mark and a
 * closed front matter block, else 0. */
size_t vg_doc_body_offset(const char *text, size_t len);

/* A cmark-gfm parser with the GitHub extensions attached (tables,
 * strikethrough, autolinks, task lists); cmark_parser_free it. */
struct cmark_parser;
struct cmark_parser *vg_doc_markdown_parser(void);


/* 1 when s is a valid YYYY-MM-DD calendar date. */
int vg_doc_date_valid(const char *s);

#endif
