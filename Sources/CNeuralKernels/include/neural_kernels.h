// NeuralKit's hand-written inner loops that Swift cannot compile well for this CPU: the package
// is built for baseline x86-64 (SSE2), and Swift has no per-function target attributes, so the
// AVX-512 versions live here and are picked at run time. CPUs without AVX-512 get SSE2 or
// compiler-vectorised loops; other architectures only the latter.
#ifndef NEURAL_KERNELS_H
#define NEURAL_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/// 2x2 max pooling (stride 2, odd trailing row/column dropped) of one image plane of up to 16
/// channels that are adjacent in memory at every pixel. Input rows are `in_line` floats apart
/// and pixels `in_pixel` apart; output rows `out_line` and pixels `out_pixel` apart.
/// `winners` (NULL in inference) gets, at each output element's offset, which window position
/// held the maximum: 0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right, the first in that
/// order on ties (TensorFlow's rule).
void nk_maxpool_forward(const float *in, ptrdiff_t in_line, ptrdiff_t in_pixel,
                        float *out, ptrdiff_t out_line, ptrdiff_t out_pixel, uint8_t *winners,
                        int out_height, int out_width, int channels);

/// The gradient of that plane: each output gradient goes to its window's winner; the other three
/// input positions get 0 (positions outside every window are not written).
void nk_maxpool_backward(const float *grad, const uint8_t *winners, ptrdiff_t out_line, ptrdiff_t out_pixel,
                         float *in_grad, ptrdiff_t in_line, ptrdiff_t in_pixel,
                         int out_height, int out_width, int channels);

/// 1 when the AVX-512 versions run (the CPU has AVX-512F and tests have not turned them off).
int nk_avx512_enabled(void);

/// For tests: 0 runs the portable versions even on an AVX-512 CPU; 1 allows AVX-512 again.
void nk_set_avx512_allowed(int allowed);

/// Denormal floats flushed to zero on the calling thread (x86-64: MXCSR's FTZ and DAZ), as
/// TensorFlow runs Keras' ops; returns the previous state for `nk_flush_denormals_end`. Some cores
/// take a microcode assist for every denormal operand (measured 25x slower FMAs on an Intel Xeon),
/// and saturated sigmoids' gradients are full of them.
unsigned nk_flush_denormals_begin(void);
void nk_flush_denormals_end(unsigned saved);
/// 1 when the calling thread flushes denormals (tests).
int nk_flushing_denormals(void);

#endif
