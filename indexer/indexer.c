#include "indexer.h"
#include "breadcrumb.h"
#include "search.h"
#include "schema.h"
#include "document.h"
#include "extract.h"
#include "fields.h"
#include "repo_git.h"
#include "store.h"
#include "strbuf.h"
#include "livemap.h"
#include "timeline.h"
#include "workpool.h"
#include "xapian_shim.h"

#include <pthread.h>
#include <sys/stat.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_BATCH 500
/* How far analysis threads may run ahead of the writer: bounds memory. */
#define WINDOW 256
#define SYNONYMS_PATH ".vigie/synonymes.txt"
/* A word seen in a single document is more likely a typo than a
 * suggestion worth making. */
#define SPELLING_MIN_DOCS 2

/* One commit of the first-parent chain to apply. */
typedef struct step {
	git_oid commit;
	git_oid parent;
	int has_parent;
	char hex[41];
	long seq;
	int64_t time;
	char date[11];
} step;

typedef enum { OP_ADD, OP_CLOSE } op_kind;

/* One change to the index, planned by the main thread, analysed by a
 * worker (ADD), applied in order by the writer. */
typedef struct op {
	op_kind kind;
	char *path;        /* ADD: the new version's path; CLOSE: the path to close */
	char *inherit;     /* ADD: path of the version it replaces, or NULL */
	git_oid blob;
	size_t step;       /* index in the chunk's steps */
	size_t nth;        /* position among its step's operations */
	/* Filled by the worker. */
	vg_xdoc *xdoc;
	vg_strlist problems;
	int rc;
	vg_err *err;       /* why it failed (rc < 0), or NULL: a HEAD of many
	                      files is planned at once, each op kept small */
} op;

/* Keeps the failure of o (rc and e); when even that fails, o->err stays
 * NULL and the writer reports a lack of memory. */
static void op_failed(op *o, int rc, const vg_err *e)
{
	o->rc = rc;
	free(o->err);
	if ((o->err = malloc(sizeof(*o->err))) != NULL)
		*o->err = *e;
}

typedef struct run {
	const vg_index_opts *opts;
	vg_index_stats *stats;
	vg_repo *repo;
	vg_xdb *db;
	vg_livemap live;     /* path -> live version */
	int live_complete;  /* the map knows every live version (fresh index) */
	int spelling_deferred; /* the spelling dictionary is built at the end */
	size_t since_commit;
	int in_txn;
	/* Resume point within a step interrupted by a mid-step commit. */
	char pending_hex[41];
	size_t pending_done;
	/* How the versions a first build writes end, when it knows already. */
	struct endings *endings;
	/* The index may hold versions written closed at a step to come: an
	 * interrupted first build is resumed. */
	int ahead_pending;
} run;

static int is_indexable(const char *path)
{
	/* Dot folders (.vigie, .github) hold configuration, not documents. */
	if (path[0] == '.' || strstr(path, "/."))
		return 0;
	return vg_doc_extractor_for(path) != NULL;
}

/* ---- analysis (worker threads) ------------------------------------------ */

/* INDEX/extracts/v<version>/<blob>.json: what vigie-extract said of a
 * blob, kept across generations so that a rebuild never extracts a file
 * twice, and by extractor version so that a better one reads it again. */
static char *cache_path(const char *index, const char *blob_hex)
{
	vg_strbuf b = VG_STRBUF_INIT;
	vg_strbuf_printf(&b, "%s/extracts/v%d/%.2s/%s.json", index, VG_EXTRACT_VERSION, blob_hex, blob_hex + 2);
	return vg_strbuf_detach(&b);
}

static char *cache_read(const char *path)
{
	FILE *f = path ? fopen(path, "rb") : NULL;
	if (!f)
		return NULL;
	vg_strbuf b = VG_STRBUF_INIT;
	int rc = vg_strbuf_add_stream(&b, f);
	fclose(f);
	if (rc < 0) {
		vg_strbuf_free(&b);
		return NULL;
	}
	return vg_strbuf_detach(&b);
}

static void cache_write(const char *path, const char *json)
{
	char dir[4096], tmp[4200];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash)
		return;
	*slash = '\0';
	for (char *p = dir + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(dir, 0755);
			*p = '/';
		}
	}
	mkdir(dir, 0755);
	snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)pthread_self() % 100000);
	FILE *f = fopen(tmp, "wb");
	if (!f)
		return;
	int ok = fputs(json, f) >= 0;
	if (fclose(f) != 0 || !ok || rename(tmp, path) < 0)
		unlink(tmp);
}

