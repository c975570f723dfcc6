#include "timeline.h"
#include "xapian_shim.h"
#include "document.h"
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Metadata: "vg:tl:count", "vg:tl:base" and chunks "vg:tl:NNNNNN" of
 * CHUNK lines "<hex id> <time>\n". */
#define CHUNK 1024

void vg_format_date(int64_t t, char out[11])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static long meta_long(vg_xdb *db, const char *key, long def, vg_err *err, int *rc)
{
	char *v = NULL;
	size_t len;
	*rc = vg_xdb_get_meta(db, key, &v, &len, err);
	long r = (*rc == 0 && len > 0) ? strtol(v, NULL, 10) : def;
	free(v);
	return r;
}

int vg_timeline_load(vg_xdb *db, vg_timeline *tl, vg_err *err)
{
	int rc;
	memset(tl, 0, sizeof(*tl));
	long count = meta_long(db, "vg:tl:count", 0, err, &rc);
	if (rc == 0)
		tl->base = meta_long(db, "vg:tl:base", 0, err, &rc);
	if (rc == 0)
		tl->head = meta_long(db, "vg:seq", -1, err, &rc);
	if (rc < 0)
		return rc;
	if (count <= 0)
		return 0;
	tl->entries = calloc((size_t)count, sizeof(*tl->entries));
	if (!tl->entries)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	for (long chunk = 0; chunk * CHUNK < count; chunk++) {
		char key[32], *v = NULL;
		size_t len;
		snprintf(key, sizeof(key), "vg:tl:%06ld", chunk);
		if ((rc = vg_xdb_get_meta(db, key, &v, &len, err)) < 0) {
			vg_timeline_clear(tl);
			return rc;
		}
		char *line = v, *save = NULL;
		long pos = chunk * CHUNK;
		for (char *l = strtok_r(line, "\n", &save); l && pos < count;
		     l = strtok_r(NULL, "\n", &save), pos++) {
			char id[41];
			long long t;
			if (sscanf(l, "%40s %lld", id, &t) == 2) {
				memcpy(tl->entries[pos].id, id, 41);
				tl->entries[pos].time = t;
			}
		}
		free(v);
	}
	tl->count = (size_t)count;
	return 0;
}

void vg_timeline_clear(vg_timeline *tl)
{
	free(tl->entries);
	memset(tl, 0, sizeof(*tl));
	tl->head = -1;
}

int vg_timeline_store(vg_xdb *db, long first, const vg_tl_entry *entries, size_t n, long base,
                      vg_err *err)
{
	vg_timeline old;
	int rc = vg_timeline_load(db, &old, err);
	if (rc < 0)
		return rc;
	size_t total = (size_t)first + n;
	long first_chunk = first / CHUNK;
	char key[32];
	for (long chunk = first_chunk; (size_t)(chunk * CHUNK) < total; chunk++) {
		vg_strbuf b = VG_STRBUF_INIT;
		for (size_t pos = (size_t)chunk * CHUNK; pos < total && pos < (size_t)(chunk + 1) * CHUNK;
		     pos++) {
			const vg_tl_entry *e = pos >= (size_t)first ? &entries[pos - (size_t)first]
			                       : pos < old.count    ? &old.entries[pos]
			                                            : NULL;
			if (e)
				vg_strbuf_printf(&b, "%s %lld\n", e->id, (long long)e->time);
			else
				vg_strbuf_puts(&b, "0 0\n");
		}
		snprintf(key, sizeof(key), "vg:tl:%06ld", chunk);
		if (b.oom)
			rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
		else
			rc = vg_xdb_set_meta(db, key, b.ptr ? b.ptr : "", b.len, err);
		vg_strbuf_free(&b);
		if (rc < 0)
			goto done;
	}
	char num[32];
	snprintf(num, sizeof(num), "%zu", total);
	if ((rc = vg_xdb_set_meta(db, "vg:tl:count", num, strlen(num), err)) < 0)
		goto done;
	snprintf(num, sizeof(num), "%ld", base);
	rc = vg_xdb_set_meta(db, "vg:tl:base", num, strlen(num), err);
done:
	vg_timeline_clear(&old);
	return rc;
}

static int is_hex(const char *s)
{
	size_t n = strlen(s);
	return n >= 4 && n <= 40 && strspn(s, "0123456789abcdefABCDEF") == n;
}

int vg_timeline_resolve(const vg_timeline *tl, const char *when, long *pos, vg_err *err)
{
	long last = tl->head < (long)tl->count ? tl->head : (long)tl->count - 1;
	*pos = -1;
	if (last < 0)
		return vg_err_set(err, VG_ENOTFOUND, "l'index est vide");
	if (vg_doc_date_valid(when)) {
		/* Newest first-parent commit whose date is on or before that day. */
		for (long p = last; p >= 0; p--) {
			char day[11];
			vg_format_date(tl->entries[p].time, day);
			if (strcmp(day, when) <= 0) {
				*pos = p;
				break;
			}
		}
		if (*pos < 0)
			return vg_err_set(err, VG_ENOTFOUND, "aucun commit au %s ou avant", when);
	} else if (is_hex(when)) {
		size_t n = strlen(when);
		for (long p = last; p >= 0; p--) {
			if (strncasecmp(tl->entries[p].id, when, n) == 0) {
				if (*pos >= 0)
					return vg_err_set(err, VG_EINVAL, "identifiant de commit ambigu : %s", when);
				*pos = p;
			}
		}
		if (*pos < 0)
			return vg_err_set(err, VG_ENOTFOUND,
			                  "commit %s inconnu de l'historique indexé de la branche", when);
	} else {
		return vg_err_set(err, VG_EINVAL,
		                  "« %s » n'est ni une date AAAA-MM-JJ ni un identifiant de commit", when);
	}
	if (*pos < tl->base) {
		char day[11];
		vg_format_date(tl->entries[tl->base].time, day);
		return vg_err_set(err, VG_ENOTFOUND,
		                  "l'historique n'est indexé qu'à partir du %s (commit %.10s)", day,
		                  tl->entries[tl->base].id);
	}
	return 0;
}

const char *vg_timeline_commit_at(const vg_timeline *tl, double pos)
{
	return pos < 0 || pos >= (double)tl->count ? NULL : tl->entries[(size_t)pos].id;
}

int vg_timeline_day_at(const vg_timeline *tl, double pos, char day[11])
{
	day[0] = '\0';
	if (pos < 0 || pos >= (double)tl->count)
		return -1;
	vg_format_date(tl->entries[(size_t)pos].time, day);
	return 0;
}
