#include "query.h"

#include "document.h"
#include "legalref.h"
#include "search.h"
#include "strbuf.h"
#include "synonyms.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>

typedef enum { OP_NONE, OP_AND, OP_OR, OP_NOT, OP_XOR, OP_NEAR, OP_ADJ } op_code;

/* Parentheses and NOTs one inside the other: deeper is refused, as the
 * reading and the query built from it recurse. */
#define MAX_DEPTH 32

typedef struct parser {
	const char *q;
	size_t len, i;
	int depth;               /* parentheses open */
	int nesting;             /* parentheses and NOTs open */
	const vg_synonyms *syn;
	vg_query *query;
	vg_ref_match *refs;      /* references outside quotes, in order */
	size_t n_refs, next_ref;
	vg_ref_match *quoted;    /* those inside, in order */
	size_t n_quoted;
	int words_only;          /* reading what NEAR and ADJ join: no synonyms */
	int rc;                  /* the first failure */
	vg_err *err;
} parser;

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

/* Punctuation between words that is no part of them: Xapian reads words
 * joined by - . / : \ @ as a phrase, ' & _ + # as inside a word ("c++"),
 * and a comma between digits as inside a number; an ellipsis ("p. 12..14")
 * parts words. */
static int is_separator(const parser *p, size_t j)
{
	unsigned char c = (unsigned char)p->q[j];
	if (c == '.' && ((j + 1 < p->len && p->q[j + 1] == '.') || (j > 0 && p->q[j - 1] == '.')))
		return 1;
	if (c >= 0x80 || is_lower((char)c) || is_digit((char)c) || (c >= 'A' && c <= 'Z'))
		return 0;
	if (strchr("-./:\\@'&_+#*\"()", c))
		return 0;
	if (c == ',' && j > 0 && j + 1 < p->len && is_digit(p->q[j - 1]) && is_digit(p->q[j + 1]))
		return 0;
	return !is_space((char)c);
}

static void fail_oom(parser *p)
{
	if (!p->rc)
		p->rc = vg_err_set(p->err, VG_ENOMEM, "mémoire insuffisante");
}

static vg_qnode *node_new(parser *p, vg_qkind kind, const char *text, size_t len)
{
	vg_qnode *n = calloc(1, sizeof(*n));
	if (n && text && !(n->text = strndup(text, len))) {
		free(n);
		n = NULL;
	}
	if (!n) {
		fail_oom(p);
		return NULL;
	}
	n->kind = kind;
	n->prefix = "";
	return n;
}

static void node_free(vg_qnode *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n_children; i++)
		node_free(n->children[i]);
	free(n->children);
	free(n->text);
	free(n->upto);
	free(n);
}

/* Adds child (taken, may be NULL) to parent's children. */
static void node_add(parser *p, vg_qnode *parent, vg_qnode *child)
{
	if (!child)
		return;
	vg_qnode **c = realloc(parent->children, (parent->n_children + 1) * sizeof(*c));
	if (!c) {
		node_free(child);
		fail_oom(p);
		return;
	}
	parent->children = c;
	c[parent->n_children++] = child;
}

static vg_qnode *binary(parser *p, vg_qkind kind, vg_qnode *left, vg_qnode *right)
{
	vg_qnode *n = node_new(p, kind, NULL, 0);
	if (!n) {
		node_free(left);
		node_free(right);
		return NULL;
	}
	node_add(p, n, left);
	node_add(p, n, right);
	return n;
}

/* ---- references -------------------------------------------------------- */

typedef struct {
	parser *p;
	size_t quote_scan;
	int in_quote;
} ref_scan;

