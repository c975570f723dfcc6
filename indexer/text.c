#include "text.h"
#include "strbuf.h"

#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

const char *const vg_text_stopwords[] = {
	"a", "au", "aux", "avec", "ce", "ces", "c", "d", "dans", "de", "des",
	"du", "elle", "en", "et", "eux", "il", "ils", "j", "je", "l", "la", "le",
	"les", "leur", "leurs", "lui", "m", "ma", "mais", "me", "meme", "mes",
	"moi", "mon", "n", "ne", "nos", "notre", "nous", "on", "ou", "par",
	"pas", "pour", "qu", "que", "qui", "s", "sa", "se", "ses", "son", "sur",
	"t", "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre",
	"vous", "y", "est", "sont", "ete", "etre", "cet", "cette", "aussi",
	/* The words of a question, which say nothing of its subject. */
	"comment", "combien", "pourquoi", "quand", "quel", "quelle", "quels",
	"quelles", "lequel", "laquelle", "lesquels", "lesquelles", "quoi",
	"dont", "peut", "peuvent", "doit", "doivent", "faut", "ont", "ai",
	"avez", "si", "peux", "puis", "pouvez", "dois", "devez", "veux", "veut", "voulez",
	"elles",
	/* Function words that say nothing of a subject either. */
	"jusqu", "lorsqu", "lorsque", "puisqu", "puisque", "quoiqu", "quelqu", "chaque", "tout",
	"tous", "toute", "toutes", "autre", "autres", "plus", "tres", "bien", "alors", "donc",
	"ni", "car",
	NULL
};

/* Subject pronouns that follow a verb in a question ("doit-il"). */
static const char *const inverted[] = {"il", "elle", "on", "ils", "elles", "je", "tu", "nous",
                                       "vous", "ce", NULL};

void vg_text_split_inversions(char *q)
{
	for (char *p = q; *p; p++) {
		if (*p != '-' || p == q || !((p[-1] >= 'a' && p[-1] <= 'z')))
			continue;
		char *w = p + 1;
		if (w[0] == 't' && w[1] == '-')
			w += 2; /* "a-t-on" */
		for (const char *const *pr = inverted; *pr; pr++) {
			size_t n = strlen(*pr);
			if (strncmp(w, *pr, n) == 0 && !((w[n] >= 'a' && w[n] <= 'z') || (w[n] >= '0' && w[n] <= '9'))) {
				*p = ' ';
				if (w != p + 1)
					w[-1] = ' ';
				break;
			}
		}
	}
}

char *vg_text_lower(const char *s, size_t len)
{
	vg_strbuf b = VG_STRBUF_INIT;
	size_t i = 0;
	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0) {
			vg_strbuf_free(&b);
			return NULL;
		}
		utf8proc_uint8_t out[4];
		utf8proc_ssize_t w = utf8proc_encode_char(utf8proc_tolower(cp), out);
		vg_strbuf_add(&b, (const char *)out, (size_t)w);
		i += (size_t)n;
	}
	vg_strbuf_puts(&b, "");
	return vg_strbuf_detach(&b);
}

/* Regular suffix pairs of French derivation, in folded form: a noun and
 * the verb it is made from. Longer suffixes first, so that "fication"
 * wins over "ation". */
static const char *const suffix_pairs[][2] = {
	{"fication", "fier"}, {"ception", "cevoir"}, {"isation", "iser"}, {"ication", "iquer"},
	{"ssement", "r"},     {"ission", "ettre"},   {"sition", "ser"},   {"uction", "uire"},
	{"atrice", "er"},     {"ation", "er"},       {"ement", "er"},     {"ition", "ir"},
	{"ution", "uer"},     {"ateur", "er"},       {"ature", "er"},     {"ance", "er"},
	{"euse", "er"},       {"eur", "er"},         {"age", "er"},
};

