#include "strbuf.h"
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int vg_strbuf_grow(vg_strbuf *b, size_t extra)
{
	if (b->oom)
		return VG_ENOMEM;
	if (b->len + extra + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1) {
		if (cap > ((size_t)-1) / 2) {
			b->oom = 1;
			return VG_ENOMEM;
		}
		cap *= 2;
	}
	char *p = realloc(b->ptr, cap);
	if (!p) {
		b->oom = 1;
		return VG_ENOMEM;
	}
	b->ptr = p;
	b->cap = cap;
	return 0;
}

int vg_strbuf_add(vg_strbuf *b, const char *s, size_t len)
{
	if (vg_strbuf_grow(b, len) < 0)
		return VG_ENOMEM;
	if (len)
		memcpy(b->ptr + b->len, s, len);
	b->len += len;
	b->ptr[b->len] = '\0';
	return 0;
}

int vg_strbuf_puts(vg_strbuf *b, const char *s)
{
	return vg_strbuf_add(b, s, strlen(s));
}

int vg_strbuf_putc(vg_strbuf *b, char c)
{
	return vg_strbuf_add(b, &c, 1);
}

int vg_strbuf_printf(vg_strbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || vg_strbuf_grow(b, (size_t)n) < 0)
		return VG_ENOMEM;
	va_start(ap, fmt);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

char *vg_strbuf_detach(vg_strbuf *b)
{
	if (b->oom) {
		vg_strbuf_free(b);
		return NULL;
	}
	if (!b->ptr && vg_strbuf_grow(b, 0) < 0)
		return NULL;
	if (b->len == 0)
		b->ptr[0] = '\0';
	char *p = b->ptr;
	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}

void vg_strbuf_free(vg_strbuf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
	b->oom = 0;
}

int vg_strbuf_add_stream(vg_strbuf *b, FILE *f)
{
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (vg_strbuf_add(b, buf, n) < 0)
			return VG_ENOMEM;
	return ferror(f) ? VG_EIO : 0;
}