static int keep_ref(const vg_ref_match *m, void *ctx)
{
	ref_scan *r = ctx;
	parser *p = r->p;
	for (; r->quote_scan < m->start; r->quote_scan++)
		if (p->q[r->quote_scan] == '"')
			r->in_quote = !r->in_quote;
	/* The articles between a range's ends share its connector ("à"). */
	const vg_ref_match *last = p->n_refs ? &p->refs[p->n_refs - 1] : NULL;
	int same_span = last && m->start == last->start && m->end == last->end;
	if (r->in_quote) {
		vg_ref_match *more = realloc(p->quoted, (p->n_quoted + 1) * sizeof(*more));
		if (!more)
			return VG_ENOMEM;
		p->quoted = more;
		p->quoted[p->n_quoted++] = *m;
		return 0;
	}
	if (last && m->start < last->end && !same_span)
		return 0;
	vg_ref_match *grown = realloc(p->refs, (p->n_refs + 1) * sizeof(*grown));
	if (!grown)
		return VG_ENOMEM;
	p->refs = grown;
	p->refs[p->n_refs++] = *m;
	r->quote_scan = m->end;
	return 0;
}

/* The reference that starts at j, if any. */
static const vg_ref_match *ref_at(parser *p, size_t j)
{
	while (p->next_ref < p->n_refs && p->refs[p->next_ref].start < j)
		p->next_ref++;
	return p->next_ref < p->n_refs && p->refs[p->next_ref].start == j ? &p->refs[p->next_ref] : NULL;
}

static int ref_starts_at(const parser *p, size_t j)
{
	for (size_t k = p->next_ref; k < p->n_refs && p->refs[k].start <= j; k++)
		if (p->refs[k].start == j)
			return 1;
	return 0;
}

/* A reference clause of canonical form canon. */
static vg_qnode *ref_node(parser *p, vg_qkind kind, const char *canon)
{
	char form[VG_REF_MAX];
	vg_legalref_term(canon, form);
	if (vg_strlist_add_unique(&p->query->refs, form) < 0) {
		fail_oom(p);
		return NULL;
	}
	return node_new(p, kind, form, strlen(form));
}

/* ---- lexing ------------------------------------------------------------ */

/* Skips spaces and punctuation, and outside parentheses a stray ")". */
static void skip_blank(parser *p)
{
	while (p->i < p->len && (is_space(p->q[p->i]) || is_separator(p, p->i) || (p->q[p->i] == ')' && p->depth == 0)))
		p->i++;
}

/* The boolean operator at p->i (folding leaves only those in capitals),
 * its length into *n and its NEAR/ADJ window into *window. */
static op_code op_at(const parser *p, size_t *n, unsigned *window)
{
	size_t j = p->i;
	while (j < p->len && p->q[j] >= 'A' && p->q[j] <= 'Z')
		j++;
	static const struct {
		const char *name;
		op_code op;
	} ops[] = {{"AND", OP_AND}, {"OR", OP_OR}, {"NOT", OP_NOT}, {"XOR", OP_XOR}, {"NEAR", OP_NEAR}, {"ADJ", OP_ADJ}};
	op_code op = OP_NONE;
	for (size_t k = 0; k < sizeof(ops) / sizeof(ops[0]); k++)
		if (strlen(ops[k].name) == j - p->i && memcmp(ops[k].name, p->q + p->i, j - p->i) == 0)
			op = ops[k].op;
	*window = 10;
	if (op != OP_NONE && j < p->len && p->q[j] == '/') {
		unsigned w = 0;
		for (j++; j < p->len && is_digit(p->q[j]); j++)
			w = w < 1000 ? w * 10 + (unsigned)(p->q[j] - '0') : w;
		if (w)
			*window = w;
	}
	*n = j - p->i;
	return op;
}

static const char *op_name(op_code op)
{
	switch (op) {
	case OP_AND:
		return "ET (AND)";
	case OP_OR:
		return "OU (OR)";
	case OP_NOT:
		return "SAUF (NOT)";
	case OP_XOR:
		return "XOR";
	case OP_NEAR:
		return "NEAR";
	case OP_ADJ:
		return "ADJ";
	default:
		return "?";
	}
}

/* 1, with the error set, when one more level would be too deep. */
static int too_deep(parser *p)
{
	if (p->nesting < MAX_DEPTH)
		return 0;
	if (!p->rc)
		p->rc = vg_err_set(p->err, VG_EQUERY,
		                   "requête trop imbriquée : au plus %d parenthèses ou SAUF (NOT) l'un dans l'autre", MAX_DEPTH);
	return 1;
}