size_t vg_text_derivations(const char *w, char out[][VG_WORD_MAX], size_t max)
{
	size_t n = 0, len = strlen(w);
	for (int dir = 0; dir < 2; dir++) {
		for (size_t i = 0; i < sizeof(suffix_pairs) / sizeof(suffix_pairs[0]) && n < max; i++) {
			const char *from = suffix_pairs[i][dir], *to = suffix_pairs[i][!dir];
			size_t fl = strlen(from), tl = strlen(to);
			/* At least three letters of stem, and no other suffix of this
			 * direction already taken ("modification" is not "modificater"). */
			if (len < fl + 3 || strcmp(w + len - fl, from) != 0 || len - fl + tl >= VG_WORD_MAX)
				continue;
			memcpy(out[n], w, len - fl);
			strcpy(out[n] + len - fl, to);
			n++;
			if (dir == 0)
				break;
		}
	}
	return n;
}

char *vg_text_trim(char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\v' || *s == '\f')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r' ||
	                 s[n - 1] == '\v' || s[n - 1] == '\f'))
		s[--n] = '\0';
	return s;
}

int vg_text_parse_size(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long n = 0, unit = 1;
	const char *p = s;
	if (*p < '0' || *p > '9')
		return VG_EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (n > (~0ULL - 9) / 10)
			return VG_EINVAL;
		n = n * 10 + (unsigned long long)(*p - '0');
	}
	if (*p == 'k' || *p == 'K')
		unit = 1ULL << 10, p++;
	else if (*p == 'm' || *p == 'M')
		unit = 1ULL << 20, p++;
	else if (*p == 'g' || *p == 'G')
		unit = 1ULL << 30, p++;
	if (*p || n > max / unit)
		return VG_EINVAL;
	*out = n * unit;
	return 0;
}

int vg_text_is_stopword(const char *w)
{
	for (const char *const *s = vg_text_stopwords; *s; s++)
		if (strcmp(*s, w) == 0)
			return 1;
	return 0;
}

/* Words that take an elided vowel before an apostrophe. */
static const char *const elisions[] = {
	"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu",
	"puisqu", "quoiqu", NULL
};

static int is_elision(const char *w, size_t n)
{
	for (const char *const *e = elisions; *e; e++)
		if (strlen(*e) == n && memcmp(*e, w, n) == 0)
			return 1;
	return 0;
}

/* Folds one code point into out; returns the number of bytes written. */
static size_t fold_cp(utf8proc_int32_t cp, char out[32])
{
	if (cp < 0x80) {
		if (cp < 0x20 || cp == 0x7f)
			cp = ' ';
		else if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		out[0] = (char)cp;
		return 1;
	}
	switch (cp) {
	case 0x2018: case 0x2019: case 0x02bc: case 0x2032:
		out[0] = '\'';
		return 1;
	case 0x00ab: case 0x00bb: case 0x201c: case 0x201d: case 0x201e:
		out[0] = '"';
		return 1;
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2212:
		out[0] = '-';
		return 1;
	case 0x0152: case 0x0153:
		memcpy(out, "oe", 2);
		return 2;
	case 0x00c6: case 0x00e6:
		memcpy(out, "ae", 2);
		return 2;
	case 0x00a0: case 0x202f: case 0x2009: case 0x2007:
		out[0] = ' ';
		return 1;
	default:
		break;
	}
	utf8proc_int32_t buf[4];
	int boundclass = 0;
	utf8proc_ssize_t n = utf8proc_decompose_char(
		cp, buf, 4,
		UTF8PROC_CASEFOLD | UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE |
			UTF8PROC_STRIPMARK | UTF8PROC_IGNORE,
		&boundclass);
	if (n < 0 || n > 4) {
		/* Unassigned or unusually long: keep it as it is. */
		return (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)out);
	}
	size_t w = 0;
	for (utf8proc_ssize_t i = 0; i < n; i++) {
		if (buf[i] == 0x0153) {
			memcpy(out + w, "oe", 2);
			w += 2;
		} else if (buf[i] == 0x00e6) {
			memcpy(out + w, "ae", 2);
			w += 2;
		} else {
			w += (size_t)utf8proc_encode_char(buf[i],
			                                  (utf8proc_uint8_t *)out + w);
		}
	}
	return w;
}

