/* A growable NUL-terminated byte buffer. */
#ifndef VG_STRBUF_H
#define VG_STRBUF_H

#include <stddef.h>
#include <stdio.h>

typedef struct vg_strbuf {
	char *ptr;   /* always NUL-terminated once anything was added */
	size_t len;
	size_t cap;
	int oom;     /* set once an allocation failed; later appends do nothing */
} vg_strbuf;

#define VG_STRBUF_INIT {NULL, 0, 0, 0}

int vg_strbuf_grow(vg_strbuf *b, size_t extra);
int vg_strbuf_add(vg_strbuf *b, const char *s, size_t len);
int vg_strbuf_puts(vg_strbuf *b, const char *s);
int vg_strbuf_putc(vg_strbuf *b, char c);
int vg_strbuf_printf(vg_strbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Appends the rest of a stream; VG_EIO on a read error. */
int vg_strbuf_add_stream(vg_strbuf *b, FILE *f);

/* Hands the buffer to the caller (free() it); b is reset. Never NULL
 * unless memory ran out. */
char *vg_strbuf_detach(vg_strbuf *b);
void vg_strbuf_free(vg_strbuf *b);

#endif
