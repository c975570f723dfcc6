#include "wdiff.h"
#include "escape.h"
#include "strbuf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Above this many table cells an LCS is not attempted: the block is shown
 * as removed then added (bounded time and memory on huge inputs). */
#define MAX_CELLS (4u * 1000 * 1000)

typedef struct span {
	const char *p;
	size_t n;
} span;

typedef struct spans {
	span *v;
	size_t n, cap;
} spans;

static int push(spans *s, const char *p, size_t n)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		span *v = realloc(s->v, cap * sizeof(*v));
		if (!v)
			return VG_ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n].p = p;
	s->v[s->n].n = n;
	s->n++;
	return 0;
}

static int same(span a, span b)
{
	return a.n == b.n && memcmp(a.p, b.p, a.n) == 0;
}

/* Non-blank lines. */
static int split_lines(const char *t, spans *out)
{
	while (*t) {
		const char *eol = strchr(t, '\n');
		size_t n = eol ? (size_t)(eol - t) : strlen(t);
		size_t k = 0;
		while (k < n && (t[k] == ' ' || t[k] == '\t' || t[k] == '\r'))
			k++;
		if (k < n && push(out, t, n) < 0)
			return VG_ENOMEM;
		t += n + (eol ? 1 : 0);
	}
	return 0;
}