static void fail_syntax(parser *p, op_code op, const char *side)
{
	if (!p->rc)
		p->rc = vg_err_set(p->err, VG_EQUERY,
		                   "requête mal formée (vérifiez guillemets, parenthèses et opérateurs) : "
		                   "« %s » sans mots à sa %s",
		                   op_name(op), side);
}

/* End of the value that starts at j: white space or a parenthesis. */
static size_t value_end(const parser *p, size_t j)
{
	while (j < p->len && !is_space(p->q[j]) && p->q[j] != '(' && p->q[j] != ')')
		j++;
	return j;
}

/* ---- clauses ----------------------------------------------------------- */

/* One date bound: YYYY, YYYY-MM or YYYY-MM-DD, as YYYYMMDD into out (a
 * year or month alone: its first day, or its last for an upper bound). */
static int date_bound(const char *s, size_t n, int upper, char out[9])
{
	if (n != 4 && n != 7 && n != 10)
		return -1;
	for (size_t k = 0; k < n; k++)
		if ((k == 4 || k == 7) ? s[k] != '-' : !is_digit(s[k]))
			return -1;
	int month = n >= 7 ? (s[5] - '0') * 10 + (s[6] - '0') : upper ? 12 : 1;
	int day = n == 10 ? (s[8] - '0') * 10 + (s[9] - '0') : upper ? 31 : 1;
	char whole[11];
	snprintf(whole, sizeof(whole), "%.10s", s);
	if (month < 1 || month > 12 || day < 1 || day > 31 || (n == 10 && !vg_doc_date_valid(whole)))
		return -1;
	memcpy(out, s, 4);
	out[4] = (char)('0' + month / 10);
	out[5] = (char)('0' + month % 10);
	out[6] = (char)('0' + day / 10);
	out[7] = (char)('0' + day % 10);
	out[8] = '\0';
	return 0;
}

/* date:A..B, date:A (all its days), date:..B, date:A.. */
static vg_qnode *dates(parser *p, const char *v, size_t n)
{
	const char *dots = memmem(v, n, "..", 2);
	size_t first = dots ? (size_t)(dots - v) : n;
	const char *second = dots ? dots + 2 : v;
	size_t second_len = dots ? n - first - 2 : n;
	char from[9] = "", to[9] = "";
	if ((first && date_bound(v, first, 0, from) < 0) || (second_len && date_bound(second, second_len, 1, to) < 0) ||
	    (!first && !second_len) || (*from && *to && strcmp(from, to) > 0)) {
		if (!p->rc)
			p->rc = vg_err_set(p->err, VG_EQUERY,
			                   "plage de dates illisible : écrivez date:AAAA-MM-JJ..AAAA-MM-JJ, "
			                   "date:AAAA..AAAA ou date:AAAA (une borne peut manquer, la première "
			                   "précède la seconde)");
		return NULL;
	}
	vg_qnode *d = node_new(p, VG_Q_DATES, from, strlen(from));
	if (d && !(d->upto = strdup(to))) {
		node_free(d);
		fail_oom(p);
		return NULL;
	}
	return d;
}

/* "text" from p->i (at the quote): the words up to the closing quote, or
 * to the end when there is none. */
static vg_qnode *phrase(parser *p, const char *prefix)
{
	size_t start = ++p->i;
	while (p->i < p->len && p->q[p->i] != '"')
		p->i++;
	size_t end = p->i;
	if (p->i < p->len)
		p->i++;
	if (end == start)
		return NULL;
	vg_qnode *n = node_new(p, VG_Q_PHRASE, p->q + start, end - start);
	if (n)
		n->prefix = prefix;
	return n;
}

/* Words from p->i up to white space, a quote, a parenthesis, a reference
 * or punctuation that parts words; "word*" is a prefix. */
static vg_qnode *chunk(parser *p, const char *prefix)
{
	size_t start = p->i;
	while (p->i < p->len && !is_space(p->q[p->i]) && !strchr("\"()", p->q[p->i]) && !is_separator(p, p->i) &&
	       (p->i == start || !ref_starts_at(p, p->i)))
		p->i++;
	size_t end = p->i;
	vg_qkind kind = VG_Q_WORDS;
	if (end > start && p->q[end - 1] == '*') {
		while (end > start && p->q[end - 1] == '*')
			end--;
		kind = VG_Q_PREFIX;
	}
	if (end == start)
		return NULL;
	vg_qnode *n = node_new(p, kind, p->q + start, end - start);
	if (n)
		n->prefix = prefix;
	return n;
}

