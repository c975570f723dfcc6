#include "synonyms.h"
#include "strbuf.h"
#include "text.h"
#include "xapian_shim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An expression: folded words separated by single spaces. */
typedef struct expr {
	char *words;
	char *stems;       /* their French stems, likewise; NULL for an acronym */
	size_t group;
	int key;           /* found in queries; 0: only an expansion ("A => B") */
	int acronym;       /* written in capitals ("DUER"): never stemmed */
} expr;

struct vg_synonyms {
	expr *exprs;       /* longest first, so "a b c" wins over "a" */
	size_t n;
	size_t n_groups;
};

static int is_word_byte(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (unsigned char)c >= 0x80;
}

/* 1 when s[i] belongs to a word: a word byte, or an apostrophe between
 * two, which folding left in the word as the index does ("prud'hommes",
 * "aujourd'hui"; an elision's apostrophe is a space by then). */
static int in_word(const char *s, size_t len, size_t i)
{
	return is_word_byte(s[i]) || (s[i] == '\'' && i > 0 && i + 1 < len && is_word_byte(s[i - 1]) &&
	                              is_word_byte(s[i + 1]));
}

/* Folds and normalises an expression to words joined by one space. */
static char *normalise(const char *s, size_t len)
{
	vg_folded f;
	if (vg_text_fold(s, len, 0, &f) < 0)
		return NULL;
	vg_strbuf b = VG_STRBUF_INIT;
	size_t i = 0;
	while (i < f.len) {
		while (i < f.len && !in_word(f.text, f.len, i))
			i++;
		size_t start = i;
		while (i < f.len && in_word(f.text, f.len, i))
			i++;
		if (i > start) {
			if (b.len)
				vg_strbuf_putc(&b, ' ');
			vg_strbuf_add(&b, f.text + start, i - start);
		}
	}
	vg_folded_clear(&f);
	char *r = vg_strbuf_detach(&b);
	if (r && !*r) {
		free(r);
		return strdup("");
	}
	return r;
}

/* The stems of words (folded words joined by one space), joined alike. */
static char *stems_of(const char *words)
{
	vg_strbuf b = VG_STRBUF_INIT;
	for (const char *w = words; *w;) {
		size_t n = strcspn(w, " ");
		char word[VG_WORD_MAX], stem[VG_WORD_MAX];
		snprintf(word, sizeof(word), "%.*s", (int)n, w);
		vg_xstem(word, stem, sizeof(stem));
		if (b.len)
			vg_strbuf_putc(&b, ' ');
		vg_strbuf_puts(&b, stem);
		w += n;
		while (*w == ' ')
			w++;
	}
	vg_strbuf_puts(&b, "");
	return vg_strbuf_detach(&b);
}

/* 1 when s[0..len) is one word in capitals, digits or hyphens ("DUER",
 * "IA-IPR"), with two capitals at least. */
static int is_acronym(const char *s, size_t len)
{
	size_t upper = 0, i = 0;
	while (i < len && s[i] == ' ')
		i++;
	for (; i < len && s[i] != ' '; i++) {
		if (s[i] >= 'A' && s[i] <= 'Z')
			upper++;
		else if (!(s[i] >= '0' && s[i] <= '9') && s[i] != '-')
			return 0;
	}
	while (i < len && s[i] == ' ')
		i++;
	return i == len && upper >= 2;
}

static int by_length_desc(const void *a, const void *b)
{
	size_t la = strlen(((const expr *)a)->words), lb = strlen(((const expr *)b)->words);
	return la < lb ? 1 : la > lb ? -1 : 0;
}

