#include "repo_git.h"
#include <stdio.h>
#include "store.h"
#include <time.h>
#include <sys/stat.h>
#include <dirent.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct vg_repo {
	git_repository *git;
};

/* Copies libgit2's last error at once; it can be NULL. */
static int git_fail(vg_err *err, int code, const char *what)
{
	const git_error *e = git_error_last();
	return vg_err_set(err, code, "%s : %s", what, e && e->message ? e->message : "erreur git");
}

/* libgit2 keeps up to 256 MiB of objects it read and maps up to 8 GiB of
 * packs by default: reading a long history once, Vigie's memory would
 * grow with it. Packs are mapped in windows of 1 GiB, which no limit can
 * split: small windows make the mapped limit hold. Bounded once per
 * process. */
#define GIT_CACHE_MAX (16 * 1024 * 1024)
#define GIT_MAPPED_MAX (32 * 1024 * 1024)
#define GIT_WINDOW_SIZE (4 * 1024 * 1024)

static void bound_git_memory(void)
{
	git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)GIT_CACHE_MAX);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)GIT_WINDOW_SIZE);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)GIT_MAPPED_MAX);
}

static void git_start(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	git_libgit2_init();
	pthread_once(&once, bound_git_memory);
}

int vg_repo_open(vg_repo **out, const char *path, vg_err *err)
{
	*out = NULL;
	git_start();
	vg_repo *r = calloc(1, sizeof(*r));
	if (!r) {
		git_libgit2_shutdown();
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	}
	if (git_repository_open_ext(&r->git, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		int rc = git_fail(err, VG_ENOTFOUND, "dépôt git illisible");
		free(r);
		git_libgit2_shutdown();
		vg_err_set(err, rc, "%s n'est pas un dépôt git lisible", path);
		return rc;
	}
	*out = r;
	return 0;
}

int vg_repo_open_env(vg_repo **out, vg_err *err)
{
	*out = NULL;
	git_start();
	vg_repo *r = calloc(1, sizeof(*r));
	if (!r) {
		git_libgit2_shutdown();
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	}
	if (git_repository_open_ext(&r->git, NULL, GIT_REPOSITORY_OPEN_FROM_ENV, NULL) < 0) {
		int rc = git_fail(err, VG_ENOTFOUND, "dépôt du crochet git introuvable");
		free(r);
		git_libgit2_shutdown();
		return rc;
	}
	*out = r;
	return 0;
}

const char *vg_repo_gitdir(vg_repo *repo)
{
	return git_repository_path(repo->git);
}

void vg_repo_free(vg_repo *repo)
{
	if (!repo)
		return;
	git_repository_free(repo->git);
	free(repo);
	git_libgit2_shutdown();
}

int vg_repo_resolve(vg_repo *repo, const char *ref, git_oid *out, char **refname,
                    vg_err *err)
{
	git_reference *r = NULL, *resolved = NULL;
	int rc = 0;
	if (refname)
		*refname = NULL;
	if (!ref || strcmp(ref, "HEAD") == 0) {
		if (git_repository_head(&r, repo->git) < 0)
			return git_fail(err, VG_ENOTFOUND, "la branche courante (HEAD) est introuvable");
	} else if (git_reference_dwim(&r, repo->git, ref) < 0) {
		return vg_err_set(err, VG_ENOTFOUND, "branche introuvable : %s", ref);
	}
	if (git_reference_resolve(&resolved, r) < 0) {
		rc = git_fail(err, VG_ENOTFOUND, "référence illisible");
		goto done;
	}
	git_object *obj = NULL;
	if (git_reference_peel(&obj, resolved, GIT_OBJECT_COMMIT) < 0) {
		rc = git_fail(err, VG_ENOTFOUND, "la référence ne désigne pas un commit");
		goto done;
	}
	git_oid_cpy(out, git_object_id(obj));
	git_object_free(obj);
	if (refname) {
		*refname = strdup(git_reference_name(resolved));
		if (!*refname)
			rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	}
done:
	git_reference_free(resolved);
	git_reference_free(r);
	return rc;
}

int vg_repo_lookup_commit(vg_repo *repo, const char *hex, git_oid *out, vg_err *err)
{
	git_object *obj = NULL;
	size_t n = strlen(hex);
	if (n < 4 || n > GIT_OID_HEXSZ || strspn(hex, "0123456789abcdefABCDEF") != n)
		return vg_err_set(err, VG_EINVAL, "identifiant de commit invalide : %s", hex);
	git_oid prefix;
	if (git_oid_fromstrn(&prefix, hex, n) < 0 ||
	    git_object_lookup_prefix(&obj, repo->git, &prefix, n, GIT_OBJECT_COMMIT) < 0)
		return vg_err_set(err, VG_ENOTFOUND, "commit introuvable : %s", hex);
	git_oid_cpy(out, git_object_id(obj));
	git_object_free(obj);
	return 0;
}

int vg_repo_first_parents(vg_repo *repo, const git_oid *head, const git_oid *stop,
                          vg_commit_info **out, size_t *count, int *stop_found,
                          vg_err *err)
{
	vg_commit_info *list = NULL;
	size_t n = 0, cap = 0;
	git_oid cur;
	int rc = 0;

	*out = NULL;
	*count = 0;
	*stop_found = 0;
	git_oid_cpy(&cur, head);
	for (;;) {
		if (stop && git_oid_equal(&cur, stop)) {
			*stop_found = 1;
			break;
		}
		git_commit *c = NULL;
		if (git_commit_lookup(&c, repo->git, &cur) < 0) {
			rc = git_fail(err, VG_ECORRUPT, "commit illisible");
			goto fail;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			vg_commit_info *l = realloc(list, cap * sizeof(*l));
			if (!l) {
				git_commit_free(c);
				rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
				goto fail;
			}
			list = l;
		}
		git_oid_cpy(&list[n].id, &cur);
		list[n].time = (int64_t)git_commit_time(c);
		n++;
		int has_parent = git_commit_parentcount(c) > 0;
		if (has_parent)
			git_oid_cpy(&cur, git_commit_parent_id(c, 0));
		git_commit_free(c);
		if (!has_parent)
			break;
	}
	for (size_t i = 0; i < n / 2; i++) {
		vg_commit_info t = list[i];
		list[i] = list[n - 1 - i];
		list[n - 1 - i] = t;
	}
	*out = list;
	*count = n;
	return 0;
fail:
	free(list);
	return rc;
}

typedef struct change_list change_list;
static int diff_with_renames(vg_repo *repo, const git_oid *parent, const git_oid *commit, const change_list *l,
                             vg_change **out, size_t *count, vg_err *err);

static int tree_of(vg_repo *repo, const git_oid *commit, git_tree **tree, vg_err *err)
{
	git_commit *c = NULL;
	*tree = NULL;
	if (!commit)
		return 0;
	if (git_commit_lookup(&c, repo->git, commit) < 0)
		return git_fail(err, VG_ECORRUPT, "commit illisible");
	int rc = git_commit_tree(tree, c) < 0 ? git_fail(err, VG_ECORRUPT, "arbre illisible") : 0;
	git_commit_free(c);
	return rc;
}

static int is_regular(const git_diff_file *f)
{
	return f->mode == GIT_FILEMODE_BLOB || f->mode == GIT_FILEMODE_BLOB_EXECUTABLE;
}

struct change_list {
	vg_change *v;
	size_t n, cap;
	size_t adds, deletes;
};

static int push_change(change_list *l, vg_change_kind kind, const char *path,
                       const git_tree_entry *old_e, const git_tree_entry *new_e)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		vg_change *v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return VG_ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	vg_change *c = &l->v[l->n];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	if (old_e) {
		c->old_path = strdup(path);
		git_oid_cpy(&c->old_blob, git_tree_entry_id(old_e));
	}
	if (new_e) {
		c->new_path = strdup(path);
		git_oid_cpy(&c->new_blob, git_tree_entry_id(new_e));
	}
	l->n++;
	if ((old_e && !c->old_path) || (new_e && !c->new_path))
		return VG_ENOMEM;
	l->adds += kind == VG_CHANGE_ADD;
	l->deletes += kind == VG_CHANGE_DELETE;
	return 0;
}