static vg_qnode *parse_or(parser *p);
static void parse_run(parser *p, vg_qnode *run);

/* name:value at p->i when name is a field (the word is then consumed,
 * *field set); NULL with *field 0 otherwise. */
static vg_qnode *field_clause(parser *p, int *field)
{
	size_t j = p->i;
	while (j < p->len && is_lower(p->q[j]))
		j++;
	*field = 0;
	if (j == p->i || j >= p->len || p->q[j] != ':')
		return NULL;
	char name[16];
	size_t n = j - p->i;
	if (n >= sizeof(name))
		return NULL;
	memcpy(name, p->q + p->i, n);
	name[n] = '\0';
	const vg_field *f = vg_fields_find(name);
	int is_ref = strcmp(name, "ref") == 0, is_date = strcmp(name, "date") == 0;
	if (!f && !is_ref && !is_date)
		return NULL;
	*field = 1;
	size_t v = j + 1;
	const vg_ref_match *r = is_ref ? ref_at(p, v) : NULL;
	if (r) {
		p->i = r->end;
		return ref_node(p, VG_Q_REF_FILTER, r->canon);
	}
	p->i = v;
	if (f && f->kind == VG_TEXT)
		return v < p->len && p->q[v] == '"' ? phrase(p, f->prefix) : chunk(p, f->prefix);
	size_t end;
	if (v < p->len && p->q[v] == '"' && !is_date) {
		const char *close = memchr(p->q + v + 1, '"', p->len - v - 1);
		end = close ? (size_t)(close - p->q) : p->len;
		p->i = close ? end + 1 : end;
		v++;
	} else {
		end = value_end(p, v);
		while (is_date && end > v && strchr(",;", p->q[end - 1]))
			end--;
		p->i = value_end(p, v);
	}
	if (end == v)
		return NULL;
	if (is_date)
		return dates(p, p->q + v, end - v);
	if (is_ref) {
		char value[VG_REF_MAX + 16], canon[VG_REF_MAX];
		snprintf(value, sizeof(value), "%.*s", (int)(end - v), p->q + v);
		if (end - v >= VG_REF_MAX || vg_legalref_canonical(value, canon) < 0) {
			if (!p->rc)
				p->rc = vg_err_set(p->err, VG_EQUERY, "ref:%s : « %s » n'est pas une référence juridique reconnue",
				                   value, value);
			return NULL;
		}
		return ref_node(p, VG_Q_REF_FILTER, canon);
	}
	vg_qnode *val = node_new(p, VG_Q_VALUE, p->q + v, end - v);
	if (val)
		val->prefix = f->prefix;
	return val;
}

/* The reference that is all of the quoted text at p->i (at the quote),
 * perhaps after "article" ("\"L. 1234-9\"", "\"article R. 421-58\""), or
 * NULL: quoted, a reference is that reference, not the words of one of its
 * spellings. */
static const vg_ref_match *quoted_ref(parser *p)
{
	size_t close = p->i + 1;
	while (close < p->len && p->q[close] != '"')
		close++;
	const vg_ref_match *found = NULL;
	for (size_t k = 0; k < p->n_quoted; k++) {
		const vg_ref_match *r = &p->quoted[k];
		if (r->start <= p->i || r->end > close)
			continue;
		if (found || r->spanned)
			return NULL; /* several: a phrase */
		found = r;
	}
	if (!found)
		return NULL;
	size_t from = p->i + 1;
	while (from < found->start && is_space(p->q[from]))
		from++;
	static const char *const names[] = {"articles ", "article ", "art. ", "art "};
	for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++)
		if (found->start - from >= strlen(names[n]) && strncmp(p->q + from, names[n], strlen(names[n])) == 0) {
			from += strlen(names[n]);
			break;
		}
	while (from < found->start && is_space(p->q[from]))
		from++;
	size_t to = found->end;
	while (to < close && (is_space(p->q[to]) || p->q[to] == '.'))
		to++;
	if (from != found->start || to != close)
		return NULL;
	p->i = close < p->len ? close + 1 : close;
	return found;
}

