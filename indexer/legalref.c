#include "legalref.h"
#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Whether the character starting at t[i] is a letter or a digit. Beyond
 * ASCII only Latin letters (U+00C0..U+024F) count, so that no-break spaces,
 * guillemets and typographic apostrophes are separators. */
static int word_char_at(const char *t, size_t len, size_t i)
{
	unsigned char c = (unsigned char)t[i];
	if (c < 0x80)
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	return c >= 0xc3 && c <= 0xc9 && i + 1 < len;
}

/* Same for the character that ends just before t[i]. */
static int word_char_before(const char *t, size_t len, size_t i)
{
	if (i == 0)
		return 0;
	size_t s = i - 1;
	while (s > 0 && ((unsigned char)t[s] & 0xc0) == 0x80 && i - s < 4)
		s--;
	return word_char_at(t, len, s);
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c + 'a' - 'A') : c;
}

/* Length of the space at t[i] (ASCII space or tab, no-break spaces), or 0. */
static size_t space_len(const char *t, size_t len, size_t i)
{
	if (i < len && (t[i] == ' ' || t[i] == '\t'))
		return 1;
	if (i + 1 < len && (unsigned char)t[i] == 0xc2 && (unsigned char)t[i + 1] == 0xa0)
		return 2;
	if (i + 2 < len && (unsigned char)t[i] == 0xe2 && (unsigned char)t[i + 1] == 0x80 &&
	    (unsigned char)t[i + 2] == 0xaf)
		return 3;
	return 0;
}

static size_t skip_spaces(const char *t, size_t len, size_t i)
{
	size_t n;
	while ((n = space_len(t, len, i)) > 0)
		i += n;
	return i;
}

/* Matches the folded ASCII word w at t[i], case-insensitively, with é, è,
 * ê (either case) standing for e. Returns the end offset or 0. */
static size_t match_word(const char *t, size_t len, size_t i, const char *w)
{
	while (*w) {
		if (i >= len)
			return 0;
		unsigned char c = (unsigned char)t[i];
		if (c == 0xc3 && i + 1 < len) {
			unsigned char d = (unsigned char)t[i + 1];
			int is_e = d == 0xa9 || d == 0xa8 || d == 0xaa || d == 0x89 ||
			           d == 0x88 || d == 0x8a;
			if (!is_e || *w != 'e')
				return 0;
			i += 2;
		} else {
			if (lower((char)c) != *w)
				return 0;
			i++;
		}
		w++;
	}
	return i;
}

/* Reads digit groups "421-58-1" at t[i] into canon; returns end or 0. The
 * first group has 1..6 digits, and at least min_groups groups are needed. */
static size_t read_number(const char *t, size_t len, size_t i, int min_groups,
                          char *canon, size_t *clen)
{
	int groups = 0;
	for (;;) {
		size_t s = i;
		while (i < len && is_digit(t[i]) && i - s < 7)
			i++;
		if (i == s || i - s > 6 || (i < len && is_digit(t[i])))
			return 0;
		if (*clen + (i - s) + 2 >= VG_REF_MAX)
			return 0;
		if (groups > 0)
			canon[(*clen)++] = '-';
		memcpy(canon + *clen, t + s, i - s);
		*clen += i - s;
		groups++;
		if (i + 1 < len && t[i] == '-' && is_digit(t[i + 1])) {
			i++;
			continue;
		}
		break;
	}
	if (groups < min_groups)
		return 0;
	if (i < len && word_char_at(t, len, i))
		return 0;
	canon[*clen] = '\0';
	return i;
}

/* "R. 421-58", "L214-6", "D 422-2" at t[i]. With a preceding "article" a
 * single number ("article L1") is enough, and in a query after the letter's
 * dot ("L. 1", "l.2": how the law cites them); otherwise a hyphen is
 * needed. */