static int is_alpha_ascii(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* In query mode, a standalone upper-case operator keeps its case; the
 * French ones become Xapian's. Returns the operator or NULL. */
static const char *query_operator(const char *w, size_t n)
{
	static const char *const same[] = {"AND", "OR", "NOT", "XOR", "NEAR",
	                                   "ADJ", NULL};
	for (const char *const *o = same; *o; o++)
		if (strlen(*o) == n && memcmp(*o, w, n) == 0)
			return *o;
	if (n == 2 && memcmp(w, "ET", 2) == 0)
		return "AND";
	if (n == 2 && memcmp(w, "OU", 2) == 0)
		return "OR";
	if (n == 4 && memcmp(w, "SAUF", 4) == 0)
		return "NOT";
	return NULL;
}

typedef struct {
	vg_strbuf out;
	uint32_t *map;
	size_t map_cap;
	int with_map;
} folder;

/* Room in the map for n more bytes of output. */
static int map_room(folder *f, size_t n)
{
	if (f->out.len + n + 1 <= f->map_cap)
		return 0;
	size_t cap = f->map_cap ? f->map_cap * 2 : 256;
	while (cap < f->out.len + n + 1)
		cap *= 2;
	uint32_t *m = realloc(f->map, cap * sizeof(*m));
	if (!m)
		return VG_ENOMEM;
	f->map = m;
	f->map_cap = cap;
	return 0;
}

static int emit(folder *f, const char *s, size_t n, size_t orig_pos)
{
	if (f->with_map) {
		if (map_room(f, n) < 0)
			return VG_ENOMEM;
		for (size_t i = 0; i < n; i++)
			f->map[f->out.len + i] = (uint32_t)orig_pos;
	}
	return vg_strbuf_add(&f->out, s, n);
}

/* Plain ASCII, in[from..to), folded in one go: each byte stands for
 * itself in the map. */
static int emit_ascii(folder *f, const char *in, size_t from, size_t to)
{
	size_t n = to - from;
	if (f->with_map) {
		if (map_room(f, n) < 0)
			return VG_ENOMEM;
		for (size_t k = 0; k < n; k++)
			f->map[f->out.len + k] = (uint32_t)(from + k);
	}
	if (vg_strbuf_grow(&f->out, n) < 0)
		return VG_ENOMEM;
	char *o = f->out.ptr + f->out.len;
	for (size_t k = 0; k < n; k++) {
		char c = in[from + k];
		o[k] = c < 0x20 || c == 0x7f ? ' ' : c >= 'A' && c <= 'Z' ? (char)(c + 'a' - 'A') : c;
	}
	f->out.len += n;
	f->out.ptr[f->out.len] = '\0';
	return 0;
}

/* 1 when the output so far opens a quote it has not closed: there
 * "ET" is a word, not an operator. */
static int in_quotes(const vg_strbuf *b)
{
	int open = 0;
	for (size_t i = 0; i < b->len; i++)
		open ^= b->ptr[i] == '"';
	return open;
}

/* Start of the word that ends at the end of the output so far. */
static size_t word_start(const vg_strbuf *b)
{
	size_t i = b->len;
	while (i > 0 && is_alpha_ascii(b->ptr[i - 1]))
		i--;
	return i;
}

/* 1 when in[0..len) holds a lower-case letter. */
static int has_lower_case(const char *in, size_t len)
{
	const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)in;
	for (size_t i = 0; i < len;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0) {
			i++;
			continue;
		}
		if (utf8proc_category(cp) == UTF8PROC_CATEGORY_LL)
			return 1;
		i += (size_t)n;
	}
	return 0;
}