/* One clause at p->i, with its sign: NULL when what was there made none
 * (a lone sign, an empty field). */
static vg_qnode *parse_item(parser *p, vg_qnode *run)
{
	vg_qsign sign = VG_Q_MAY;
	while (p->i < p->len && (p->q[p->i] == '+' || p->q[p->i] == '-')) {
		sign = p->q[p->i] == '+' ? VG_Q_MUST : VG_Q_MUST_NOT;
		p->i++;
	}
	if (p->i >= p->len || is_space(p->q[p->i]))
		return NULL;
	vg_qnode *n = NULL;
	const vg_ref_match *r = ref_at(p, p->i);
	int field = 0;
	if (r && r->spanned && !(p->query->plain && run)) {
		/* With operators a range is as written: its two ends. */
		p->i = r->end;
		return NULL;
	} else if (r) {
		p->i = r->end;
		n = ref_node(p, VG_Q_REF, r->canon);
		/* Every article a range spans ("R. 421-58 à R. 421-60"), each a
		 * clause of a plain query. */
		while (n && p->next_ref + 1 < p->n_refs && p->refs[p->next_ref + 1].start == r->start) {
			vg_qnode *more = ref_node(p, VG_Q_REF, p->refs[++p->next_ref].canon);
			if (more) {
				more->sign = sign;
				node_add(p, run, more);
			}
		}
	} else if (p->q[p->i] == '"' && (r = quoted_ref(p)) != NULL) {
		n = ref_node(p, VG_Q_REF, r->canon);
	} else if (p->q[p->i] == '"') {
		n = phrase(p, "");
	} else if (p->q[p->i] == '(') {
		if (too_deep(p))
			return NULL;
		p->i++;
		p->depth++;
		p->nesting++;
		if (p->query->plain && run) {
			/* Without operators a group is only more words. */
			size_t from = run->n_children;
			parse_run(p, run);
			for (size_t k = from; sign != VG_Q_MAY && k < run->n_children; k++)
				if (run->children[k]->sign == VG_Q_MAY)
					run->children[k]->sign = sign;
		} else {
			n = parse_or(p);
		}
		skip_blank(p);
		if (p->i < p->len && p->q[p->i] == ')')
			p->i++;
		p->depth--;
		p->nesting--;
	} else if (!(n = field_clause(p, &field)) && !field && !p->rc) {
		size_t end, group;
		int found = p->syn && !p->words_only
		                    ? vg_synonyms_match(p->syn, p->q, p->len, p->i, &p->query->groups, &end, &group)
		                    : 0;
		if (found < 0) {
			fail_oom(p);
		} else if (found) {
			if ((n = node_new(p, VG_Q_SYNONYMS, NULL, 0)))
				n->number = (unsigned)group;
			p->i = end;
		} else {
			n = chunk(p, "");
		}
	}
	if (n)
		n->sign = sign;
	return n;
}

static void fail_proximity(parser *p, op_code op)
{
	if (!p->rc)
		p->rc = vg_err_set(p->err, VG_EQUERY,
		                   "requête mal formée : « %s » joint des mots simples, de part et d'autre, "
		                   "avec une même distance (mot NEAR/5 mot NEAR/5 mot)",
		                   op_name(op));
}

/* NEAR and ADJ join single words: first, then the words after each. */
static vg_qnode *proximity(parser *p, vg_qnode *first, op_code op, size_t op_len, unsigned window)
{
	vg_qnode *near = node_new(p, op == OP_NEAR ? VG_Q_NEAR : VG_Q_ADJ, NULL, 0);
	if (!near) {
		node_free(first);
		return NULL;
	}
	near->number = window;
	near->sign = first->sign;
	first->sign = VG_Q_MAY;
	node_add(p, near, first);
	p->words_only = 1;
	for (;;) {
		p->i += op_len;
		skip_blank(p);
		vg_qnode *next = p->i < p->len && !strchr("()", p->q[p->i]) ? parse_item(p, NULL) : NULL;
		if (!next || next->kind != VG_Q_WORDS || next->sign != VG_Q_MAY) {
			node_free(next);
			fail_proximity(p, op);
			break;
		}
		node_add(p, near, next);
		skip_blank(p);
		size_t n;
		unsigned w;
		op_code more = op_at(p, &n, &w);
		if (more != OP_NEAR && more != OP_ADJ)
			break;
		if (more != op || w != window) {
			fail_proximity(p, more);
			break;
		}
		op_len = n;
	}
	p->words_only = 0;
	if (p->rc) {
		node_free(near);
		return NULL;
	}
	return near;
}

