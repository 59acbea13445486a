#include "neural_kernels.h"

#include <stdatomic.h>
#include <string.h>

// The AVX-512 and SSE2 versions exist on x86-64 only; elsewhere the portable loops run.
#if defined(__x86_64__)
#define NK_X86 1
#include <immintrin.h>
#endif

static atomic_int avx512_allowed = 1;

int nk_avx512_enabled(void) {
#ifdef NK_X86
    return atomic_load_explicit(&avx512_allowed, memory_order_relaxed) && __builtin_cpu_supports("avx512f");
#else
    return 0;
#endif
}

void nk_set_avx512_allowed(int allowed) {
    atomic_store_explicit(&avx512_allowed, allowed != 0, memory_order_relaxed);
}

// Portable versions: branch-free loops over a pixel's channels, which the compiler vectorises for
// the baseline instruction set (restrict parameters: the buffers never overlap).

static inline void window_max(const float *restrict a0, const float *restrict a1, const float *restrict b0,
                              const float *restrict b1, float *restrict out, uint8_t *restrict winners,
                              int channels) {
    for (int c = 0; c < channels; c++) {
        // Strict > keeps the earlier position on ties.
        float best = a0[c];
        uint8_t at = 0;
        int better = a1[c] > best;
        best = better ? a1[c] : best;
        at = better ? 1 : at;
        better = b0[c] > best;
        best = better ? b0[c] : best;
        at = better ? 2 : at;
        better = b1[c] > best;
        out[c] = better ? b1[c] : best;
        if (winners) winners[c] = better ? 3 : at;
    }
}

static inline void route_gradient(const float *restrict grad, const uint8_t *restrict winners, float *restrict a0,
                                  float *restrict a1, float *restrict b0, float *restrict b1, int channels) {
    for (int c = 0; c < channels; c++) {
        a0[c] = winners[c] == 0 ? grad[c] : 0;
        a1[c] = winners[c] == 1 ? grad[c] : 0;
        b0[c] = winners[c] == 2 ? grad[c] : 0;
        b1[c] = winners[c] == 3 ? grad[c] : 0;
    }
}

static inline void forward_portable_n(const float *row0, const float *row1, ptrdiff_t in_stride, float *out,
                                      ptrdiff_t out_stride, uint8_t *winners, int out_width, int channels) {
    for (int x = 0; x < out_width; x++) {
        const float *a = row0 + 2 * x * in_stride, *b = row1 + 2 * x * in_stride;
        window_max(a, a + in_stride, b, b + in_stride, out + x * out_stride,
                   winners ? winners + x * out_stride : NULL, channels);
    }
}

#ifdef NK_X86
/// route_gradient for 16 channels with SSE2 (which every x86-64 has): the compiler leaves the
/// scalar loop unvectorised (byte compares feeding float selects), about 1.5x slower.
static inline void route_gradient16_sse2(const float *grad, const uint8_t *winners, float *a0, float *a1,
                                         float *b0, float *b1) {
    const __m128i bytes = _mm_loadu_si128((const __m128i *)winners), zero = _mm_setzero_si128();
    const __m128i low = _mm_unpacklo_epi8(bytes, zero), high = _mm_unpackhi_epi8(bytes, zero);
    const __m128i k[4] = {_mm_unpacklo_epi16(low, zero), _mm_unpackhi_epi16(low, zero),
                          _mm_unpacklo_epi16(high, zero), _mm_unpackhi_epi16(high, zero)};
    float *const targets[4] = {a0, a1, b0, b1};
    for (int q = 0; q < 4; q++) {  // 4 channels at a time
        const __m128 g = _mm_loadu_ps(grad + 4 * q);
        for (int position = 0; position < 4; position++) {
            const __m128 hit = _mm_castsi128_ps(_mm_cmpeq_epi32(k[q], _mm_set1_epi32(position)));
            _mm_storeu_ps(targets[position] + 4 * q, _mm_and_ps(hit, g));
        }
    }
}
#endif

