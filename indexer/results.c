/* A search's results (search.h): releasing them, and their JSON, the one
 * shape of DESIGN.md that the API and the CLI print. */
#include "search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void hit_clear(vg_hit *h)
{
	char **strings[] = {&h->path,    &h->title,   &h->commit,  &h->date, &h->domaine,
	                    &h->type,    &h->academie, &h->snippet, &h->format, &h->repo};
	for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
		free(*strings[i]);
	vg_strlist_clear(&h->references);
	vg_strlist_clear(&h->breadcrumb);
}

void vg_results_clear(vg_results *r)
{
	for (size_t i = 0; i < r->n_hits; i++)
		hit_clear(&r->hits[i]);
	free(r->hits);
	for (size_t i = 0; i < r->n_facets; i++)
		vg_facet_take(&r->facets[i], NULL, 0);
	free(r->facets);
	free(r->query);
	free(r->as_of);
	free(r->suggestion);
	free(r->corrected);
	vg_strlist_clear(&r->missing_words);
	memset(r, 0, sizeof(*r));
}

vg_facet *vg_results_facet(vg_results *r, const char *name)
{
	for (size_t i = 0; i < r->n_facets; i++)
		if (strcmp(r->facets[i].name, name) == 0)
			return &r->facets[i];
	return NULL;
}

int vg_results_set_facet(vg_results *r, const char *name, const vg_facet_count *values, size_t n)
{
	/* The copy as a facet of its own until it has its place. */
	vg_facet copy = {"", calloc(n ? n : 1, sizeof(vg_facet_count)), 0};
	int oom = !copy.values;
	for (; !oom && copy.n < n; copy.n++) {
		copy.values[copy.n].count = values[copy.n].count;
		oom = !(copy.values[copy.n].value = strdup(values[copy.n].value));
	}
	vg_facet *f = oom ? NULL : vg_results_facet(r, name);
	if (!oom && !f) {
		vg_facet *grown = realloc(r->facets, (r->n_facets + 1) * sizeof(*grown));
		if (grown) {
			r->facets = grown;
			f = &grown[r->n_facets++];
			memset(f, 0, sizeof(*f));
			snprintf(f->name, sizeof(f->name), "%s", name);
		}
	}
	if (!f) {
		vg_facet_take(&copy, NULL, 0);
		return VG_ENOMEM;
	}
	vg_facet_take(f, copy.values, copy.n);
	return 0;
}

void vg_facet_take(vg_facet *f, vg_facet_count *values, size_t n)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->values[i].value);
	free(f->values);
	f->values = values;
	f->n = n;
}

json_t *vg_strings_json(const vg_strlist *l)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < l->count; i++)
		if (json_array_append_new(a, json_string(l->items[i])) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *hit_json(const vg_hit *h)
{
	json_t *o = json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:o, s:s, s:i, s:o}", "path", h->path,
	                      "title", h->title, "commit", h->commit, "date", h->date, "domaine", h->domaine, "type",
	                      h->type, "academie", h->academie, "references", vg_strings_json(&h->references), "snippet",
	                      h->snippet ? h->snippet : "", "score", h->score, "breadcrumb",
	                      vg_strings_json(&h->breadcrumb));
	if (o && h->format)
		json_object_set_new(o, "format", json_string(h->format));
	if (o && h->page)
		json_object_set_new(o, "page", json_integer(h->page));
	if (o && h->changed_known)
		json_object_set_new(o, "changed", json_integer(h->changed));
	if (o && h->repo)
		json_object_set_new(o, "repo", json_string(h->repo));
	if (o && h->deleted)
		json_object_set_new(o, "deleted_by", h->deleted_by[0] ? json_string(h->deleted_by) : json_null());
	return o;
}

json_t *vg_results_json(const vg_results *r)
{
	json_t *hits = json_array(), *facets = json_object();
	for (size_t i = 0; hits && i < r->n_hits; i++)
		if (json_array_append_new(hits, hit_json(&r->hits[i])) < 0) {
			json_decref(hits);
			hits = NULL;
		}
	for (size_t i = 0; facets && i < r->n_facets; i++) {
		json_t *counts = json_object();
		for (size_t k = 0; counts && k < r->facets[i].n; k++)
			if (json_object_set_new(counts, r->facets[i].values[k].value,
			                        json_integer((json_int_t)r->facets[i].values[k].count)) < 0) {
				json_decref(counts);
				counts = NULL;
			}
		if (json_object_set_new(facets, r->facets[i].name, counts) < 0) {
			json_decref(facets);
			facets = NULL;
		}
	}
	json_t *missing = vg_strings_json(&r->missing_words);
	if (!hits || !facets || !missing) {
		json_decref(hits);
		json_decref(facets);
		json_decref(missing);
		return NULL;
	}
	/* json_pack takes hits, facets and missing, even when it fails. */
	return json_pack("{s:s, s:s?, s:I, s:I, s:I, s:s?, s:s?, s:b, s:o, s:o, s:o, s:b}", "query",
	                 r->query ? r->query : "", "as_of", r->as_of, "total", (json_int_t)r->total, "offset",
	                 (json_int_t)r->offset, "limit", (json_int_t)r->limit, "suggestion", r->suggestion, "corrected",
	                 r->corrected, "all_words", r->all_words, "missing_words", missing, "hits", hits, "facets",
	                 facets, "partial", r->partial);
}
