/* vg_extract_here, apart from the runner: only vigie-extract links the
 * format extractors, so that the server and the indexer, which run it as a
 * child, load neither poppler nor libzip. */
#include "extract.h"
#include "extract_formats.h"

#include <string.h>

int vg_extract_here(const char *format, const char *data, size_t len, json_t **out, vg_err *err)
{
	*out = NULL;
	if (strcmp(format, "pdf") == 0)
		return vg_extract_pdf(data, len, out, err);
	if (strcmp(format, "odf") == 0 || strcmp(format, "ooxml") == 0)
		return vg_extract_zip_office(data, len, out, err);
	if (strcmp(format, "html") == 0)
		return vg_extract_html(data, len, out, err);
	return vg_err_set(err, VG_EINVAL, "format d'extraction inconnu : %s", format);
}
