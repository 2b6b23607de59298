// libpq for the shared journal, loaded when a shared journal is first used
// rather than linked: libpq brings some twenty libraries (Kerberos, LDAP,
// TLS) whose loading cost every truce command ~4 ms of CPU at start-up,
// though most never talk to PostgreSQL. The types and constants come from
// libpq's own header (apt: libpq-dev); the functions are called through
// the table below, filled by truce_libpq_load().
#ifndef TRUCE_LIBPQ_H
#define TRUCE_LIBPQ_H

#include <stddef.h>
#include <postgresql/libpq-fe.h>

// Every entry is set once the table is returned (hence _Nonnull, which makes
// them plain functions in Swift; the parameters keep libpq's own nullability).
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wnullability-completeness"
typedef struct {
    PGconn *(* _Nonnull connectdbParams)(const char *const *keywords, const char *const *values, int expand_dbname);
    void (* _Nonnull finish)(PGconn *conn);
    ConnStatusType (* _Nonnull status)(const PGconn *conn);
    char *(* _Nonnull errorMessage)(const PGconn *conn);
    int (* _Nonnull socket)(const PGconn *conn);
    PQnoticeProcessor (* _Nonnull setNoticeProcessor)(PGconn *conn, PQnoticeProcessor proc, void *arg);
    PGresult *(* _Nonnull exec)(PGconn *conn, const char *query);
    PGresult *(* _Nonnull execParams)(PGconn *conn, const char *command, int nParams, const Oid *paramTypes,
                            const char *const *paramValues, const int *paramLengths, const int *paramFormats,
                            int resultFormat);
    void (* _Nonnull clear)(PGresult *res);
    ExecStatusType (* _Nonnull resultStatus)(const PGresult *res);
    char *(* _Nonnull resultErrorField)(const PGresult *res, int fieldcode);
    char *(* _Nonnull resultErrorMessage)(const PGresult *res);
    int (* _Nonnull ntuples)(const PGresult *res);
    int (* _Nonnull nfields)(const PGresult *res);
    int (* _Nonnull getisnull)(const PGresult *res, int tup_num, int field_num);
    char *(* _Nonnull getvalue)(const PGresult *res, int tup_num, int field_num);
    char *(* _Nonnull cmdTuples)(PGresult *res);
    int (* _Nonnull consumeInput)(PGconn *conn);
    PGnotify *(* _Nonnull notifies)(PGconn *conn);
    void (* _Nonnull freemem)(void *ptr);
} TruceLibPQ;
#pragma clang diagnostic pop

// Loads libpq once (thread-safe) and returns its functions, or NULL with the
// reason in `error` (NUL-terminated, cut to `size`).
const TruceLibPQ *_Nullable truce_libpq_load(char *_Nullable error, size_t size);

#endif
