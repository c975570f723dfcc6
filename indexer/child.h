/* Child processes: a program started with pipes to its standard streams,
 * fed and read without either side waiting on a full pipe, within a
 * deadline. Used by the attachment extractor, the template and the git
 * bridge. */
#ifndef VG_CHILD_H
#define VG_CHILD_H

#include <stddef.h>
#include <sys/types.h>

#include "error.h"
#include "strbuf.h"

typedef struct vg_child {
	pid_t pid;         /* 0 when not running */
	int in, out, err;  /* our ends of its streams; -1 when not piped or closed */
} vg_child;

enum { VG_CHILD_IN = 1, VG_CHILD_OUT = 2, VG_CHILD_ERR = 4 };

/* Starts argv[0] (looked up in PATH unless it holds a '/') with the
 * environment env (NULL: ours) and a pipe for each stream of flags (our
 * ends close on exec; the input is non-blocking); the other streams are
 * inherited. On failure (VG_EIO, VG_ENOMEM) nothing is left open and
 * c->pid is 0. */
int vg_child_spawn(vg_child *c, char *const argv[], char *const env[], unsigned flags, vg_err *err);

/* Closes our ends, waits for the child at most timeout_ms (< 0: as long as
 * it takes), then kills it; *status (may be NULL) receives its wait
 * status. Returns 1 when it had to be killed, else 0. NULL or a child not
 * running does nothing. */
int vg_child_finish(vg_child *c, int timeout_ms, int *status);

/* Runs argv to its end: input[0..len) (may be empty) written to its
 * standard input while its output (into out, may be NULL) and its error
 * output (at most 4 KiB into errout, may be NULL) are read, all within
 * timeout_ms (< 0: no limit), after which it is killed and *timed_out set.
 * *status receives its wait status. Fails (VG_EIO) only when it cannot be
 * started. */
int vg_child_run(char *const argv[], const char *input, size_t len, int timeout_ms, vg_strbuf *out,
                 vg_strbuf *errout, int *status, int *timed_out, vg_err *err);

#endif
