/* Rendering a document for reading: Markdown to HTML with cmark-gfm
 * (tables, strikethrough, autolinks, task lists; raw HTML and unsafe links
 * left out), plain text escaped in a <pre>. */
#ifndef VG_RENDER_H
#define VG_RENDER_H

#include <stddef.h>

#include "error.h"

/* The address a cited reference (canonical form) links to, malloc'd, or
 * NULL to leave it plain text. */
typedef char *(*vg_render_link)(const char *canon, void *ctx);

/* HTML of the file content data[0..len) found at path, front matter left
 * out, into *html (malloc'd); with link (may be NULL), each legal reference
 * in a Markdown note's text becomes a link to link's address for it.
 * VG_EINVAL for a format Vigie does not read. */
int vg_render_html(const char *path, const char *data, size_t len, vg_render_link link, void *ctx, char **html,
                   vg_err *err);

#endif
