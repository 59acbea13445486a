#include "neural_kernels.h"

// MXCSR bits: FTZ (flush results that would be denormal to zero) and DAZ (read denormal inputs
// as zero). On other architectures nothing is switched: only x86-64 is built and measured.
#if defined(__x86_64__)
#include <xmmintrin.h>
#define NK_FTZ_DAZ 0x8040u

unsigned nk_flush_denormals_begin(void) {
    unsigned saved = _mm_getcsr();
    _mm_setcsr(saved | NK_FTZ_DAZ);
    return saved;
}

void nk_flush_denormals_end(unsigned saved) { _mm_setcsr(saved); }

int nk_flushing_denormals(void) { return (_mm_getcsr() & NK_FTZ_DAZ) == NK_FTZ_DAZ; }
#else
unsigned nk_flush_denormals_begin(void) { return 0; }
void nk_flush_denormals_end(unsigned saved) { (void)saved; }
int nk_flushing_denormals(void) { return 0; }
#endif
