#include "quantity.h"

#include <string.h>

/* Folded text as words: runs of letters and digits; "%" and "€" are words
 * of their own. */
typedef struct word {
	const char *at;
	size_t len;
} word;

#define EURO "\xe2\x82\xac"

static int is_letter_or_digit(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static int is_euro(const char *s, const char *end)
{
	return end - s >= 3 && memcmp(s, EURO, 3) == 0;
}

/* The next word at or after *p in [*p, end), or a word of length 0. */
static word next_word(const char **p, const char *end)
{
	const char *s = *p;
	while (s < end && !is_letter_or_digit((unsigned char)*s) && *s != '%' && !is_euro(s, end))
		s++;
	word w = {s, 0};
	if (s == end)
		w.len = 0;
	else if (*s == '%')
		w.len = 1;
	else if (is_euro(s, end))
		w.len = 3;
	else
		while (s + w.len < end && is_letter_or_digit((unsigned char)s[w.len]))
			w.len++;
	*p = s + w.len;
	return w;
}

static int is_one_of(word w, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == w.len && memcmp(*list, w.at, w.len) == 0)
			return 1;
	return 0;
}

static int is_number(word w)
{
	static const char *const number_words[] = {
		"un", "une", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
		"onze", "douze", "treize", "quatorze", "quinze", "seize", "vingt", "vingts", "trente",
		"quarante", "cinquante", "soixante", "cent", "cents", "mille", "demi", "demie", NULL};
	size_t digits = 0;
	while (digits < w.len && w.at[digits] >= '0' && w.at[digits] <= '9')
		digits++;
	return w.len > 0 && (digits == w.len || is_one_of(w, number_words));
}

/* The kinds a unit after a number gives; "pour" counts as "pour cent". */
static unsigned unit_kinds(word unit, word after)
{
	static const char *const time_units[] = {
		"heure", "heures", "minute", "minutes", "jour", "jours", "semaine", "semaines", "mois",
		"trimestre", "trimestres", "semestre", "semestres", NULL};
	static const char *const year_units[] = {"an", "ans", "annee", "annees", NULL};
	static const char *const money_units[] = {"euro", "euros", EURO, NULL};
	static const char *const headcount_units[] = {"salarie", "salaries", "salariee", "salariees", NULL};
	static const char *const rate_units[] = {"%", NULL};
	static const char *const per[] = {"pour", NULL}, *const hundred[] = {"cent", NULL};
	if (is_one_of(unit, time_units))
		return VG_QTY_DURATION;
	if (is_one_of(unit, year_units))
		return VG_QTY_DURATION | VG_QTY_YEARS;
	if (is_one_of(unit, rate_units) || (is_one_of(unit, per) && is_one_of(after, hundred)))
		return VG_QTY_RATE;
	if (is_one_of(unit, money_units))
		return VG_QTY_AMOUNT;
	if (is_one_of(unit, headcount_units))
		return VG_QTY_HEADCOUNT;
	return 0;
}

unsigned vg_quantity_stated(const char *folded, size_t len)
{
	const char *p = folded, *end = folded + len;
	unsigned kinds = 0;
	word prev = {NULL, 0};
	for (word w = next_word(&p, end); w.len; prev = w, w = next_word(&p, end)) {
		if (!is_number(prev) || is_number(w))
			continue;
		const char *q = p;
		kinds |= unit_kinds(w, next_word(&q, end));
	}
	return kinds;
}

/* The kind of quantity word names, or 0. */
static unsigned named(word w)
{
	static const struct {
		const char *word;
		unsigned kind;
	} names[] = {
		{"duree", VG_QTY_DURATION},   {"durees", VG_QTY_DURATION},      {"delai", VG_QTY_DURATION},
		{"delais", VG_QTY_DURATION},  {"longtemps", VG_QTY_DURATION},   {"age", VG_QTY_YEARS},
		{"taux", VG_QTY_RATE},        {"pourcentage", VG_QTY_RATE},     {"montant", VG_QTY_AMOUNT},
		{"montants", VG_QTY_AMOUNT},  {"effectif", VG_QTY_HEADCOUNT},   {"effectifs", VG_QTY_HEADCOUNT},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].word) == w.len && memcmp(names[i].word, w.at, w.len) == 0)
			return names[i].kind;
	return 0;
}

unsigned vg_quantity_named(const char *folded_word)
{
	return named((word){folded_word, strlen(folded_word)});
}

const char *vg_quantity_term(unsigned kind)
{
	switch (kind) {
	case VG_QTY_DURATION:
		return "XQduree";
	case VG_QTY_YEARS:
		return "XQans";
	case VG_QTY_RATE:
		return "XQtaux";
	case VG_QTY_AMOUNT:
		return "XQmontant";
	case VG_QTY_HEADCOUNT:
		return "XQeffectif";
	default:
		return NULL;
	}
}

unsigned vg_quantity_asked(const char *folded)
{
	static const char *const asking[] = {"combien", "quel", "quelle", "quels", "quelles", NULL};
	static const char *const of[] = {"de", "d", NULL};
	static const char *const counted_time[] = {"temps", "heure", "heures", "minutes", "jours", "semaines",
	                                           "mois", "ans", "annees", NULL};
	const char *p = folded, *end = folded + strlen(folded);
	unsigned kinds = 0;
	for (word w = next_word(&p, end); w.len; w = next_word(&p, end)) {
		kinds |= named(w);
		if (w.len == 1 && *w.at == '%')
			kinds |= VG_QTY_RATE;
		if (!is_one_of(w, asking))
			continue;
		/* "combien de jours", "quelle heure": what is counted. */
		const char *q = p;
		word after = next_word(&q, end);
		if (is_one_of(after, of))
			after = next_word(&q, end);
		if (is_one_of(after, counted_time))
			kinds |= VG_QTY_DURATION;
		kinds |= unit_kinds(after, (word){NULL, 0}) & (VG_QTY_AMOUNT | VG_QTY_HEADCOUNT);
	}
	return kinds;
}