static void analyse(op *o, const step *s, vg_repo *repo, vg_xgen *gen, vg_breadcrumbs *crumbs,
                    const vg_index_opts *opts)
{
	char *data = NULL, *sidecar = NULL, *cached = NULL, *cpath = NULL;
	size_t size = 0, sidecar_len = 0, max_size = opts->max_size;
	vg_doc *doc = NULL;
	vg_err e, oe;
	char blob_hex[41];
	git_oid_tostr(blob_hex, sizeof(blob_hex), &o->blob);
	vg_err_clear(&e);
	vg_err_clear(&oe);
	vg_doc_context ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.commit_date = s->date;
	const vg_extractor *ex = vg_doc_extractor_for(o->path);
	if (ex && ex->attachment) {
		/* An attachment's metadata lives in FILE.meta.yml beside it. */
		vg_strbuf sp = VG_STRBUF_INIT;
		vg_strbuf_printf(&sp, "%s.meta.yml", o->path);
		vg_err ignored;
		if (sp.ptr && vg_repo_file_read(repo, &s->commit, sp.ptr, 1024 * 1024, &sidecar, &sidecar_len, &ignored) == 0) {
			ctx.sidecar = sidecar;
			ctx.sidecar_len = sidecar_len;
		}
		vg_strbuf_free(&sp);
		cpath = cache_path(opts->index, blob_hex);
		ctx.extracted = cached = cache_read(cpath);
	}
	int rc = vg_repo_blob_read(repo, &o->blob, max_size, &data, &size, &e);
	if (rc == 0)
		rc = vg_doc_parse(&doc, o->path, data, size, &ctx, &e);
	if (rc == 0)
		rc = vg_breadcrumbs_for(&doc->breadcrumb, crumbs, repo, &s->commit, o->path, &e);
	if (ctx.extracted_out && cpath)
		cache_write(cpath, ctx.extracted_out);
	free(ctx.extracted_out);
	free(cached);
	free(cpath);
	free(sidecar);
	if (rc == 0) {
		o->rc = vg_fields_build(gen, doc, s->hex, blob_hex, &o->xdoc, &oe);
		for (size_t i = 0; o->rc == 0 && i < doc->problems.count; i++)
			if (vg_strlist_add_unique(&o->problems, doc->problems.items[i]) < 0)
				o->rc = vg_err_set(&oe, VG_ENOMEM, "mémoire insuffisante");
	} else if (rc == VG_ETOOBIG || rc == VG_EINVAL || rc == VG_ENOTFOUND) {
		/* Not indexable, but the run goes on: record why. */
		char msg[700];
		if (rc == VG_ETOOBIG)
			snprintf(msg, sizeof(msg), "%s : fichier trop volumineux (%.1f Mo, limite %.1f Mo), non indexé",
			         o->path, (double)size / 1048576.0, (double)max_size / 1048576.0);
		else if (strncmp(e.msg, o->path, strlen(o->path)) == 0)
			snprintf(msg, sizeof(msg), "%s", e.msg);
		else
			snprintf(msg, sizeof(msg), "%s : %s", o->path, e.msg);
		o->rc = vg_fields_build_skipped(o->path, s->hex, blob_hex, msg, &o->xdoc, &oe);
		if (o->rc == 0 && vg_strlist_add_unique(&o->problems, msg) < 0)
			o->rc = vg_err_set(&oe, VG_ENOMEM, "mémoire insuffisante");
	} else {
		o->rc = rc;
		oe = e;
	}
	if (o->rc < 0)
		op_failed(o, o->rc, &oe);
	vg_doc_free(doc);
	free(data);
}

/* The operations of whole steps, analysed by the work pool's threads. */
typedef struct chunk {
	const vg_index_opts *opts;
	const step *steps;
	op *ops;
	size_t n;
} chunk;

/* What each analysis thread keeps, and whether it could make it. */
typedef struct analyst {
	vg_repo *repo;
	vg_xgen *gen;
	vg_breadcrumbs *crumbs;
	int rc;
	vg_err err;
} analyst;

static void *analyst_start(void *ctx)
{
	const chunk *c = ctx;
	analyst *a = calloc(1, sizeof(*a));
	if (a && (a->rc = vg_repo_open(&a->repo, c->opts->repo, &a->err)) == 0 &&
	    (a->rc = vg_xgen_new(&a->gen, &a->err)) == 0)
		a->rc = vg_breadcrumbs_new(&a->crumbs, &a->err);
	return a;
}

static void analyst_end(void *ctx, void *state)
{
	analyst *a = state;
	(void)ctx;
	if (!a)
		return;
	vg_xgen_free(a->gen);
	vg_breadcrumbs_free(a->crumbs);
	vg_repo_free(a->repo);
	free(a);
}

/* Analyses an addition into its document; a closing needs nothing. */
static void analyse_op(void *ctx, void *state, size_t i)
{
	const chunk *c = ctx;
	const analyst *a = state;
	op *o = &c->ops[i];
	vg_err e;
	if (o->kind != OP_ADD)
		return;
	if (!a)
		op_failed(o, vg_err_set(&e, VG_ENOMEM, "mémoire insuffisante"), &e);
	else if (a->rc < 0)
		op_failed(o, a->rc, &a->err);
	else
		analyse(o, &c->steps[o->step], a->repo, a->gen, a->crumbs, c->opts);
}

static void release_doc(void *doc)
{
	vg_xdoc_free(doc);
}

/* ---- planning (main thread) ---------------------------------------------- */

static void ops_free_each(op *ops, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(ops[i].path);
		free(ops[i].inherit);
		vg_xdoc_free(ops[i].xdoc);
		vg_strlist_clear(&ops[i].problems);
		free(ops[i].err);
	}
}

typedef struct plan {
	op *ops;
	size_t n, cap;
	size_t adds;
} plan;

static op *plan_push(plan *p, op_kind kind, const char *path, const char *inherit,
                     const git_oid *blob, size_t step_idx, size_t nth)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 1024;
		op *o = realloc(p->ops, cap * sizeof(*o));
		if (!o)
			return NULL;
		p->ops = o;
		p->cap = cap;
	}
	op *o = &p->ops[p->n];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->path = strdup(path);
	o->inherit = inherit ? strdup(inherit) : NULL;
	if (blob)
		git_oid_cpy(&o->blob, blob);
	o->step = step_idx;
	o->nth = nth;
	if (!o->path || (inherit && !o->inherit)) {
		free(o->path);
		free(o->inherit);
		return NULL;
	}
	p->n++;
	if (kind == OP_ADD)
		p->adds++;
	return o;
}

/* Whether path is the sidecar (FILE.meta.yml) of an attachment that this
 * commit does not change itself. */
static int is_sidecar_of_unchanged(run *r, const step *s, const vg_change *ch, size_t n, const char *path)
{
	size_t len = strlen(path), suffix = strlen(".meta.yml");
	(void)r;
	(void)s;
	if (len <= suffix || strcmp(path + len - suffix, ".meta.yml") != 0)
		return 0;
	char *base = strndup(path, len - suffix);
	const vg_extractor *ex = base ? vg_doc_extractor_for(base) : NULL;
	int result = ex && ex->attachment && is_indexable(base);
	for (size_t i = 0; result && i < n; i++)
		if (ch[i].new_path && strcmp(ch[i].new_path, base) == 0)
			result = 0;
	free(base);
	return result;
}

