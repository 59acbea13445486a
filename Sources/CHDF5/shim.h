// libhdf5 (Debian's serial build) for reading Keras weight files. HDF5 spells its constants as
// macros over globals that need H5open(); Swift cannot import those, so they are wrapped here.
#ifndef TRIBELENS_CHDF5_SHIM_H
#define TRIBELENS_CHDF5_SHIM_H
#include <hdf5.h>

static inline hid_t tl_h5p_default(void) { return H5P_DEFAULT; }
static inline hid_t tl_h5s_all(void) { return H5S_ALL; }
static inline hid_t tl_h5e_default(void) { return H5E_DEFAULT; }
static inline unsigned tl_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline unsigned tl_h5f_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline hid_t tl_h5t_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t tl_h5t_ieee_f32le(void) { return H5T_IEEE_F32LE; }
static inline hid_t tl_h5t_c_s1(void) { return H5T_C_S1; }
static inline hid_t tl_h5p_link_create(void) { return H5P_LINK_CREATE; }
static inline size_t tl_h5t_variable(void) { return H5T_VARIABLE; }
/// Turns off HDF5's habit of printing its error stack to stderr; we report errors ourselves.
static inline void tl_h5_silence(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

#endif