int vg_synonyms_parse(const char *text, size_t len, vg_synonyms **out, vg_err *err)
{
	vg_synonyms *s = calloc(1, sizeof(*s));
	*out = NULL;
	if (!s)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	size_t cap = 0;
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		const char *hash = memchr(p, '#', (size_t)(eol - p));
		const char *stop = hash ? hash : eol;
		size_t members = 0;
		const char *q = p;
		/* "A => B = C": only A expands (an abbreviation that means other
		 * things elsewhere); B and C are not expanded back to it. */
		const char *arrow = memmem(p, (size_t)(stop - p), "=>", 2);
		while (q < stop) {
			const char *eq = memchr(q, '=', (size_t)(stop - q));
			const char *e = eq ? eq : stop;
			int key = !arrow || q < arrow;
			char *w = normalise(q, (size_t)(e - q));
			if (!w)
				goto oom;
			if (*w) {
				if (s->n == cap) {
					cap = cap ? cap * 2 : 64;
					expr *x = realloc(s->exprs, cap * sizeof(*x));
					if (!x) {
						free(w);
						goto oom;
					}
					s->exprs = x;
				}
				s->exprs[s->n].words = w;
				s->exprs[s->n].group = s->n_groups;
				s->exprs[s->n].key = key;
				s->exprs[s->n].acronym = is_acronym(q, (size_t)(e - q));
				s->exprs[s->n].stems = NULL;
				s->n++;
				if (!s->exprs[s->n - 1].acronym && !(s->exprs[s->n - 1].stems = stems_of(w)))
					goto oom;
				members++;
			} else {
				free(w);
			}
			q = eq ? eq + (eq == arrow ? 2 : 1) : stop;
		}
		if (members == 1) {
			/* A lone expression has nothing to be equivalent to. */
			s->n--;
			free(s->exprs[s->n].words);
			free(s->exprs[s->n].stems);
		} else if (members > 1) {
			s->n_groups++;
		}
		p = eol + 1;
	}
	if (s->n)
		qsort(s->exprs, s->n, sizeof(*s->exprs), by_length_desc);
	*out = s;
	return 0;
oom:
	vg_synonyms_free(s);
	return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
}

void vg_synonyms_free(vg_synonyms *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->exprs[i].words);
		free(s->exprs[i].stems);
	}
	free(s->exprs);
	free(s);
}

/* Where the run of q from i that may stand between two words of an
 * expression ends: spaces and punctuation, but no operator (capitals:
 * "NOT"), no quote, field, group or sign ("-mot" after a space), so that
 * an expression never swallows them. */
static size_t skip_between(const char *q, size_t len, size_t i)
{
	for (size_t j = i; j < len; j++) {
		char c = q[j];
		if (is_word_byte(c) || c == '"' || c == ':' || c == '(' || c == ')' || c == '*' || c == '+' ||
		    (c >= 'A' && c <= 'Z') || (c == '-' && j > i))
			return j;
	}
	return len;
}

/* 1 when an expression may end at q[i]: not inside a word, nor before
 * the '*' of a prefix, nor before a sign or joiner that continues the
 * word ("bac+2", "prof-doc"). */
static int ends_here(const char *q, size_t len, size_t i)
{
	if (i >= len)
		return 1;
	if (in_word(q, len, i) || q[i] == '*')
		return 0;
	return !(strchr("-+_@/.", q[i]) && i + 1 < len && is_word_byte(q[i + 1]));
}

/* Length of q[i..] matched by the words of e (a run skip_between allows
 * standing for a space), or 0. */
static size_t match_at(const char *q, size_t len, size_t i, const char *words)
{
	const char *w = words;
	while (*w) {
		if (*w == ' ') {
			size_t j = skip_between(q, len, i);
			if (j == i)
				return 0;
			i = j;
			w++;
			continue;
		}
		if (i >= len || q[i] != *w)
			return 0;
		i++;
		w++;
	}
	return ends_here(q, len, i) ? i : 0;
}

/* The words of a query from a position, with their stems: an expression
 * also matches other forms of its words ("profs" for "prof", "sèche" for
 * "sécher"). Words run as match_at reads them. */
enum { QUERY_WORDS_MAX = 8 };
typedef struct query_words {
	size_t n;
	size_t end[QUERY_WORDS_MAX];
	int joined[QUERY_WORDS_MAX]; /* joined to the next by a hyphen ("burn-outs") */
	char word[QUERY_WORDS_MAX][VG_WORD_MAX];
	char stem[QUERY_WORDS_MAX][VG_WORD_MAX];
} query_words;

static void read_query_words(const char *q, size_t len, size_t i, query_words *out)
{
	out->n = 0;
	while (out->n < QUERY_WORDS_MAX && i < len && is_word_byte(q[i])) {
		size_t start = i;
		while (i < len && in_word(q, len, i))
			i++;
		int joined = i + 1 < len && q[i] == '-' && is_word_byte(q[i + 1]);
		if (!ends_here(q, len, i) && !joined)
			break;
		snprintf(out->word[out->n], VG_WORD_MAX, "%.*s", (int)(i - start), q + start);
		vg_xstem(out->word[out->n], out->stem[out->n], VG_WORD_MAX);
		out->joined[out->n] = joined;
		out->end[out->n++] = i;
		size_t j = joined ? i + 1 : skip_between(q, len, i);
		if (j == i)
			break;
		i = j;
	}
}