/* Turns one commit's changes into operations: closings first, then
 * additions (a modification or a rename adds a version that inherits the
 * document's history), numbered in that order. */
static int plan_step(run *r, const step *s, size_t step_idx, plan *p, vg_err *err)
{
	vg_change *ch = NULL;
	size_t n = 0, nth = 0;
	int rc = vg_repo_diff(r->repo, s->has_parent ? &s->parent : NULL, &s->commit, &ch, &n, err);
	if (rc < 0)
		return rc;
	for (int pass = 0; pass < 2 && rc == 0; pass++) {
		for (size_t i = 0; i < n && rc == 0; i++) {
			const vg_change *c = &ch[i];
			op *o = NULL;
			int old_ok = c->old_path && is_indexable(c->old_path);
			int new_ok = c->new_path && is_indexable(c->new_path);
			if (pass == 1 && c->new_path && is_sidecar_of_unchanged(r, s, ch, n, c->new_path)) {
				/* Only the metadata of an attachment changed: a new version. */
				char *base = strndup(c->new_path, strlen(c->new_path) - strlen(".meta.yml"));
				git_oid blob;
				vg_err ignored;
				if (!base)
					rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
				else if (vg_repo_blob_at(r->repo, &s->commit, base, &blob, &ignored) == 0 &&
				         !(o = plan_push(p, OP_ADD, base, base, &blob, step_idx, nth)))
					rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
				free(base);
			} else if (pass == 0 && old_ok && !new_ok) {
				if (!(o = plan_push(p, OP_CLOSE, c->old_path, NULL, NULL, step_idx, nth)))
					rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
			} else if (pass == 1 && new_ok) {
				if (!(o = plan_push(p, OP_ADD, c->new_path, old_ok ? c->old_path : NULL, &c->new_blob, step_idx, nth)))
					rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
			}
			nth += o != NULL;
		}
	}
	vg_repo_changes_free(ch, n);
	return rc;
}

/* Forgets the first count operations planned from p->ops[from]: those of
 * a step that an interrupted run wrote already. */
static void plan_drop(plan *p, size_t from, size_t count)
{
	if (count > p->n - from)
		count = p->n - from;
	for (size_t i = from; i < from + count; i++)
		p->adds -= p->ops[i].kind == OP_ADD;
	ops_free_each(&p->ops[from], count);
	memmove(&p->ops[from], &p->ops[from + count], (p->n - from - count) * sizeof(*p->ops));
	p->n -= count;
}

/* Plans whole steps from *next on, until about one batch of additions. */
static int plan_chunk(run *r, const step *steps, size_t n_steps, size_t *next, size_t batch, plan *p, vg_err *err)
{
	size_t first = *next;
	int rc = 0;
	while (rc == 0 && *next < n_steps && (p->adds < batch || *next == first)) {
		size_t before = p->n;
		rc = plan_step(r, &steps[*next], *next, p, err);
		if (rc == 0 && r->pending_hex[0] && strcmp(r->pending_hex, steps[*next].hex) == 0) {
			plan_drop(p, before, r->pending_done);
			r->pending_hex[0] = '\0';
		}
		(*next)++;
	}
	return rc;
}

/* ---- writing (main thread) ---------------------------------------------- */

static void lineage_new(const char *path, long seq, char out[17])
{
	char at[32];
	snprintf(at, sizeof(at), "@%ld", seq);
	snprintf(out, 17, "%016llx", vg_hash(at, vg_hash(path, VG_HASH_INIT)));
}

/* Finds the version of path current until step seq: the live one, or one
 * written closed at seq already (*closed set). From the map, which also
 * knows its lineage, else from the index (lineage left ""). */
static int find_current(run *r, const char *path, long seq, unsigned *docid, int *closed, char lineage[17],
                        vg_err *err)
{
	vg_live_entry *e = vg_livemap_get(&r->live, path);
	*docid = 0;
	*closed = 0;
	lineage[0] = '\0';
	if (e) {
		*docid = e->docid;
		*closed = e->ends_at != 0;
		memcpy(lineage, e->lineage, 17);
		return 0;
	}
	if (r->live_complete)
		return 0;
	char *pterm = vg_fields_path_term(path);
	if (!pterm)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	unsigned *ids = NULL;
	size_t n = 0;
	int rc = vg_xdb_postings(r->db, pterm, &ids, &n, err);
	for (size_t i = n; rc == 0 && i-- > 0;) {
		vg_xdoc *d = NULL;
		if ((rc = vg_xdb_get(r->db, ids[i], &d, err)) < 0)
			break;
		int live = vg_fields_is_live(d);
		int ends_here = r->ahead_pending && vg_xdoc_get_number(d, VG_SLOT_TO, 0) == (double)seq;
		vg_xdoc_free(d);
		if (live || ends_here) {
			*docid = ids[i];
			*closed = ends_here;
			break;
		}
	}
	free(ids);
	free(pterm);
	return rc;
}

/* Marks the live version of path as replaced or deleted (gone) at seq;
 * gives its lineage (or "" when path had no live version). A version
 * written closed at seq is left as it is. */
