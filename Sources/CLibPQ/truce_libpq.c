#include "truce_libpq.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static TruceLibPQ table;
static const TruceLibPQ *loaded;
static char failure[512];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
    // The run-time library's soname (libpq-dev's libpq.so is only a link for building).
    void *lib = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char *why = dlerror();
        snprintf(failure, sizeof failure, "cannot load libpq (apt-get install libpq5): %s", why ? why : "unknown error");
        return;
    }
#define FIND(field, name)                                                                          \
    do {                                                                                           \
        *(void **)&table.field = dlsym(lib, name);                                                 \
        if (!table.field) {                                                                        \
            snprintf(failure, sizeof failure, "libpq.so.5 has no %s: too old a libpq", name);      \
            return;                                                                                \
        }                                                                                          \
    } while (0)
    FIND(connectdbParams, "PQconnectdbParams");
    FIND(finish, "PQfinish");
    FIND(status, "PQstatus");
    FIND(errorMessage, "PQerrorMessage");
    FIND(socket, "PQsocket");
    FIND(setNoticeProcessor, "PQsetNoticeProcessor");
    FIND(exec, "PQexec");
    FIND(execParams, "PQexecParams");
    FIND(clear, "PQclear");
    FIND(resultStatus, "PQresultStatus");
    FIND(resultErrorField, "PQresultErrorField");
    FIND(resultErrorMessage, "PQresultErrorMessage");
    FIND(ntuples, "PQntuples");
    FIND(nfields, "PQnfields");
    FIND(getisnull, "PQgetisnull");
    FIND(getvalue, "PQgetvalue");
    FIND(cmdTuples, "PQcmdTuples");
    FIND(consumeInput, "PQconsumeInput");
    FIND(notifies, "PQnotifies");
    FIND(freemem, "PQfreemem");
#undef FIND
    loaded = &table;
}

const TruceLibPQ *truce_libpq_load(char *error, size_t size) {
    pthread_once(&once, load);
    if (!loaded && error && size > 0) snprintf(error, size, "%s", failure);
    return loaded;
}