static int entry_is_file(const git_tree_entry *e)
{
	git_filemode_t m = git_tree_entry_filemode(e);
	return m == GIT_FILEMODE_BLOB || m == GIT_FILEMODE_BLOB_EXECUTABLE;
}

static int walk_trees(git_repository *git, const git_tree *a, const git_tree *b, const char *prefix,
                      change_list *l);

/* One side of a tree pair: a subtree is walked against nothing. */
static int walk_entry(git_repository *git, const git_tree_entry *old_e, const git_tree_entry *new_e,
                      const char *path, change_list *l)
{
	int rc = 0;
	git_tree *ta = NULL, *tb = NULL;
	int old_tree = old_e && git_tree_entry_type(old_e) == GIT_OBJECT_TREE;
	int new_tree = new_e && git_tree_entry_type(new_e) == GIT_OBJECT_TREE;
	if (old_e && new_e && entry_is_file(old_e) && entry_is_file(new_e))
		return push_change(l, VG_CHANGE_MODIFY, path, old_e, new_e);
	if (old_e && entry_is_file(old_e) && (rc = push_change(l, VG_CHANGE_DELETE, path, old_e, NULL)) < 0)
		return rc;
	if (new_e && entry_is_file(new_e) && (rc = push_change(l, VG_CHANGE_ADD, path, NULL, new_e)) < 0)
		return rc;
	if (!old_tree && !new_tree)
		return 0;
	if ((old_tree && git_tree_lookup(&ta, git, git_tree_entry_id(old_e)) < 0) ||
	    (new_tree && git_tree_lookup(&tb, git, git_tree_entry_id(new_e)) < 0))
		rc = VG_ECORRUPT;
	else
		rc = walk_trees(git, ta, tb, path, l);
	git_tree_free(ta);
	git_tree_free(tb);
	return rc;
}