static int close_version(run *r, const char *path, long seq, int gone, char lineage[17], vg_err *err)
{
	unsigned docid;
	int closed;
	vg_xdoc *d = NULL;
	char *lin = NULL;
	size_t len = 0;
	int rc = find_current(r, path, seq, &docid, &closed, lineage, err);
	if (rc < 0 || docid == 0) {
		lineage[0] = '\0';
		return rc;
	}
	/* Written closed, with its lineage in the map: nothing to read. */
	if (!closed || !lineage[0]) {
		if ((rc = vg_xdb_get(r->db, docid, &d, err)) < 0)
			return rc;
		if ((rc = vg_xdoc_get_value(d, VG_SLOT_LINEAGE, &lin, &len, err)) == 0) {
			snprintf(lineage, 17, "%s", lin);
			if (!closed && (rc = vg_xdoc_set_number(d, VG_SLOT_TO, (double)seq, err)) == 0 &&
			    (rc = vg_xdoc_remove_term(d, VG_T_LIVE, err)) == 0 &&
			    (!gone || (rc = vg_xdoc_add_term(d, VG_T_GONE, 0, err)) == 0))
				rc = vg_xdb_replace(r->db, docid, d, err);
		}
		free(lin);
		vg_xdoc_free(d);
	}
	if (rc == 0) {
		vg_livemap_remove(&r->live, path);
		r->stats->closed++;
	}
	return rc;
}

/* ---- versions written closed (a first build) --------------------------------
 * Closing a version rewrites its document, and Xapian reads all of its
 * terms and positions again to do it: that was a third of a first build
 * of a long history. A first build plans each window of steps once ahead
 * and writes each version that the window replaces or deletes closed
 * already. Until the run reaches the step that replaces it, the present
 * of the index lacks that document, as it lacks every document not
 * written yet; the past of each step committed is exact. */

static int begin(run *r, vg_err *err);
static int set_meta_str(vg_xdb *db, const char *key, const char *val, vg_err *err);

/* Steps planned ahead at once: bounds the memory of the endings. */
#define ENDINGS_WINDOW 4096

/* How the version added by operation nth of step ends. */
typedef struct ending {
	size_t step, nth;
	long seq;
	int gone;
} ending;

typedef struct endings {
	ending *v;
	size_t n, cap;
	size_t next;        /* the first one the writer has not reached */
	size_t until;       /* the steps planned ahead end here */
} endings;

/* An addition not replaced yet while planning ahead: its place in the
 * endings (as docid + 1 in a map entry). */
static void ending_of(endings *en, vg_livemap *added, const char *path, long seq, int gone)
{
	vg_live_entry *e = vg_livemap_get(added, path);
	if (!e)
		return;
	en->v[e->docid - 1].seq = seq;
	en->v[e->docid - 1].gone = gone;
	vg_livemap_remove(added, path);
}

static int by_place(const void *a, const void *b)
{
	const ending *x = a, *y = b;
	if (x->step != y->step)
		return x->step < y->step ? -1 : 1;
	return x->nth < y->nth ? -1 : x->nth > y->nth;
}

/* Plans steps [first, last) ahead, as write_chunk will apply them, and
 * keeps how each version they add ends within them. */
static int foresee_endings(run *r, const step *steps, size_t first, size_t last, vg_err *err)
{
	endings *en = r->endings;
	vg_livemap added = {NULL, 0, 0};
	int rc = 0;
	en->n = en->next = 0;
	for (size_t t = first; t < last && rc == 0; t++) {
		plan p = {NULL, 0, 0, 0};
		rc = plan_step(r, &steps[t], t, &p, err);
		for (size_t i = 0; i < p.n && rc == 0; i++) {
			const op *o = &p.ops[i];
			if (o->kind == OP_CLOSE) {
				ending_of(en, &added, o->path, steps[t].seq, 1);
				continue;
			}
			if (o->inherit)
				ending_of(en, &added, o->inherit, steps[t].seq, 0);
			if (!o->inherit || strcmp(o->inherit, o->path) != 0)
				ending_of(en, &added, o->path, steps[t].seq, 0);
			if (en->n == en->cap) {
				size_t cap = en->cap ? en->cap * 2 : 1024;
				ending *v = realloc(en->v, cap * sizeof(*v));
				if (!v) {
					rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
					break;
				}
				en->v = v;
				en->cap = cap;
			}
			vg_live_entry *e = vg_livemap_put(&added, o->path);
			if (!e) {
				rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
				break;
			}
			en->v[en->n] = (ending){t, o->nth, 0, 0};
			e->docid = (unsigned)++en->n;
		}
		ops_free_each(p.ops, p.n);
		free(p.ops);
	}
	vg_livemap_free(&added);
	/* Only the versions that end within the window matter. */
	size_t kept = 0;
	for (size_t i = 0; i < en->n; i++)
		if (en->v[i].seq)
			en->v[kept++] = en->v[i];
	en->n = kept;
	qsort(en->v, en->n, sizeof(*en->v), by_place);
	en->until = last;
	/* Committed with the first versions written closed: a run resuming
	 * this one checks that its history still reaches that far. */
	if (rc == 0 && en->n && (rc = begin(r, err)) == 0) {
		char ahead[64];
		snprintf(ahead, sizeof(ahead), "%ld %s", steps[last - 1].seq, steps[last - 1].hex);
		rc = set_meta_str(r->db, "vg:ahead", ahead, err);
	}
	return rc;
}

/* How the version of operation o ends, when planned ahead (else NULL). */
static const ending *ending_for(run *r, const op *o)
{
	endings *en = r->endings;
	if (!en)
		return NULL;
	const ending key = {o->step, o->nth, 0, 0};
	while (en->next < en->n && by_place(&en->v[en->next], &key) < 0)
		en->next++;
	return en->next < en->n && by_place(&en->v[en->next], &key) == 0 ? &en->v[en->next] : NULL;
}

