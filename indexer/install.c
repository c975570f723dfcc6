#include "install.h"
#include "strbuf.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Set by the Makefile from the folders `make install` uses. */
#ifndef VG_LIBEXECDIR
#define VG_LIBEXECDIR "/usr/local/libexec/vigie"
#endif
#ifndef VG_DATADIR
#define VG_DATADIR "/usr/local/share/vigie"
#endif

char *vg_install_dir(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	return strdup(exe);
}

static char *join(const char *dir, const char *name)
{
	vg_strbuf b = VG_STRBUF_INIT;
	vg_strbuf_printf(&b, "%s/%s", dir, name);
	return vg_strbuf_detach(&b);
}

char *vg_install_program(const char *name)
{
	char *dir = vg_install_dir();
	char *beside = dir ? join(dir, name) : NULL;
	free(dir);
	if (beside && access(beside, X_OK) == 0)
		return beside;
	free(beside);
	char *installed = join(VG_LIBEXECDIR, name);
	if (installed && access(installed, X_OK) == 0)
		return installed;
	free(installed);
	return strdup(name);
}

static int is_dir(const char *path)
{
	struct stat st;
	return path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *vg_install_data(const char *name)
{
	/* build/vigie-index or build/<sanitizer>/vigie-index: look upwards. */
	char *dir = vg_install_dir();
	for (int up = 0; dir && up < 3; up++) {
		char *p = join(dir, name);
		if (is_dir(p)) {
			free(dir);
			return p;
		}
		free(p);
		char *slash = strrchr(dir, '/');
		if (!slash || slash == dir)
			break;
		*slash = '\0';
	}
	free(dir);
	char *installed = join(VG_DATADIR, name);
	if (is_dir(installed))
		return installed;
	free(installed);
	return NULL;
}
