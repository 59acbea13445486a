// oneDNN 2.6 C API (Debian: libdnnl-dev). NeuralKit uses its convolution primitives because they
// reach the chip's AVX-512 peak, which OpenBLAS cannot under OPENBLAS_CORETYPE=Haswell
// (see docs/neuralkit.md).
#include <dnnl.h>
