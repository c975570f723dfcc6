/* Recognition of French legal references ("article R. 421-58",
 * "art. L214-6", "décret n° 2012-1246") and their canonical form
 * ("R421-58", "decret-2012-1246"), the same in text and in queries. */
#ifndef VG_LEGALREF_H
#define VG_LEGALREF_H

#include <stddef.h>

#define VG_REF_MAX 48 /* room for any canonical form, NUL included */

typedef struct vg_ref_match {
	size_t start, end;        /* byte span in the scanned text, "article" included */
	char canon[VG_REF_MAX];   /* canonical form */
	int spanned;              /* between a range's ends (VG_REF_RANGES) */
} vg_ref_match;

enum {
	VG_REF_QUERY = 1, /* also accept lower-case code letters ("r421-58") */
	VG_REF_RANGES = 2 /* also report the articles a range spans ("L. 216-4 à
	                     L. 216-6": L216-5), with the span of the "à" */
};

/* Calls cb for each reference in text[0..len), in order; a non-zero return
 * from cb stops the scan and is returned. */
typedef int (*vg_ref_cb)(const vg_ref_match *m, void *ctx);
int vg_legalref_scan(const char *text, size_t len, unsigned flags,
                     vg_ref_cb cb, void *ctx);

/* Canonical form of a single reference token such as "R.421-58",
 * "r421-58" or "décret-2012-1246". Returns 0, or VG_EINVAL when token is
 * not exactly one reference. */
int vg_legalref_canonical(const char *token, char out[VG_REF_MAX]);

/* The form a canonical reference takes in index terms and in the query's
 * clauses (query.h), one word: lower case, '_' for '-' ("R421-58" ->
 * "r421_58"). */
void vg_legalref_term(const char *canon, char out[VG_REF_MAX]);

/* A canonical reference as the law writes it, into out: "article R. 421-58",
 * "décret n° 2012-1246", "loi n° 2013-595". This function can't fail. */
#define VG_REF_LABEL_MAX 96
void vg_legalref_label(const char *canon, char out[VG_REF_LABEL_MAX]);

/* For a code article file ("…/article-r421-58.md"), the reference the file
 * is. Returns 0, or VG_ENOTFOUND when the name is not an article's. */
int vg_legalref_from_path(const char *path, char out[VG_REF_MAX]);

#endif