static size_t match_article(const char *t, size_t len, size_t i, unsigned flags,
                            int after_keyword, char canon[VG_REF_MAX])
{
	char c = t[i];
	int upper = c == 'L' || c == 'R' || c == 'D' || c == 'A';
	int low = (flags & VG_REF_QUERY) && (c == 'l' || c == 'r' || c == 'd' || c == 'a');
	if (!upper && !low)
		return 0;
	size_t j = i + 1;
	int dotted = j < len && t[j] == '.';
	j += dotted;
	if (j < len && t[j] == '*')
		j++;
	j = skip_spaces(t, len, j);
	if (j >= len || !is_digit(t[j]))
		return 0;
	if (j == i + 1 && !upper && !after_keyword && !(flags & VG_REF_QUERY))
		return 0;
	size_t clen = 1;
	canon[0] = (char)(upper ? c : c - 'a' + 'A');
	int single = after_keyword || (dotted && (flags & VG_REF_QUERY));
	return read_number(t, len, j, single ? 1 : 2, canon, &clen);
}

static const char *const acts[] = {"decret", "loi", "ordonnance", "circulaire",
                                   "arrete", NULL};

/* "décret n° 2012-1246", "loi no 2013-595", "circulaire 2011-117". */
static size_t match_act(const char *t, size_t len, size_t i, char canon[VG_REF_MAX])
{
	for (const char *const *a = acts; *a; a++) {
		size_t j = match_word(t, len, i, *a);
		if (!j || (j < len && word_char_at(t, len, j)))
			continue;
		size_t k = skip_spaces(t, len, j);
		if (k == j && k < len && t[k] == '-')
			k++;
		/* Optional "n°", "no", "nº", "numéro", "n." */
		size_t m;
		if ((m = match_word(t, len, k, "numero")) != 0) {
			k = m;
		} else if (k < len && (t[k] == 'n' || t[k] == 'N')) {
			size_t n = k + 1;
			if (n + 1 < len && (unsigned char)t[n] == 0xc2 &&
			    ((unsigned char)t[n + 1] == 0xb0 || (unsigned char)t[n + 1] == 0xba))
				k = n + 2;
			else if (n < len && (t[n] == 'o' || t[n] == '.') &&
			         (n + 1 >= len || !word_char_at(t, len, n + 1) || is_digit(t[n + 1])))
				k = n + 1;
			else if (space_len(t, len, n) &&
			         (n + 2 < len && (unsigned char)t[n + 1] == 0xc2 &&
			          (unsigned char)t[n + 2] == 0xb0))
				k = n + 3;
		}
		k = skip_spaces(t, len, k);
		if (k >= len || !is_digit(t[k]))
			return 0;
		size_t clen = (size_t)snprintf(canon, VG_REF_MAX, "%s-", *a);
		size_t end = read_number(t, len, k, 2, canon, &clen);
		if (!end)
			return 0;
		/* Acts are numbered YY-N or YYYY-N. */
		const char *dash = memchr(t + k, '-', end - k);
		size_t year = (size_t)(dash - (t + k));
		return (year >= 2 && year <= 4) ? end : 0;
	}
	return 0;
}

static size_t match_keyword(const char *t, size_t len, size_t i)
{
	size_t j;
	if ((j = match_word(t, len, i, "articles")) || (j = match_word(t, len, i, "article"))) {
		if (j < len && word_char_at(t, len, j))
			return 0;
		return j;
	}
	if ((j = match_word(t, len, i, "art")) && j < len && (t[j] == '.' || space_len(t, len, j)))
		return t[j] == '.' ? j + 1 : j; /* "art. R421-58", "art R 421-58" */
	return 0;
}

/* A range spans at most this many articles: a longer one is more likely a
 * misreading than a citation. */
#define RANGE_MAX 50

/* The number after the last '-' of an article's canonical form (after its
 * letter for a single number), the length of what precedes it in *stem;
 * -1 when the form has none. */
