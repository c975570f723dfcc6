/* French text analysis shared by indexing and querying: case and accent
 * folding, elision splitting, encoding repair. Stemming itself is Xapian's
 * (Snowball French), applied to the folded text by the Xapian shim. */
#ifndef VG_TEXT_H
#define VG_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Folded text with, optionally, the position in the original text that each
 * folded byte came from (orig[len] is the original length), so that hits
 * found in folded text can be shown in the original. */
typedef struct vg_folded {
	char *text;     /* NUL-terminated, owned */
	size_t len;
	uint32_t *orig; /* len + 1 entries, or NULL when no map was asked for */
} vg_folded;

enum {
	VG_FOLD_MAP = 1,   /* fill vg_folded.orig */
	VG_FOLD_QUERY = 2  /* keep AND/OR/NOT..., map ET/OU/SAUF, keep case of
	                      boolean operators only (outside quotes, and
	                      unless the whole text is in capitals) */
};

/* Folds in[0..len): lower case, accents stripped (é→e, œ→oe, ç→c),
 * apostrophes unified and elisions (l', d', qu', jusqu'...) split off by a
 * space, typographic quotes and no-break spaces made ASCII, control
 * characters and invalid UTF-8 bytes made spaces. On success out owns the
 * result (release with vg_folded_clear); on failure out is empty. */
int vg_text_fold(const char *in, size_t len, unsigned flags, vg_folded *out);
void vg_folded_clear(vg_folded *f);

/* s[0..len) in lower case, accents kept ("Établissement" →
 * "établissement"); malloc'd, or NULL when out of memory or not UTF-8. */
char *vg_text_lower(const char *s, size_t len);

/* Folds a NUL-terminated string; returns a malloc'd string or NULL. */
char *vg_text_fold_str(const char *s, unsigned flags);

/* 1 when s[0..len) is well-formed UTF-8. */
int vg_utf8_valid(const char *s, size_t len);
/* The number of characters of a well-formed UTF-8 string. */
size_t vg_utf8_length(const char *s);

/* A typed query with its shorthand written out as the documents write it:
 * initials joined ("C.D.D." → "CDD", "C.H.S.C.T" → "CHSCT") and hours
 * spelt ("35h" → "35 heures", "8h30" → "8 heures 30"). malloc'd, or NULL
 * when out of memory. */
char *vg_text_spell_out(const char *q);

/* Returns in *out a malloc'd NUL-terminated UTF-8 copy of in[0..len):
 * unchanged when it is valid UTF-8, otherwise decoded as Windows-1252 (the
 * usual encoding of French files that are not UTF-8) and *recoded set to 1. */
int vg_text_to_utf8(const char *in, size_t len, char **out, size_t *out_len,
                    int *recoded);

/* 1 when the buffer looks binary (a NUL byte in its first 8 KiB). */
int vg_text_is_binary(const char *s, size_t len);

/* Splits the hyphenated inversions of French questions in a folded query,
 * in place ("peut-on" → "peut on", "a-t-il" → "a t il"): the pronoun
 * becomes a word of its own, not a phrase with the verb. This function
 * can't fail. */
void vg_text_split_inversions(char *folded);

/* Candidate words of the same derivational family as a folded word, by
 * the regular French suffixes ("modification" ↔ "modifier",
 * "recouvrement" ↔ "recouvrer", "etablissement" ↔ "etablir", "employeur"
 * ↔ "employer"): up to max candidates written into out[i] (each
 * VG_WORD_MAX bytes); returns how many. Candidates may not be words: the
 * caller keeps those its vocabulary knows. This function can't fail. */
#define VG_WORD_MAX 64
size_t vg_text_derivations(const char *word, char out[][VG_WORD_MAX], size_t max);

/* s without the white space at its ends: moves past the leading one and
 * cuts the trailing one in place. This function can't fail. */
char *vg_text_trim(char *s);

/* A size or count: digits and an optional K, M or G suffix (1024-based),
 * into *out when it is at most max, suffix included ("65535k" is not a
 * port); VG_EINVAL otherwise (signs, spaces, overflow, other suffixes). */
int vg_text_parse_size(const char *s, unsigned long long max, unsigned long long *out);

/* True for the French stop words the query reader (query.c) leaves out of
 * non-phrase queries ("le", "de", "et"...). */
int vg_text_is_stopword(const char *folded_word);
/* The NULL-terminated list of those stop words. */
extern const char *const vg_text_stopwords[];

#endif
