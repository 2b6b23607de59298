// libpq for the shared journal (apt: libpq-dev).
#ifndef TRUCE_CLIBPQ_SHIM_H
#define TRUCE_CLIBPQ_SHIM_H
#include <postgresql/libpq-fe.h>
#endif
