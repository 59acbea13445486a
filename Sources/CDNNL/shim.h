// oneDNN 2.6 C API (Debian: libdnnl-dev). NeuralKit uses its convolution and matmul primitives because they
// reach the chip's AVX-512 peak, which OpenBLAS cannot under OPENBLAS_CORETYPE=Haswell
// (see docs/neuralkit.md).
#include <dnnl.h>

// Debian's libdnnl runs on GNU OpenMP. NeuralKit splits each batch over its own threads and runs
// oneDNN single-threaded inside each (see docs/neuralkit.md), so it sets the per-thread OpenMP
// thread count; declared here because omp.h is not on clang's include path.
void omp_set_num_threads(int);
int omp_get_max_threads(void);
