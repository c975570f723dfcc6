#include "digest.h"
#include "auth.h"
#include "search.h"
#include "veille.h"

#include <stdio.h>
#include <string.h>

/* The digest of repository k: its review over it and the repositories
 * every account reads. */
static int digest_one(const vg_config *c, size_t k, const char *sendmail, vg_err *err)
{
	const vg_repo_conf *mine = &c->repos[k];
	const char *dirs[VG_MAX_REPOS], *names[VG_MAX_REPOS];
	size_t n = 0;
	/* Someone with an account and no group: what every account reads. */
	vg_user anyone;
	memset(&anyone, 0, sizeof(anyone));
	snprintf(anyone.name, sizeof(anyone.name), "*");
	for (size_t i = 0; i < c->n_repos; i++) {
		if (i == k || (!c->repos[i].closed && vg_user_may_read(&anyone, &c->repos[i], 0))) {
			dirs[n] = c->repos[i].index;
			names[n++] = c->repos[i].name;
		}
	}
	vg_searcher *s = NULL;
	vg_veille_list res;
	vg_veille_opts o;
	memset(&o, 0, sizeof(o));
	o.repo = mine->name;
	int rc = vg_searcher_open_many(&s, dirs, names, n, err);
	memset(&res, 0, sizeof(res));
	if (rc == 0)
		rc = vg_veille_review(&res, s, &o, err);
	vg_searcher_free(s);
	size_t notes = res.n_notes;
	if (rc == 0 && notes)
		rc = vg_veille_mail(sendmail, mine->veille_mail, &res, err);
	if (rc == 0 && notes)
		printf("dépôt « %s » : %zu note(s) à revoir, message envoyé à %s\n", mine->name, notes, mine->veille_mail);
	else if (rc == 0)
		printf("dépôt « %s » : aucune note à revoir, aucun message\n", mine->name);
	vg_veille_list_clear(&res);
	return rc;
}

int vg_digest_send(const vg_config *c, const char *sendmail)
{
	int failed = 0;
	for (size_t k = 0; k < c->n_repos; k++) {
		vg_err err;
		if (!c->repos[k].veille_mail || !*c->repos[k].veille_mail || c->repos[k].closed)
			continue;
		if (digest_one(c, k, sendmail, &err) < 0) {
			fprintf(stderr, "vigie-server : dépôt « %s » : veille non envoyée : %s\n", c->repos[k].name, err.msg);
			failed = 1;
		}
	}
	return failed ? -1 : 0;
}