int vg_text_fold(const char *in, size_t len, unsigned flags, vg_folded *out)
{
	folder f = {VG_STRBUF_INIT, NULL, 0, (flags & VG_FOLD_MAP) != 0};
	const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)in;
	size_t i = 0;
	int rc = 0;

	/* A query all in capitals ("DROITS ET DEVOIRS DES ÉLÈVES", a title
	 * pasted, caps lock) says nothing of operators: its ET is a word. */
	if ((flags & VG_FOLD_QUERY) && !has_lower_case(in, len))
		flags &= ~(unsigned)VG_FOLD_QUERY;

	memset(out, 0, sizeof(*out));
	if (vg_strbuf_grow(&f.out, len) < 0)
		return VG_ENOMEM;
	while (i < len && rc == 0) {
		if ((flags & VG_FOLD_QUERY) && (i == 0 || !is_alpha_ascii(in[i - 1])) &&
		    in[i] >= 'A' && in[i] <= 'Z' && !in_quotes(&f.out)) {
			size_t j = i;
			while (j < len && in[j] >= 'A' && in[j] <= 'Z')
				j++;
			const char *op = NULL;
			if (j == len || ((unsigned char)in[j] < 0x80 && !is_alpha_ascii(in[j]) &&
			                 !(in[j] >= '0' && in[j] <= '9') && in[j] != ':'))
				op = query_operator(in + i, j - i);
			if (op) {
				rc = emit(&f, op, strlen(op), i);
				i = j;
				continue;
			}
		}
		/* Most of a French text is ASCII that folds as fold_cp would,
		 * apostrophes (elisions) and a query's capitals (operators) aside. */
		size_t j = i;
		while (j < len && (unsigned char)in[j] < 0x80 && in[j] != '\'' &&
		       !((flags & VG_FOLD_QUERY) && in[j] >= 'A' && in[j] <= 'Z'))
			j++;
		if (j > i) {
			rc = emit_ascii(&f, in, i, j);
			i = j;
			continue;
		}
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i), &cp);
		char buf[32];
		size_t w;
		if (n <= 0) {
			buf[0] = ' ';
			w = 1;
			n = 1;
		} else {
			w = fold_cp(cp, buf);
		}
		if (w == 1 && buf[0] == '\'') {
			/* Split an elision when a letter follows. */
			size_t ws = word_start(&f.out);
			size_t next = i + (size_t)n;
			int letter_follows = next < len &&
				(is_alpha_ascii(in[next]) || (unsigned char)in[next] >= 0xc3);
			if (letter_follows && ws < f.out.len &&
			    (ws == 0 || !((unsigned char)f.out.ptr[ws - 1] >= 0x80)) &&
			    is_elision(f.out.ptr + ws, f.out.len - ws))
				buf[0] = ' ';
		}
		rc = emit(&f, buf, w, i);
		i += (size_t)n;
	}
	if (rc == 0 && f.with_map)
		rc = emit(&f, "", 0, 0);
	if (rc == 0 && f.with_map) {
		f.map[f.out.len] = (uint32_t)len;
	}
	if (rc < 0 || f.out.oom) {
		vg_strbuf_free(&f.out);
		free(f.map);
		return VG_ENOMEM;
	}
	out->len = f.out.len;
	out->text = vg_strbuf_detach(&f.out);
	out->orig = f.map;
	if (!out->text) {
		free(f.map);
		memset(out, 0, sizeof(*out));
		return VG_ENOMEM;
	}
	return 0;
}

void vg_folded_clear(vg_folded *f)
{
	if (!f)
		return;
	free(f->text);
	free(f->orig);
	memset(f, 0, sizeof(*f));
}

char *vg_text_fold_str(const char *s, unsigned flags)
{
	vg_folded f;
	if (vg_text_fold(s, strlen(s), flags & ~(unsigned)VG_FOLD_MAP, &f) < 0)
		return NULL;
	return f.text;
}