/* Regular files that differ between trees a and b (either may be NULL),
 * in path order; subtrees with the same id are not opened, which makes a
 * one-file commit cost a handful of tree reads whatever the repository. */
static int walk_trees(git_repository *git, const git_tree *a, const git_tree *b, const char *prefix,
                      change_list *l)
{
	size_t i = 0, j = 0, na = a ? git_tree_entrycount(a) : 0, nb = b ? git_tree_entrycount(b) : 0;
	int rc = 0;
	while ((i < na || j < nb) && rc == 0) {
		const git_tree_entry *ea = i < na ? git_tree_entry_byindex(a, i) : NULL;
		const git_tree_entry *eb = j < nb ? git_tree_entry_byindex(b, j) : NULL;
		/* git's order: a folder's name sorts as if it ended in '/'. */
		int c = !ea ? 1 : !eb ? -1 : git_tree_entry_cmp(ea, eb);
		const git_tree_entry *old_e = c <= 0 ? ea : NULL, *new_e = c >= 0 ? eb : NULL;
		const char *name = git_tree_entry_name(old_e ? old_e : new_e);
		i += c <= 0;
		j += c >= 0;
		if (old_e && new_e && git_oid_equal(git_tree_entry_id(old_e), git_tree_entry_id(new_e)) &&
		    git_tree_entry_filemode(old_e) == git_tree_entry_filemode(new_e))
			continue;
		size_t plen = strlen(prefix), nlen = strlen(name);
		char *path = malloc(plen + nlen + 2);
		if (!path)
			return VG_ENOMEM;
		if (plen)
			memcpy(path, prefix, plen), path[plen] = '/', memcpy(path + plen + 1, name, nlen + 1);
		else
			memcpy(path, name, nlen + 1);
		rc = walk_entry(git, old_e, new_e, path, l);
		free(path);
	}
	return rc;
}