static inline void backward_portable_n(const float *grad, const uint8_t *winners, ptrdiff_t out_stride, float *row0,
                                       float *row1, ptrdiff_t in_stride, int out_width, int channels) {
    for (int x = 0; x < out_width; x++) {
        float *a = row0 + 2 * x * in_stride, *b = row1 + 2 * x * in_stride;
#ifdef NK_X86
        if (channels == 16) {
            route_gradient16_sse2(grad + x * out_stride, winners + x * out_stride, a, a + in_stride, b, b + in_stride);
            continue;
        }
#endif
        route_gradient(grad + x * out_stride, winners + x * out_stride, a, a + in_stride, b, b + in_stride, channels);
    }
}

// A constant count of 16 lets the compiler vectorise without remainder loops.
static void forward_portable(const float *row0, const float *row1, ptrdiff_t in_stride, float *out,
                             ptrdiff_t out_stride, uint8_t *winners, int out_width, int channels) {
    if (channels == 16) {
        forward_portable_n(row0, row1, in_stride, out, out_stride, winners, out_width, 16);
    } else {
        forward_portable_n(row0, row1, in_stride, out, out_stride, winners, out_width, channels);
    }
}

static void backward_portable(const float *grad, const uint8_t *winners, ptrdiff_t out_stride, float *row0,
                              float *row1, ptrdiff_t in_stride, int out_width, int channels) {
    if (channels == 16) {
        backward_portable_n(grad, winners, out_stride, row0, row1, in_stride, out_width, 16);
    } else {
        backward_portable_n(grad, winners, out_stride, row0, row1, in_stride, out_width, channels);
    }
}

#ifdef NK_X86
// AVX-512 versions: one register holds a pixel's 16 channels; masks cover fewer channels. Full
// groups use plain loads and stores: masked ones and byte-narrowing stores to memory are slow on
// some AVX-512 CPUs (AMD Zen 4 among them).

__attribute__((target("avx512f")))
static inline __m512 load_floats(const float *p, __mmask16 lanes) {
    return lanes == 0xFFFF ? _mm512_loadu_ps(p) : _mm512_maskz_loadu_ps(lanes, p);
}

__attribute__((target("avx512f")))
static inline void store_floats(float *p, __m512 v, __mmask16 lanes) {
    if (lanes == 0xFFFF) _mm512_storeu_ps(p, v); else _mm512_mask_storeu_ps(p, lanes, v);
}

static inline __m128i load_bytes(const uint8_t *p, int count) {
    if (count == 16) return _mm_loadu_si128((const __m128i *)p);
    uint8_t partial[16] = {0};
    memcpy(partial, p, (size_t)count);
    return _mm_loadu_si128((const __m128i *)partial);
}

static inline void store_bytes(uint8_t *p, __m128i v, int count) {
    if (count == 16) { _mm_storeu_si128((__m128i *)p, v); return; }
    uint8_t all[16];
    _mm_storeu_si128((__m128i *)all, v);
    memcpy(p, all, (size_t)count);
}

__attribute__((target("avx512f")))
static void forward_avx512(const float *row0, const float *row1, ptrdiff_t in_stride, float *out,
                           ptrdiff_t out_stride, uint8_t *winners, int out_width, int channels) {
    const __mmask16 lanes = (__mmask16)((1u << channels) - 1);
    const __m512i p1 = _mm512_set1_epi32(1), p2 = _mm512_set1_epi32(2), p3 = _mm512_set1_epi32(3);
    for (int x = 0; x < out_width; x++) {
        const float *a = row0 + 2 * x * in_stride, *b = row1 + 2 * x * in_stride;
        __m512 best = load_floats(a, lanes), v1 = load_floats(a + in_stride, lanes);
        __m512 v2 = load_floats(b, lanes), v3 = load_floats(b + in_stride, lanes);
        if (winners) {
            __m512i at = _mm512_setzero_si512();
            __mmask16 m = _mm512_cmp_ps_mask(v1, best, _CMP_GT_OQ);
            best = _mm512_mask_mov_ps(best, m, v1);
            at = _mm512_mask_mov_epi32(at, m, p1);
            m = _mm512_cmp_ps_mask(v2, best, _CMP_GT_OQ);
            best = _mm512_mask_mov_ps(best, m, v2);
            at = _mm512_mask_mov_epi32(at, m, p2);
            m = _mm512_cmp_ps_mask(v3, best, _CMP_GT_OQ);
            best = _mm512_mask_mov_ps(best, m, v3);
            at = _mm512_mask_mov_epi32(at, m, p3);
            store_bytes(winners + x * out_stride, _mm512_cvtepi32_epi8(at), channels);
        } else {
            // Same comparisons as above, so NaNs give the same result in both modes.
            best = _mm512_mask_mov_ps(best, _mm512_cmp_ps_mask(v1, best, _CMP_GT_OQ), v1);
            best = _mm512_mask_mov_ps(best, _mm512_cmp_ps_mask(v2, best, _CMP_GT_OQ), v2);
            best = _mm512_mask_mov_ps(best, _mm512_cmp_ps_mask(v3, best, _CMP_GT_OQ), v3);
        }
        store_floats(out + x * out_stride, best, lanes);
    }
}