static int is_word_byte(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* Words (letters and digits) and single separator characters. */
static int split_words(span line, spans *out)
{
	size_t i = 0;
	while (i < line.n) {
		size_t j = i + 1;
		if (is_word_byte((unsigned char)line.p[i]))
			while (j < line.n && is_word_byte((unsigned char)line.p[j]))
				j++;
		if (push(out, line.p + i, j - i) < 0)
			return VG_ENOMEM;
		i = j;
	}
	return 0;
}

typedef enum { KEEP, DEL, INS } edit;

/* Moves k over a run of deletions and insertions, counting them in i
 * (old side) and j (new side). */
static void skip_changes(const edit *e, size_t n, size_t *k, size_t *i, size_t *j)
{
	while (*k < n && e[*k] != KEEP) {
		if (e[*k] == DEL)
			(*i)++;
		else
			(*j)++;
		(*k)++;
	}
}

/* Longest common subsequence of a and b as an edit script (KEEP/DEL/INS),
 * or NULL when the table would be too large. *n_edits is set. */
static edit *lcs(const spans *a, const spans *b, size_t *n_edits, int *oom)
{
	size_t n = a->n, m = b->n;
	*oom = 0;
	if ((n + 1) * (m + 1) > MAX_CELLS)
		return NULL;
	uint32_t *t = calloc((n + 1) * (m + 1), sizeof(*t));
	edit *e = malloc((n + m + 1) * sizeof(*e));
	if (!t || !e) {
		free(t);
		free(e);
		*oom = 1;
		return NULL;
	}
#define T(i, j) t[(i) * (m + 1) + (j)]
	for (size_t i = n; i-- > 0;)
		for (size_t j = m; j-- > 0;)
			T(i, j) = same(a->v[i], b->v[j]) ? T(i + 1, j + 1) + 1
			          : T(i + 1, j) >= T(i, j + 1) ? T(i + 1, j) : T(i, j + 1);
	size_t i = 0, j = 0, k = 0;
	while (i < n || j < m) {
		if (i < n && j < m && same(a->v[i], b->v[j])) {
			e[k++] = KEEP;
			i++, j++;
		} else if (j < m && (i == n || T(i, j + 1) >= T(i + 1, j))) {
			e[k++] = INS;
			j++;
		} else {
			e[k++] = DEL;
			i++;
		}
	}
#undef T
	free(t);
	*n_edits = k;
	return e;
}

static void add_run(vg_strbuf *b, const char *tag, const spans *s, size_t from, size_t to)
{
	if (from == to)
		return;
	if (tag)
		vg_strbuf_printf(b, "<%s>", tag);
	for (size_t i = from; i < to; i++)
		vg_escape_html(b, s->v[i].p, s->v[i].n);
	if (tag)
		vg_strbuf_printf(b, "</%s>", tag);
}

/* Appends a paragraph of kind op (static) whose HTML b holds (taken). */
static int add_para(vg_wdiff_result *out, const char *op, vg_strbuf *b)
{
	vg_wdiff_para *grown = b->oom ? NULL : realloc(out->paras, (out->n + 1) * sizeof(*grown));
	char *html = grown ? vg_strbuf_detach(b) : NULL;
	vg_strbuf_free(b);
	if (grown)
		out->paras = grown;
	if (!html)
		return VG_ENOMEM;
	out->paras[out->n++] = (vg_wdiff_para){op, html};
	return 0;
}

static int whole(vg_wdiff_result *out, const char *op, const char *tag, span line)
{
	vg_strbuf b = VG_STRBUF_INIT;
	vg_strbuf_printf(&b, "<%s>", tag);
	vg_escape_html(&b, line.p, line.n);
	vg_strbuf_printf(&b, "</%s>", tag);
	return add_para(out, op, &b);
}

/* Short runs of kept words between two changes ("de", " ", "la") make a
 * word diff hard to read: they are folded into the changes around them,
 * the way a reader would describe the edit. The script grows (a KEEP
 * becomes DEL + INS), so a new one is returned. */
static edit *absorb_short_keeps(const edit *e, size_t n, const spans *a, size_t *n_out)
{
	edit *out = malloc((2 * n + 1) * sizeof(*out));
	if (!out)
		return NULL;
	size_t k = 0, m = 0, i = 0;
	while (k < n) {
		if (e[k] != KEEP) {
			if (e[k] == DEL)
				i++;
			out[m++] = e[k++];
			continue;
		}
		size_t start = k, bytes = 0, words = 0;
		for (size_t ii = i; k < n && e[k] == KEEP; k++, ii++) {
			bytes += a->v[ii].n;
			words += is_word_byte((unsigned char)a->v[ii].p[0]);
		}
		size_t run = k - start;
		int between = start > 0 && k < n;
		int small = words == 0 || (words == 1 && bytes <= 6);
		for (size_t r = 0; r < run; r++) {
			if (between && small) {
				out[m++] = DEL;
				out[m++] = INS;
			} else {
				out[m++] = KEEP;
			}
		}
		i += run;
	}
	*n_out = m;
	return out;
}

/* One changed paragraph, word by word. */
static int changed(vg_wdiff_result *out, span old_line, span new_line)
{
	spans a = {NULL, 0, 0}, w = {NULL, 0, 0};
	size_t n = 0;
	int oom = 0, rc;
	if ((rc = split_words(old_line, &a)) < 0 || (rc = split_words(new_line, &w)) < 0)
		goto done;
	edit *raw = lcs(&a, &w, &n, &oom);
	if (!raw) {
		rc = oom ? VG_ENOMEM : 0;
		if (rc == 0 && (rc = whole(out, "removed", "del", old_line)) == 0)
			rc = whole(out, "added", "ins", new_line);
		goto done;
	}
	edit *e = absorb_short_keeps(raw, n, &a, &n);
	free(raw);
	if (!e) {
		rc = VG_ENOMEM;
		goto done;
	}
	vg_strbuf b = VG_STRBUF_INIT;
	size_t i = 0, j = 0, k = 0;
	while (k < n) {
		size_t is = i, js = j;
		if (e[k] == KEEP) {
			while (k < n && e[k] == KEEP)
				k++, i++, j++;
			add_run(&b, NULL, &w, js, j);
			continue;
		}
		/* A run of deletions and insertions: all deletions first. */
		skip_changes(e, n, &k, &i, &j);
		add_run(&b, "del", &a, is, i);
		add_run(&b, "ins", &w, js, j);
	}
	free(e);
	rc = add_para(out, "changed", &b);
done:
	free(a.v);
	free(w.v);
	return rc;
}

int vg_wdiff(vg_wdiff_result *out, const char *old_text, const char *new_text, vg_err *err)
{
	spans a = {NULL, 0, 0}, b = {NULL, 0, 0};
	edit *e = NULL;
	size_t n = 0;
	int oom = 0, rc;
	vg_wdiff_result *list = out;
	size_t *changes = &out->changes;
	memset(out, 0, sizeof(*out));
	if ((rc = split_lines(old_text, &a)) < 0 || (rc = split_lines(new_text, &b)) < 0) {
		rc = VG_ENOMEM;
		goto done;
	}
	e = lcs(&a, &b, &n, &oom);
	if (!e && oom) {
		rc = VG_ENOMEM;
		goto done;
	}
	if (!e) {
		/* Too large to align: everything removed, then everything added. */
		for (size_t i = 0; rc == 0 && i < a.n; i++)
			rc = whole(list, "removed", "del", a.v[i]);
		for (size_t j = 0; rc == 0 && j < b.n; j++)
			rc = whole(list, "added", "ins", b.v[j]);
		*changes = a.n + b.n;
		goto done;
	}
	size_t i = 0, j = 0, k = 0;
	rc = 0;
	while (k < n && rc == 0) {
		if (e[k] == KEEP) {
			vg_strbuf s = VG_STRBUF_INIT;
			vg_escape_html(&s, b.v[j].p, b.v[j].n);
			rc = add_para(list, "same", &s);
			i++, j++, k++;
			continue;
		}
		size_t is = i, js = j;
		skip_changes(e, n, &k, &i, &j);
		/* Pair removed and added paragraphs in order; the rest stand alone. */
		size_t pairs = (i - is) < (j - js) ? (i - is) : (j - js);
		for (size_t p = 0; rc == 0 && p < pairs; p++)
			rc = changed(list, a.v[is + p], b.v[js + p]);
		for (size_t p = is + pairs; rc == 0 && p < i; p++)
			rc = whole(list, "removed", "del", a.v[p]);
		for (size_t p = js + pairs; rc == 0 && p < j; p++)
			rc = whole(list, "added", "ins", b.v[p]);
		*changes += (i - is) > (j - js) ? (i - is) : (j - js);
	}
done:
	free(e);
	free(a.v);
	free(b.v);
	if (rc < 0) {
		vg_wdiff_clear(out);
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	}
	return 0;
}

void vg_wdiff_clear(vg_wdiff_result *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->paras[i].html);
	free(r->paras);
	memset(r, 0, sizeof(*r));
}

json_t *vg_wdiff_json(const vg_wdiff_result *r)
{
	json_t *list = json_array();
	for (size_t i = 0; list && i < r->n; i++)
		if (json_array_append_new(list, json_pack("{s:s, s:s}", "op", r->paras[i].op, "html", r->paras[i].html)) < 0) {
			json_decref(list);
			list = NULL;
		}
	return list;
}