/* Clauses into run, up to an operator, a closing parenthesis or the end. */
static void parse_run(parser *p, vg_qnode *run)
{
	for (;;) {
		skip_blank(p);
		size_t n;
		unsigned window;
		if (p->rc || p->i >= p->len || p->q[p->i] == ')' || op_at(p, &n, &window) != OP_NONE)
			return;
		vg_qnode *item = parse_item(p, run);
		skip_blank(p);
		op_code op = op_at(p, &n, &window);
		if (item && (op == OP_NEAR || op == OP_ADJ)) {
			if (item->kind != VG_Q_WORDS) {
				node_free(item);
				fail_proximity(p, op);
				return;
			}
			item = proximity(p, item, op, n, window);
		}
		node_add(p, run, item);
	}
}

/* A run of clauses, or NULL when nothing is there (the end, an operator,
 * a closing parenthesis). */
static vg_qnode *run_or_null(parser *p)
{
	skip_blank(p);
	size_t n;
	unsigned window;
	if (p->i >= p->len || p->q[p->i] == ')' || op_at(p, &n, &window) != OP_NONE)
		return NULL;
	vg_qnode *run = node_new(p, VG_Q_CLAUSES, NULL, 0);
	if (run)
		parse_run(p, run);
	return run;
}

static vg_qnode *parse_unary(parser *p)
{
	skip_blank(p);
	size_t n;
	unsigned window;
	op_code op = op_at(p, &n, &window);
	if (op == OP_NOT) {
		if (too_deep(p))
			return NULL;
		p->i += n;
		p->nesting++;
		vg_qnode *operand = parse_unary(p);
		p->nesting--;
		if (!operand) {
			fail_syntax(p, OP_NOT, "droite");
			return NULL;
		}
		return binary(p, VG_Q_AND_NOT, node_new(p, VG_Q_ALL, NULL, 0), operand);
	}
	return run_or_null(p);
}

/* left (op right)* for the operators of one precedence. */
static vg_qnode *parse_binary(parser *p, int level)
{
	vg_qnode *left = level == 0 ? parse_unary(p) : parse_binary(p, level - 1);
	for (;;) {
		skip_blank(p);
		size_t n;
		unsigned window;
		op_code op = op_at(p, &n, &window);
		vg_qkind kind;
		if (level == 0 && (op == OP_AND || op == OP_NOT))
			kind = op == OP_AND ? VG_Q_AND : VG_Q_AND_NOT;
		else if (level == 1 && op == OP_XOR)
			kind = VG_Q_XOR;
		else if (level == 2 && op == OP_OR)
			kind = VG_Q_OR;
		else
			return left;
		p->i += n;
		if (op == OP_AND) {
			skip_blank(p);
			if (op_at(p, &n, &window) == OP_NOT) {
				p->i += n;
				kind = VG_Q_AND_NOT;
			}
		}
		if (!left) {
			fail_syntax(p, op, "gauche");
			return NULL;
		}
		vg_qnode *right = level == 0 ? parse_unary(p) : parse_binary(p, level - 1);
		if (!right) {
			fail_syntax(p, op, "droite");
			node_free(left);
			return NULL;
		}
		left = binary(p, kind, left, right);
	}
}

/* OR binds least, then XOR, then AND and NOT. */
static vg_qnode *parse_or(parser *p)
{
	return parse_binary(p, 2);
}

/* ---- stop words -------------------------------------------------------- */

