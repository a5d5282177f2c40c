/*
 * Valid identifiers for fixtures, distinct per seed, their check characters
 * computed by core: shared by the Criterion suites (testlib.h) and the fault
 * tests (tests/fault), which run without Criterion.
 */
#ifndef JXJY_IDENTS_H
#define JXJY_IDENTS_H

/* An enterprise's unified social credit code of a Suzhou division (GB
 * 32100); 0, or -1 when core refuses the body. */
int t_ident_credit_code(char out[19], unsigned seed);
/* A resident id of district 320508 born 1960–1999 (GB 11643); 0 or -1. */
int t_ident_resident_id(char out[19], unsigned seed);
#endif
