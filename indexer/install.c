#include "install.h"
#include "strbuf.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

char *vg_install_program(const char *name)
{
	char *dir = vg_install_dir();
	if (!dir)
		return strdup(name);
	vg_strbuf b = VG_STRBUF_INIT;
	vg_strbuf_printf(&b, "%s/%s", dir, name);
	free(dir);
	return vg_strbuf_detach(&b);
}
