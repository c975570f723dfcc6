/* The extraction runner: vigie-extract as a child process, fed the file on
 * its standard input, answering JSON on its standard output, within limits. */
#include "extract.h"
#include "extract_formats.h"
#include "install.h"
#include "strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

const char *vg_extract_format(const char *path)
{
	static const struct {
		const char *ext, *format;
	} formats[] = {{".pdf", "pdf"},    {".odt", "odf"},    {".ods", "odf"},   {".odp", "odf"},
	               {".docx", "ooxml"}, {".xlsx", "ooxml"}, {".pptx", "ooxml"}, {".html", "html"},
	               {".htm", "html"}};
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	for (size_t i = 0; dot && i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcasecmp(dot, formats[i].ext) == 0)
			return formats[i].format;
	return NULL;
}

int vg_extract_here(const char *format, const char *data, size_t len, json_t **out, vg_err *err)
{
	*out = NULL;
	if (strcmp(format, "pdf") == 0)
		return vg_extract_pdf(data, len, out, err);
	if (strcmp(format, "odf") == 0 || strcmp(format, "ooxml") == 0)
		return vg_extract_zip_office(data, len, out, err);
	if (strcmp(format, "html") == 0)
		return vg_extract_html(data, len, out, err);
	return vg_err_set(err, VG_EINVAL, "format d'extraction inconnu : %s", format);
}

/* vigie-extract beside this program, unless $VIGIE_EXTRACT says where. */
static char *helper_path(void)
{
	const char *env = getenv("VIGIE_EXTRACT");
	return env && *env ? strdup(env) : vg_install_program("vigie-extract");
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int vg_extract_run(const char *format, const char *data, size_t len, const vg_extract_limits *limits,
                   char **json, vg_err *err)
{
	int in[2] = {-1, -1}, out[2] = {-1, -1}, errp[2] = {-1, -1};
	char *helper = helper_path();
	char mem[32], secs[32];
	int rc = 0;
	*json = NULL;
	snprintf(mem, sizeof(mem), "%zu", limits->max_memory);
	snprintf(secs, sizeof(secs), "%u", limits->max_seconds);
	if (!helper || pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0) {
		rc = vg_err_set(err, VG_EIO, "extraction impossible : %s", strerror(errno));
		goto done;
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, errp[1], 2);
	char *argv[] = {helper, "--format", (char *)format, "--max-memory", mem, "--max-seconds", secs, NULL};
	pid_t pid;
	int spawned = posix_spawn(&pid, helper, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(out[1]);
	close(errp[1]);
	in[0] = out[1] = errp[1] = -1;
	if (spawned != 0) {
		rc = vg_err_set(err, VG_EIO, "programme d'extraction %s introuvable", helper);
		goto done;
	}
	/* Feed the file and read the answer together, within the time limit
	 * (the child's own CPU limit does not cover a blocked child). */
	vg_strbuf answer = VG_STRBUF_INIT, reason = VG_STRBUF_INIT;
	size_t sent = 0;
	double deadline = now() + limits->max_seconds + 5;
	int out_open = 1, err_open = 1, timed_out = 0;
	fcntl(in[1], F_SETFL, O_NONBLOCK);
	while (out_open || err_open) {
		struct pollfd p[3] = {{out_open ? out[0] : -1, POLLIN, 0},
		                      {err_open ? errp[0] : -1, POLLIN, 0},
		                      {in[1], POLLOUT, 0}};
		double left = deadline - now();
		if (left <= 0) {
			timed_out = 1;
			break;
		}
		if (poll(p, 3, (int)(left * 1000) + 1) < 0 && errno != EINTR)
			break;
		char buf[16384];
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n = read(out[0], buf, sizeof(buf));
			if (n > 0)
				vg_strbuf_add(&answer, buf, (size_t)n);
			else if (n == 0 || errno != EINTR)
				out_open = 0;
		}
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n = read(errp[0], buf, sizeof(buf));
			if (n > 0 && reason.len < 4096)
				vg_strbuf_add(&reason, buf, (size_t)n);
			else if (n == 0 || (n < 0 && errno != EINTR))
				err_open = 0;
		}
		if (in[1] >= 0 && (p[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t n = (p[2].revents & POLLOUT) ? write(in[1], data + sent, len - sent) : -1;
			if (n > 0)
				sent += (size_t)n;
			/* Done, or the child stopped reading (it may refuse early). */
			if ((n < 0 && errno != EAGAIN && errno != EINTR) || sent == len || !(p[2].revents & POLLOUT)) {
				close(in[1]);
				in[1] = -1;
			}
		}
	}
	if (timed_out)
		kill(pid, SIGKILL);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
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
	vg_strbuf_free(&answer);
	vg_strbuf_free(&reason);
done:
	for (int i = 0; i < 2; i++) {
		if (in[i] >= 0)
			close(in[i]);
		if (out[i] >= 0)
			close(out[i]);
		if (errp[i] >= 0)
			close(errp[i]);
	}
	free(helper);
	return rc;
}