static int add_version(run *r, op *o, const step *s, vg_err *err)
{
	char lineage[17] = "";
	int rc;
	if (o->inherit && (rc = close_version(r, o->inherit, s->seq, 0, lineage, err)) < 0)
		return rc;
	/* Whatever version the path still had (a rename onto an existing
	 * path) ends here too. */
	char other[17];
	if ((!o->inherit || strcmp(o->inherit, o->path) != 0) &&
	    (rc = close_version(r, o->path, s->seq, 0, other, err)) < 0)
		return rc;
	if (!lineage[0])
		lineage_new(o->path, s->seq, lineage);
	char term[32];
	snprintf(term, sizeof(term), VG_P_LINEAGE "%s", lineage);
	vg_xdoc *d = o->xdoc;
	const ending *end = ending_for(r, o);
	if ((rc = vg_xdoc_add_term(d, term, 0, err)) < 0 || (!end && (rc = vg_xdoc_add_term(d, VG_T_LIVE, 0, err)) < 0) ||
	    (end && end->gone && (rc = vg_xdoc_add_term(d, VG_T_GONE, 0, err)) < 0) ||
	    (rc = vg_xdoc_set_number(d, VG_SLOT_FROM, (double)s->seq, err)) < 0 ||
	    (rc = vg_xdoc_set_number(d, VG_SLOT_TO, end ? (double)end->seq : VG_SEQ_OPEN, err)) < 0 ||
	    (rc = vg_xdoc_set_number(d, VG_SLOT_CTIME, (double)s->time, err)) < 0 ||
	    (rc = vg_xdoc_set_value(d, VG_SLOT_LINEAGE, lineage, strlen(lineage), err)) < 0)
		return rc;
	unsigned docid;
	if ((rc = vg_xdb_add(r->db, d, &docid, err)) < 0)
		return rc;
	vg_live_entry *e = vg_livemap_put(&r->live, o->path);
	if (!e)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	e->docid = docid;
	e->ends_at = end ? end->seq : 0;
	memcpy(e->lineage, lineage, sizeof(e->lineage));
	r->stats->added++;
	for (size_t i = 0; i < o->problems.count; i++) {
		r->stats->problems++;
		if (r->opts->report)
			r->opts->report(r->opts->report_ctx, s->hex, o->problems.items[i]);
	}
	return 0;
}

static int set_meta_str(vg_xdb *db, const char *key, const char *val, vg_err *err)
{
	return vg_xdb_set_meta(db, key, val, strlen(val), err);
}

/* Commits what was applied: the last complete step, and how far the
 * current one went when a transaction ends inside it. */
static int checkpoint(run *r, const step *done_step, const step *partial, size_t partial_done,
                      int commit, vg_err *err)
{
	int rc = 0;
	if (done_step) {
		char seq[32], format[16];
		snprintf(seq, sizeof(seq), "%ld", done_step->seq);
		snprintf(format, sizeof(format), "%d", VG_INDEX_FORMAT);
		/* The format travels with the indexed commit: a run resumed after
		 * an interruption continues what this one started. */
		if ((rc = set_meta_str(r->db, "vg:commit", done_step->hex, err)) < 0 ||
		    (rc = set_meta_str(r->db, "vg:seq", seq, err)) < 0 ||
		    (rc = set_meta_str(r->db, "vg:format", format, err)) < 0)
			return rc;
	}
	char pending[64] = "";
	if (partial)
		snprintf(pending, sizeof(pending), "%s %zu", partial->hex, partial_done);
	if ((rc = set_meta_str(r->db, "vg:pending", pending, err)) < 0 || !commit ||
	    (rc = vg_xdb_commit(r->db, err)) < 0)
		return rc;
	r->in_txn = 0;
	r->since_commit = 0;
	return 0;
}

static int begin(run *r, vg_err *err)
{
	if (r->in_txn)
		return 0;
	int rc = vg_xdb_begin(r->db, err);
	if (rc == 0)
		r->in_txn = 1;
	return rc;
}

/* Writes the chunk's operations in order, each once analysed; a
 * transaction that fills up within a step is committed with how far the
 * step went. */
static int write_chunk(run *r, const chunk *c, vg_workpool *pool, size_t batch, vg_err *err)
{
	int rc = 0;
	for (size_t i = 0; i < c->n && rc == 0; i++) {
		op *o = &c->ops[i];
		const step *s = &c->steps[o->step];
		vg_workpool_wait(pool, i);
		if ((rc = begin(r, err)) < 0)
			break;
		if (o->kind == OP_CLOSE) {
			char lineage[17];
			rc = close_version(r, o->path, s->seq, 1, lineage, err);
		} else if (o->rc < 0 && o->err) {
			rc = o->rc;
			*err = *o->err;
		} else if (o->rc < 0) {
			rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
		} else {
			rc = add_version(r, o, s, err);
		}
		r->since_commit++;
		vg_workpool_consumed(pool, i, o->xdoc);
		o->xdoc = NULL;
		int step_ends = i + 1 == c->n || c->ops[i + 1].step != o->step;
		if (rc == 0 && !step_ends && r->since_commit >= batch)
			rc = checkpoint(r, o->step > 0 ? &c->steps[o->step - 1] : NULL, s, o->nth + 1, 1, err);
	}
	return rc;
}

/* Plans, analyses and writes the steps in chunks of about one batch of
 * additions each, committing after each chunk. */