/* Where the query words w end when they are other forms of the words of
 * e, word by word: the same stem, or for a word of three letters or
 * fewer, whose stem says little ("fac", "faces"), the same word or its
 * plural ("facs"). 0 when they are not. */
static size_t match_stems(const query_words *w, const expr *e)
{
	size_t k = 0;
	const char *word = e->words;
	for (const char *p = e->stems; *p; k++) {
		size_t n = strcspn(p, " "), wn = strcspn(word, " ");
		if (k >= w->n)
			return 0;
		size_t qn = strlen(w->word[k]);
		int same = wn <= 3 ? (qn == wn || (qn == wn + 1 && (w->word[k][wn] == 's' || w->word[k][wn] == 'x'))) &&
		                         memcmp(w->word[k], word, wn) == 0
		                   : *w->stem[k] && strlen(w->stem[k]) == n && memcmp(w->stem[k], p, n) == 0;
		if (!same)
			return 0;
		p += n;
		word += wn;
		while (*p == ' ')
			p++;
		while (*word == ' ')
			word++;
	}
	/* Not within words joined by a hyphen ("prof-doc" is not "prof"). */
	return k && !w->joined[k - 1] ? w->end[k - 1] : 0;
}

int vg_synonyms_knows(const vg_synonyms *s, const char *word)
{
	size_t len = strlen(word);
	query_words w;
	read_query_words(word, len, 0, &w);
	for (size_t i = 0; s && i < s->n; i++) {
		const expr *x = &s->exprs[i];
		if (x->key && (strcmp(x->words, word) == 0 || (x->stems && w.n == 1 && match_stems(&w, x) == len)))
			return 1;
	}
	return 0;
}

/* Appends the words of e, an acronym in capitals. */
static void add_expr(const expr *e, vg_strbuf *b)
{
	for (const char *w = e->words; *w; w++)
		vg_strbuf_putc(b, e->acronym && *w >= 'a' && *w <= 'z' ? *w - 'a' + 'A' : *w);
}

/* The index in *groups of the group of expression k, added unless it is
 * there: typed (the words of the query that matched another form of
 * expression k) or else expression k, then the group's expressions,
 * separated by \x1f; or -1 when out of memory. */
static long group_of(const vg_synonyms *s, size_t k, const char *typed, vg_strlist *groups)
{
	vg_strbuf g = VG_STRBUF_INIT;
	if (typed)
		vg_strbuf_puts(&g, typed);
	else
		add_expr(&s->exprs[k], &g);
	for (size_t i = 0; i < s->n; i++) {
		if ((i == k && !typed) || s->exprs[i].group != s->exprs[k].group)
			continue;
		vg_strbuf_putc(&g, '\x1f');
		add_expr(&s->exprs[i], &g);
	}
	if (g.oom || vg_strlist_add_unique(groups, g.ptr) < 0) {
		vg_strbuf_free(&g);
		return -1;
	}
	size_t n = 0;
	while (strcmp(groups->items[n], g.ptr) != 0)
		n++;
	vg_strbuf_free(&g);
	return (long)n;
}

int vg_synonyms_match(const vg_synonyms *s, const char *q, size_t len, size_t at, vg_strlist *groups, size_t *end,
                      size_t *group)
{
	query_words w;
	if (s && s->n)
		read_query_words(q, len, at, &w);
	/* The longest match wins, as written before in other forms: "boss" is
	 * the key boss, not a form of "bosser". */
	size_t best = 0, best_end = 0;
	int best_by_stems = 0;
	for (size_t k = 0; s && k < s->n; k++) {
		const expr *x = &s->exprs[k];
		if (!x->key)
			continue;
		size_t exact = match_at(q, len, at, x->words);
		size_t other = x->stems && !exact ? match_stems(&w, x) : 0;
		size_t e = exact ? exact : other;
		/* Not a field name ("type:"). */
		if (!e || (e < len && q[e] == ':'))
			continue;
		if (e > best_end || (e == best_end && exact && best_by_stems)) {
			best = k;
			best_end = e;
			best_by_stems = !exact;
		}
	}
	if (best_end) {
		/* Another form of the expression is searched as typed too. */
		char *typed = best_by_stems ? normalise(q + at, best_end - at) : NULL;
		long n = best_by_stems && !typed ? -1 : group_of(s, best, typed, groups);
		free(typed);
		if (n < 0)
			return VG_ENOMEM;
		*end = best_end;
		*group = (size_t)n;
		return 1;
	}
	return 0;
}
