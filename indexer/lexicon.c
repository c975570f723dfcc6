#include "lexicon.h"
#include "strbuf.h"
#include "text.h"

#include <hunspell/hunspell.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One thesaurus entry: a folded head word and its one-word synonyms,
 * folded, NUL-separated in one buffer. */
typedef struct entry {
	char *word;
	char *synonyms;
	size_t len;
} entry;

struct vg_lexicon {
	pthread_mutex_t mu;  /* hunspell's handle is not safe for concurrent use */
	char *dir;
	Hunhandle *h;
	int tried;           /* loading was attempted (h is NULL if it failed) */
	char *thesaurus_dir;
	entry *entries;      /* sorted by word; equal words are neighbours */
	size_t n_entries;
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
	for (size_t i = 0; i < l->n_entries; i++) {
		free(l->entries[i].word);
		free(l->entries[i].synonyms);
	}
	free(l->entries);
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

static int by_word(const void *a, const void *b)
{
	return strcmp(((const entry *)a)->word, ((const entry *)b)->word);
}

/* Reads the MyThes file: "word|n" then n lines "(Nom)|syn|syn...". */
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
	entry cur = {NULL, NULL, 0};
	vg_strbuf syn = VG_STRBUF_INIT;
	int ok = 1;
	while (ok && (got = getline(&line, &cap, f)) > 0) {
		while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r'))
			line[--got] = '\0';
		if (line[0] == '(') {
			/* A meaning of the current word: its synonyms after the part
			 * of speech. */
			for (char *p = strchr(line, '|'); cur.word && p; p = strchr(p, '|')) {
				char *s = ++p, *e = strchr(s, '|');
				size_t len = e ? (size_t)(e - s) : strlen(s);
				if (len == 0 || memchr(s, ' ', len) || memchr(s, '-', len))
					continue;
				char *w = strndup(s, len), *folded = w ? vg_text_fold_str(w, 0) : NULL;
				if (folded && strcmp(folded, cur.word) != 0)
					vg_strbuf_add(&syn, folded, strlen(folded) + 1);
				ok = w && folded;
				free(w);
				free(folded);
			}
			continue;
		}
		char *bar = strchr(line, '|');
		if (!bar)
			continue; /* the encoding line */
		if (cur.word && syn.len) {
			if (l->n_entries == n_cap) {
				n_cap = n_cap ? n_cap * 2 : 4096;
				entry *grown = realloc(l->entries, n_cap * sizeof(*grown));
				ok = grown != NULL;
				if (grown)
					l->entries = grown;
			}
			if (ok) {
				cur.len = syn.len;
				cur.synonyms = vg_strbuf_detach(&syn);
				l->entries[l->n_entries++] = cur;
				cur.word = NULL;
			}
		}
		free(cur.word);
		vg_strbuf_free(&syn);
		*bar = '\0';
		cur.word = vg_text_fold_str(line, 0);
		ok = ok && cur.word;
	}
	free(cur.word);
	vg_strbuf_free(&syn);
	free(line);
	fclose(f);
	if (l->n_entries)
		qsort(l->entries, l->n_entries, sizeof(*l->entries), by_word);
}

int vg_lexicon_synonyms(vg_lexicon *l, const char *folded, vg_strlist *out)
{
	int rc = 0;
	pthread_mutex_lock(&l->mu);
	if (!l->thesaurus_tried) {
		l->thesaurus_tried = 1;
		load_thesaurus(l);
	}
	entry key = {(char *)folded, NULL, 0};
	entry *e = l->n_entries ? bsearch(&key, l->entries, l->n_entries, sizeof(*e), by_word) : NULL;
	while (e && e > l->entries && strcmp(e[-1].word, folded) == 0)
		e--;
	for (; e && e < l->entries + l->n_entries && strcmp(e->word, folded) == 0 && rc == 0; e++)
		for (const char *s = e->synonyms; s < e->synonyms + e->len && rc == 0; s += strlen(s) + 1)
			rc = vg_strlist_add_unique(out, s);
	pthread_mutex_unlock(&l->mu);
	return rc;
}
