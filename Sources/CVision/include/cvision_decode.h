// CVision's bounded-memory decoder: JPEG through libjpeg and PNG through libpng directly (row by
// row, with their warnings caught per call), the other formats through OpenCV; the result goes
// straight into a buffer the caller allocated, converted to 8-bit RGB band by band.
#ifndef TRIBELENS_CVISION_DECODE_H
#define TRIBELENS_CVISION_DECODE_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
    CVISION_DECODE_JPEG = 0,
    CVISION_DECODE_PNG = 1,
    CVISION_DECODE_OTHER = 2,  // WebP, BMP, TIFF: OpenCV's imdecode
};

enum {
    CVISION_DECODE_OK = 0,
    CVISION_DECODE_FAILED = 1,        // `err` says why
    CVISION_DECODE_SIZE_MISMATCH = 2, // the data is not the size the header gave: `found_*` set, `out` untouched
    CVISION_DECODE_NO_MEMORY = 3,     // an allocation failed; `err` says which
};

/// Decodes `bytes` (an image of `width` x `height` stored pixels, as its header says) at
/// 1/`reduction` of each side (1, 2, 4 or 8; JPEG by DCT scaling, the others by averaging
/// `reduction` x `reduction` blocks as rows arrive), applies EXIF `orientation` (1-8) and writes
/// 8-bit RGB into `out`: `out_len` must be exactly ceil(width / reduction) * ceil(height /
/// reduction) * 3. 16-bit samples are scaled to 8 bits, grey is expanded and alpha is
/// composited over white, as cvision_decode_memory does. Messages the libraries would print
/// (libjpeg's "Corrupt JPEG data", libpng's and OpenCV's warnings) are not printed: the first is
/// put in `warning` and `*warning_count` counts them.
int cvision_decode_into(const uint8_t *bytes, size_t length, int32_t format, int32_t width,
                        int32_t height, int32_t orientation, int32_t reduction, uint8_t *out,
                        size_t out_len, int32_t *found_width, int32_t *found_height,
                        char *warning, size_t warning_len, int32_t *warning_count,
                        char *err, size_t err_len);

/// A rectangle of the upright (oriented) image at full size, and the caller's buffer for its
/// `width` * `height` * 3 bytes of 8-bit RGB.
typedef struct {
    int32_t x, y, width, height;
    uint8_t *out;
} cvision_region;

/// Decodes only the pixels of `regions` (each inside the upright image), at full size, in one pass
/// over the file, with the same conversions and messages as cvision_decode_into. JPEG decodes
/// only the columns the regions span (jpeg_crop_scanline), skips the rows above them
/// (jpeg_skip_scanlines) and stops after the last; PNG reads rows up to the last one needed;
/// OpenCV's decoders (WebP, BMP, TIFF) decode the whole image once and the regions are cut from it.
int cvision_decode_regions(const uint8_t *bytes, size_t length, int32_t format, int32_t width,
                           int32_t height, int32_t orientation, const cvision_region *regions,
                           int32_t count, int32_t *found_width, int32_t *found_height,
                           char *warning, size_t warning_len, int32_t *warning_count,
                           char *err, size_t err_len);

/// 1 if the open file `fd` lives on a virtual file system (/proc, /sys, debugfs, cgroup...), whose
/// files report a size of 0 or 4096 whatever they hold; 0 otherwise.
int cvision_file_is_virtual(int fd);

#ifdef __cplusplus
}
#endif
#endif
