#include "synonyms.h"
#include "strbuf.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>

/* An expression: folded words separated by single spaces. */
typedef struct expr {
	char *words;
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

/* Folds and normalises an expression to words joined by one space. */
static char *normalise(const char *s, size_t len)
{
	vg_folded f;
	if (vg_text_fold(s, len, 0, &f) < 0)
		return NULL;
	vg_strbuf b = VG_STRBUF_INIT;
	size_t i = 0;
	while (i < f.len) {
		while (i < f.len && !is_word_byte(f.text[i]))
			i++;
		size_t start = i;
		while (i < f.len && is_word_byte(f.text[i]))
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
				s->n++;
				members++;
			} else {
				free(w);
			}
			q = eq ? eq + (eq == arrow ? 2 : 1) : stop;
		}
		if (members == 1) {
			/* A lone expression has nothing to be equivalent to. */
			free(s->exprs[--s->n].words);
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
	for (size_t i = 0; i < s->n; i++)
		free(s->exprs[i].words);
	free(s->exprs);
	free(s);
}

int vg_synonyms_knows(const vg_synonyms *s, const char *word)
{
	for (size_t i = 0; s && i < s->n; i++)
		if (s->exprs[i].key && strcmp(s->exprs[i].words, word) == 0)
			return 1;
	return 0;
}

/* Length of q[i..] matched by the words of e (any non-word run in q
 * standing for a space), or 0. */
static size_t match_at(const char *q, size_t len, size_t i, const char *words)
{
	const char *w = words;
	while (*w) {
		if (*w == ' ') {
			size_t j = i;
			while (j < len && !is_word_byte(q[j]) && q[j] != '"' && q[j] != ':' && q[j] != '(' &&
			       q[j] != ')')
				j++;
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
	return (i < len && is_word_byte(q[i])) ? 0 : i;
}

/* Appends the words of e, an acronym in capitals. */
static void add_expr(const expr *e, vg_strbuf *b)
{
	for (const char *w = e->words; *w; w++)
		vg_strbuf_putc(b, e->acronym && *w >= 'a' && *w <= 'z' ? *w - 'a' + 'A' : *w);
}

/* The index in *groups of the group of expression k, added unless it is
 * there: the expression found first, then the others, separated by \x1f;
 * or -1 when out of memory. */
static long group_of(const vg_synonyms *s, size_t k, vg_strlist *groups)
{
	vg_strbuf g = VG_STRBUF_INIT;
	add_expr(&s->exprs[k], &g);
	for (size_t i = 0; i < s->n; i++) {
		if (i == k || s->exprs[i].group != s->exprs[k].group)
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
	for (size_t k = 0; s && k < s->n; k++) {
		size_t e = s->exprs[k].key ? match_at(q, len, at, s->exprs[k].words) : 0;
		/* Not a field name ("type:"). */
		if (!e || (e < len && q[e] == ':'))
			continue;
		long n = group_of(s, k, groups);
		if (n < 0)
			return VG_ENOMEM;
		*end = e;
		*group = (size_t)n;
		return 1;
	}
	return 0;
}
