/* The in-process extractors behind vg_extract_here, one per format family. */
#ifndef VG_EXTRACT_FORMATS_H
#define VG_EXTRACT_FORMATS_H

#include <jansson.h>
#include <stddef.h>

#include "error.h"
#include "strbuf.h"

/* No document text beyond this: a bomb rather than a document. */
#define VG_EXTRACT_MAX_TEXT (64u * 1024 * 1024)

int vg_extract_pdf(const char *data, size_t len, json_t **out, vg_err *err);
int vg_extract_zip_office(const char *data, size_t len, json_t **out, vg_err *err);
int vg_extract_html(const char *data, size_t len, json_t **out, vg_err *err);
/* Appends the visible text of a piece of HTML (a Markdown file's HTML
 * block: "<div align=\"left\">Toute action...</div>"), a line per block
 * element; what is not HTML is taken as text. -1 when out of memory. */
int vg_html_fragment_text(const char *html, size_t len, vg_strbuf *text);

#endif