static int is_stop(const vg_qnode *n)
{
	return n->kind == VG_Q_WORDS && n->sign == VG_Q_MAY && !*n->prefix && vg_text_is_stopword(n->text);
}

/* 1 when the tree holds a clause at all. */
static int has_clause(const vg_qnode *n)
{
	if (!n || n->kind == VG_Q_ALL)
		return 0;
	if (n->kind != VG_Q_CLAUSES && n->kind != VG_Q_AND && n->kind != VG_Q_OR && n->kind != VG_Q_XOR &&
	    n->kind != VG_Q_AND_NOT)
		return 1;
	for (size_t i = 0; i < n->n_children; i++)
		if (has_clause(n->children[i]))
			return 1;
	return 0;
}

/* The noun or verb of a prepositional phrase that says nothing of a
 * subject ("à partir de", "au cours de", "en cas de"): between its
 * preposition and "de", a stop word too. */
static const char *const phrase_words[][2] = {
	{"a", "partir"}, {"a", "compter"}, {"au", "cours"}, {"au", "sein"}, {"au", "lieu"},
	{"en", "cas"},   {"en", "vue"},    {"en", "raison"}, {"a", "cause"}, {"a", "propos"},
};

static int is_of(const vg_qnode *n)
{
	static const char *const of[] = {"de", "du", "des", "d", NULL};
	for (const char *const *w = of; n && *w; w++)
		if (is_stop(n) && strcmp(n->text, *w) == 0)
			return 1;
	return 0;
}

/* Whether child i of a run of clauses is the word of such a phrase. */
static int is_phrase_word(const vg_qnode *run, size_t i)
{
	if (i == 0 || i + 1 >= run->n_children || !is_of(run->children[i + 1]))
		return 0;
	const vg_qnode *before = run->children[i - 1], *c = run->children[i];
	if (c->kind != VG_Q_WORDS || c->sign != VG_Q_MAY || *c->prefix || !is_stop(before))
		return 0;
	for (size_t k = 0; k < sizeof(phrase_words) / sizeof(phrase_words[0]); k++)
		if (strcmp(before->text, phrase_words[k][0]) == 0 && strcmp(c->text, phrase_words[k][1]) == 0)
			return 1;
	return 0;
}

/* Stop words weigh nothing beside other clauses ("le budget"), and are
 * searched where nothing else is ("le", "le NOT budget"). */
static void drop_stop_words(vg_qnode *n)
{
	if (!n || n->kind == VG_Q_NEAR || n->kind == VG_Q_ADJ)
		return;
	int clauses = n->kind == VG_Q_CLAUSES, others = 0;
	for (size_t i = 0; clauses && i < n->n_children; i++)
		others |= !is_stop(n->children[i]) && !is_phrase_word(n, i);
	/* Whether a child is a phrase word is read while its neighbours are
	 * still there: the next one's, before this one may be dropped. */
	int phrase_word = 0;
	size_t kept = 0;
	for (size_t i = 0; i < n->n_children; i++) {
		vg_qnode *c = n->children[i];
		int next_phrase = clauses && is_phrase_word(n, i + 1);
		if (others && (is_stop(c) || phrase_word))
			node_free(c);
		else {
			drop_stop_words(c);
			n->children[kept++] = c;
		}
		phrase_word = next_phrase;
	}
	n->n_children = kept;
}

/* 1 when the folded query holds a boolean operator (AND, OR, NOT...: the
 * folding keeps only those in upper case), which asks for the strict
 * query language rather than ranked words. */
static int has_operator(const char *folded)
{
	parser p = {.q = folded, .len = strlen(folded)};
	int in_quote = 0;
	for (; p.i < p.len; p.i++) {
		char c = folded[p.i];
		in_quote ^= c == '"';
		size_t n;
		unsigned window;
		/* Where the reader looks for one: where a clause may start. */
		int starts = p.i == 0 || is_space(folded[p.i - 1]) || strchr("()\"", folded[p.i - 1]) ||
		             is_separator(&p, p.i - 1);
		if (!in_quote && c >= 'A' && c <= 'Z' && starts && op_at(&p, &n, &window) != OP_NONE)
			return 1;
	}
	return 0;
}

