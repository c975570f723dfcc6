#include "store.h"
#include "xapian_shim.h"
#include "strbuf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static char *join(const char *dir, const char *name)
{
	vg_strbuf b = VG_STRBUF_INIT;
	vg_strbuf_printf(&b, "%s/%s", dir, name);
	return vg_strbuf_detach(&b);
}

int vg_store_current(const char *index_dir, char **db_path, vg_err *err)
{
	*db_path = NULL;
	char *link = join(index_dir, "current");
	if (!link)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	struct stat st;
	if (stat(link, &st) < 0 || !S_ISDIR(st.st_mode)) {
		free(link);
		return vg_err_set(err, VG_ENOTFOUND,
		                  "aucun index dans %s (créez-le avec « vigie-index update »)", index_dir);
	}
	*db_path = link;
	return 0;
}

int vg_store_lock(const char *index_dir, int wait, int *fd, vg_err *err)
{
	*fd = -1;
	if (mkdir(index_dir, 0755) < 0 && errno != EEXIST)
		return vg_err_set(err, VG_EIO, "impossible de créer %s : %s", index_dir, strerror(errno));
	char *path = join(index_dir, "lock");
	if (!path)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	int f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	free(path);
	if (f < 0)
		return vg_err_set(err, VG_EIO, "verrou de l'index inaccessible : %s", strerror(errno));
	if (flock(f, LOCK_EX | (wait ? 0 : LOCK_NB)) < 0) {
		int e = errno;
		close(f);
		if (e == EWOULDBLOCK)
			return vg_err_set(err, VG_ELOCKED,
			                  "une autre mise à jour de l'index %s est en cours ; "
			                  "réessayez plus tard ou utilisez --wait", index_dir);
		return vg_err_set(err, VG_EIO, "verrou de l'index : %s", strerror(e));
	}
	*fd = f;
	return 0;
}

void vg_store_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

/* Highest generation number present, 0 if none. */
static long last_generation(const char *index_dir)
{
	DIR *d = opendir(index_dir);
	long max = 0;
	if (!d)
		return 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, "gen-", 4) == 0) {
			long n = strtol(e->d_name + 4, NULL, 10);
			if (n > max)
				max = n;
		}
	}
	closedir(d);
	return max;
}

int vg_store_new_generation(const char *index_dir, char **gen_path, vg_err *err)
{
	char name[32];
	*gen_path = NULL;
	if (mkdir(index_dir, 0755) < 0 && errno != EEXIST)
		return vg_err_set(err, VG_EIO, "impossible de créer %s : %s", index_dir, strerror(errno));
	snprintf(name, sizeof(name), "gen-%06ld", last_generation(index_dir) + 1);
	char *p = join(index_dir, name);
	if (!p)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	if (mkdir(p, 0755) < 0) {
		vg_err_set(err, VG_EIO, "impossible de créer %s : %s", p, strerror(errno));
		free(p);
		return VG_EIO;
	}
	*gen_path = p;
	return 0;
}

void vg_remove_tree(const char *path)
{
	DIR *d = opendir(path);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			char *p = join(path, e->d_name);
			if (!p)
				continue;
			struct stat st;
			if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
				vg_remove_tree(p);
			else
				unlink(p);
			free(p);
		}
		closedir(d);
	}
	rmdir(path);
}

void vg_store_discard(const char *gen_path)
{
	if (gen_path)
		vg_remove_tree(gen_path);
}

int vg_store_swap(const char *index_dir, const char *gen_path, vg_err *err)
{
	const char *base = strrchr(gen_path, '/');
	base = base ? base + 1 : gen_path;
	char *link = join(index_dir, "current");
	char *tmp = join(index_dir, "current.tmp");
	char previous[PATH_MAX] = "";
	int rc = 0;
	if (!link || !tmp) {
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
		goto done;
	}
	ssize_t n = readlink(link, previous, sizeof(previous) - 1);
	previous[n > 0 ? n : 0] = '\0';
	unlink(tmp);
	if (symlink(base, tmp) < 0 || rename(tmp, link) < 0) {
		rc = vg_err_set(err, VG_EIO, "bascule de l'index impossible : %s", strerror(errno));
		goto done;
	}
	/* Keep the live generation and the one just replaced. */
	DIR *d = opendir(index_dir);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			if (strncmp(e->d_name, "gen-", 4) != 0 || strcmp(e->d_name, base) == 0 ||
			    strcmp(e->d_name, previous) == 0)
				continue;
			char *p = join(index_dir, e->d_name);
			if (p)
				vg_remove_tree(p);
			free(p);
		}
		closedir(d);
	}
done:
	free(link);
	free(tmp);
	return rc;
}

int vg_store_sync(const char *db_path, vg_err *err)
{
	DIR *d = opendir(db_path);
	int rc = 0;
	if (!d)
		return vg_err_set(err, VG_EIO, "%s : %s", db_path, strerror(errno));
	struct dirent *e;
	while ((e = readdir(d)) != NULL && rc == 0) {
		if (e->d_name[0] == '.')
			continue;
		char *p = join(db_path, e->d_name);
		int fd = p ? open(p, O_RDONLY | O_CLOEXEC) : -1;
		if (fd >= 0) {
			if (fsync(fd) < 0)
				rc = vg_err_set(err, VG_EIO, "%s : %s", p, strerror(errno));
			close(fd);
		}
		free(p);
	}
	int dfd = dirfd(d);
	if (rc == 0 && fsync(dfd) < 0)
		rc = vg_err_set(err, VG_EIO, "%s : %s", db_path, strerror(errno));
	closedir(d);
	return rc;
}

void vg_store_stamp(const char *index_dir, char *out, size_t size)
{
	char link[PATH_MAX], target[256] = "";
	snprintf(link, sizeof(link), "%s/current", index_dir);
	ssize_t n = readlink(link, target, sizeof(target) - 1);
	out[0] = '\0';
	if (n <= 0)
		return;
	target[n] = '\0';
	char version[PATH_MAX];
	snprintf(version, sizeof(version), "%s/%s/iamglass", index_dir, target);
	struct stat st;
	if (stat(version, &st) == 0)
		snprintf(out, size, "%s:%lld.%09ld:%lld", target, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
		         (long long)st.st_size);
}

long long vg_store_size(const char *db_path)
{
	DIR *d = opendir(db_path);
	long long total = 0;
	if (!d)
		return 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		char *p = join(db_path, e->d_name);
		struct stat st;
		if (p && stat(p, &st) == 0 && S_ISREG(st.st_mode))
			total += (long long)st.st_size;
		free(p);
	}
	closedir(d);
	return total;
}

int vg_store_verify(const char *index_dir, size_t *errors, char **report, vg_err *err)
{
	char *gen = NULL;
	*errors = 0;
	*report = NULL;
	int rc = vg_store_current(index_dir, &gen, err);
	if (rc == 0)
		rc = vg_xdb_check(gen, errors, report, err);
	free(gen);
	return rc;
}
