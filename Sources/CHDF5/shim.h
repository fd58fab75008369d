#ifndef LSTMC_CHDF5_SHIM_H
#define LSTMC_CHDF5_SHIM_H

#include <hdf5.h>

/* HDF5 spells these as macros that expand to global variables or function
 * calls; Swift cannot import them, so they are wrapped here. */

static inline hid_t lstmc_H5P_DEFAULT(void) { return H5P_DEFAULT; }
static inline hid_t lstmc_H5S_ALL(void) { return H5S_ALL; }
static inline hid_t lstmc_H5E_DEFAULT(void) { return H5E_DEFAULT; }
static inline unsigned lstmc_H5F_ACC_RDONLY(void) { return H5F_ACC_RDONLY; }
static inline hid_t lstmc_H5T_NATIVE_FLOAT(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t lstmc_H5T_NATIVE_DOUBLE(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t lstmc_H5T_NATIVE_INT64(void) { return H5T_NATIVE_INT64; }
static inline hid_t lstmc_H5T_C_S1(void) { return H5T_C_S1; }
static inline size_t lstmc_H5T_VARIABLE(void) { return H5T_VARIABLE; }
static inline hid_t lstmc_H5P_FILE_ACCESS(void) { return H5P_FILE_ACCESS; }
static inline hid_t lstmc_H5T_NATIVE_UINT16(void) { return H5T_NATIVE_UINT16; }

/* Silence HDF5's own error printing: lstmc reports errors itself. */
static inline void lstmc_H5_silence_errors(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

#endif