__attribute__((target("avx512f")))
static void backward_avx512(const float *grad, const uint8_t *winners, ptrdiff_t out_stride, float *row0,
                            float *row1, ptrdiff_t in_stride, int out_width, int channels) {
    const __mmask16 lanes = (__mmask16)((1u << channels) - 1);
    const __m512i p0 = _mm512_setzero_si512(), p1 = _mm512_set1_epi32(1);
    const __m512i p2 = _mm512_set1_epi32(2), p3 = _mm512_set1_epi32(3);
    for (int x = 0; x < out_width; x++) {
        __m512 g = load_floats(grad + x * out_stride, lanes);
        __m512i k = _mm512_cvtepu8_epi32(load_bytes(winners + x * out_stride, channels));
        float *a = row0 + 2 * x * in_stride, *b = row1 + 2 * x * in_stride;
        store_floats(a, _mm512_maskz_mov_ps(_mm512_cmpeq_epi32_mask(k, p0), g), lanes);
        store_floats(a + in_stride, _mm512_maskz_mov_ps(_mm512_cmpeq_epi32_mask(k, p1), g), lanes);
        store_floats(b, _mm512_maskz_mov_ps(_mm512_cmpeq_epi32_mask(k, p2), g), lanes);
        store_floats(b + in_stride, _mm512_maskz_mov_ps(_mm512_cmpeq_epi32_mask(k, p3), g), lanes);
    }
}
#endif

void nk_maxpool_forward(const float *in, ptrdiff_t in_line, ptrdiff_t in_pixel, float *out, ptrdiff_t out_line,
                        ptrdiff_t out_pixel, uint8_t *winners, int out_height, int out_width, int channels) {
#ifdef NK_X86
    const int avx512 = nk_avx512_enabled();
#endif
    for (int y = 0; y < out_height; y++) {
        const float *row0 = in + 2 * y * in_line, *row1 = row0 + in_line;
        float *o = out + y * out_line;
        uint8_t *k = winners ? winners + y * out_line : NULL;
#ifdef NK_X86
        if (avx512) {
            forward_avx512(row0, row1, in_pixel, o, out_pixel, k, out_width, channels);
            continue;
        }
#endif
        forward_portable(row0, row1, in_pixel, o, out_pixel, k, out_width, channels);
    }
}

void nk_maxpool_backward(const float *grad, const uint8_t *winners, ptrdiff_t out_line, ptrdiff_t out_pixel,
                         float *in_grad, ptrdiff_t in_line, ptrdiff_t in_pixel,
                         int out_height, int out_width, int channels) {
#ifdef NK_X86
    const int avx512 = nk_avx512_enabled();
#endif
    for (int y = 0; y < out_height; y++) {
        const float *g = grad + y * out_line;
        const uint8_t *k = winners + y * out_line;
        float *row0 = in_grad + 2 * y * in_line, *row1 = row0 + in_line;
#ifdef NK_X86
        if (avx512) {
            backward_avx512(g, k, out_pixel, row0, row1, in_pixel, out_width, channels);
            continue;
        }
#endif
        backward_portable(g, k, out_pixel, row0, row1, in_pixel, out_width, channels);
    }
}
