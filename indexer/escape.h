/* Escaping, in one place: text made safe for HTML, XML, URLs and log
 * lines, appended to a vg_strbuf. Each returns 0 or VG_ENOMEM (then the
 * buffer is marked out of memory, as vg_strbuf does). */
#ifndef VG_ESCAPE_H
#define VG_ESCAPE_H

#include <stddef.h>

#include "strbuf.h"

/* s[0..len) with & < > " as entities: for HTML text and attributes. */
int vg_escape_html(vg_strbuf *b, const char *s, size_t len);
/* The same for XML, whose 1.0 version forbids control characters other
 * than tab and newlines: those become spaces (a form feed from a PDF). */
int vg_escape_xml(vg_strbuf *b, const char *s);
/* s percent-encoded but for letters, digits and "-._~" (RFC 3986's
 * unreserved characters): a URL's query value or path segment. */
int vg_escape_url(vg_strbuf *b, const char *s);
/* s with control characters, spaces and backslashes as \xHH: one field
 * of a log line, which no request can split or forge. */
int vg_escape_log(vg_strbuf *b, const char *s);

#endif
