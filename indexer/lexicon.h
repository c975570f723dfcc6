/* The French lexicon: Debian's hunspell-fr dictionary, through libhunspell,
 * tells whether a word is French at all (a query word the index does not
 * know is a typo to correct only when it is not a French word either:
 * "cantine", "gamin" are words the documents do not use, not typos), and
 * Debian's mythes-fr thesaurus gives the words of the same meaning that a
 * question may use where the law uses another ("patron", "employeur"). */
#ifndef VG_LEXICON_H
#define VG_LEXICON_H

#include "error.h"
#include "strlist.h"

typedef struct vg_lexicon vg_lexicon;

/* A lexicon over the hunspell dictionary dir/fr_FR.{aff,dic} (dir NULL:
 * /usr/share/hunspell) and the thesaurus thesaurus_dir/th_fr_FR_v2.dat
 * (NULL: /usr/share/mythes), each loaded on first use. *out:
 * vg_lexicon_free; VG_ENOMEM. One lexicon may serve several threads. */
int vg_lexicon_new(vg_lexicon **out, const char *dir, const char *thesaurus_dir, vg_err *err);
/* Frees the lexicon; freeing NULL does nothing. */
void vg_lexicon_free(vg_lexicon *l);

/* 1 when word (UTF-8, as typed) is a French word, 0 when not, -1 when the
 * dictionary is not installed or cannot be read. */
int vg_lexicon_knows(vg_lexicon *l, const char *word);

/* Appends to *out the thesaurus's synonyms of a folded word, as single
 * folded words (expressions of several words are left out). Nothing when
 * the thesaurus is not installed. Fails only with VG_ENOMEM. */
int vg_lexicon_synonyms(vg_lexicon *l, const char *folded, vg_strlist *out);

#endif
