#include "auth.h"
#include "text.h"
#include "strbuf.h"

#include <crypt.h>
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>


typedef struct account {
	char *name;
	char *hash;
} account;

typedef struct group {
	char *name;
	vg_strlist members;
} group;

struct vg_auth {
	atomic_int refs;
	account *accounts;
	size_t n_accounts;
	group *groups;
	size_t n_groups;
};

vg_auth *vg_auth_ref(vg_auth *a)
{
	if (a)
		atomic_fetch_add(&a->refs, 1);
	return a;
}

void vg_auth_free(vg_auth *a)
{
	if (!a || atomic_fetch_sub(&a->refs, 1) > 1)
		return;
	for (size_t i = 0; i < a->n_accounts; i++) {
		free(a->accounts[i].name);
		free(a->accounts[i].hash);
	}
	for (size_t i = 0; i < a->n_groups; i++) {
		free(a->groups[i].name);
		vg_strlist_clear(&a->groups[i].members);
	}
	free(a->accounts);
	free(a->groups);
	free(a);
}


/* Reads "key: value" lines (blank lines and # comments skipped) and hands
 * each to add; what names the file in messages, shape the expected form. */
static int read_pairs(vg_auth *a, const char *path, const char *what, const char *shape,
                      int (*add)(vg_auth *a, char *key, char *value), vg_err *err)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return vg_err_set(err, VG_ENOTFOUND, "fichier des %s %s illisible : %s", what, path, strerror(errno));
	char line[4096];
	unsigned lineno = 0;
	int rc = 0;
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		lineno++;
		char *s = vg_text_trim(line);
		if (!*s || *s == '#')
			continue;
		char *colon = strchr(s, ':');
		if (!colon || colon == s) {
			rc = vg_err_set(err, VG_EINVAL, "%s, ligne %u : « %s » attendu", path, lineno, shape);
			break;
		}
		*colon = '\0';
		if (add(a, vg_text_trim(s), vg_text_trim(colon + 1)) < 0)
			rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	}
	fclose(f);
	return rc;
}

/* An htpasswd line: libcrypt reads $2y$ (htpasswd -B), $2b$, $y$... */
static int add_account(vg_auth *a, char *name, char *hash)
{
	account *grown = realloc(a->accounts, (a->n_accounts + 1) * sizeof(*grown));
	if (!grown)
		return VG_ENOMEM;
	a->accounts = grown;
	account *acc = &a->accounts[a->n_accounts];
	acc->name = strdup(name);
	acc->hash = strdup(hash);
	if (!acc->name || !acc->hash) {
		free(acc->name);
		free(acc->hash);
		return VG_ENOMEM;
	}
	a->n_accounts++;
	return 0;
}

static int add_group(vg_auth *a, char *name, char *members)
{
	group *grown = realloc(a->groups, (a->n_groups + 1) * sizeof(*grown));
	if (!grown)
		return VG_ENOMEM;
	a->groups = grown;
	group *g = &a->groups[a->n_groups++];
	memset(g, 0, sizeof(*g));
	if (!(g->name = strdup(name)))
		return VG_ENOMEM;
	char *save = NULL;
	for (char *m = strtok_r(members, " \t,", &save); m; m = strtok_r(NULL, " \t,", &save))
		if (vg_strlist_add_unique(&g->members, m) < 0)
			return VG_ENOMEM;
	return 0;
}

int vg_auth_load(vg_auth **out, const char *users_file, const char *groups_file, vg_err *err)
{
	vg_auth *a = calloc(1, sizeof(*a));
	*out = NULL;
	if (!a)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	atomic_init(&a->refs, 1);
	int rc = 0;
	if (users_file && *users_file)
		rc = read_pairs(a, users_file, "utilisateurs", "utilisateur:empreinte", add_account, err);
	if (rc == 0 && groups_file && *groups_file)
		rc = read_pairs(a, groups_file, "groupes", "groupe: membres", add_group, err);
	if (rc < 0) {
		vg_auth_free(a);
		return rc;
	}
	*out = a;
	return 0;
}

