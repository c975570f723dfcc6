/* A string hash for tables and for names that must stay short. */
#ifndef VG_HASH_H
#define VG_HASH_H

/* 64-bit FNV-1a hash of s, continuing from h (start with VG_HASH_INIT).
 * This function can't fail. */
#define VG_HASH_INIT 1469598103934665603ULL
static inline unsigned long long vg_hash(const char *s, unsigned long long h)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		h ^= *p;
		h *= 1099511628211ULL;
	}
	return h;
}

#endif
