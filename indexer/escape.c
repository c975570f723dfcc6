#include "escape.h"

#include <string.h>

int vg_escape_html(vg_strbuf *b, const char *s, size_t len)
{
	size_t run = 0;
	for (size_t i = 0; i < len; i++) {
		const char *ent = NULL;
		switch (s[i]) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		default: continue;
		}
		vg_strbuf_add(b, s + run, i - run);
		vg_strbuf_puts(b, ent);
		run = i + 1;
	}
	return vg_strbuf_add(b, s + run, len - run);
}

int vg_escape_xml(vg_strbuf *b, const char *s)
{
	size_t start = b->len;
	int rc = vg_escape_html(b, s, strlen(s));
	for (size_t i = start; rc == 0 && i < b->len; i++)
		if ((unsigned char)b->ptr[i] < 0x20 && b->ptr[i] != '\t' && b->ptr[i] != '\n' && b->ptr[i] != '\r')
			b->ptr[i] = ' ';
	return rc;
}

static int unreserved(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
	       c == '_' || c == '~';
}

int vg_escape_url(vg_strbuf *b, const char *s)
{
	int rc = 0;
	for (const unsigned char *p = (const unsigned char *)s; p && *p && rc == 0; p++)
		rc = unreserved(*p) ? vg_strbuf_putc(b, (char)*p) : vg_strbuf_printf(b, "%%%02X", *p);
	return rc;
}

int vg_escape_log(vg_strbuf *b, const char *s)
{
	int rc = 0;
	for (const unsigned char *p = (const unsigned char *)s; p && *p && rc == 0; p++)
		rc = (*p < 0x21 || *p == 0x7f || *p == '\\') ? vg_strbuf_printf(b, "\\x%02x", *p)
		                                             : vg_strbuf_putc(b, (char)*p);
	return rc;
}
