/* Text out of attachments: PDF (poppler, page by page), OpenDocument and
 * Office Open XML (libzip and libxml2's streaming reader), HTML (libxml2's
 * HTML parser). Extraction runs in a separate process, vigie-extract, with
 * a memory and a time limit, so that a PDF bomb, a zip bomb or a parser bug
 * costs a skipped file, never the indexer. Its answer is JSON:
 *   {"text": "...", "pages": [offset of each page in text], "title": ...,
 *    "author": ..., "date": "YYYY-MM-DD"}            (missing keys: unknown) */
#ifndef VG_EXTRACT_H
#define VG_EXTRACT_H

#include <jansson.h>
#include <stddef.h>

#include "error.h"

/* The format family of a file name: "pdf", "odf", "ooxml", "html", or
 * NULL. */
const char *vg_extract_format(const char *path);

/* In this process (vigie-extract's own work): *out receives the JSON
 * object. VG_EINVAL with a French reason for a corrupt, encrypted or
 * suspicious file. */
int vg_extract_here(const char *format, const char *data, size_t len, json_t **out, vg_err *err);

typedef struct vg_extract_limits {
	size_t max_memory;   /* bytes of address space for the extraction */
	unsigned max_seconds;
} vg_extract_limits;

#define VG_EXTRACT_DEFAULT_LIMITS {512u * 1024 * 1024, 30}

/* Raised whenever an extractor changes what it returns, so that what was
 * kept from an older one (INDEX/extracts/) is extracted again. */
#define VG_EXTRACT_VERSION 2

/* In a vigie-extract child process with limits: *json receives its answer
 * (malloc'd). The program is found next to the running one, or through
 * $VIGIE_EXTRACT. */
int vg_extract_run(const char *format, const char *data, size_t len, const vg_extract_limits *limits,
                   char **json, vg_err *err);

#endif
