// CVision augmentation: the write-up's nine-way augmentation of a face crop, in C for Swift.
// Every function catches C++ exceptions and returns non-zero with a one-line message in `err`.
#ifndef TRIBELENS_CVISION_AUGMENT_H
#define TRIBELENS_CVISION_AUGMENT_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Rotates an interleaved 8-bit image (`channels` samples per pixel, rows packed) by `degrees`
/// counter-clockwise, enlarging the canvas to hold the whole result, exactly as
/// `scipy.ndimage.rotate(img, degrees)` does with its defaults (reshape=True, cubic B-spline with
/// prefilter, mode='constant', cval=0). The output size is written to `*out_width`/`*out_height`;
/// `out` must hold at least `cvaug_rotated_size(...)` bytes.
int cvaug_rotated_size(int32_t width, int32_t height, double degrees, int32_t *out_width,
                       int32_t *out_height, char *err, size_t err_len);
int cvaug_rotate(const uint8_t *pixels, int32_t width, int32_t height, int32_t channels,
                 double degrees, uint8_t *out, int32_t out_width, int32_t out_height,
                 char *err, size_t err_len);

/// cv::resize with INTER_LINEAR in both directions (what `cv2.resize(img, (w, h))` does by default).
int cvaug_resize_linear(const uint8_t *pixels, int32_t width, int32_t height, int32_t channels,
                        uint8_t *out, int32_t out_width, int32_t out_height,
                        char *err, size_t err_len);

/// cv::threshold(src, dst, thresh, 255, THRESH_TOZERO): samples <= thresh become 0.
int cvaug_threshold_tozero(const uint8_t *pixels, int32_t width, int32_t height, int32_t channels,
                           double thresh, uint8_t *out, char *err, size_t err_len);

/// cv::GaussianBlur(src, dst, (ksize, ksize), sigma) with the default border (reflect 101).
int cvaug_gaussian_blur(const uint8_t *pixels, int32_t width, int32_t height, int32_t channels,
                        int32_t ksize, double sigma, uint8_t *out, char *err, size_t err_len);

#ifdef __cplusplus
}
#endif
#endif
