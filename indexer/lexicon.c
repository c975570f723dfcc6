#include "lexicon.h"
#include "strbuf.h"
#include "text.h"

#include <hunspell/hunspell.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One head word of the thesaurus: its folded form (in keys) and where its
 * entry starts in the file, read again when it is looked up: the whole
 * thesaurus would take megabytes of every server's memory, and few words
 * of a query are looked up. */
typedef struct head {
	uint32_t key;
	uint32_t at;
} head;

struct vg_lexicon {
	pthread_mutex_t mu;  /* hunspell's handle is not safe for concurrent use */
	char *dir;
	Hunhandle *h;
	int tried;           /* loading was attempted (h is NULL if it failed) */
	char *thesaurus_dir;
	FILE *thesaurus;     /* the file, open, or NULL */
	char *keys;          /* the folded head words, NUL-terminated */
	head *heads;         /* sorted by word; equal words are neighbours */
	size_t n_heads;
	int thesaurus_tried;
};

int vg_lexicon_new(vg_lexicon **out, const char *dir, const char *thesaurus_dir, vg_err *err)
{
	vg_lexicon *l = calloc(1, sizeof(*l));
	*out = NULL;
	if (!l || !(l->dir = strdup(dir ? dir : "/usr/share/hunspell")) ||
	    !(l->thesaurus_dir = strdup(thesaurus_dir ? thesaurus_dir : "/usr/share/mythes"))) {
		if (l)
			free(l->dir);
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
	if (l->thesaurus)
		fclose(l->thesaurus);
	free(l->keys);
	free(l->heads);
	pthread_mutex_destroy(&l->mu);
	free(l->dir);
	free(l->thesaurus_dir);
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

/* By word (keys: the lexicon's), then in the file's order. */
static int by_word(const void *a, const void *b, void *keys)
{
	const head *x = a, *y = b;
	int c = strcmp((const char *)keys + x->key, (const char *)keys + y->key);
	return c ? c : (x->at > y->at) - (x->at < y->at);
}

/* Reads the MyThes file's head words ("word|n", then n lines
 * "(Nom)|syn|syn...") and where each entry starts. */
static void load_thesaurus(vg_lexicon *l)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/th_fr_FR_v2.dat", l->thesaurus_dir);
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	char *line = NULL;
	size_t cap = 0, n_cap = 0;
	ssize_t got;
	vg_strbuf keys = VG_STRBUF_INIT;
	int ok = 1;
	for (long at = ftell(f); ok && (got = getline(&line, &cap, f)) > 0; at = ftell(f)) {
		char *bar = line[0] == '(' ? NULL : strchr(line, '|');
		if (!bar || at < 0 || at > UINT32_MAX)
			continue; /* a meaning, or the encoding line */
		*bar = '\0';
		char *folded = vg_text_fold_str(line, 0);
		if (l->n_heads == n_cap) {
			n_cap = n_cap ? n_cap * 2 : 4096;
			head *grown = realloc(l->heads, n_cap * sizeof(*grown));
			if (grown)
				l->heads = grown;
			ok = grown != NULL;
		}
		ok = ok && folded && keys.len <= UINT32_MAX;
		if (ok) {
			l->heads[l->n_heads++] = (head){(uint32_t)keys.len, (uint32_t)at};
			vg_strbuf_add(&keys, folded, strlen(folded) + 1);
			ok = !keys.oom;
		}
		free(folded);
	}
	free(line);
	if (!ok) {
		vg_strbuf_free(&keys);
		free(l->heads);
		l->heads = NULL;
		l->n_heads = 0;
		fclose(f);
		return;
	}
	l->keys = vg_strbuf_detach(&keys);
	l->thesaurus = f;
	if (l->n_heads)
		qsort_r(l->heads, l->n_heads, sizeof(*l->heads), by_word, l->keys);
}

/* Appends to *out the one-word synonyms of the entry at "at" (head word
 * folded as word), folded, but for the word itself. */
static int read_entry(vg_lexicon *l, uint32_t at, const char *word, vg_strlist *out)
{
	char *line = NULL;
	size_t cap = 0;
	int rc = 0;
	if (fseek(l->thesaurus, (long)at, SEEK_SET) != 0 || getline(&line, &cap, l->thesaurus) <= 0) {
		free(line);
		return 0;
	}
	char *bar = strchr(line, '|');
	long meanings = bar ? strtol(bar + 1, NULL, 10) : 0;
	for (long m = 0; m < meanings && rc == 0 && getline(&line, &cap, l->thesaurus) > 0 && line[0] == '('; m++) {
		line[strcspn(line, "\r\n")] = '\0';
		/* Its synonyms after the part of speech. */
		for (char *p = strchr(line, '|'); p && rc == 0; p = strchr(p, '|')) {
			char *syn = ++p, *e = strchr(syn, '|');
			size_t len = e ? (size_t)(e - syn) : strlen(syn);
			if (len == 0 || memchr(syn, ' ', len) || memchr(syn, '-', len))
				continue;
			char *w = strndup(syn, len), *folded = w ? vg_text_fold_str(w, 0) : NULL;
			if (!folded)
				rc = VG_ENOMEM;
			else if (strcmp(folded, word) != 0)
				rc = vg_strlist_add_unique(out, folded);
			free(w);
			free(folded);
		}
	}
	free(line);
	return rc;
}

int vg_lexicon_synonyms(vg_lexicon *l, const char *folded, vg_strlist *out)
{
	int rc = 0;
	pthread_mutex_lock(&l->mu);
	if (!l->thesaurus_tried) {
		l->thesaurus_tried = 1;
		load_thesaurus(l);
	}
	/* The first head of that word, by bisection. */
	size_t lo = 0, hi = l->n_heads;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(l->keys + l->heads[mid].key, folded) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < l->n_heads && rc == 0 && strcmp(l->keys + l->heads[i].key, folded) == 0; i++)
		rc = read_entry(l, l->heads[i].at, folded, out);
	pthread_mutex_unlock(&l->mu);
	return rc;
}
