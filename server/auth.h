/* Who is asking: HTTP Basic credentials checked against an htpasswd file
 * (bcrypt hashes, `htpasswd -B`) with libcrypt, and a groups file giving
 * roles (contributors may push, admins may reindex) and the groups that
 * repositories open to (an académie's). Failed logins are slowed down
 * (throttle.h). */
#ifndef VG_SERVER_AUTH_H
#define VG_SERVER_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "strlist.h"
#include "error.h"
#include "throttle.h"

typedef struct vg_auth vg_auth;

typedef enum { VG_ROLE_READER = 0, VG_ROLE_CONTRIBUTOR = 1, VG_ROLE_ADMIN = 2 } vg_role;

typedef struct vg_user {
	char name[128];        /* "" for anonymous */
	vg_role role;
	vg_strlist groups;     /* every group the user is in */
} vg_user;

/* Loads the users (htpasswd, may be NULL: nobody can log in) and groups
 * (lines "group: user user ...", may be NULL) files. *out: vg_auth_free. */
int vg_auth_load(vg_auth **out, const char *users_file, const char *groups_file, vg_err *err);
/* Another reference to a (freed by as many vg_auth_free calls). */
vg_auth *vg_auth_ref(vg_auth *a);
void vg_auth_free(vg_auth *a);

typedef enum {
	VG_AUTH_ANONYMOUS, /* no credentials given */
	VG_AUTH_OK,
	VG_AUTH_BAD        /* wrong user or password */
} vg_auth_result;

/* Checks user/password (NULL user: anonymous). On VG_AUTH_OK, *u describes
 * the user; release with vg_user_clear. Failures are recorded in t for
 * the client's address and the account, and the call sleeps before
 * answering VG_AUTH_BAD. */
vg_auth_result vg_auth_check(vg_auth *a, vg_throttle *t, const char *user, const char *password,
                             const char *client, vg_user *u);
void vg_user_clear(vg_user *u);

/* Whether u belongs to group. */
int vg_user_in(const vg_user *u, const char *group);

/* Whether u may read repo: its rule is "anonymous" (everyone, when
 * anonymous reading is on at all), "all" (every account) or groups;
 * admins read every repository. */
int vg_user_may_read(const vg_user *u, const vg_repo_conf *repo, int anonymous);
/* Whether u may push to repo: an account that may read it and is an
 * admin or in one of its push groups (contributors when it names none);
 * nobody pushes to a mirror. */
int vg_user_may_push(const vg_user *u, const vg_repo_conf *repo, int anonymous);
/* The repositories u may read, bit i for repos[i]. */
uint64_t vg_user_readable(const vg_user *u, const vg_repo_conf *repos, size_t n, int anonymous);

#endif
