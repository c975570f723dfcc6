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

/* The schema in commit's tree into *out (NULL when there is none). A
 * schema that does not parse is a problem of the push, not a failure. */
static int load_schema(vg_repo *repo, const git_oid *commit, vg_schema **out, vg_strlist *problems, vg_err *err)
{
	char *yaml = NULL;
	size_t len = 0;
	*out = NULL;
	int rc = vg_repo_file_read(repo, commit, VG_SCHEMA_PATH, 1024 * 1024, &yaml, &len, err);
	if (rc == VG_ENOTFOUND) {
		vg_err_clear(err);
		return 0;
	}
	if (rc == 0 && vg_schema_parse(yaml, len, out, err) < 0) {
		vg_strlist_add_unique(problems, err->msg);
		vg_err_clear(err);
	}
	free(yaml);
	return rc;
}

/* Checks the notes and sidecars that commit changes from old (NULL: every
 * file) with schema; changing the schema itself is a problem unless
 * may_change_schema. */
static int check_changes(vg_repo *repo, const vg_schema *schema, const git_oid *old, const git_oid *commit,
                         int may_change_schema, vg_strlist *problems, vg_err *err)
{
	vg_change *ch = NULL;
	size_t n = 0;
	int rc = vg_repo_diff(repo, old, commit, &ch, &n, err);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const vg_change *c = &ch[i];
		if (!may_change_schema && ((c->new_path && strcmp(c->new_path, VG_SCHEMA_PATH) == 0) ||
		                           (c->old_path && strcmp(c->old_path, VG_SCHEMA_PATH) == 0)))
			vg_strlist_add_unique(problems, VG_SCHEMA_PATH " : seuls les administrateurs peuvent modifier le schéma des notes");
		int sidecar = c->new_path && is_sidecar(c->new_path);
		if (!schema || !c->new_path || (!sidecar && !vg_schema_applies(schema, c->new_path)))
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
		} else if (sidecar) {
			check_sidecar(schema, c->new_path, data, size, problems);
		} else {
			check_one(schema, c->new_path, data, size, problems);
		}
		free(data);
	}
	vg_repo_changes_free(ch, n);
	return rc;
}

int vg_check_commits(vg_repo *repo, const git_oid *old, const git_oid *new_commit,
                     vg_strlist *problems, vg_err *err)
{
	vg_schema *schema = NULL;
	int rc = load_schema(repo, new_commit, &schema, problems, err);
	if (rc == 0 && schema)
		rc = check_changes(repo, schema, old, new_commit, 1, problems, err);
	vg_schema_free(schema);
	return rc;
}

/* Checks one commit a push brings; its problems name it unless it is the
 * tip, whose files are the ones the jurist sees. */
static int check_pushed_commit(vg_repo *repo, const vg_schema *schema, const git_oid *commit, int tip,
                               int may_change_schema, vg_strlist *problems, vg_err *err)
{
	git_oid parent;
	vg_strlist found = {NULL, 0};
	int has_parent = vg_repo_first_parent(repo, commit, &parent, err) == 0;
	vg_err_clear(err);
	int rc = check_changes(repo, schema, has_parent ? &parent : NULL, commit, may_change_schema, &found, err);
	char hex[8];
	git_oid_tostr(hex, sizeof(hex), commit);
	for (size_t i = 0; rc == 0 && i < found.count; i++) {
		vg_strbuf line = VG_STRBUF_INIT;
		vg_strbuf_printf(&line, tip ? "%s" : "%s (dans le commit %s)", found.items[i], hex);
		rc = line.oom ? vg_err_set(err, VG_ENOMEM, "mémoire insuffisante") : vg_strlist_add_unique(problems, line.ptr);
		vg_strbuf_free(&line);
	}
	vg_strlist_clear(&found);
	return rc;
}

int vg_check_push(vg_repo *repo, const vg_push_policy *policy, const char *ref, const git_oid *old,
                  const git_oid *new_commit, vg_strlist *problems, vg_err *err)
{
	char msg[1200];
	int on_branch = policy->branch && strcmp(ref, policy->branch) == 0;
	if (!on_branch && !policy->other_refs) {
		snprintf(msg, sizeof(msg), "%s : ce dépôt n'accepte que la branche %s (ni autre branche, ni étiquette)", ref,
		         policy->branch ? policy->branch : "principale");
		return vg_strlist_add_unique(problems, msg);
	}
	if (git_oid_is_zero(new_commit)) {
		if (!on_branch)
			return 0;
		snprintf(msg, sizeof(msg), "%s : la branche indexée ne peut pas être supprimée", ref);
		return vg_strlist_add_unique(problems, msg);
	}
	int rc = 0;
	if (on_branch && old && !git_oid_is_zero(old)) {
		int d = vg_repo_descends(repo, new_commit, old, err);
		if (d < 0)
			return d;
		if (d == 0) {
			snprintf(msg, sizeof(msg),
			         "%s : l'historique de la branche indexée ne peut pas être réécrit (git push --force) ; "
			         "récupérez d'abord les modifications du serveur (git pull --rebase)", ref);
			return vg_strlist_add_unique(problems, msg);
		}
	}
	/* The schema that applies is the server's, not one the push brings;
	 * a first push brings the repository's first schema. */
	git_oid current, *commits = NULL;
	size_t n = 0;
	vg_schema *schema = NULL;
	int has_branch = policy->branch && vg_repo_resolve(repo, policy->branch, &current, NULL, err) == 0;
	vg_err_clear(err);
	rc = load_schema(repo, has_branch ? &current : new_commit, &schema, problems, err);
	if (rc == 0)
		rc = vg_repo_new_commits(repo, new_commit, &commits, &n, err);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = check_pushed_commit(repo, schema, &commits[i], git_oid_equal(&commits[i], new_commit),
		                         policy->may_change_schema || !has_branch, problems, err);
	free(commits);
	vg_schema_free(schema);
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
