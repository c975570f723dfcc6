/* Error codes and the caller-owned error record shared by every module. */
#ifndef VG_ERROR_H
#define VG_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

enum {
	VG_OK = 0,
	VG_ENOMEM = -1,     /* out of memory */
	VG_EINVAL = -2,     /* bad argument or malformed input */
	VG_ENOTFOUND = -3,  /* no such file, commit, document or key */
	VG_EIO = -4,        /* file system or database I/O failure */
	VG_ELOCKED = -5,    /* another writer holds the index */
	VG_EGIT = -6,       /* libgit2 reported a failure */
	VG_EXAPIAN = -7,    /* Xapian reported a failure */
	VG_EQUERY = -8,     /* the search query cannot be parsed */
	VG_ETOOBIG = -9,    /* input over the configured size limit */
	VG_ECORRUPT = -10,  /* damaged index or repository */
	VG_EREWRITTEN = -11 /* branch history no longer contains the indexed commit */
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

#ifdef __cplusplus
}
#endif
#endif
