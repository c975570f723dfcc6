/* Error codes and the caller-owned error record shared by every module. */
#ifndef VG_ERROR_H
#define VG_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

/* VG_OK, then what went wrong: VG_ENOMEM out of memory, VG_EINVAL a bad
 * argument or malformed input, VG_ENOTFOUND no such file, commit,
 * document or key, VG_EIO a file system or database I/O failure,
 * VG_ELOCKED another writer holds the index, VG_EINTERNAL a failure
 * inside a library that names no cause, VG_EQUERY a search query that
 * cannot be parsed, VG_ETOOBIG input over a size limit, VG_ECORRUPT a
 * damaged index or repository, VG_EREWRITTEN a branch history that no
 * longer contains the indexed commit (error.def). */
enum {
#define VG_ERROR(name, value, api, status, label) name = value,
#include "error.def"
#undef VG_ERROR
};

/* Filled by a failing call; owned by the caller, usually on its stack. */
typedef struct vg_err {
	int code;
	char msg[512];
} vg_err;

/* Records code and a printf-style message in err (which may be NULL) and
 * returns code, so that `return vg_err_set(err, VG_EINVAL, "...")` reads. */
int vg_err_set(vg_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Resets err to "no error". */
void vg_err_clear(vg_err *err);

/* A short constant name for a code ("VG_ENOTFOUND"), never NULL. */
const char *vg_err_name(int code);
/* The code's name in API errors ("not_found"), never NULL. */
const char *vg_err_api_code(int code);
/* The HTTP status that answers the code (404 for VG_ENOTFOUND). */
unsigned vg_err_http_status(int code);
/* What the code means, in French, for users ("introuvable"). */
const char *vg_err_label(int code);

#ifdef __cplusplus
}
#endif
#endif
