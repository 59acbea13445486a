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
/// YuNet also gives five landmarks (x, y pairs: right eye, left eye, nose tip, right and left
/// mouth corner, as seen in the photo); `has_landmarks` is 0 for Haar.
typedef struct cvision_box {
    float x, y, width, height, score;
    float landmarks[10];
    int32_t has_landmarks;
} cvision_box;

/// Decodes an encoded image held in memory into RGB (OpenCV's decoders). 16-bit samples are scaled
/// to 8 bits, grey is expanded, alpha is composited over white, and `orientation` (EXIF 1-8; 1 = as
/// stored) is applied. The caller has already checked the header's size against its pixel limit;
/// `max_pixels` is checked again here against what the decoder actually produced.
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

// --- Five-point alignment and the SFace recogniser (face.cpp) ----------------------------------

/// Maps the five `landmarks` onto the standard 112x112 face template (scaled to `side`) with the
/// least-squares similarity transform and warps `rgb` into `out` (side * side * 3 bytes, RGB),
/// bilinear, black outside the photo: the crop SFace was trained on when `side` is 112.
int cvision_align_face(const uint8_t *rgb, int32_t width, int32_t height, const float landmarks[10],
                       int32_t side, uint8_t *out, char *err, size_t err_len);

/// The rectangle (x, y, width, height, in the photo's pixels, not clamped to it) that
/// cvision_align_face reads for these landmarks: a crop from a photo's region covering it equals
/// the crop from the whole photo, with the landmarks shifted by the region's origin. `scale`: the
/// photo's pixels per crop pixel (above 1 the crop shrinks the face).
int cvision_align_face_source(const float landmarks[10], int32_t side, int32_t rect[4], double *scale,
                              char *err, size_t err_len);

/// Where `cvision_align_face` puts the five landmarks in a crop of `side` pixels (x, y pairs).
void cvision_face_template(int32_t side, float out[10]);

typedef struct cvision_sface cvision_sface;

/// Reads an SFace ONNX file (face_recognition_sface_2021dec*.onnx). The caller has checked its
/// checksum: OpenCV's ONNX importer is not hardened against hostile files.
cvision_sface *cvision_sface_open(const char *model_path, char *err, size_t err_len);
void cvision_sface_close(cvision_sface *sface);

/// What runs the network: "oneDNN" (sface_chain.cpp), or "OpenCV DNN (why)" when the file is
/// not the chain oneDNN runs or disagreed with OpenCV's pass at open.
const char *cvision_sface_engine(const cvision_sface *sface);

/// 128-d embeddings (not normalised) of `count` aligned RGB crops of side * side, into
/// `out[count * 128]`. Not thread-safe per handle.
int cvision_sface_embed(cvision_sface *sface, const uint8_t *rgb_crops, int32_t count, int32_t side,
                        float *out, char *err, size_t err_len);

/// OpenCV's own FaceRecognizerSF::alignCrop and ::feature on one face, the references the tests
/// compare cvision_align_face and cvision_sface_embed with. `face_row` is YuNet's row: box
/// (x, y, w, h) then the ten landmark coordinates. `aligned` gets 112 * 112 * 3 RGB bytes.
int cvision_sface_reference(cvision_sface *sface, const uint8_t *rgb, int32_t width, int32_t height,
                            const float face_row[14], uint8_t *aligned, float *feature,
                            char *err, size_t err_len);

#ifdef __cplusplus
}
#endif
#endif
