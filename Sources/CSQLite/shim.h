// SQLite for the journal (apt: libsqlite3-dev). SQLITE_TRANSIENT is a macro
// casting -1 to a function pointer, which Swift cannot import.
#ifndef TRUCE_CSQLITE_SHIM_H
#define TRUCE_CSQLITE_SHIM_H
#include <sqlite3.h>
static inline sqlite3_destructor_type truce_sqlite_transient(void) { return SQLITE_TRANSIENT; }
/* For text that stays valid until the statement is stepped and reset: SQLite keeps the pointer, copies nothing. */
static inline sqlite3_destructor_type truce_sqlite_static(void) { return SQLITE_STATIC; }
/* Before the first connection: no allocation statistics (truce reads none), so no
   global mutex around every allocation. sqlite3_config is variadic: Swift cannot call it. */
static inline int truce_sqlite_without_memstatus(void) { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }
#endif
