/* The index folder: INDEX/current is a symbolic link to the live Xapian
 * database INDEX/gen-NNNNNN, so that a rebuild can fill a new generation
 * while searches go on and then swap it in with one rename(2). INDEX/lock
 * serialises writers (update, rebuild). */
#ifndef VG_STORE_H
#define VG_STORE_H

#include <stddef.h>

#include "error.h"

/* Path of the live database (malloc'd). VG_ENOTFOUND, with a French
 * message saying how to create it, when there is none yet. */
int vg_store_current(const char *index_dir, char **db_path, vg_err *err);

/* Takes the writer lock; *fd is released with vg_store_unlock. Without
 * wait, VG_ELOCKED at once when another writer holds it. */
int vg_store_lock(const char *index_dir, int wait, int *fd, vg_err *err);
void vg_store_unlock(int fd);

/* Creates the next, empty generation folder and returns its path. */
int vg_store_new_generation(const char *index_dir, char **gen_path, vg_err *err);

/* Makes gen_path the live database atomically, then removes generations
 * older than the one it replaced (kept for readers still on it). */
int vg_store_swap(const char *index_dir, const char *gen_path, vg_err *err);

/* Checks every table of the index's current generation (xapian-check):
 * *errors receives how many errors were found, *report (malloc'd) Xapian's
 * account of them. VG_ENOTFOUND when there is no index. */
int vg_store_verify(const char *index_dir, size_t *errors, char **report, vg_err *err);

/* Removes a folder and everything in it (links are removed, not
 * followed); a missing folder is fine. This function can't fail. */
void vg_remove_tree(const char *path);

/* Removes a generation folder that was never swapped in. */
void vg_store_discard(const char *gen_path);

/* Flushes every file of a database folder to disk. */
int vg_store_sync(const char *db_path, vg_err *err);

/* A stamp that changes whenever the live index does (a commit or a
 * rebuild swapped in): the generation's name and its version file's
 * modification time. Empty when there is no index. */
void vg_store_stamp(const char *index_dir, char *out, size_t size);

/* Total size in bytes of the files of the live database. */
long long vg_store_size(const char *db_path);

#endif