int vg_query_parse(vg_query **out, const char *folded, const vg_synonyms *syn, vg_err *err)
{
	*out = NULL;
	vg_query *q = calloc(1, sizeof(*q));
	if (!q)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	parser p = {.q = folded, .len = strlen(folded), .syn = syn, .query = q, .err = err};
	q->plain = !has_operator(folded);
	ref_scan r = {&p, 0, 0};
	if (vg_legalref_scan(folded, p.len, VG_REF_QUERY | VG_REF_RANGES, keep_ref, &r) < 0)
		fail_oom(&p);
	if (!p.rc) {
		q->root = parse_or(&p);
		/* What a stray closing parenthesis left behind is read too. */
		while (!p.rc && (skip_blank(&p), p.i < p.len)) {
			vg_qnode *more = parse_or(&p);
			if (!more) {
				size_t n;
				unsigned window;
				fail_syntax(&p, op_at(&p, &n, &window), "gauche");
				break;
			}
			q->root = q->root ? binary(&p, VG_Q_AND, q->root, more) : more;
		}
	}
	free(p.refs);
	free(p.quoted);
	if (p.rc) {
		vg_query_free(q);
		return p.rc;
	}
	drop_stop_words(q->root);
	/* Nothing but punctuation is nothing: every document, as an empty
	 * query. */
	if (!has_clause(q->root)) {
		node_free(q->root);
		q->root = NULL;
	}
	*out = q;
	return 0;
}

void vg_query_free(vg_query *q)
{
	if (!q)
		return;
	node_free(q->root);
	vg_strlist_clear(&q->groups);
	vg_strlist_clear(&q->refs);
	free(q);
}

/* ---- description ------------------------------------------------------- */

static void describe(const vg_qnode *n, vg_strbuf *b)
{
	static const char *const sign[] = {"", "+", "-"};
	vg_strbuf_puts(b, sign[n->sign]);
	const char *prefix = n->prefix && *n->prefix && n->kind != VG_Q_VALUE ? n->prefix : NULL;
	if (prefix)
		vg_strbuf_printf(b, "%s:", prefix);
	switch (n->kind) {
	case VG_Q_WORDS:
		vg_strbuf_puts(b, n->text);
		return;
	case VG_Q_PHRASE:
		vg_strbuf_printf(b, "\"%s\"", n->text);
		return;
	case VG_Q_PREFIX:
		vg_strbuf_printf(b, "%s*", n->text);
		return;
	case VG_Q_REF:
		vg_strbuf_printf(b, "ref:%s", n->text);
		return;
	case VG_Q_REF_FILTER:
		vg_strbuf_printf(b, "ref=%s", n->text);
		return;
	case VG_Q_SYNONYMS:
		vg_strbuf_printf(b, "syn:%u", n->number);
		return;
	case VG_Q_VALUE:
		vg_strbuf_printf(b, "%s=%s", n->prefix, n->text);
		return;
	case VG_Q_DATES:
		vg_strbuf_printf(b, "date:%s..%s", n->text, n->upto);
		return;
	case VG_Q_ALL:
		vg_strbuf_puts(b, "*");
		return;
	default:
		break;
	}
	static const char *const names[] = {[VG_Q_CLAUSES] = " ", [VG_Q_AND] = " AND ", [VG_Q_OR] = " OR ",
	                                    [VG_Q_XOR] = " XOR ", [VG_Q_AND_NOT] = " NOT ", [VG_Q_NEAR] = " NEAR/",
	                                    [VG_Q_ADJ] = " ADJ/"};
	vg_strbuf_putc(b, '(');
	for (size_t i = 0; i < n->n_children; i++) {
		if (i) {
			vg_strbuf_puts(b, names[n->kind]);
			if (n->kind == VG_Q_NEAR || n->kind == VG_Q_ADJ)
				vg_strbuf_printf(b, "%u ", n->number);
		}
		describe(n->children[i], b);
	}
	vg_strbuf_putc(b, ')');
}

char *vg_query_describe(const vg_query *q)
{
	vg_strbuf b = VG_STRBUF_INIT;
	if (q->root)
		describe(q->root, &b);
	return vg_strbuf_detach(&b);
}
