// The hint is a static inline function in include/cache_hint.h; SwiftPM
// builds a C target from at least one source file, so this is it.
#include "cache_hint.h"
