#ifndef LSTMC_CPROTOBUFC_SHIM_H
#define LSTMC_CPROTOBUFC_SHIM_H

#include <protobuf-c/protobuf-c.h>

#endif
