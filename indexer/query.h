/* The query language, read once: what a user typed, folded, becomes a
 * tree of typed clauses (words, phrases, references, groups of synonyms,
 * field values, date ranges) joined by boolean operators. The Xapian shim
 * turns the tree into its own query without reading text again; the
 * search reads the same tree for what it adds (words of the same meaning).
 *
 * The language: words (a plain query: documents holding them all first,
 * then those holding most), "a phrase", +required, -excluded, prefix*,
 * field:word and field:"phrase" for text fields, field:value for filter
 * fields (fields.def), ref:R421-58, date:2023-01-01..2023-12-31 (a year or
 * a month alone stands for all its days, a bound may be left out),
 * AND / OR / NOT / XOR (ET / OU / SAUF once folded), NEAR and ADJ (NEAR/5),
 * parentheses. Legal references in any spelling ("article R. 421-58") are
 * one clause. */
#ifndef VG_QUERY_H
#define VG_QUERY_H

#include <stddef.h>

#include "error.h"
#include "strlist.h"

typedef enum vg_qkind {
	VG_Q_WORDS,      /* text: a word, or words joined by - . / : etc. (a
	                    phrase, as the indexer reads them), in field prefix */
	VG_Q_PHRASE,     /* text: quoted words, in this order, never stemmed */
	VG_Q_PREFIX,     /* text: the beginning of words ("regi" of "regi*") */
	VG_Q_REF,        /* text: a reference's index form ("r421_58") */
	VG_Q_REF_FILTER, /* text: the same, asked with ref: (documents citing
	                    it, the article itself first) */
	VG_Q_SYNONYMS,   /* number: the group in vg_query.groups */
	VG_Q_VALUE,      /* prefix and text: a filter field's value */
	VG_Q_DATES,      /* text, upto: "YYYYMMDD" bounds, "" when open */
	VG_Q_ALL,        /* every document ("NOT x" alone) */
	VG_Q_CLAUSES,    /* children: a run of clauses, each with its sign */
	VG_Q_AND,        /* children: all of them */
	VG_Q_OR,         /* children: any */
	VG_Q_XOR,        /* children: an odd number of them */
	VG_Q_AND_NOT,    /* children[0] without children[1] */
	VG_Q_NEAR,       /* children (VG_Q_WORDS): within number words */
	VG_Q_ADJ         /* the same, in this order */
} vg_qkind;

typedef enum vg_qsign {
	VG_Q_MAY,     /* plain: optional, ranked; with operators: required */
	VG_Q_MUST,    /* +word */
	VG_Q_MUST_NOT /* -word */
} vg_qsign;

typedef struct vg_qnode {
	vg_qkind kind;
	vg_qsign sign;        /* its sign in the run that holds it */
	const char *prefix;   /* WORDS, PHRASE, PREFIX, VALUE: the field's Xapian
	                         prefix (fields.def), "" for the text */
	char *text;           /* folded, owned; see vg_qkind */
	char *upto;           /* DATES: the upper bound */
	unsigned number;      /* SYNONYMS: group; NEAR, ADJ: window */
	struct vg_qnode **children;
	size_t n_children;
} vg_qnode;

typedef struct vg_query {
	vg_qnode *root;     /* NULL: every document */
	int plain;          /* no boolean operator: the root's clauses are
	                       optional, documents holding them all first */
	vg_strlist groups;  /* the synonym groups found: expressions separated
	                       by \x1f, the one typed first (acronyms in capitals) */
	vg_strlist refs;    /* index forms of the references, for snippets */
} vg_query;

struct vg_synonyms;

/* Reads a query folded with VG_FOLD_QUERY (and its inversions split), the
 * expressions of syn (may be NULL) made groups of synonyms. *out is freed
 * with vg_query_free. VG_EQUERY with a French message for an operator
 * without its words, a ref: that is not a reference or a date range that
 * does not read; VG_ENOMEM. Unclosed quotes and parentheses close at the
 * end. */
int vg_query_parse(vg_query **out, const char *folded, const struct vg_synonyms *syn, vg_err *err);
/* Freeing NULL does nothing. */
void vg_query_free(vg_query *q);

/* The tree in one line, for tests and logs: words as typed, "phrase",
 * prefix*, ref:r421_58, syn:N, XDvalue, date:FROM..TO, signs, operators
 * in capitals between parentheses. malloc'd, or NULL when out of memory. */
char *vg_query_describe(const vg_query *q);

#endif
