#include "status.h"
#include "fields.h"
#include "store.h"
#include "timeline.h"
#include "xapian_shim.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* The index's metadata under key, as a string (NULL when empty). */
static int meta_string(vg_xdb *db, const char *key, char **out, vg_err *err)
{
	char *v = NULL;
	size_t len;
	*out = NULL;
	int rc = vg_xdb_get_meta(db, key, &v, &len, err);
	if (rc == 0 && len > 0 && !(*out = strndup(v, len)))
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	free(v);
	return rc;
}

/* The live documents the updates reported, with their messages. */
static int read_problems(vg_xdb *db, vg_status *st, vg_err *err)
{
	unsigned *ids = NULL;
	size_t n = 0;
	int rc = vg_xdb_postings(db, VG_T_PROBLEM, &ids, &n, err);
	if (rc == 0 && n && !(st->problems = calloc(n, sizeof(*st->problems))))
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	for (size_t i = 0; rc == 0 && i < n; i++) {
		vg_xdoc *d = NULL;
		json_t *meta = NULL;
		if ((rc = vg_fields_load_meta(db, ids[i], &d, &meta, err)) == 0 && vg_fields_is_live(d)) {
			vg_status_problem *p = &st->problems[st->n_problems++];
			const char *path = json_string_value(json_object_get(meta, "path"));
			const char *commit = json_string_value(json_object_get(meta, "commit"));
			p->path = strdup(path ? path : "");
			p->commit = strdup(commit ? commit : "");
			size_t k;
			json_t *m;
			json_array_foreach(json_object_get(meta, "problems"), k, m)
				if (json_is_string(m) && vg_strlist_add_unique(&p->messages, json_string_value(m)) < 0)
					rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
			if (!p->path || !p->commit)
				rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
		}
		json_decref(meta);
		vg_xdoc_free(d);
	}
	free(ids);
	return rc;
}

int vg_status_read(vg_status *out, const char *index_dir, vg_err *err)
{
	char *path = NULL, *updated = NULL;
	vg_xdb *db = NULL;
	vg_timeline tl;
	size_t len = 0;
	int rc;
	memset(out, 0, sizeof(*out));
	memset(&tl, 0, sizeof(tl));
	if ((rc = vg_store_current(index_dir, &path, err)) < 0)
		return rc;
	if ((rc = vg_xdb_open(&db, path, VG_XDB_READ, err)) < 0 || (rc = vg_timeline_load(db, &tl, err)) < 0 ||
	    (rc = vg_xdb_count(db, VG_T_DOC, &out->versions, err)) < 0 ||
	    (rc = vg_xdb_count_current(db, &out->documents, err)) < 0 ||
	    (rc = meta_string(db, "vg:commit", &out->commit, err)) < 0 ||
	    (rc = meta_string(db, "vg:branch", &out->branch, err)) < 0 ||
	    (rc = vg_xdb_get_meta(db, "vg:updated", &updated, &len, err)) < 0)
		goto done;
	out->updated = len ? atoll(updated) : 0;
	if (tl.head >= 0 && (size_t)tl.head < tl.count) {
		out->dated = 1;
		out->commit_time = (long long)tl.entries[tl.head].time;
		out->history_from = (long long)tl.entries[tl.base].time;
		out->commits = tl.head - tl.base + 1;
	}
	out->size_bytes = (unsigned long long)vg_store_size(path);
	rc = read_problems(db, out, err);
done:
	if (rc < 0)
		vg_status_clear(out);
	free(updated);
	vg_timeline_clear(&tl);
	vg_xdb_free(db);
	free(path);
	return rc;
}

void vg_status_clear(vg_status *s)
{
	for (size_t i = 0; i < s->n_problems; i++) {
		free(s->problems[i].path);
		free(s->problems[i].commit);
		vg_strlist_clear(&s->problems[i].messages);
	}
	free(s->problems);
	free(s->commit);
	free(s->branch);
	memset(s, 0, sizeof(*s));
}
