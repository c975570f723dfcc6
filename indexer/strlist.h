/* A list of strings the list owns, in the order they were added. */
#ifndef VG_STRLIST_H
#define VG_STRLIST_H

#include <stddef.h>

typedef struct vg_strlist {
	char **items;
	size_t count;
} vg_strlist;

/* Whether s is in the list. */
int vg_strlist_has(const vg_strlist *l, const char *s);
/* Adds a copy of s unless it is already there; VG_ENOMEM (the list is
 * unchanged then). */
int vg_strlist_add_unique(vg_strlist *l, const char *s);
/* Adds a copy of s at the end, even when it is there; VG_ENOMEM (the list
 * is unchanged then). */
int vg_strlist_add(vg_strlist *l, const char *s);
/* Frees the strings and empties the list, which may be used again. This
 * function can't fail. */
void vg_strlist_clear(vg_strlist *l);

#endif
