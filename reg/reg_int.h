/*
 * reg_int.h - private to reg/: what the authentication flow (auth.c)
 * needs of the client (client.c).
 */
#ifndef IMGDRIFT_REG_INT_H
#define IMGDRIFT_REG_INT_H

#include "reg/reg.h"

/* Answer the challenge of a 401 (WWW-Authenticate value): Bearer (a token
   from the realm) or Basic, with the credentials found.  Sets the
   client's Authorization header, or leaves none when there are no
   credentials for Basic.  @return 0 or a negative ERR_* code. */
int reg_auth_answer(struct reg_client *c, const char *challenge,
    struct err *e);
/* Take header ("Authorization: ...", malloc'd) as the client's. */
void reg_client_set_auth(struct reg_client *c, char *header);
const struct reg_ref *reg_client_ref(const struct reg_client *c);
const struct reg_opts *reg_client_opts(const struct reg_client *c);
/* GET url with header (or NULL) into *body (malloc'd), at most
   REG_MANIFEST_MAX bytes.  @return 0 or a negative ERR_* code. */
int reg_get_url(struct reg_client *c, const char *url, const char *header,
    char **body, size_t *len, struct err *e);

#endif
