/*-------------------------------------------------------------------------
 *
 * strhash.h
 *	  A simplehash table keyed by a C string, for one source file.
 *
 * Define SH_PREFIX, SH_ELEMENT_TYPE (a struct with a "char status" field)
 * and SH_KEY (its const char * field holding the key), then include this
 * file: it instantiates lib/simplehash.h with string_hash and strcmp, its
 * functions static inline in the including file.
 *
 * src/strhash.h
 *
 *-------------------------------------------------------------------------
 */
#include "common/hashfn.h"

#define SH_KEY_TYPE const char *
#define SH_HASH_KEY(tb, k) string_hash(k, 0)
#define SH_EQUAL(tb, a, b) (strcmp(a, b) == 0)
#define SH_SCOPE static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"