static int apply_steps(run *r, const step *steps, size_t n_steps, vg_err *err)
{
	size_t batch = r->opts->batch ? r->opts->batch : DEFAULT_BATCH, next = 0;
	/* The writer keeps one core busy; analysis gets the others. */
	int threads = r->opts->threads > 0 ? r->opts->threads : (int)sysconf(_SC_NPROCESSORS_ONLN) - 1;
	int rc = 0;
	while (rc == 0 && next < n_steps) {
		size_t first = next;
		plan p = {NULL, 0, 0, 0};
		vg_workpool *pool = NULL;
		if (r->endings && next >= r->endings->until)
			rc = foresee_endings(r, steps, next, next + ENDINGS_WINDOW < n_steps ? next + ENDINGS_WINDOW : n_steps, err);
		if (rc == 0)
			rc = plan_chunk(r, steps, n_steps, &next, batch, &p, err);
		chunk c = {r->opts, steps, p.ops, p.n};
		vg_workpool_job job = {p.n, WINDOW, &c, analyst_start, analyst_end, analyse_op, release_doc};
		if (rc == 0 && p.n > 0 && (rc = vg_workpool_start(&pool, &job, threads, err)) == 0)
			rc = write_chunk(r, &c, pool, batch, err);
		vg_workpool_stop(pool);
		ops_free_each(p.ops, p.n);
		free(p.ops);
		/* Steps without indexable changes still advance the index. The
		 * last chunk is committed with the run's final metadata. */
		if (rc == 0 && (rc = begin(r, err)) == 0)
			rc = checkpoint(r, &steps[next - 1], NULL, 0, next < n_steps, err);
		if (rc == 0)
			r->stats->commits += next - first;
	}
	if (rc < 0 && r->in_txn) {
		vg_err ignored;
		vg_xdb_cancel(r->db, &ignored);
		r->in_txn = 0;
	}
	return rc;
}

/* ---- the run --------------------------------------------------------------- */

static int get_meta(vg_xdb *db, const char *key, char *out, size_t outsz, vg_err *err)
{
	char *v = NULL;
	size_t len;
	int rc = vg_xdb_get_meta(db, key, &v, &len, err);
	if (rc == 0)
		snprintf(out, outsz, "%s", v);
	free(v);
	return rc;
}

static void fill_step(step *st, const vg_commit_info *c, const vg_commit_info *parent, long seq)
{
	memset(st, 0, sizeof(*st));
	git_oid_cpy(&st->commit, &c->id);
	if (parent) {
		git_oid_cpy(&st->parent, &parent->id);
		st->has_parent = 1;
	}
	git_oid_tostr(st->hex, sizeof(st->hex), &c->id);
	st->seq = seq;
	st->time = c->time;
	vg_format_date(c->time, st->date);
}

/* The labels of facet values for readers, as JSON (malloc'd, or NULL):
 * the schema's at head, and for a domain without one the heading of its
 * folder's README.md ("Partie réglementaire"). */
