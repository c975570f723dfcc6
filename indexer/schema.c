#include "schema.h"
#include "fields.h"
#include "strbuf.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct allowed {
	char *field;
	vg_strlist values; /* folded */
} allowed;

struct vg_schema {
	vg_strlist required;
	allowed *allowed;
	size_t n_allowed;
	vg_strlist excluded;
	json_t *labels;    /* {field: {folded value: label}} */
};

void vg_schema_free(vg_schema *s)
{
	if (!s)
		return;
	vg_strlist_clear(&s->required);
	vg_strlist_clear(&s->excluded);
	json_decref(s->labels);
	for (size_t i = 0; i < s->n_allowed; i++) {
		free(s->allowed[i].field);
		vg_strlist_clear(&s->allowed[i].values);
	}
	free(s->allowed);
	free(s);
}

/* Folded scalars of a sequence node into out. */
static int read_list(yaml_document_t *d, yaml_node_t *n, vg_strlist *out)
{
	if (!n || n->type != YAML_SEQUENCE_NODE)
		return VG_EINVAL;
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *c = yaml_document_get_node(d, *it);
		if (!c || c->type != YAML_SCALAR_NODE)
			return VG_EINVAL;
		char *raw = strndup((const char *)c->data.scalar.value, c->data.scalar.length);
		char *f = raw ? vg_text_fold_str(raw, 0) : NULL;
		int rc = f ? vg_strlist_add_unique(out, f) : VG_ENOMEM;
		free(raw);
		free(f);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int key_is(yaml_node_t *k, const char *name)
{
	return k && k->type == YAML_SCALAR_NODE && strlen(name) == k->data.scalar.length &&
	       memcmp(k->data.scalar.value, name, k->data.scalar.length) == 0;
}

/* A scalar node's text, folded when fold; malloc'd, or NULL. */
static char *scalar_text(yaml_node_t *n, int fold)
{
	if (!n || n->type != YAML_SCALAR_NODE)
		return NULL;
	char *raw = strndup((const char *)n->data.scalar.value, n->data.scalar.length);
	if (!raw || !fold)
		return raw;
	char *f = vg_text_fold_str(raw, 0);
	free(raw);
	return f;
}

/* "libelles: {domaine: {comptabilite: Comptabilité}}": what readers see
 * of each facet value. */
static int read_labels(yaml_document_t *d, yaml_node_t *v, json_t *labels, vg_err *err)
{
	if (!v || v->type != YAML_MAPPING_NODE)
		return vg_err_set(err, VG_EINVAL, "%s : « libelles » : champ: {valeur: libellé} attendu", VG_SCHEMA_PATH);
	for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top; q++) {
		yaml_node_t *fk = yaml_document_get_node(d, q->key), *fv = yaml_document_get_node(d, q->value);
		char *field = scalar_text(fk, 1);
		json_t *values = json_object();
		int ok = field && values && fv && fv->type == YAML_MAPPING_NODE;
		for (yaml_node_pair_t *e = ok ? fv->data.mapping.pairs.start : NULL; ok && e < fv->data.mapping.pairs.top; e++) {
			char *value = scalar_text(yaml_document_get_node(d, e->key), 1);
			char *label = scalar_text(yaml_document_get_node(d, e->value), 0);
			ok = value && label && vg_utf8_valid(label, strlen(label));
			if (ok)
				json_object_set_new(values, value, json_string(label));
			free(value);
			free(label);
		}
		if (ok)
			json_object_set(labels, field, values);
		json_decref(values);
		if (!ok) {
			int rc = vg_err_set(err, VG_EINVAL, "%s : « libelles » de « %s » : valeur: libellé attendu", VG_SCHEMA_PATH,
			                    field ? field : "?");
			free(field);
			return rc;
		}
		free(field);
	}
	return 0;
}

json_t *vg_schema_labels(const vg_schema *s)
{
	return s ? s->labels : NULL;
}