/* Constant-time comparison of two strings of any length. */
static int same_secret(const char *x, const char *y)
{
	size_t nx = strlen(x), ny = strlen(y);
	unsigned char diff = (unsigned char)(nx != ny);
	for (size_t i = 0; i < nx && i < ny; i++)
		diff |= (unsigned char)(x[i] ^ y[i]);
	return diff == 0;
}

vg_auth_result vg_auth_check(vg_auth *a, vg_throttle *t, const char *user, const char *password,
                             const char *client, vg_user *u)
{
	memset(u, 0, sizeof(*u));
	if (!user)
		return VG_AUTH_ANONYMOUS;
	const account *acc = NULL;
	for (size_t i = 0; i < a->n_accounts; i++)
		if (strcmp(a->accounts[i].name, user) == 0)
			acc = &a->accounts[i];
	int ok = 0;
	/* An unknown user costs the same bcrypt as a known one: no timing
	 * difference tells which names exist. */
	static const char dummy[] = "$2b$05$BmrYdHXHqkhbUzfKt4j38eeA6chdNJX0tcwFsXWQ.IvKrajRgNIzm";
	const char *hash = acc ? acc->hash : dummy;
	if (password) {
		struct crypt_data *cd = calloc(1, sizeof(*cd));
		const char *h = cd ? crypt_r(password, hash, cd) : NULL;
		ok = acc && h && h[0] != '*' && same_secret(h, acc->hash);
		free(cd);
	}
	if (!ok) {
		unsigned n = vg_throttle_fail(t, client, user);
		usleep(vg_throttle_delay_ms(n) * 1000u);
		return VG_AUTH_BAD;
	}
	vg_throttle_succeed(t, user);
	snprintf(u->name, sizeof(u->name), "%s", user);
	for (size_t i = 0; i < a->n_groups; i++) {
		for (size_t k = 0; k < a->groups[i].members.count; k++) {
			if (strcmp(a->groups[i].members.items[k], user) != 0)
				continue;
			vg_strlist_add_unique(&u->groups, a->groups[i].name);
			if (strcmp(a->groups[i].name, "admins") == 0)
				u->role = VG_ROLE_ADMIN;
			else if (strcmp(a->groups[i].name, "contributors") == 0 && u->role < VG_ROLE_CONTRIBUTOR)
				u->role = VG_ROLE_CONTRIBUTOR;
		}
	}
	return VG_AUTH_OK;
}

void vg_user_clear(vg_user *u)
{
	vg_strlist_clear(&u->groups);
	memset(u, 0, sizeof(*u));
}

int vg_user_in(const vg_user *u, const char *g)
{
	return vg_strlist_has(&u->groups, g);
}

/* Whether one of the space- or comma-separated words of rule is a group
 * of u. */
static int in_any(const vg_user *u, const char *rule)
{
	const char *p = rule;
	while (*p) {
		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		size_t n = strcspn(p, " ,\t");
		for (size_t i = 0; n && i < u->groups.count; i++)
			if (strlen(u->groups.items[i]) == n && strncmp(u->groups.items[i], p, n) == 0)
				return 1;
		p += n;
	}
	return 0;
}

int vg_user_may_read(const vg_user *u, const vg_repo_conf *repo, int anonymous)
{
	if (repo->closed)
		return 0;
	if (u->role == VG_ROLE_ADMIN)
		return 1;
	if (strcmp(repo->read, "anonymous") == 0)
		return anonymous || u->name[0];
	if (!u->name[0])
		return 0;
	return strcmp(repo->read, "all") == 0 || in_any(u, repo->read);
}

int vg_user_may_push(const vg_user *u, const vg_repo_conf *repo, int anonymous)
{
	if (repo->upstream || !u->name[0] || !vg_user_may_read(u, repo, anonymous))
		return 0;
	if (u->role == VG_ROLE_ADMIN)
		return 1;
	return repo->push ? in_any(u, repo->push) : u->role >= VG_ROLE_CONTRIBUTOR;
}

uint64_t vg_user_readable(const vg_user *u, const vg_repo_conf *repos, size_t n, int anonymous)
{
	uint64_t set = 0;
	for (size_t i = 0; i < n && i < VG_MAX_REPOS; i++)
		if (vg_user_may_read(u, &repos[i], anonymous))
			set |= (uint64_t)1 << i;
	return set;
}
