/* Deadlines for reading a request: its headers must arrive within
 * header_s seconds, and its body within request_s seconds of its start,
 * however slowly the bytes trickle in (libmicrohttpd's timeout only
 * measures silence, so a client sending a byte a second would hold a
 * connection forever). Past a deadline, the connection is shut down. The
 * answer itself (a clone, a download) is not bounded. */
#ifndef VG_SERVER_DEADLINE_H
#define VG_SERVER_DEADLINE_H

#include "error.h"

typedef struct vg_deadlines vg_deadlines;

/* Starts the watch over at most max connections (0 for a deadline: none).
 * *out: vg_deadlines_stop. VG_ENOMEM, VG_EIO (no thread). */
int vg_deadlines_start(vg_deadlines **out, unsigned max, unsigned header_s, unsigned request_s, vg_err *err);
/* Stops the watch and frees it; NULL does nothing. */
void vg_deadlines_stop(vg_deadlines *d);

/* A request starts on connection conn (socket fd): a new connection, or
 * the next request of a kept-alive one. These functions can't fail: a
 * connection beyond max is simply not watched. */
void vg_deadlines_request(vg_deadlines *d, const void *conn, int fd);
/* Its headers have been read. */
void vg_deadlines_headers(vg_deadlines *d, const void *conn);
/* Its body has been read (or it has none): nothing more to watch. */
void vg_deadlines_read(vg_deadlines *d, const void *conn);
/* The connection is closed. */
void vg_deadlines_close(vg_deadlines *d, const void *conn);

#endif