int vg_repo_diff(vg_repo *repo, const git_oid *parent, const git_oid *commit,
                 vg_change **out, size_t *count, vg_err *err)
{
	git_tree *a = NULL, *b = NULL;
	change_list l = {NULL, 0, 0, 0, 0};
	int rc;
	*out = NULL;
	*count = 0;
	if ((rc = tree_of(repo, parent, &a, err)) == 0 && (rc = tree_of(repo, commit, &b, err)) == 0) {
		rc = walk_trees(repo->git, a, b, "", &l);
		if (rc < 0)
			rc = rc == VG_ENOMEM ? vg_err_set(err, rc, "mémoire insuffisante")
			                     : git_fail(err, VG_ECORRUPT, "arbre illisible");
	}
	git_tree_free(a);
	git_tree_free(b);
	if (rc == 0 && !(parent && l.adds && l.deletes)) {
		*out = l.v;
		*count = l.n;
		return 0;
	}
	/* Files both added and deleted: let libgit2 find the renames. */
	if (rc == 0)
		rc = diff_with_renames(repo, parent, commit, &l, out, count, err);
	vg_repo_changes_free(l.v, l.n);
	return rc;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Appends to *list (n changes, room for cap) the changes of l that no
 * change of *list names: libgit2's pathspec parser drops some names
 * (a leading '#', trailing spaces), whose changes the walk of the trees
 * has all the same. */
static int add_unmatched(const change_list *l, vg_change **list, size_t *n, size_t cap)
{
	const char **named = malloc((2 * *n + 1) * sizeof(*named));
	size_t k = 0;
	if (!named)
		return VG_ENOMEM;
	for (size_t i = 0; i < *n; i++) {
		if ((*list)[i].old_path)
			named[k++] = (*list)[i].old_path;
		if ((*list)[i].new_path)
			named[k++] = (*list)[i].new_path;
	}
	qsort(named, k, sizeof(*named), by_path);
	int rc = 0;
	for (size_t i = 0; i < l->n && rc == 0; i++) {
		const vg_change *c = &l->v[i];
		const char *path = c->old_path ? c->old_path : c->new_path;
		if (bsearch(&path, named, k, sizeof(*named), by_path))
			continue;
		if (*n == cap) {
			size_t more = cap + (l->n - i);
			vg_change *v = realloc(*list, more * sizeof(*v));
			if (!v) {
				rc = VG_ENOMEM;
				break;
			}
			*list = v;
			cap = more;
		}
		vg_change *d = &(*list)[(*n)++];
		*d = *c;
		d->old_path = c->old_path ? strdup(c->old_path) : NULL;
		d->new_path = c->new_path ? strdup(c->new_path) : NULL;
		if ((c->old_path && !d->old_path) || (c->new_path && !d->new_path))
			rc = VG_ENOMEM;
	}
	free(named);
	return rc;
}

/* The changes l found between parent and commit, renames among them
 * detected. libgit2 diffs only their paths: a diff of whole trees reads
 * every folder of the repository. */
static int diff_with_renames(vg_repo *repo, const git_oid *parent, const git_oid *commit, const change_list *l,
                             vg_change **out, size_t *count, vg_err *err)
{
	git_tree *old_tree = NULL, *new_tree = NULL;
	git_diff *diff = NULL;
	vg_change *list = NULL;
	size_t n = 0;
	int rc;

	*out = NULL;
	*count = 0;
	char **paths = malloc(l->n * sizeof(*paths));
	if (!paths)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	for (size_t i = 0; i < l->n; i++)
		paths[i] = l->v[i].old_path ? l->v[i].old_path : l->v[i].new_path;
	if ((rc = tree_of(repo, parent, &old_tree, err)) < 0 ||
	    (rc = tree_of(repo, commit, &new_tree, err)) < 0)
		goto done;
	git_diff_options opts;
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.flags = GIT_DIFF_SKIP_BINARY_CHECK | GIT_DIFF_DISABLE_PATHSPEC_MATCH;
	opts.pathspec.strings = paths;
	opts.pathspec.count = l->n;
	if (git_diff_tree_to_tree(&diff, repo->git, old_tree, new_tree, &opts) < 0) {
		rc = git_fail(err, VG_ECORRUPT, "comparaison d'arbres impossible");
		goto done;
	}
	{
		git_diff_find_options fopts;
		git_diff_find_options_init(&fopts, GIT_DIFF_FIND_OPTIONS_VERSION);
		fopts.flags = GIT_DIFF_FIND_RENAMES;
		if (git_diff_find_similar(diff, &fopts) < 0) {
			rc = git_fail(err, VG_ECORRUPT, "détection des renommages impossible");
			goto done;
		}
	}
	size_t total = git_diff_num_deltas(diff);
	list = calloc(total ? total : 1, sizeof(*list));
	if (!list) {
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
		goto done;
	}
	for (size_t i = 0; i < total; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		int old_ok = is_regular(&d->old_file), new_ok = is_regular(&d->new_file);
		vg_change *c = &list[n];
		switch (d->status) {
		case GIT_DELTA_ADDED:
		case GIT_DELTA_COPIED:
			if (!new_ok)
				continue;
			c->kind = VG_CHANGE_ADD;
			break;
		case GIT_DELTA_DELETED:
			if (!old_ok)
				continue;
			c->kind = VG_CHANGE_DELETE;
			break;
		case GIT_DELTA_MODIFIED:
		case GIT_DELTA_TYPECHANGE:
			if (old_ok && new_ok)
				c->kind = VG_CHANGE_MODIFY;
			else if (old_ok)
				c->kind = VG_CHANGE_DELETE;
			else if (new_ok)
				c->kind = VG_CHANGE_ADD;
			else
				continue;
			break;
		case GIT_DELTA_RENAMED:
			if (old_ok && new_ok)
				c->kind = VG_CHANGE_RENAME;
			else
				continue;
			break;
		default:
			continue;
		}
		if (c->kind != VG_CHANGE_ADD) {
			c->old_path = strdup(d->old_file.path);
			git_oid_cpy(&c->old_blob, &d->old_file.id);
		}
		if (c->kind != VG_CHANGE_DELETE) {
			c->new_path = strdup(d->new_file.path);
			git_oid_cpy(&c->new_blob, &d->new_file.id);
		}
		n++;
		if ((c->kind != VG_CHANGE_ADD && !c->old_path) ||
		    (c->kind != VG_CHANGE_DELETE && !c->new_path)) {
			rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
			goto done;
		}
	}
	if ((rc = add_unmatched(l, &list, &n, total)) < 0) {
		vg_err_set(err, rc, "mémoire insuffisante");
		goto done;
	}
	*out = list;
	*count = n;
	list = NULL;
	rc = 0;
done:
	vg_repo_changes_free(list, n);
	git_diff_free(diff);
	git_tree_free(old_tree);
	git_tree_free(new_tree);
	free(paths);
	return rc;
}

void vg_repo_changes_free(vg_change *changes, size_t count)
{
	if (!changes)
		return;
	for (size_t i = 0; i < count; i++) {
		free(changes[i].old_path);
		free(changes[i].new_path);
	}
	free(changes);
}

int vg_repo_blob_size(vg_repo *repo, const git_oid *blob, size_t *size, vg_err *err)
{
	git_odb *odb = NULL;
	size_t len;
	git_object_t type;
	if (git_repository_odb(&odb, repo->git) < 0)
		return git_fail(err, VG_ECORRUPT, "base d'objets illisible");
	int rc = git_odb_read_header(&len, &type, odb, blob);
	git_odb_free(odb);
	if (rc < 0)
		return git_fail(err, VG_ENOTFOUND, "objet introuvable");
	*size = len;
	return 0;
}

int vg_repo_blob_read(vg_repo *repo, const git_oid *blob, size_t max, char **data,
                      size_t *size, vg_err *err)
{
	*data = NULL;
	int rc = vg_repo_blob_size(repo, blob, size, err);
	if (rc < 0)
		return rc;
	if (*size > max)
		return vg_err_set(err, VG_ETOOBIG, "fichier trop volumineux (%zu octets, limite %zu)",
		                  *size, max);
	git_blob *b = NULL;
	if (git_blob_lookup(&b, repo->git, blob) < 0)
		return git_fail(err, VG_ENOTFOUND, "fichier illisible");
	size_t len = (size_t)git_blob_rawsize(b);
	char *p = malloc(len + 1);
	if (!p) {
		git_blob_free(b);
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	}
	memcpy(p, git_blob_rawcontent(b), len);
	p[len] = '\0';
	git_blob_free(b);
	*data = p;
	*size = len;
	return 0;
}

int vg_repo_blob_at(vg_repo *repo, const git_oid *commit, const char *path, git_oid *blob, vg_err *err)
{
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	int rc = tree_of(repo, commit, &tree, err);
	if (rc < 0)
		return rc;
	/* A symbolic link's blob is its target, not a file of the repository. */
	if (git_tree_entry_bypath(&entry, tree, path) < 0 || !entry_is_file(entry))
		rc = vg_err_set(err, VG_ENOTFOUND, "fichier introuvable : %s", path);
	else
		git_oid_cpy(blob, git_tree_entry_id(entry));
	git_tree_entry_free(entry);
	git_tree_free(tree);
	return rc;
}

int vg_repo_file_read(vg_repo *repo, const git_oid *commit, const char *path,
                      size_t max, char **data, size_t *size, vg_err *err)
{
	git_oid blob;
	*data = NULL;
	int rc = vg_repo_blob_at(repo, commit, path, &blob, err);
	return rc < 0 ? rc : vg_repo_blob_read(repo, &blob, max, data, size, err);
}

int vg_repo_commit_describe(vg_repo *repo, const git_oid *commit, char **author,
                            char **email, int64_t *time, char **subject, vg_err *err)
{
	git_commit *c = NULL;
	*author = *email = *subject = NULL;
	if (git_commit_lookup(&c, repo->git, commit) < 0)
		return git_fail(err, VG_ENOTFOUND, "commit introuvable");
	const git_signature *sig = git_commit_author(c);
	const char *summary = git_commit_summary(c);
	*author = strdup(sig && sig->name ? sig->name : "");
	*email = strdup(sig && sig->email ? sig->email : "");
	*subject = strdup(summary ? summary : "");
	*time = (int64_t)git_commit_time(c);
	git_commit_free(c);
	if (!*author || !*email || !*subject) {
		free(*author);
		free(*email);
		free(*subject);
		*author = *email = *subject = NULL;
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	}
	return 0;
}

int vg_repo_head_branch(vg_repo *repo, char **out, vg_err *err)
{
	git_reference *head = NULL;
	*out = NULL;
	if (git_reference_lookup(&head, repo->git, "HEAD") < 0)
		return git_fail(err, VG_ENOTFOUND, "HEAD introuvable");
	const char *target = git_reference_type(head) == GIT_REFERENCE_SYMBOLIC ? git_reference_symbolic_target(head) : NULL;
	int rc = target ? 0 : vg_err_set(err, VG_ENOTFOUND, "HEAD ne désigne pas une branche");
	if (target && !(*out = strdup(target)))
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	git_reference_free(head);
	return rc;
}

int vg_repo_new_commits(vg_repo *repo, const git_oid *tip, git_oid **out, size_t *count, vg_err *err)
{
	git_revwalk *walk = NULL;
	git_oid id, *list = NULL;
	size_t n = 0, cap = 0;
	*out = NULL;
	*count = 0;
	if (git_revwalk_new(&walk, repo->git) < 0)
		return git_fail(err, VG_EIO, "parcours de l'historique impossible");
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
	int rc = 0;
	if (git_revwalk_push(walk, tip) < 0 || git_revwalk_hide_glob(walk, "refs/*") < 0)
		rc = git_fail(err, VG_ENOTFOUND, "commit introuvable");
	while (rc == 0 && git_revwalk_next(&id, walk) == 0) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			git_oid *grown = realloc(list, cap * sizeof(*grown));
			if (!grown) {
				rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
				break;
			}
			list = grown;
		}
		git_oid_cpy(&list[n++], &id);
	}
	git_revwalk_free(walk);
	if (rc < 0) {
		free(list);
		return rc;
	}
	*out = list;
	*count = n;
	return 0;
}