int vg_schema_parse(const char *yaml, size_t len, vg_schema **out, vg_err *err)
{
	yaml_parser_t parser;
	yaml_document_t d;
	int rc = 0;
	*out = NULL;
	vg_schema *s = calloc(1, sizeof(*s));
	if (!s || !(s->labels = json_object()) || !yaml_parser_initialize(&parser)) {
		if (s)
			json_decref(s->labels);
		free(s);
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
	if (!yaml_parser_load(&parser, &d)) {
		rc = vg_err_set(err, VG_EINVAL, "%s, ligne %zu : YAML invalide : %s", VG_SCHEMA_PATH,
		                parser.problem_mark.line + 1, parser.problem ? parser.problem : "erreur");
		yaml_parser_delete(&parser);
		vg_schema_free(s);
		return rc;
	}
	yaml_node_t *root = yaml_document_get_root_node(&d);
	for (yaml_node_pair_t *p = root && root->type == YAML_MAPPING_NODE ? root->data.mapping.pairs.start : NULL;
	     p && p < root->data.mapping.pairs.top && rc == 0; p++) {
		yaml_node_t *k = yaml_document_get_node(&d, p->key), *v = yaml_document_get_node(&d, p->value);
		if (key_is(k, "requis")) {
			if (read_list(&d, v, &s->required) < 0)
				rc = vg_err_set(err, VG_EINVAL, "%s : « requis » doit être une liste de champs", VG_SCHEMA_PATH);
		} else if (key_is(k, "exclus")) {
			for (yaml_node_item_t *it = v && v->type == YAML_SEQUENCE_NODE ? v->data.sequence.items.start : NULL;
			     it && it < v->data.sequence.items.top && rc == 0; it++) {
				yaml_node_t *c = yaml_document_get_node(&d, *it);
				char *name = c && c->type == YAML_SCALAR_NODE
				                     ? strndup((const char *)c->data.scalar.value, c->data.scalar.length)
				                     : NULL;
				rc = name ? vg_strlist_add_unique(&s->excluded, name) : vg_err_set(err, VG_EINVAL, "%s : « exclus » doit être une liste de noms de fichiers", VG_SCHEMA_PATH);
				free(name);
			}
		} else if (key_is(k, "libelles") || key_is(k, "libellés")) {
			rc = read_labels(&d, v, s->labels, err);
		} else if (key_is(k, "valeurs") && v && v->type == YAML_MAPPING_NODE) {
			for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top && rc == 0; q++) {
				yaml_node_t *fk = yaml_document_get_node(&d, q->key), *fv = yaml_document_get_node(&d, q->value);
				allowed *grown = realloc(s->allowed, (s->n_allowed + 1) * sizeof(*grown));
				if (!grown || !fk || fk->type != YAML_SCALAR_NODE) {
					rc = vg_err_set(err, grown ? VG_EINVAL : VG_ENOMEM, "%s : « valeurs » mal formé", VG_SCHEMA_PATH);
					if (grown)
						s->allowed = grown;
					break;
				}
				s->allowed = grown;
				allowed *a = &s->allowed[s->n_allowed++];
				memset(a, 0, sizeof(*a));
				char *raw = strndup((const char *)fk->data.scalar.value, fk->data.scalar.length);
				a->field = raw ? vg_text_fold_str(raw, 0) : NULL;
				free(raw);
				if (!a->field || read_list(&d, fv, &a->values) < 0)
					rc = vg_err_set(err, VG_EINVAL, "%s : les valeurs de « %.*s » doivent être une liste",
					                VG_SCHEMA_PATH, (int)fk->data.scalar.length, fk->data.scalar.value);
			}
		}
	}
	if (rc == 0 && s->excluded.count == 0 &&
	    (vg_strlist_add_unique(&s->excluded, "README.md") < 0 ||
	     vg_strlist_add_unique(&s->excluded, "CONTRIBUTING.md") < 0))
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	yaml_document_delete(&d);
	yaml_parser_delete(&parser);
	if (rc < 0) {
		vg_schema_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

int vg_schema_applies(const vg_schema *s, const char *path)
{
	const vg_extractor *ex = vg_doc_extractor_for(path);
	if (!ex || strcmp(ex->name, "markdown") != 0 || path[0] == '.' || strstr(path, "/."))
		return 0;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	return !vg_strlist_has(&s->excluded, base);
}

static void join(vg_strbuf *b, const vg_strlist *l)
{
	for (size_t i = 0; i < l->count; i++)
		vg_strbuf_printf(b, "%s%s", i ? ", " : "", l->items[i]);
}

size_t vg_schema_check(const vg_schema *s, const vg_doc *doc, vg_strlist *out)
{
	size_t before = out->count;
	for (size_t i = 0; i < doc->problems.count; i++)
		vg_strlist_add_unique(out, doc->problems.items[i]);
	vg_strbuf b = VG_STRBUF_INIT;
	if (!doc->has_front_matter && s->required.count) {
		vg_strbuf_printf(&b, "%s : en-tête YAML absent (champs requis : ", doc->path);
		join(&b, &s->required);
		vg_strbuf_puts(&b, ")");
		if (b.ptr)
			vg_strlist_add_unique(out, b.ptr);
		vg_strbuf_free(&b);
		return out->count - before;
	}
	for (size_t i = 0; i < s->required.count; i++) {
		if (vg_strlist_has(&doc->fields, s->required.items[i]))
			continue;
		vg_strbuf_printf(&b, "%s : champ « %s » manquant", doc->path, s->required.items[i]);
		if (b.ptr)
			vg_strlist_add_unique(out, b.ptr);
		vg_strbuf_free(&b);
	}
	for (size_t i = 0; i < s->n_allowed; i++) {
		const allowed *a = &s->allowed[i];
		const char *v = vg_strlist_has(&doc->fields, a->field) ? vg_fields_doc_value(doc, a->field) : NULL;
		if (!v || vg_strlist_has(&a->values, v))
			continue;
		vg_strbuf_printf(&b, "%s : champ « %s » : « %s » n'est pas une valeur autorisée (", doc->path,
		                 a->field, v);
		join(&b, &a->values);
		vg_strbuf_puts(&b, ")");
		if (b.ptr)
			vg_strlist_add_unique(out, b.ptr);
		vg_strbuf_free(&b);
	}
	return out->count - before;
}
