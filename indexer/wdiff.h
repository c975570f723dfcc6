/* Comparing two versions of a text paragraph by paragraph, and word by word
 * inside a changed paragraph: legal articles and notes are one paragraph a
 * line, so a line diff alone would mark whole articles as changed. */
#ifndef VG_WDIFF_H
#define VG_WDIFF_H

#include <jansson.h>
#include <stddef.h>

#include "error.h"

/* One paragraph of a comparison. */
typedef struct vg_wdiff_para {
	const char *op;  /* "same", "changed", "added" or "removed" (static) */
	char *html;      /* escaped text, <del>/<ins> around removed and added words */
} vg_wdiff_para;

typedef struct vg_wdiff_result {
	vg_wdiff_para *paras;
	size_t n;
	size_t changes;  /* changed, added or removed paragraphs */
} vg_wdiff_result;

/* Compares old and new (UTF-8, paragraphs separated by newlines; blank
 * lines ignored) into *out (vg_wdiff_clear releases it; on failure there
 * is nothing to release). VG_ENOMEM. */
int vg_wdiff(vg_wdiff_result *out, const char *old_text, const char *new_text, vg_err *err);
/* Frees what *r holds and zeroes it. This function can't fail. */
void vg_wdiff_clear(vg_wdiff_result *r);
/* The paragraphs as [{"op", "html"}]; NULL when out of memory. */
json_t *vg_wdiff_json(const vg_wdiff_result *r);

#endif
