#include "breadcrumb.h"

#include <stdlib.h>
#include <string.h>

/* A direct-mapped cache: a folder's README changes rarely, and a miss only
 * costs reading it again. */
#define SLOTS 1024
#define HEADING_MAX 300 /* bytes kept of a heading */
#define README_MAX (256 * 1024)

typedef struct slot {
	git_oid blob;
	int used;
	char *heading; /* NULL: the README has no heading */
} slot;

struct vg_breadcrumbs {
	slot slots[SLOTS];
};

int vg_breadcrumbs_new(vg_breadcrumbs **out, vg_err *err)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
}

void vg_breadcrumbs_free(vg_breadcrumbs *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < SLOTS; i++)
		free(b->slots[i].heading);
	free(b);
}

int vg_breadcrumb_heading(char **out, const char *text, size_t len)
{
	*out = NULL;
	size_t i = vg_doc_body_offset(text, len);
	while (i < len) {
		size_t end = i;
		while (end < len && text[end] != '\n')
			end++;
		if (text[i] == '#') {
			size_t s = i, e = end;
			while (s < e && text[s] == '#')
				s++;
			while (s < e && (text[s] == ' ' || text[s] == '\t'))
				s++;
			while (e > s && (text[e - 1] == ' ' || text[e - 1] == '\r' || text[e - 1] == '\t' || text[e - 1] == '.'))
				e--;
			if (e - s > HEADING_MAX)
				e = s + HEADING_MAX;
			while (e > s && e < end && ((unsigned char)text[e] & 0xc0) == 0x80)
				e--; /* never cut a UTF-8 sequence */
			if (e > s) {
				*out = strndup(text + s, e - s);
				return *out ? 0 : VG_ENOMEM;
			}
		}
		i = end + 1;
	}
	return 0;
}

/* The heading of the README.md in folder dir ("" for the top), or NULL;
 * borrowed from the cache. */
static const char *folder_heading(vg_breadcrumbs *b, vg_repo *repo, const git_oid *commit, const char *dir,
                                  size_t dir_len, int *oom)
{
	char path[4096];
	git_oid blob;
	vg_err ignored;
	if (dir_len + sizeof("/README.md") > sizeof(path))
		return NULL;
	memcpy(path, dir, dir_len);
	strcpy(path + dir_len, dir_len ? "/README.md" : "README.md");
	if (vg_repo_blob_at(repo, commit, path, &blob, &ignored) < 0)
		return NULL;
	unsigned h = ((unsigned)blob.id[0] << 8 | blob.id[1]) % SLOTS;
	slot *s = &b->slots[h];
	if (s->used && git_oid_equal(&s->blob, &blob))
		return s->heading;
	char *data = NULL;
	size_t size = 0;
	if (vg_repo_blob_read(repo, &blob, README_MAX, &data, &size, &ignored) < 0)
		return NULL;
	char *heading = NULL;
	if (vg_breadcrumb_heading(&heading, data, size) < 0)
		*oom = 1;
	free(data);
	free(s->heading);
	s->heading = heading;
	s->blob = blob;
	s->used = !*oom;
	return heading;
}

int vg_breadcrumbs_for(vg_strlist *out, vg_breadcrumbs *b, vg_repo *repo, const git_oid *commit,
                       const char *path, vg_err *err)
{
	int oom = 0;
	size_t len = strlen(path);
	/* Every folder above path: "", then each prefix ending before a '/'. */
	for (size_t end = 0; end <= len && !oom; end++) {
		if (end != 0 && (end == len || path[end] != '/'))
			continue;
		if (end == len)
			break; /* path itself */
		const char *h = folder_heading(b, repo, commit, path, end, &oom);
		if (h && vg_strlist_add_unique(out, h) < 0)
			oom = 1;
	}
	return oom ? vg_err_set(err, VG_ENOMEM, "mémoire insuffisante") : 0;
}
