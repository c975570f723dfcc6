#include "strlist.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

int vg_strlist_has(const vg_strlist *l, const char *s)
{
	for (size_t i = 0; i < l->count; i++)
		if (strcmp(l->items[i], s) == 0)
			return 1;
	return 0;
}

int vg_strlist_add_unique(vg_strlist *l, const char *s)
{
	return vg_strlist_has(l, s) ? 0 : vg_strlist_add(l, s);
}

int vg_strlist_add(vg_strlist *l, const char *s)
{
	char *copy = strdup(s);
	char **items = copy ? realloc(l->items, (l->count + 1) * sizeof(*items)) : NULL;
	if (!items) {
		free(copy);
		return VG_ENOMEM;
	}
	l->items = items;
	items[l->count++] = copy;
	return 0;
}

void vg_strlist_clear(vg_strlist *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->count = 0;
}