static long last_number(const char *canon, size_t *stem)
{
	const char *dash = strrchr(canon, '-');
	if (canon[0] && !dash && is_digit(canon[1]))
		dash = canon; /* a single number: "L1" */
	if (!dash || !dash[1] || strchr("LRDA", canon[0]) == NULL)
		return -1;
	char *end;
	long n = strtol(dash + 1, &end, 10);
	if (*end || n < 0 || !is_digit(dash[1]))
		return -1;
	*stem = (size_t)(dash - canon) + 1;
	return n;
}

/* After the reference ending at end: "à", "au" or a dash, then an article
 * of the same stem with a higher last number; reports those in between. */
static int scan_range(const char *t, size_t len, unsigned flags, const vg_ref_match *first,
                      vg_ref_cb cb, void *ctx)
{
	size_t j = skip_spaces(t, len, first->end);
	size_t k = 0;
	if (j + 1 < len && (unsigned char)t[j] == 0xc3 && (unsigned char)t[j + 1] == 0xa0)
		k = j + 2; /* "à" */
	else if (j + 1 < len && t[j] == 'a' && t[j + 1] == 'u')
		k = j + 2;
	else if ((flags & VG_REF_QUERY) && j < len && t[j] == 'a')
		k = j + 1; /* "à" in a query, folded */
	else if (j + 2 < len && (unsigned char)t[j] == 0xe2 && (unsigned char)t[j + 1] == 0x80 &&
	         ((unsigned char)t[j + 2] == 0x93 || (unsigned char)t[j + 2] == 0x94))
		k = j + 3; /* en or em dash */
	/* "à" and "au" are words of their own; a dash may touch the number. */
	if (!k || (j == first->end && (unsigned char)t[j] != 0xe2) ||
	    ((unsigned char)t[j] != 0xe2 && !space_len(t, len, k)))
		return 0;
	k = skip_spaces(t, len, k);
	if (k + 1 < len && (t[k] == 'l' || t[k] == 'L') && t[k + 1] == '\'')
		k += 2; /* "à l'article" */
	else if (k + 3 < len && (t[k] == 'l' || t[k] == 'L') && memcmp(t + k + 1, "\xe2\x80\x99", 3) == 0)
		k += 4;
	else if ((flags & VG_REF_QUERY) && k + 1 < len && (t[k] == 'l' || t[k] == 'L') && space_len(t, len, k + 1) &&
	         match_keyword(t, len, skip_spaces(t, len, k + 1)))
		k = skip_spaces(t, len, k + 1); /* "à l'article", folded */
	size_t kw = match_keyword(t, len, k);
	char last[VG_REF_MAX];
	if (!(kw && match_article(t, len, skip_spaces(t, len, kw), flags, 1, last)) &&
	    !match_article(t, len, k, flags, 0, last))
		return 0;
	size_t stem_a, stem_b;
	long a = last_number(first->canon, &stem_a), b = last_number(last, &stem_b);
	if (a < 0 || b <= a + 1 || b - a > RANGE_MAX || stem_a != stem_b ||
	    memcmp(first->canon, last, stem_a) != 0)
		return 0;
	vg_ref_match m = {.start = j, .end = k, .spanned = 1};
	for (long n = a + 1; n < b; n++) {
		snprintf(m.canon, VG_REF_MAX, "%.*s%ld", (int)stem_a, first->canon, n);
		int rc = cb(&m, ctx);
		if (rc)
			return rc;
	}
	return 0;
}

int vg_legalref_scan(const char *text, size_t len, unsigned flags,
                     vg_ref_cb cb, void *ctx)
{
	size_t i = 0;
	while (i < len) {
		if (word_char_before(text, len, i)) {
			i++;
			continue;
		}
		vg_ref_match m = {.spanned = 0};
		size_t end = 0;
		size_t kw = match_keyword(text, len, i);
		if (kw) {
			size_t j = skip_spaces(text, len, kw);
			if (j > kw && (end = match_article(text, len, j, flags, 1, m.canon)))
				m.start = i;
		}
		if (!end && (end = match_article(text, len, i, flags, 0, m.canon)))
			m.start = i;
		if (!end && (end = match_act(text, len, i, m.canon)))
			m.start = i;
		if (end) {
			m.end = end;
			int rc = cb(&m, ctx);
			if (!rc && (flags & VG_REF_RANGES))
				rc = scan_range(text, len, flags, &m, cb, ctx);
			if (rc)
				return rc;
			i = end;
		} else {
			i++;
		}
	}
	return 0;
}

