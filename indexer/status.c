#include "status.h"
#include "fields.h"
#include "store.h"
#include "timeline.h"
#include "xapian_shim.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static json_t *meta_string(vg_xdb *db, const char *key, vg_err *err, int *rc)
{
	char *v = NULL;
	size_t len;
	*rc = vg_xdb_get_meta(db, key, &v, &len, err);
	json_t *j = (*rc == 0 && len > 0) ? json_stringn(v, len) : json_null();
	free(v);
	return j;
}

static json_t *problems_json(vg_xdb *db, vg_err *err, int *rc)
{
	unsigned *ids = NULL;
	size_t n = 0;
	json_t *list = json_array();
	*rc = vg_xdb_postings(db, VG_T_PROBLEM, &ids, &n, err);
	for (size_t i = 0; *rc == 0 && i < n; i++) {
		vg_xdoc *d = NULL;
		json_t *meta = NULL;
		if ((*rc = vg_fields_load_meta(db, ids[i], &d, &meta, err)) == 0 && vg_fields_is_live(d))
			json_array_append_new(list, json_pack("{s:O, s:O, s:O}", "path",
			                                      json_object_get(meta, "path"), "commit",
			                                      json_object_get(meta, "commit"), "messages",
			                                      json_object_get(meta, "problems")));
		json_decref(meta);
		vg_xdoc_free(d);
	}
	free(ids);
	return list;
}

int vg_status_read(const char *index_dir, json_t **out, vg_err *err)
{
	char *path = NULL;
	vg_xdb *db = NULL;
	vg_timeline tl;
	json_t *o = NULL;
	int rc;
	*out = NULL;
	memset(&tl, 0, sizeof(tl));
	if ((rc = vg_store_current(index_dir, &path, err)) < 0)
		return rc;
	if ((rc = vg_xdb_open(&db, path, VG_XDB_READ, err)) < 0 ||
	    (rc = vg_timeline_load(db, &tl, err)) < 0)
		goto done;
	unsigned versions = 0, docs = 0;
	if ((rc = vg_xdb_count(db, VG_T_DOC, &versions, err)) < 0 ||
	    (rc = vg_xdb_count_current(db, &docs, err)) < 0)
		goto done;
	o = json_object();
	json_object_set_new(o, "commit", meta_string(db, "vg:commit", err, &rc));
	if (rc == 0)
		json_object_set_new(o, "branch", meta_string(db, "vg:branch", err, &rc));
	if (rc < 0)
		goto done;
	char *upd = NULL;
	size_t ulen;
	if ((rc = vg_xdb_get_meta(db, "vg:updated", &upd, &ulen, err)) < 0)
		goto done;
	long long updated = ulen ? atoll(upd) : 0;
	free(upd);
	json_object_set_new(o, "updated", updated ? json_integer(updated) : json_null());
	if (tl.head >= 0 && (size_t)tl.head < tl.count) {
		char day[11];
		vg_format_date(tl.entries[tl.head].time, day);
		json_object_set_new(o, "commit_date", json_string(day));
		json_object_set_new(o, "age_seconds",
		                    json_integer((json_int_t)(time(NULL) - tl.entries[tl.head].time)));
		vg_format_date(tl.entries[tl.base].time, day);
		json_object_set_new(o, "history_from", json_string(day));
		json_object_set_new(o, "commits", json_integer(tl.head - tl.base + 1));
	} else {
		json_object_set_new(o, "commit_date", json_null());
		json_object_set_new(o, "age_seconds", json_null());
		json_object_set_new(o, "history_from", json_null());
		json_object_set_new(o, "commits", json_integer(0));
	}
	json_object_set_new(o, "versions", json_integer(versions));
	json_object_set_new(o, "documents", json_integer(docs));
	json_object_set_new(o, "size_bytes", json_integer(vg_store_size(path)));
	json_t *problems = problems_json(db, err, &rc);
	json_object_set_new(o, "problems", problems);
	if (rc == 0) {
		*out = o;
		o = NULL;
	}
done:
	json_decref(o);
	vg_timeline_clear(&tl);
	vg_xdb_free(db);
	free(path);
	return rc;
}
