/**
 * Imported first by the suites that exercise database-independent code: they run on PGlite only
 * (unless DM_TEST_DB names a database explicitly), to keep the security folder fast.
 */
process.env.DM_TEST_DB ??= 'pglite';
