#ifndef ROTA_PACKED_H
#define ROTA_PACKED_H

#include <stddef.h>

/* n doubles packed: 2 bytes each when there are at most 65,536 distinct
 * values (bits compared, so -0.0 and 0.0 are two), each given back bit for
 * bit; otherwise a plain copy. packed_pack returns NULL when out of
 * memory; a table it cannot allocate leaves the copy. */
struct packed;
struct packed *packed_pack(const double *v, size_t n);
double packed_get(const struct packed *p, size_t k);
void packed_unpack(const struct packed *p, double *out);
void packed_free(struct packed *p);
/* Whether p holds codes (true) or a plain copy. */
int packed_is_coded(const struct packed *p);

#endif
