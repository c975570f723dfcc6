#include "notecheck.h"
#include "schema.h"
#include "strbuf.h"
#include "text.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define NOTE_MAX (10u * 1024 * 1024)

/* The attachment a sidecar describes (FILE.meta.yml), or 0. */
static int is_sidecar(const char *path)
{
	size_t n = strlen(path), k = strlen(".meta.yml");
	if (n <= k || strcmp(path + n - k, ".meta.yml") != 0 || path[0] == '.' || strstr(path, "/."))
		return 0;
	char *base = strndup(path, n - k);
	const vg_extractor *ex = base ? vg_doc_extractor_for(base) : NULL;
	free(base);
	return ex && ex->attachment;
}

/* Checks a sidecar's fields with the same schema as notes. */
static void check_sidecar(const vg_schema *s, const char *path, const char *data, size_t len,
                          vg_strlist *problems)
{
	vg_doc *doc = NULL;
	vg_err e;
	if (vg_doc_parse_sidecar(&doc, path, data, len, &e) < 0) {
		vg_strlist_add_unique(problems, e.msg);
		return;
	}
	doc->has_front_matter = 1;
	vg_schema_check(s, doc, problems);
	vg_doc_free(doc);
}

/* Parses one note and checks it; unreadable notes are problems too. */
static void check_one(const vg_schema *s, const char *path, const char *data, size_t len,
                      vg_strlist *problems)
{
	vg_doc *doc = NULL;
	vg_err e;
	if (vg_doc_parse(&doc, path, data, len, NULL, &e) < 0) {
		vg_strlist_add_unique(problems, e.msg);
		return;
	}
	vg_schema_check(s, doc, problems);
	vg_doc_free(doc);
}

int vg_check_commits(vg_repo *repo, const git_oid *old, const git_oid *new_commit,
                     vg_strlist *problems, vg_err *err)
{
	char *yaml = NULL;
	size_t len = 0;
	vg_schema *schema = NULL;
	vg_change *ch = NULL;
	size_t n = 0;
	int rc = vg_repo_file_read(repo, new_commit, VG_SCHEMA_PATH, 1024 * 1024, &yaml, &len, err);
	if (rc == VG_ENOTFOUND) {
		vg_err_clear(err);
		return 0;
	}
	if (rc < 0)
		return rc;
	if ((rc = vg_schema_parse(yaml, len, &schema, err)) < 0) {
		/* A broken schema is itself a problem of the push. */
		vg_strlist_add_unique(problems, err->msg);
		vg_err_clear(err);
		free(yaml);
		return 0;
	}
	if ((rc = vg_repo_diff(repo, old, new_commit, &ch, &n, err)) < 0)
		goto done;
	for (size_t i = 0; i < n; i++) {
		const vg_change *c = &ch[i];
		int sidecar = c->new_path && is_sidecar(c->new_path);
		if (!c->new_path || (!sidecar && !vg_schema_applies(schema, c->new_path)))
			continue;
		char *data = NULL;
		size_t size = 0;
		vg_err e;
		int r = vg_repo_blob_read(repo, &c->new_blob, NOTE_MAX, &data, &size, &e);
		if (r == VG_ETOOBIG) {
			char msg[600];
			snprintf(msg, sizeof(msg), "%s : fichier trop volumineux pour une note (%zu octets)", c->new_path, size);
			vg_strlist_add_unique(problems, msg);
		} else if (r < 0) {
			rc = vg_err_set(err, r, "%s : %s", c->new_path, e.msg);
			free(data);
			break;
		} else if (sidecar) {
			check_sidecar(schema, c->new_path, data, size, problems);
		} else {
			check_one(schema, c->new_path, data, size, problems);
		}
		free(data);
	}
done:
	vg_repo_changes_free(ch, n);
	vg_schema_free(schema);
	free(yaml);
	return rc;
}

static int read_file(const char *path, char **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return VG_ENOTFOUND;
	vg_strbuf b = VG_STRBUF_INIT;
	int rc = vg_strbuf_add_stream(&b, f);
	fclose(f);
	if (rc < 0) {
		vg_strbuf_free(&b);
		return rc;
	}
	*len = b.len;
	*data = vg_strbuf_detach(&b);
	return *data ? 0 : VG_ENOMEM;
}

/* Every Markdown file under root/rel, outside dot folders. */
static int list_notes(const char *root, const char *rel, vg_strlist *out)
{
	vg_strbuf dir = VG_STRBUF_INIT;
	vg_strbuf_printf(&dir, "%s%s%s", root, *rel ? "/" : "", rel);
	DIR *d = dir.ptr ? opendir(dir.ptr) : NULL;
	vg_strbuf_free(&dir);
	if (!d)
		return 0;
	struct dirent *e;
	int rc = 0;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		vg_strbuf p = VG_STRBUF_INIT, full = VG_STRBUF_INIT;
		vg_strbuf_printf(&p, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
		vg_strbuf_printf(&full, "%s/%s", root, p.ptr);
		struct stat st;
		if (p.ptr && full.ptr && stat(full.ptr, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				rc = list_notes(root, p.ptr, out);
			else if (S_ISREG(st.st_mode) && (vg_doc_extractor_for(p.ptr) || is_sidecar(p.ptr)))
				rc = vg_strlist_add_unique(out, p.ptr);
		}
		vg_strbuf_free(&p);
		vg_strbuf_free(&full);
	}
	closedir(d);
	return rc;
}

int vg_check_files(const char *root, const char *const *files, size_t n, vg_strlist *problems,
                   vg_err *err)
{
	char *yaml = NULL;
	size_t len = 0;
	vg_schema *schema = NULL;
	vg_strlist all = {NULL, 0};
	vg_strbuf sp = VG_STRBUF_INIT;
	vg_strbuf_printf(&sp, "%s/%s", root, VG_SCHEMA_PATH);
	int rc = sp.ptr ? read_file(sp.ptr, &yaml, &len) : VG_ENOMEM;
	vg_strbuf_free(&sp);
	if (rc == VG_ENOTFOUND)
		return vg_err_set(err, VG_ENOTFOUND, "%s introuvable dans %s : rien à vérifier", VG_SCHEMA_PATH, root);
	if (rc < 0 || (rc = vg_schema_parse(yaml, len, &schema, err)) < 0) {
		free(yaml);
		return rc == VG_ENOMEM ? vg_err_set(err, rc, "mémoire insuffisante") : rc;
	}
	if (n == 0) {
		rc = list_notes(root, "", &all);
		files = (const char *const *)all.items;
		n = all.count;
	}
	for (size_t i = 0; rc == 0 && i < n; i++) {
		int sidecar = is_sidecar(files[i]);
		if (!sidecar && !vg_schema_applies(schema, files[i]))
			continue;
		vg_strbuf full = VG_STRBUF_INIT;
		vg_strbuf_printf(&full, "%s/%s", root, files[i]);
		char *data = NULL;
		size_t size = 0;
		int r = full.ptr ? read_file(full.ptr, &data, &size) : VG_ENOMEM;
		vg_strbuf_free(&full);
		if (r == VG_ENOTFOUND)
			continue; /* deleted: nothing to check */
		if (r < 0) {
			rc = vg_err_set(err, r, "%s : lecture impossible", files[i]);
			break;
		}
		if (sidecar)
			check_sidecar(schema, files[i], data, size, problems);
		else
			check_one(schema, files[i], data, size, problems);
		free(data);
	}
	vg_strlist_clear(&all);
	vg_schema_free(schema);
	free(yaml);
	return rc;
}
