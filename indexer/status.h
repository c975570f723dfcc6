/* What an index holds: indexed commit and branch, counts, size, age, and
 * the files of the indexed commit that could not be indexed, and why. */
#ifndef VG_STATUS_H
#define VG_STATUS_H

#include <jansson.h>

#include "error.h"

/* *out receives a new JSON object:
 * {"commit", "branch", "commit_date", "updated", "age_seconds",
 *  "history_from", "commits", "versions", "documents", "size_bytes",
 *  "problems": [{"path", "commit", "messages": [...]}]}. */
int vg_status_read(const char *index_dir, json_t **out, vg_err *err);

#endif