size_t vg_utf8_length(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static int ascii_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int ascii_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Whether q[i] is a letter or a digit, or a byte of a UTF-8 letter. */
static int word_char_at(const char *q, size_t len, size_t i)
{
	return i < len && (ascii_letter(q[i]) || ascii_digit(q[i]) || (unsigned char)q[i] >= 0x80);
}

/* The end of the initials at q[i] ("C.D.D.", "C.H.S.C.T": a letter and a
 * dot, twice at least, maybe a last letter without its dot), or i when
 * there are none. */
static size_t initials_end(const char *q, size_t len, size_t i)
{
	size_t j = i, pairs = 0;
	while (j + 1 < len && ascii_letter(q[j]) && q[j + 1] == '.') {
		j += 2;
		pairs++;
	}
	if (j < len && ascii_letter(q[j]))
		j++;
	return pairs < 2 || word_char_at(q, len, j) ? i : j;
}

char *vg_text_spell_out(const char *q)
{
	vg_strbuf b = VG_STRBUF_INIT;
	size_t len = strlen(q);
	vg_strbuf_puts(&b, "");
	for (size_t i = 0; i < len;) {
		int starts = i == 0 || !(word_char_at(q, len, i - 1) || q[i - 1] == '.');
		size_t end = starts ? initials_end(q, len, i) : i;
		if (end > i) {
			for (size_t k = i; k < end; k++)
				if (q[k] != '.')
					vg_strbuf_putc(&b, q[k]);
			i = end;
			continue;
		}
		/* Hours: digits, "h" (after a space or not), maybe the minutes. */
		size_t j = i;
		while (starts && j < len && ascii_digit(q[j]))
			j++;
		size_t h = j < len && q[j] == ' ' ? j + 1 : j;
		if (j > i && h < len && (q[h] == 'h' || q[h] == 'H')) {
			size_t m = h + 1;
			while (m < len && ascii_digit(q[m]) && h == j)
				m++;
			if (!word_char_at(q, len, m)) {
				vg_strbuf_add(&b, q + i, j - i);
				vg_strbuf_puts(&b, " heures");
				if (m > h + 1) {
					vg_strbuf_putc(&b, ' ');
					vg_strbuf_add(&b, q + h + 1, m - h - 1);
				}
				i = m;
				continue;
			}
		}
		vg_strbuf_putc(&b, q[i++]);
	}
	return vg_strbuf_detach(&b);
}

int vg_utf8_valid(const char *s, size_t len)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t i = 0;
	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0)
			return 0;
		i += (size_t)n;
	}
	return 1;
}

int vg_text_is_binary(const char *s, size_t len)
{
	size_t n = len < 8192 ? len : 8192;
	return memchr(s, '\0', n) != NULL;
}

/* Decodes Windows-1252 with iconv; bytes it leaves undefined become U+FFFD. */
static int from_cp1252(const char *in, size_t len, vg_strbuf *b)
{
	iconv_t cd = iconv_open("UTF-8", "WINDOWS-1252");
	if (cd == (iconv_t)-1)
		return VG_EIO;
	char *src = (char *)in;
	size_t left = len;
	while (left > 0) {
		if (vg_strbuf_grow(b, left * 3 + 4) < 0) {
			iconv_close(cd);
			return VG_ENOMEM;
		}
		char *dst = b->ptr + b->len;
		size_t room = b->cap - b->len - 1;
		size_t before = room;
		size_t r = iconv(cd, &src, &left, &dst, &room);
		b->len += before - room;
		if (r == (size_t)-1 && left > 0) {
			vg_strbuf_puts(b, "\xef\xbf\xbd");
			src++;
			left--;
		}
	}
	iconv_close(cd);
	b->ptr[b->len] = '\0';
	return b->oom ? VG_ENOMEM : 0;
}

int vg_text_to_utf8(const char *in, size_t len, char **out, size_t *out_len,
                    int *recoded)
{
	vg_strbuf b = VG_STRBUF_INIT;
	int rc;
	*recoded = 0;
	*out = NULL;
	if (vg_utf8_valid(in, len)) {
		rc = vg_strbuf_add(&b, in, len);
	} else {
		*recoded = 1;
		rc = from_cp1252(in, len, &b);
	}
	if (rc < 0) {
		vg_strbuf_free(&b);
		return rc;
	}
	*out_len = b.len;
	*out = vg_strbuf_detach(&b);
	return *out ? 0 : VG_ENOMEM;
}