int vg_repo_descends(vg_repo *repo, const git_oid *commit, const git_oid *ancestor, vg_err *err)
{
	if (git_oid_equal(commit, ancestor))
		return 1;
	int r = git_graph_descendant_of(repo->git, commit, ancestor);
	return r < 0 ? git_fail(err, VG_EIO, "parcours de l'historique impossible") : r;
}

int vg_repo_first_parent(vg_repo *repo, const git_oid *commit, git_oid *parent, vg_err *err)
{
	git_commit *c = NULL;
	if (git_commit_lookup(&c, repo->git, commit) < 0)
		return git_fail(err, VG_ENOTFOUND, "commit introuvable");
	int rc = git_commit_parentcount(c) ? 0 : VG_ENOTFOUND;
	if (rc == 0)
		git_oid_cpy(parent, git_commit_parent_id(c, 0));
	git_commit_free(c);
	return rc;
}

int vg_repo_head_hex(vg_repo *repo, char out[41], vg_err *err)
{
	git_oid id;
	out[0] = '\0';
	int rc = vg_repo_resolve(repo, NULL, &id, NULL, err);
	if (rc == 0)
		git_oid_tostr(out, 41, &id);
	return rc;
}

static int oid_of(const char *hex, git_oid *id, vg_err *err)
{
	if (!hex || strlen(hex) != GIT_OID_HEXSZ || git_oid_fromstr(id, hex) < 0)
		return vg_err_set(err, VG_ENOTFOUND, "identifiant git invalide : %s", hex ? hex : "");
	return 0;
}

