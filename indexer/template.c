#include "template.h"
#include "child.h"
#include "store.h"
#include "install.h"
#include "strbuf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>


static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

char *vg_template_find(void)
{
	const char *env = getenv("VIGIE_TEMPLATE");
	if (env && *env)
		return is_dir(env) ? strdup(env) : NULL;
	return vg_install_data("repo-template");
}

static int copy_file(const char *src, const char *dst, mode_t mode)
{
	int in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -1;
	int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode & 0777);
	if (out < 0) {
		close(in);
		return -1;
	}
	char buf[65536];
	ssize_t r;
	int rc = 0;
	while ((r = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)r) != r) {
			rc = -1;
			break;
		}
	if (r < 0)
		rc = -1;
	close(in);
	if (close(out) < 0)
		rc = -1;
	return rc;
}

/* Copies the template, leaving out the demo builder. */
static int copy_tree(const char *src, const char *dst, int top)
{
	DIR *d = opendir(src);
	if (!d || (mkdir(dst, 0755) < 0 && errno != EEXIST)) {
		if (d)
			closedir(d);
		return -1;
	}
	struct dirent *e;
	int rc = 0;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    (top && strcmp(e->d_name, "demo.sh") == 0))
			continue;
		vg_strbuf s = VG_STRBUF_INIT, t = VG_STRBUF_INIT;
		vg_strbuf_printf(&s, "%s/%s", src, e->d_name);
		vg_strbuf_printf(&t, "%s/%s", dst, e->d_name);
		struct stat st;
		if (!s.ptr || !t.ptr || lstat(s.ptr, &st) < 0)
			rc = -1;
		else if (S_ISDIR(st.st_mode))
			rc = copy_tree(s.ptr, t.ptr, 0);
		else if (S_ISREG(st.st_mode))
			rc = copy_file(s.ptr, t.ptr, st.st_mode);
		vg_strbuf_free(&s);
		vg_strbuf_free(&t);
	}
	closedir(d);
	return rc;
}

/* Runs git with argv (no shell); 0 when it exits 0. */
static int run_git(char *const argv[])
{
	int status, timed_out;
	vg_err ignored;
	if (vg_child_run(argv, NULL, 0, -1, NULL, NULL, &status, &timed_out, &ignored) < 0)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int vg_template_create(const char *template_dir, const char *dest, int bare, vg_err *err)
{
	struct stat st;
	if (stat(dest, &st) == 0) {
		DIR *d = opendir(dest);
		int empty = 1;
		struct dirent *e;
		while (d && (e = readdir(d)) != NULL)
			if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
				empty = 0;
		if (d)
			closedir(d);
		if (!empty)
			return vg_err_set(err, VG_EINVAL, "%s existe déjà et n'est pas vide", dest);
	}
	vg_strbuf work = VG_STRBUF_INIT;
	vg_strbuf_printf(&work, bare ? "%s.modele-XXXXXX" : "%s", dest);
	if (!work.ptr)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	if (bare && !mkdtemp(work.ptr)) {
		vg_strbuf_free(&work);
		return vg_err_set(err, VG_EIO, "dossier de travail impossible : %s", strerror(errno));
	}
	int rc = 0;
	char *w = work.ptr;
	char *init[] = {"git", "init", "-q", "-b", "main", w, NULL};
	char *add[] = {"git", "-C", w, "add", "-A", NULL};
	char *commit[] = {"git", "-C", w, "-c", "user.name=Vigie", "-c", "user.email=vigie@localhost",
	                  "commit", "-q", "-m", "Dépôt documentaire créé depuis le modèle de Vigie", NULL};
	char *hooks[] = {"git", "-C", w, "config", "core.hooksPath", ".vigie/hooks", NULL};
	if (copy_tree(template_dir, w, 1) < 0)
		rc = vg_err_set(err, VG_EIO, "copie du modèle %s impossible : %s", template_dir, strerror(errno));
	else if (run_git(init) < 0 || run_git(add) < 0 || run_git(commit) < 0 || run_git(hooks) < 0)
		rc = vg_err_set(err, VG_EIO, "git a échoué en créant %s", w);
	if (rc == 0 && bare) {
		char *clone[] = {"git", "clone", "-q", "--bare", w, (char *)dest, NULL};
		if (run_git(clone) < 0)
			rc = vg_err_set(err, VG_EIO, "git clone --bare vers %s a échoué", dest);
	}
	if (bare)
		vg_remove_tree(w);
	vg_strbuf_free(&work);
	return rc;
}
