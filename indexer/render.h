/* Rendering a document for reading: Markdown to HTML with cmark-gfm
 * (tables, strikethrough, autolinks, task lists; raw HTML and unsafe links
 * left out), plain text escaped in a <pre>. */
#ifndef VG_RENDER_H
#define VG_RENDER_H

#include <stddef.h>

#include "error.h"

/* HTML of the file content data[0..len) found at path, front matter left
 * out, into *html (malloc'd). VG_EINVAL for a format Vigie does not read. */
int vg_render_html(const char *path, const char *data, size_t len, char **html, vg_err *err);

#endif