static char *facet_labels(run *r, const git_oid *head)
{
	char *yaml = NULL;
	size_t size = 0;
	vg_err e;
	vg_schema *schema = NULL;
	json_t *labels = NULL;
	if (vg_repo_file_read(r->repo, head, VG_SCHEMA_PATH, 1024 * 1024, &yaml, &size, &e) == 0 &&
	    vg_schema_parse(yaml, size, &schema, &e) == 0)
		labels = json_deep_copy(vg_schema_labels(schema));
	free(yaml);
	vg_schema_free(schema);
	if (!labels && !(labels = json_object()))
		return NULL;
	json_t *domaines = json_object_get(labels, VG_FIELD_NAME(DOMAINE));
	if (!domaines) {
		domaines = json_object();
		json_object_set_new(labels, VG_FIELD_NAME(DOMAINE), domaines);
	}
	char **terms = NULL;
	size_t n = 0;
	size_t plen = strlen(VG_PREFIX(DOMAINE));
	if (domaines && vg_xdb_prefixed(r->db, VG_PREFIX(DOMAINE), &terms, &n, &e) == 0) {
		for (size_t i = 0; i < n; i++) {
			const char *value = terms[i] + plen;
			char path[300], *readme = NULL, *heading = NULL;
			size_t len = 0;
			snprintf(path, sizeof(path), "%s/README.md", value);
			if (*value && !json_object_get(domaines, value) &&
			    vg_repo_file_read(r->repo, head, path, 256 * 1024, &readme, &len, &e) == 0 &&
			    vg_breadcrumb_heading(&heading, readme, len) == 0 && heading && *heading)
				json_object_set_new(domaines, value, json_string(heading));
			free(readme);
			free(heading);
			free(terms[i]);
		}
		free(terms);
	}
	char *out = json_dumps(labels, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(labels);
	return out;
}

static int store_labels(run *r, const git_oid *head, vg_err *err)
{
	char *labels = facet_labels(r, head);
	int rc = set_meta_str(r->db, "vg:labels", labels ? labels : "{}", err);
	free(labels);
	return rc;
}

/* Stores the synonyms file of the head commit, and run information. */
static int finish(run *r, const git_oid *head, const char *refname, vg_err *err)
{
	char *data = NULL;
	size_t size = 0;
	vg_err e;
	int rc = vg_repo_file_read(r->repo, head, SYNONYMS_PATH, 1024 * 1024, &data, &size, &e);
	if (rc < 0 && rc != VG_ENOTFOUND)
		return vg_err_set(err, rc, "%s : %s", SYNONYMS_PATH, e.msg);
	if (r->stats->up_to_date && !r->spelling_deferred) {
		/* Nothing moved: leave the index as it is (no write, no commit),
		 * unless the synonyms file was changed by hand in place. */
		char *old = NULL;
		size_t old_len = 0;
		rc = vg_xdb_get_meta(r->db, "vg:synonyms", &old, &old_len, err);
		int same = rc == 0 && old_len == (data ? size : 0) && (!data || memcmp(old, data, size) == 0);
		free(old);
		if (rc < 0 || same) {
			free(data);
			return rc;
		}
	}
	char now[32];
	snprintf(now, sizeof(now), "%lld", (long long)time(NULL));
	if ((rc = begin(r, err)) == 0 && r->spelling_deferred &&
	    (rc = vg_xdb_build_spelling(r->db, SPELLING_MIN_DOCS, err)) == 0)
		rc = set_meta_str(r->db, "vg:spelling", "", err);
	if (rc == 0 &&
	    (rc = vg_xdb_set_meta(r->db, "vg:synonyms", data ? data : "", data ? size : 0, err)) == 0 &&
	    (rc = set_meta_str(r->db, "vg:branch", refname, err)) == 0 &&
	    (rc = set_meta_str(r->db, "vg:ahead", "", err)) == 0 &&
	    (rc = set_meta_str(r->db, "vg:updated", now, err)) == 0 && (rc = store_labels(r, head, err)) == 0) {
		rc = vg_xdb_commit(r->db, err);
		r->in_txn = 0;
	}
	free(data);
	return rc;
}

/* An interrupted first build wrote versions closed at steps up to the one
 * ahead names ("SEQ HEX"): the history resumed must still hold that
 * commit there, or those versions would stay closed by a commit that
 * never came; then the run may find them by their end. */
static int check_ahead(run *r, const char *ahead, const step *steps, size_t n_steps, vg_err *err)
{
	long seq;
	char hex[41];
	if (sscanf(ahead, "%ld %40s", &seq, hex) != 2)
		return vg_err_set(err, VG_ECORRUPT, "métadonnée vg:ahead illisible : %s", ahead);
	for (size_t i = 0; i < n_steps; i++)
		if (steps[i].seq == seq && strcmp(steps[i].hex, hex) == 0) {
			r->ahead_pending = 1;
			return 0;
		}
	return vg_err_set(err, VG_EREWRITTEN, "l'historique a changé depuis l'indexation initiale interrompue");
}

/* Applies the commits from the indexed one (or from scratch) to head. */
static int run_update(run *r, const git_oid *head, const char *refname, vg_err *err)
{
	char indexed[64] = "", seqs[32] = "", branch[512] = "", pending[128] = "", spelling[16] = "", format[16] = "",
	     ahead[64] = "";
	vg_commit_info *chain = NULL;
	size_t n = 0;
	step *steps = NULL;
	size_t n_steps = 0;
	int found = 0, rc;

	if ((rc = get_meta(r->db, "vg:commit", indexed, sizeof(indexed), err)) < 0 ||
	    (rc = get_meta(r->db, "vg:seq", seqs, sizeof(seqs), err)) < 0 ||
	    (rc = get_meta(r->db, "vg:branch", branch, sizeof(branch), err)) < 0 ||
	    (rc = get_meta(r->db, "vg:pending", pending, sizeof(pending), err)) < 0 ||
	    (rc = get_meta(r->db, "vg:spelling", spelling, sizeof(spelling), err)) < 0 ||
	    (rc = get_meta(r->db, "vg:format", format, sizeof(format), err)) < 0 ||
	    (rc = get_meta(r->db, "vg:ahead", ahead, sizeof(ahead), err)) < 0)
		return rc;
	/* An index made before formats were numbered is format 1. */
	if (indexed[0] && atoi(format[0] ? format : "1") != VG_INDEX_FORMAT)
		return vg_err_set(err, VG_EOUTDATED, "index au format %s, Vigie lit le format %d : reconstruction",
		                  format[0] ? format : "1", VG_INDEX_FORMAT);
	if (sscanf(pending, "%40s %zu", r->pending_hex, &r->pending_done) != 2)
		r->pending_hex[0] = '\0';
	/* A full run builds the spelling dictionary once at its end; a run
	 * resuming one that was interrupted must do it too. */
	r->spelling_deferred = strcmp(spelling, "pending") == 0;
	if (branch[0] && strcmp(branch, refname) != 0)
		return vg_err_set(err, VG_EREWRITTEN, "l'index suit la branche %s, pas %s", branch, refname);

	if (indexed[0]) {
		git_oid from;
		if (git_oid_fromstr(&from, indexed) < 0)
			return vg_err_set(err, VG_ECORRUPT, "commit indexé illisible : %s", indexed);
		if (git_oid_equal(&from, head)) {
			r->stats->up_to_date = 1;
			git_oid_tostr(r->stats->head, sizeof(r->stats->head), head);
			return finish(r, head, refname, err);
		}
		if ((rc = vg_repo_first_parents(r->repo, head, &from, &chain, &n, &found, err)) < 0)
			return rc;
		if (!found) {
			free(chain);
			return vg_err_set(err, VG_EREWRITTEN,
			                  "l'historique de %s a été réécrit : le commit indexé %.10s n'y figure plus",
			                  refname, indexed);
		}
		long seq0 = strtol(seqs, NULL, 10) + 1;
		steps = calloc(n ? n : 1, sizeof(*steps));
		if (!steps) {
			free(chain);
			return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
		}
		vg_commit_info prev = {from, 0};
		for (size_t i = 0; i < n; i++)
			fill_step(&steps[i], &chain[i], i ? &chain[i - 1] : &prev, seq0 + (long)i);
		n_steps = n;
		vg_tl_entry *tl = calloc(n ? n : 1, sizeof(*tl));
		if (!tl) {
			rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
			goto done;
		}
		for (size_t i = 0; i < n; i++) {
			memcpy(tl[i].id, steps[i].hex, 41);
			tl[i].time = steps[i].time;
		}
		vg_timeline cur;
		if ((rc = vg_timeline_load(r->db, &cur, err)) == 0) {
			long base = cur.base;
			vg_timeline_clear(&cur);
			if ((rc = begin(r, err)) == 0)
				rc = vg_timeline_store(r->db, seq0, tl, n, base, err);
		}
		free(tl);
	} else {
		r->stats->full = 1;
		r->live_complete = !r->pending_hex[0];
		r->spelling_deferred = 1;
		if ((rc = vg_repo_first_parents(r->repo, head, NULL, &chain, &n, &found, err)) < 0)
			return rc;
		vg_tl_entry *tl = calloc(n ? n : 1, sizeof(*tl));
		steps = calloc(n ? n : 1, sizeof(*steps));
		if (!tl || !steps) {
			free(tl);
			rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
			goto done;
		}
		for (size_t i = 0; i < n; i++) {
			git_oid_tostr(tl[i].id, sizeof(tl[i].id), &chain[i].id);
			tl[i].time = chain[i].time;
		}
		long base = 0;
		if (r->opts->head_only) {
			fill_step(&steps[0], &chain[n - 1], NULL, (long)n - 1);
			n_steps = 1;
			base = (long)n - 1;
		} else {
			for (size_t i = 0; i < n; i++)
				fill_step(&steps[i], &chain[i], i ? &chain[i - 1] : NULL, (long)i);
			n_steps = n;
		}
		if (r->pending_hex[0] && strcmp(r->pending_hex, steps[0].hex) != 0) {
			free(tl);
			rc = vg_err_set(err, VG_EREWRITTEN, "indexation initiale interrompue sur une autre branche");
			goto done;
		}
		if ((rc = begin(r, err)) == 0)
			rc = vg_timeline_store(r->db, 0, tl, n, base, err);
		free(tl);
	}
	if (rc == 0 && r->spelling_deferred) {
		vg_xdb_defer_spelling(r->db);
		if ((rc = begin(r, err)) == 0)
			rc = set_meta_str(r->db, "vg:spelling", "pending", err);
	}
	if (rc == 0 && ahead[0])
		rc = check_ahead(r, ahead, steps, n_steps, err);
	endings planned = {NULL, 0, 0, 0, 0};
	if (r->live_complete && n_steps > 1)
		r->endings = &planned;
	if (rc == 0)
		rc = apply_steps(r, steps, n_steps, err);
	r->endings = NULL;
	free(planned.v);
	if (rc == 0)
		rc = finish(r, head, refname, err);
	if (rc == 0)
		git_oid_tostr(r->stats->head, sizeof(r->stats->head), head);
done:
	if (rc < 0 && r->in_txn) {
		vg_err ignored;
		vg_xdb_cancel(r->db, &ignored);
		r->in_txn = 0;
	}
	free(steps);
	free(chain);
	return rc;
}

/* Applies the branch to the database at db_path; fresh says it was made
 * by this run, so it is filled without a sync per batch and synced once. */
static int index_into(const vg_index_opts *opts, const char *db_path, int fresh, vg_repo *repo,
                      const git_oid *head, const char *refname, vg_index_stats *stats, vg_err *err)
{
	run r;
	memset(&r, 0, sizeof(r));
	r.opts = opts;
	r.stats = stats;
	r.repo = repo;
	int mode = VG_XDB_WRITE | (opts->wait ? VG_XDB_WAIT : 0) | (fresh ? VG_XDB_BULK : 0);
	int rc = vg_xdb_open(&r.db, db_path, mode, err);
	if (rc == 0)
		rc = run_update(&r, head, refname, err);
	vg_xdb_free(r.db);
	vg_livemap_free(&r.live);
	if (rc == 0 && fresh)
		rc = vg_store_sync(db_path, err);
	return rc;
}

static int rebuild_locked(const vg_index_opts *opts, vg_repo *repo, const git_oid *head,
                          const char *refname, vg_index_stats *stats, vg_err *err)
{
	char *gen = NULL;
	int rc = vg_store_new_generation(opts->index, &gen, err);
	if (rc < 0)
		return rc;
	rc = index_into(opts, gen, 1, repo, head, refname, stats, err);
	if (rc == 0)
		rc = vg_store_swap(opts->index, gen, err);
	if (rc < 0)
		vg_store_discard(gen);
	free(gen);
	return rc;
}

typedef enum { MODE_UPDATE, MODE_REBUILD } run_mode;

static int locked_run(const vg_index_opts *in, vg_index_stats *stats, run_mode mode, vg_err *err)
{
	vg_index_opts opts = *in;
	vg_repo *repo = NULL;
	char *refname = NULL, *db_path = NULL;
	int lock = -1;
	git_oid head;
	int rc;

	memset(stats, 0, sizeof(*stats));
	if (!opts.max_size)
		opts.max_size = VG_DEFAULT_MAX_SIZE;
	if ((rc = vg_repo_open(&repo, opts.repo, err)) < 0)
		return rc;
	if ((rc = vg_repo_resolve(repo, opts.ref, &head, &refname, err)) < 0)
		goto done;
	if ((rc = vg_store_lock(opts.index, opts.wait, &lock, err)) < 0)
		goto done;
	if (mode == MODE_REBUILD) {
		rc = rebuild_locked(&opts, repo, &head, refname, stats, err);
		goto done;
	}
	vg_err probe;
	int fresh = 0;
	if (vg_store_current(opts.index, &db_path, &probe) == VG_ENOTFOUND) {
		fresh = 1;
		/* First run: index in place, so an interrupted run can resume. */
		char *gen = NULL;
		if ((rc = vg_store_new_generation(opts.index, &gen, err)) < 0)
			goto done;
		rc = vg_store_swap(opts.index, gen, err);
		free(gen);
		if (rc < 0 || (rc = vg_store_current(opts.index, &db_path, err)) < 0)
			goto done;
	}
	rc = index_into(&opts, db_path, fresh, repo, &head, refname, stats, err);
	if (rc == VG_EREWRITTEN || rc == VG_EOUTDATED) {
		/* Rebuilt beside the current generation, which serves meanwhile. */
		int outdated = rc == VG_EOUTDATED;
		if (opts.report)
			opts.report(opts.report_ctx, "", err->msg);
		vg_err_clear(err);
		rc = rebuild_locked(&opts, repo, &head, refname, stats, err);
		stats->rewritten = !outdated;
		stats->reformatted = outdated;
	}
done:
	vg_store_unlock(lock);
	free(db_path);
	free(refname);
	vg_repo_free(repo);
	return rc;
}

int vg_index_update(const vg_index_opts *opts, vg_index_stats *stats, vg_err *err)
{
	return locked_run(opts, stats, MODE_UPDATE, err);
}

int vg_index_rebuild(const vg_index_opts *opts, vg_index_stats *stats, vg_err *err)
{
	return locked_run(opts, stats, MODE_REBUILD, err);
}