typedef struct {
	int count;
	size_t start, end;
	char canon[VG_REF_MAX];
} single_ctx;

static int single_cb(const vg_ref_match *m, void *ctx)
{
	single_ctx *s = ctx;
	if (s->count++ == 0) {
		s->start = m->start;
		s->end = m->end;
		memcpy(s->canon, m->canon, VG_REF_MAX);
	}
	return 0;
}

int vg_legalref_canonical(const char *token, char out[VG_REF_MAX])
{
	single_ctx s = {0, 0, 0, {0}};
	size_t len = strlen(token);
	vg_legalref_scan(token, len, VG_REF_QUERY, single_cb, &s);
	if (s.count == 1 && s.start == 0 && s.end == len) {
		memcpy(out, s.canon, VG_REF_MAX);
		return 0;
	}
	/* A whole token is a reference by itself, as after "article": the
	 * single-number articles of a code ("L1", "ref:L2", article-l1.md). */
	char canon[VG_REF_MAX];
	if (len && match_article(token, len, 0, VG_REF_QUERY, 1, canon) == len) {
		memcpy(out, canon, VG_REF_MAX);
		return 0;
	}
	return VG_EINVAL;
}

int vg_legalref_from_path(const char *path, char out[VG_REF_MAX])
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (strncmp(base, "article-", 8) != 0)
		return VG_ENOTFOUND;
	const char *dot = strrchr(base, '.');
	size_t n = dot ? (size_t)(dot - base) - 8 : strlen(base) - 8;
	char tok[VG_REF_MAX];
	if (n == 0 || n >= sizeof(tok))
		return VG_ENOTFOUND;
	memcpy(tok, base + 8, n);
	tok[n] = '\0';
	char canon[VG_REF_MAX];
	if (vg_legalref_canonical(tok, canon) < 0 || strchr("LRDA", canon[0]) == NULL)
		return VG_ENOTFOUND;
	memcpy(out, canon, VG_REF_MAX);
	return 0;
}

void vg_legalref_term(const char *canon, char out[VG_REF_MAX])
{
	size_t i = 0;
	for (; canon[i] && i + 1 < VG_REF_MAX; i++) {
		char c = canon[i];
		out[i] = c == '-' ? '_' : lower(c);
	}
	out[i] = '\0';
}

void vg_legalref_label(const char *canon, char out[VG_REF_LABEL_MAX])
{
	static const struct {
		const char *act, *label;
	} acts_fr[] = {{"decret", "décret"}, {"loi", "loi"}, {"ordonnance", "ordonnance"},
	               {"circulaire", "circulaire"}, {"arrete", "arrêté"}};
	for (size_t i = 0; i < sizeof(acts_fr) / sizeof(acts_fr[0]); i++) {
		size_t n = strlen(acts_fr[i].act);
		if (strncmp(canon, acts_fr[i].act, n) == 0 && canon[n] == '-') {
			snprintf(out, VG_REF_LABEL_MAX, "%s n° %s", acts_fr[i].label, canon + n + 1);
			return;
		}
	}
	/* An article: its code letter, a dot, a space, its number. */
	if (canon[0] && strchr("LRDA", canon[0]) && is_digit(canon[1]))
		snprintf(out, VG_REF_LABEL_MAX, "article %c. %s", canon[0], canon + 1);
	else
		snprintf(out, VG_REF_LABEL_MAX, "%s", canon);
}
