/* Slowing down password guessing: failed logins are counted per client
 * address and per account, for as long as the server runs (a reload of the
 * accounts does not forget them), and the answer to the next failure waits
 * the longer of the two delays. A success forgets the account's failures
 * only: another account's success must not wipe an attacker's record. */
#ifndef VG_SERVER_THROTTLE_H
#define VG_SERVER_THROTTLE_H

#include "error.h"

typedef struct vg_throttle vg_throttle;

/* A new, empty record into *out (vg_throttle_free it); VG_ENOMEM. */
int vg_throttle_new(vg_throttle **out, vg_err *err);
/* Frees the record; freeing NULL does nothing. */
void vg_throttle_free(vg_throttle *t);

/* Records a failed login as user (may be unknown) from client and returns
 * the count that sets the delay: the larger of the client's and the
 * account's recent failures. This function can't fail. */
unsigned vg_throttle_fail(vg_throttle *t, const char *client, const char *user);
/* user logged in: its failures are forgotten. This function can't fail. */
void vg_throttle_succeed(vg_throttle *t, const char *user);
/* The count vg_throttle_fail would start from, without recording. */
unsigned vg_throttle_failures(vg_throttle *t, const char *client, const char *user);

/* The delay before answering after `failures` failed logins: 250 ms,
 * doubling, at most 8 s. */
unsigned vg_throttle_delay_ms(unsigned failures);

#endif
