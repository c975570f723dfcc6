#include "throttle.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SLOTS 2048          /* the least recently failing key goes first */
#define FORGET_AFTER 900    /* seconds without failure */

typedef struct failure {
	char key[192];          /* "a<address>" or "u<account>" */
	unsigned count;
	time_t last;
} failure;

struct vg_throttle {
	pthread_mutex_t mu;
	failure slots[SLOTS];
};

int vg_throttle_new(vg_throttle **out, vg_err *err)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	pthread_mutex_init(&(*out)->mu, NULL);
	return 0;
}

void vg_throttle_free(vg_throttle *t)
{
	if (!t)
		return;
	pthread_mutex_destroy(&t->mu);
	free(t);
}

unsigned vg_throttle_delay_ms(unsigned failures)
{
	if (failures == 0)
		return 0;
	unsigned ms = 250;
	for (unsigned i = 1; i < failures && ms < 8000; i++)
		ms *= 2;
	return ms > 8000 ? 8000 : ms;
}

/* The slot of key, or NULL; with create, a new one in place of the least
 * recent. Called with the lock held. */
static failure *slot_of(vg_throttle *t, const char *key, int create, time_t now)
{
	failure *oldest = &t->slots[0];
	for (size_t i = 0; i < SLOTS; i++) {
		failure *f = &t->slots[i];
		if (f->count && strcmp(f->key, key) == 0) {
			if (now - f->last > FORGET_AFTER)
				f->count = 0;
			return f;
		}
		if (f->last < oldest->last)
			oldest = f;
	}
	if (!create)
		return NULL;
	memset(oldest, 0, sizeof(*oldest));
	snprintf(oldest->key, sizeof(oldest->key), "%s", key);
	return oldest;
}

static void keys(const char *client, const char *user, char a[192], char u[192])
{
	snprintf(a, 192, "a%s", client ? client : "-");
	snprintf(u, 192, "u%s", user ? user : "");
}

unsigned vg_throttle_fail(vg_throttle *t, const char *client, const char *user)
{
	char ka[192], ku[192];
	time_t now = time(NULL);
	keys(client, user, ka, ku);
	pthread_mutex_lock(&t->mu);
	unsigned n = 0;
	const char *both[] = {ka, ku};
	for (int i = 0; i < 2; i++) {
		failure *f = slot_of(t, both[i], 1, now);
		f->count++;
		f->last = now;
		if (f->count > n)
			n = f->count;
	}
	pthread_mutex_unlock(&t->mu);
	return n;
}

void vg_throttle_succeed(vg_throttle *t, const char *user)
{
	char ka[192], ku[192];
	keys(NULL, user, ka, ku);
	pthread_mutex_lock(&t->mu);
	failure *f = slot_of(t, ku, 0, time(NULL));
	if (f)
		memset(f, 0, sizeof(*f));
	pthread_mutex_unlock(&t->mu);
}

unsigned vg_throttle_failures(vg_throttle *t, const char *client, const char *user)
{
	char ka[192], ku[192];
	time_t now = time(NULL);
	keys(client, user, ka, ku);
	pthread_mutex_lock(&t->mu);
	failure *fa = slot_of(t, ka, 0, now), *fu = slot_of(t, ku, 0, now);
	unsigned n = fa ? fa->count : 0;
	if (fu && fu->count > n)
		n = fu->count;
	pthread_mutex_unlock(&t->mu);
	return n;
}