int vg_repo_count_since_hex(vg_repo *repo, const char *head_hex, const char *since_hex, size_t *n, vg_err *err)
{
	git_oid head, since;
	vg_commit_info *chain = NULL;
	int found = 0, rc;
	*n = 0;
	if ((rc = oid_of(head_hex, &head, err)) < 0 || (rc = oid_of(since_hex, &since, err)) < 0)
		return rc;
	rc = vg_repo_first_parents(repo, &head, &since, &chain, n, &found, err);
	free(chain);
	return rc;
}

int vg_repo_read_blob_hex(vg_repo *repo, const char *hex, size_t max, char **data, size_t *size, vg_err *err)
{
	git_oid id;
	*data = NULL;
	int rc = oid_of(hex, &id, err);
	return rc < 0 ? rc : vg_repo_blob_read(repo, &id, max, data, size, err);
}

int vg_repo_describe_hex(vg_repo *repo, const char *hex, char **author, char **email, int64_t *time,
                         char **subject, vg_err *err)
{
	git_oid id;
	*author = *email = *subject = NULL;
	int rc = oid_of(hex, &id, err);
	return rc < 0 ? rc : vg_repo_commit_describe(repo, &id, author, email, time, subject, err);
}

void vg_repo_remove_stale_quarantines(vg_repo *repo, long max_age_s, size_t *removed)
{
	size_t n = 0;
	char objects[4096];
	snprintf(objects, sizeof(objects), "%sobjects", vg_repo_gitdir(repo));
	DIR *d = opendir(objects);
	struct dirent *e;
	time_t now = time(NULL);
	while (d && (e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, "tmp_objdir-incoming-", 20) != 0 && strncmp(e->d_name, "incoming-", 9) != 0)
			continue;
		char path[4400];
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s", objects, e->d_name);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode) && now - st.st_mtime > max_age_s) {
			vg_remove_tree(path);
			n++;
		}
	}
	if (d)
		closedir(d);
	if (removed)
		*removed = n;
}
