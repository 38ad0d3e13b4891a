/*
 * torture.h - the allocation torture of `make TORTURE=1` (src/torture.c,
 * tests/torture.sh). Only that build defines ROTA_TORTURE and these.
 */
#ifndef ROTA_TORTURE_H
#define ROTA_TORTURE_H

#ifdef ROTA_TORTURE
/* Marks the allocations that ROTA_TORTURE_SCOPE=solve counts: those of
 * plan_solve. */
void torture_scope_begin(void);
void torture_scope_end(void);
#endif

#endif
