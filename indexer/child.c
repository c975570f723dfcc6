#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define ERROR_KEPT 4096 /* bytes of a child's error output */

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int vg_child_spawn(vg_child *c, char *const argv[], char *const env[], unsigned flags, vg_err *err)
{
	int p[3][2] = {{-1, -1}, {-1, -1}, {-1, -1}};
	const unsigned wanted[3] = {VG_CHILD_IN, VG_CHILD_OUT, VG_CHILD_ERR};
	c->pid = 0;
	c->in = c->out = c->err = -1;
	int rc = 0;
	for (int i = 0; i < 3 && rc == 0; i++)
		if ((flags & wanted[i]) && pipe2(p[i], O_CLOEXEC) < 0)
			rc = vg_err_set(err, VG_EIO, "tube impossible : %s", strerror(errno));
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	if (p[0][0] >= 0)
		posix_spawn_file_actions_adddup2(&fa, p[0][0], 0);
	if (p[1][1] >= 0)
		posix_spawn_file_actions_adddup2(&fa, p[1][1], 1);
	if (p[2][1] >= 0)
		posix_spawn_file_actions_adddup2(&fa, p[2][1], 2);
	if (rc == 0 && posix_spawnp(&c->pid, argv[0], &fa, NULL, argv, env ? env : environ) != 0) {
		c->pid = 0;
		rc = vg_err_set(err, VG_EIO, "programme %s introuvable ou impossible à lancer", argv[0]);
	}
	posix_spawn_file_actions_destroy(&fa);
	/* The child's ends are its own now; ours stay only if it started. */
	int child_end[3] = {p[0][0], p[1][1], p[2][1]}, our_end[3] = {p[0][1], p[1][0], p[2][0]};
	for (int i = 0; i < 3; i++) {
		if (child_end[i] >= 0)
			close(child_end[i]);
		if (rc < 0 && our_end[i] >= 0)
			close(our_end[i]);
	}
	if (rc < 0)
		return rc;
	c->in = our_end[0];
	c->out = our_end[1];
	c->err = our_end[2];
	if (c->in >= 0)
		fcntl(c->in, F_SETFL, O_NONBLOCK);
	return 0;
}

int vg_child_finish(vg_child *c, int timeout_ms, int *status)
{
	int st = 0, killed = 0;
	if (!c)
		return 0;
	int *ends[3] = {&c->in, &c->out, &c->err};
	for (int i = 0; i < 3; i++)
		if (*ends[i] >= 0) {
			close(*ends[i]);
			*ends[i] = -1;
		}
	if (c->pid > 0) {
		double deadline = now() + timeout_ms / 1000.0;
		pid_t r;
		while ((r = waitpid(c->pid, &st, timeout_ms < 0 ? 0 : WNOHANG)) == 0 ||
		       (r < 0 && errno == EINTR)) {
			if (r == 0 && now() >= deadline) {
				kill(c->pid, SIGKILL);
				killed = 1;
				while (waitpid(c->pid, &st, 0) < 0 && errno == EINTR)
					;
				break;
			}
			if (r == 0)
				usleep(10000);
		}
		c->pid = 0;
	}
	if (status)
		*status = st;
	return killed;
}

/* Reads what fd has into b (NULL: dropped, kept below max); 0 at its end. */
static int drain(int fd, vg_strbuf *b, size_t max)
{
	char buf[16384];
	ssize_t n = read(fd, buf, sizeof(buf));
	if (n > 0 && b && b->len < max)
		vg_strbuf_add(b, buf, (size_t)n);
	return n > 0 || (n < 0 && (errno == EINTR || errno == EAGAIN));
}

int vg_child_run(char *const argv[], const char *input, size_t len, int timeout_ms, vg_strbuf *out,
                 vg_strbuf *errout, int *status, int *timed_out, vg_err *err)
{
	vg_child c;
	*timed_out = 0;
	*status = 0;
	int rc = vg_child_spawn(&c, argv, NULL, VG_CHILD_IN | VG_CHILD_OUT | VG_CHILD_ERR, err);
	if (rc < 0)
		return rc;
	size_t sent = 0;
	double deadline = now() + timeout_ms / 1000.0;
	if (len == 0) {
		close(c.in);
		c.in = -1;
	}
	while (c.out >= 0 || c.err >= 0) {
		struct pollfd p[3] = {{c.out, POLLIN, 0}, {c.err, POLLIN, 0}, {c.in, POLLOUT, 0}};
		double left = deadline - now();
		if (timeout_ms >= 0 && left <= 0) {
			*timed_out = 1;
			break;
		}
		if (poll(p, 3, timeout_ms < 0 ? -1 : (int)(left * 1000) + 1) < 0 && errno != EINTR)
			break;
		if ((p[0].revents & (POLLIN | POLLHUP | POLLERR)) && !drain(c.out, out, (size_t)-1)) {
			close(c.out);
			c.out = -1;
		}
		if ((p[1].revents & (POLLIN | POLLHUP | POLLERR)) && !drain(c.err, errout, ERROR_KEPT)) {
			close(c.err);
			c.err = -1;
		}
		if (c.in >= 0 && (p[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t n = (p[2].revents & POLLOUT) ? write(c.in, input + sent, len - sent) : -1;
			if (n > 0)
				sent += (size_t)n;
			/* Done, or the child stopped reading (it may refuse early). */
			if ((n < 0 && errno != EAGAIN && errno != EINTR) || sent == len || !(p[2].revents & POLLOUT)) {
				close(c.in);
				c.in = -1;
			}
		}
	}
	vg_child_finish(&c, *timed_out ? 0 : -1, status);
	return 0;
}
