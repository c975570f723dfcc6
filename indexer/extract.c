/* The extraction runner: vigie-extract as a child process, fed the file on
 * its standard input, answering JSON on its standard output, within limits. */
#include "extract.h"
#include "document.h"
#include "child.h"
#include "install.h"
#include "strbuf.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>

const char *vg_extract_format(const char *path)
{
	const vg_format *f = vg_format_of(path);
	return f ? f->family : NULL;
}

/* vigie-extract beside this program, unless $VIGIE_EXTRACT says where. */
static char *helper_path(void)
{
	const char *env = getenv("VIGIE_EXTRACT");
	return env && *env ? strdup(env) : vg_install_program("vigie-extract");
}

int vg_extract_run(const char *format, const char *data, size_t len, const vg_extract_limits *limits,
                   char **json, vg_err *err)
{
	char *helper = helper_path();
	char mem[32], secs[32];
	*json = NULL;
	if (!helper)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	snprintf(mem, sizeof(mem), "%zu", limits->max_memory);
	snprintf(secs, sizeof(secs), "%u", limits->max_seconds);
	char *argv[] = {helper, "--format", (char *)format, "--max-memory", mem, "--max-seconds", secs, NULL};
	vg_strbuf answer = VG_STRBUF_INIT, reason = VG_STRBUF_INIT;
	int status = 0, timed_out = 0;
	/* A wall-clock deadline too: the child's own CPU limit does not cover
	 * a blocked child. */
	int rc = vg_child_run(argv, data, len, (int)(limits->max_seconds + 5) * 1000, &answer, &reason, &status,
	                      &timed_out, err);
	if (rc < 0) {
		rc = vg_err_set(err, VG_EIO, "programme d'extraction %s introuvable", helper);
		goto done;
	}
	while (reason.len && (reason.ptr[reason.len - 1] == '\n'))
		reason.ptr[--reason.len] = '\0';
	if (timed_out) {
		rc = vg_err_set(err, VG_EINVAL, "extraction trop longue (plus de %u s), fichier non indexé",
		                limits->max_seconds);
	} else if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		rc = vg_err_set(err, VG_EINVAL, "%s",
		                sig == SIGXCPU || sig == SIGKILL ? "extraction interrompue : limite de temps dépassée"
		                : sig == SIGSEGV || sig == SIGABRT
		                        ? "extraction interrompue : fichier illisible ou limite de mémoire dépassée"
		                        : "extraction interrompue");
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || answer.oom) {
		rc = vg_err_set(err, VG_EINVAL, "%s", reason.len ? reason.ptr : "extraction impossible");
	} else {
		*json = vg_strbuf_detach(&answer);
		if (!*json)
			rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	}
done:
	vg_strbuf_free(&answer);
	vg_strbuf_free(&reason);
	free(helper);
	return rc;
}
