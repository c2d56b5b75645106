/* src/ntlm/ntlm_users.h - the NTLM user store: a file of lines
 * DOMAIN:USER:PASSWORD (the format gss-ntlmssp reads from NTLM_USER_FILE), where
 * PASSWORD may also be written $NT$ followed by the 32 hex digits of the NT hash.
 * Lines starting with '#' and blank lines are ignored; an empty DOMAIN matches
 * any domain. Names match case-insensitively (ASCII). The password is the rest
 * of the line after the second ':' (it may contain ':'). */
#ifndef OPENSSPI_NTLM_USERS_H
#define OPENSSPI_NTLM_USERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ntlm_users;

/* ntlm_users_open - remember the store at path (read lazily, re-read when the
 * file changes). NULL on no memory. Free with ntlm_users_free. */
struct ntlm_users *ntlm_users_open(const char *path);
void ntlm_users_free(struct ntlm_users *u);
const char *ntlm_users_path(const struct ntlm_users *u);

/* ntlm_users_lookup - the NT hash (NTOWFv1) of domain\user and the account's
 * canonical name "DOMAIN\user" as the store spells it (the given domain when the
 * entry has none) in *canonical (malloc'd, caller frees). Thread-safe. False
 * when no entry matches, the file cannot be read, or memory is short. */
bool ntlm_users_lookup(struct ntlm_users *u, const char *domain, const char *user,
                       uint8_t nt_hash[16], char **canonical);

/* ntlm_users_password - for client default credentials: the entry for
 * domain\user (domain may be NULL for any) with its password in a malloc'd
 * WTF-8 string (*password, wipe and free) or, for a $NT$ entry, its hash
 * (*password NULL, has_hash true). The entry's domain is copied to *domain_out. */
bool ntlm_users_find(struct ntlm_users *u, const char *domain, const char *user, char **password,
                     uint8_t nt_hash[16], bool *has_hash, char **domain_out);

#endif
