#include "lexicon.h"

#include <hunspell/hunspell.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct vg_lexicon {
	pthread_mutex_t mu;  /* hunspell's handle is not safe for concurrent use */
	char *dir;
	Hunhandle *h;
	int tried;           /* loading was attempted (h is NULL if it failed) */
};

int vg_lexicon_new(vg_lexicon **out, const char *dir, vg_err *err)
{
	vg_lexicon *l = calloc(1, sizeof(*l));
	*out = NULL;
	if (!l || !(l->dir = strdup(dir ? dir : "/usr/share/hunspell"))) {
		free(l);
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	}
	pthread_mutex_init(&l->mu, NULL);
	*out = l;
	return 0;
}

void vg_lexicon_free(vg_lexicon *l)
{
	if (!l)
		return;
	if (l->h)
		Hunspell_destroy(l->h);
	pthread_mutex_destroy(&l->mu);
	free(l->dir);
	free(l);
}

int vg_lexicon_knows(vg_lexicon *l, const char *word)
{
	int known = -1;
	pthread_mutex_lock(&l->mu);
	if (!l->tried) {
		char aff[4096], dic[4096];
		l->tried = 1;
		snprintf(aff, sizeof(aff), "%s/fr_FR.aff", l->dir);
		snprintf(dic, sizeof(dic), "%s/fr_FR.dic", l->dir);
		/* Hunspell_create does not say when the files are missing. */
		if (access(aff, R_OK) == 0 && access(dic, R_OK) == 0)
			l->h = Hunspell_create(aff, dic);
	}
	if (l->h)
		known = Hunspell_spell(l->h, word) != 0;
	pthread_mutex_unlock(&l->mu);
	return known;
}
