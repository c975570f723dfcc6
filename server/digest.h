/* The legal watch's digest: each repository's notes to review, mailed to
 * the address its configuration gives (veille_mail), for a weekly timer. */
#ifndef VG_SERVER_DIGEST_H
#define VG_SERVER_DIGEST_H

#include "config.h"

/* Mails, for each repository of c with a veille_mail, its notes whose
 * cited articles changed after them: articles of that repository or of
 * one that every account reads, what every recipient may read. Nothing is
 * sent for a repository without such notes. Says in French on standard
 * output what was sent, on standard error what could not be; returns 0,
 * or -1 when a digest could not be made or sent (the others are). */
int vg_digest_send(const vg_config *c, const char *sendmail);

#endif
