// CVision: the C face of TribeLens' OpenCV shim. Plain C types only, so Swift (and plugins written
// in C) can call it; no C++ exception ever crosses this boundary: every function catches and
// returns a non-zero status with a one-line message in `err` instead.
#ifndef TRIBELENS_CVISION_H
#define TRIBELENS_CVISION_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// An 8-bit RGB image, rows packed (stride = width * 3), owned by CVision: free with cvision_image_free.
typedef struct cvision_image {
    int32_t width;
    int32_t height;
    uint8_t *pixels;
} cvision_image;

/// A face box in pixels of the image given to the detector. score < 0 means "no score".
typedef struct cvision_box {
    float x, y, width, height, score;
} cvision_box;

/// Decodes an image file into RGB. 16-bit samples are scaled to 8 bits, grey is expanded, alpha is
/// composited over white, and `orientation` (EXIF 1-8; 1 = as stored) is applied. The caller has
/// already checked the header's size against its pixel limit; `max_pixels` is checked again here
/// against what the decoder actually produced.
int cvision_decode_file(const char *path, int orientation, int64_t max_pixels, cvision_image *out,
                        char *err, size_t err_len);

/// Decodes an encoded image held in memory (same rules as cvision_decode_file).
int cvision_decode_memory(const uint8_t *bytes, size_t length, int orientation, int64_t max_pixels,
                          cvision_image *out, char *err, size_t err_len);

void cvision_image_free(cvision_image *image);

/// Resizes an RGB image (INTER_AREA when shrinking, INTER_LINEAR when enlarging) into a new image.
int cvision_resize(const uint8_t *rgb, int32_t width, int32_t height, int32_t new_width,
                   int32_t new_height, cvision_image *out, char *err, size_t err_len);

/// Encodes RGB pixels to a file whose extension picks the format (.png, .jpg).
int cvision_write_file(const char *path, const uint8_t *rgb, int32_t width, int32_t height,
                       char *err, size_t err_len);

// --- Haar cascade -----------------------------------------------------------------------------
typedef struct cvision_haar cvision_haar;

cvision_haar *cvision_haar_open(const char *cascade_path, char *err, size_t err_len);
void cvision_haar_close(cvision_haar *haar);

/// Runs detectMultiScale on the grey version of `rgb`. When `work_scale` < 1 the image is first
/// shrunk by that factor and boxes are mapped back to full-size pixels. `*boxes` is allocated
/// here (free with cvision_boxes_free); Haar gives no score, so each score is -1.
int cvision_haar_detect(cvision_haar *haar, const uint8_t *rgb, int32_t width, int32_t height,
                        double scale_factor, int32_t min_neighbors, int32_t min_size,
                        double work_scale, cvision_box **boxes, int32_t *count,
                        char *err, size_t err_len);

// --- YuNet DNN detector (OpenCV 4.6 FaceDetectorYN, face_detection_yunet_2022mar.onnx) ----------
typedef struct cvision_yunet cvision_yunet;

cvision_yunet *cvision_yunet_open(const char *model_path, float score_threshold,
                                  float nms_threshold, char *err, size_t err_len);
void cvision_yunet_close(cvision_yunet *yunet);

/// Detects faces; like Haar, `work_scale` < 1 shrinks the input first. Scores are in [0, 1].
int cvision_yunet_detect(cvision_yunet *yunet, const uint8_t *rgb, int32_t width, int32_t height,
                         double work_scale, cvision_box **boxes, int32_t *count,
                         char *err, size_t err_len);

void cvision_boxes_free(cvision_box *boxes);

#ifdef __cplusplus
}
#endif
#endif
