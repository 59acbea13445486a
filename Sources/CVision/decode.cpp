// Bounded-memory decoding for CVision's C API (cvision_decode.h).
//
// Why not cv::imdecode for everything: OpenCV decodes the whole image at its stored depth, then
// every conversion makes another full-size copy (a 100 MP RGBA 16-bit PNG peaked at 9.6 GB), and
// libjpeg's and libpng's warnings go straight to stderr from inside OpenCV. Here JPEG and PNG are
// decoded row by row with our own error handlers, rows are converted to RGB in small bands, and
// the result is written once, into the caller's buffer, reduced and oriented on the way.
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <csetjmp>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <new>
#include <streambuf>
#include <string>
#include <vector>
#include <sys/vfs.h>
#include <jpeglib.h>
#include <png.h>
#include "codecs.hpp"
#include "cvision_decode.h"
#include "cvision_support.hpp"

namespace cvision {
namespace {

// Rows converted to RGB at a time: small temporaries, few OpenCV calls.
constexpr int kBand = 16;

// What the libraries said during one call.
struct Messages {
    std::string first_warning;
    int warnings = 0;
    std::string error;
    std::string cerr_text;  // anything OpenCV wrote to std::cerr on this thread

    void warn(const std::string &text) {
        if (warnings++ == 0) first_warning = text;
    }
};

// OpenCV reports some decoder failures on std::cerr ("imdecode_(...): can't read data: ...") and
// through its logger, which also writes there. std::cerr is routed through this buffer once:
// text written by a thread inside a decode call is kept for that call, the rest passes through.
thread_local Messages *capturing = nullptr;

class CerrRouter : public std::streambuf {
public:
    explicit CerrRouter(std::streambuf *original) : original_(original) {}

protected:
    int overflow(int c) override {
        if (c == EOF) return 0;
        if (capturing) { capturing->cerr_text.push_back(static_cast<char>(c)); return c; }
        return original_->sputc(static_cast<char>(c));
    }
    std::streamsize xsputn(const char *s, std::streamsize n) override {
        if (capturing) { capturing->cerr_text.append(s, static_cast<size_t>(n)); return n; }
        return original_->sputn(s, n);
    }
    int sync() override { return capturing ? 0 : original_->pubsync(); }

private:
    std::streambuf *original_;
};

void route_cerr() {
    static std::once_flag once;
    std::call_once(once, [] {
        static CerrRouter router(std::cerr.rdbuf());
        std::cerr.rdbuf(&router);
    });
}

struct CaptureScope {
    explicit CaptureScope(Messages &m) { route_cerr(); capturing = &m; }
    ~CaptureScope() { capturing = nullptr; }
};

int32_t reduced(int32_t side, int32_t r) { return (side + r - 1) / r; }

// Where decoded RGB rows go, in stored (not yet oriented) order. `put` gets stored row `y`,
// whose first pixel is stored column `x0` (0 unless the decoder cropped the row).
class RowSink {
public:
    virtual ~RowSink() = default;
    virtual void put(int32_t y, const uint8_t *rgb) = 0;
    // Stored rows [first_row, end_row) are all the sink needs: decoders may skip or stop.
    int32_t first_row = 0, end_row = INT32_MAX;
    int32_t x0 = 0;
};

// Receives full-width RGB rows in order and writes them to the caller's buffer, averaging
// `box` x `box` blocks when asked to, and placing each pixel where `orientation` puts it.
class Sink : public RowSink {
public:
    Sink(int32_t width, int32_t height, int32_t box, int orientation, uint8_t *out)
        : w_(width), h_(height), box_(box), orientation_(orientation), out_(out),
          ow_(reduced(width, box)), oh_(reduced(height, box)) {
        if (box_ > 1) { acc_.assign(static_cast<size_t>(ow_) * 3, 0); row_.resize(static_cast<size_t>(ow_) * 3); }
    }

    void put(int32_t y, const uint8_t *rgb) override {
        if (box_ == 1) { emit(y, rgb); return; }
        for (int32_t x = 0; x < w_; ++x) {
            uint32_t *a = &acc_[static_cast<size_t>(x / box_) * 3];
            a[0] += rgb[3 * x]; a[1] += rgb[3 * x + 1]; a[2] += rgb[3 * x + 2];
        }
        ++rows_;
        if (rows_ == box_ || y == h_ - 1) {
            for (int32_t ox = 0; ox < ow_; ++ox) {
                const uint32_t n = static_cast<uint32_t>(std::min(box_, w_ - ox * box_) * rows_);
                for (int c = 0; c < 3; ++c)
                    row_[3 * ox + c] = static_cast<uint8_t>((acc_[3 * ox + c] + n / 2) / n);
            }
            emit(y / box_, row_.data());
            std::fill(acc_.begin(), acc_.end(), 0);
            rows_ = 0;
        }
    }

private:
    // `row` is row `y` of the reduced, stored (not yet oriented) image.
    void emit(int32_t y, const uint8_t *row) {
        const size_t upright_w = orientation_ >= 5 ? oh_ : ow_;
        if (orientation_ < 2 || orientation_ > 8) {
            std::memcpy(out_ + static_cast<size_t>(y) * ow_ * 3, row, static_cast<size_t>(ow_) * 3);
            return;
        }
        for (int32_t x = 0; x < ow_; ++x) {
            int32_t X, Y;
            switch (orientation_) {
                case 2: X = ow_ - 1 - x; Y = y; break;
                case 3: X = ow_ - 1 - x; Y = oh_ - 1 - y; break;
                case 4: X = x; Y = oh_ - 1 - y; break;
                case 5: X = y; Y = x; break;
                case 6: X = oh_ - 1 - y; Y = x; break;
                case 7: X = oh_ - 1 - y; Y = ow_ - 1 - x; break;
                default: X = y; Y = ow_ - 1 - x; break;  // 8
            }
            std::memcpy(out_ + (static_cast<size_t>(Y) * upright_w + X) * 3, row + 3 * x, 3);
        }
    }

    int32_t w_, h_, box_;
    int orientation_;
    uint8_t *out_;
    int32_t ow_, oh_;
    std::vector<uint32_t> acc_;
    std::vector<uint8_t> row_;
    int32_t rows_ = 0;
};


// Upright pixel (X, Y) of an image stored as `w` x `h` with EXIF `orientation` -> stored pixel.
void upright_to_stored(int orientation, int32_t w, int32_t h, int32_t X, int32_t Y, int32_t &x, int32_t &y) {
    switch (orientation) {
        case 2: x = w - 1 - X; y = Y; break;
        case 3: x = w - 1 - X; y = h - 1 - Y; break;
        case 4: x = X; y = h - 1 - Y; break;
        case 5: x = Y; y = X; break;
        case 6: x = Y; y = h - 1 - X; break;
        case 7: x = w - 1 - Y; y = h - 1 - X; break;
        case 8: x = w - 1 - Y; y = X; break;
        default: x = X; y = Y; break;
    }
}

// Keeps only the pixels of some upright regions, at full size: each stored pixel inside a
// region's stored rectangle is written where the orientation puts it in that region's buffer.
class RegionSink : public RowSink {
public:
    struct Part {
        cvision_region region;
        int32_t sx0, sy0, sx1, sy1;  // the region's stored rectangle, end exclusive
    };

    RegionSink(int32_t width, int32_t height, int orientation, const cvision_region *regions, int32_t count)
        : w_(width), h_(height), orientation_(orientation) {
        int32_t ux0 = INT32_MAX, uy0 = INT32_MAX, ux1 = 0, uy1 = 0;
        for (int32_t i = 0; i < count; ++i) {
            const cvision_region &r = regions[i];
            int32_t ax, ay, bx, by;
            upright_to_stored(orientation, width, height, r.x, r.y, ax, ay);
            upright_to_stored(orientation, width, height, r.x + r.width - 1, r.y + r.height - 1, bx, by);
            Part p{r, std::min(ax, bx), std::min(ay, by), std::max(ax, bx) + 1, std::max(ay, by) + 1};
            ux0 = std::min(ux0, p.sx0); uy0 = std::min(uy0, p.sy0);
            ux1 = std::max(ux1, p.sx1); uy1 = std::max(uy1, p.sy1);
            parts_.push_back(p);
        }
        first_row = uy0; end_row = uy1;
        first_col = ux0; end_col = ux1;
    }

    void put(int32_t y, const uint8_t *rgb) override {
        for (const Part &p : parts_) {
            if (y < p.sy0 || y >= p.sy1) continue;
            const cvision_region &r = p.region;
            for (int32_t x = p.sx0; x < p.sx1; ++x) {
                int32_t X, Y;
                stored_to_upright(x, y, X, Y);
                std::memcpy(r.out + (static_cast<size_t>(Y - r.y) * r.width + (X - r.x)) * 3, rgb + 3 * (x - x0), 3);
            }
        }
    }

    int32_t first_col = 0, end_col = 0;  // stored columns any region needs

private:
    void stored_to_upright(int32_t x, int32_t y, int32_t &X, int32_t &Y) const {
        switch (orientation_) {
            case 2: X = w_ - 1 - x; Y = y; break;
            case 3: X = w_ - 1 - x; Y = h_ - 1 - y; break;
            case 4: X = x; Y = h_ - 1 - y; break;
            case 5: X = y; Y = x; break;
            case 6: X = h_ - 1 - y; Y = x; break;
            case 7: X = h_ - 1 - y; Y = w_ - 1 - x; break;
            case 8: X = y; Y = w_ - 1 - x; break;
            default: X = x; Y = y; break;
        }
    }

    int32_t w_, h_;
    int orientation_;
    std::vector<Part> parts_;
};

// Converts a band of decoded rows (any depth, 1-4 channels) and hands them to the sink.
void convert_band(const cv::Mat &band, bool rgb_order, int32_t first_row, RowSink &sink) {
    if (first_row + band.rows <= sink.first_row || first_row >= sink.end_row) return;
    const cv::Mat rgb = to_rgb8(band, rgb_order);
    for (int r = 0; r < rgb.rows; ++r) {
        const int32_t y = first_row + r;
        if (y >= sink.first_row && y < sink.end_row) sink.put(y, rgb.ptr<uint8_t>(r));
    }
}

// --- JPEG (libjpeg-turbo) ---------------------------------------------------------------------

struct JpegError {
    jpeg_error_mgr mgr;
    std::jmp_buf jump;
    Messages *messages;
};

void jpeg_fail(j_common_ptr info) {
    auto *e = reinterpret_cast<JpegError *>(info->err);
    char text[JMSG_LENGTH_MAX];
    (*info->err->format_message)(info, text);
    e->messages->error = text;
    std::longjmp(e->jump, 1);
}

void jpeg_note(j_common_ptr info, int level) {
    if (level >= 0) return;  // trace messages
    auto *e = reinterpret_cast<JpegError *>(info->err);
    char text[JMSG_LENGTH_MAX];
    (*info->err->format_message)(info, text);
    e->messages->warn(text);
    info->err->num_warnings++;
}

void jpeg_silent(j_common_ptr) {}

// Plain data only between setjmp and longjmp: every buffer is owned by the caller.
struct JpegJob {
    const uint8_t *bytes;
    size_t length;
    int32_t width, height, reduction;
    RowSink *sink;
    // Region decodes: only these stored columns are decoded (rows come from the sink).
    bool crop;
    int32_t crop_x0, crop_x1;
    uint8_t *scanline;   // room for one output row of up to 4 components
    uint8_t *rgb_row;    // one RGB row
    int32_t found_w, found_h;
    bool size_mismatch;
    bool scanline_too_small;
};

// Returns false on a libjpeg error (text in messages.error).
bool jpeg_run(JpegJob &job, Messages &messages) {
    jpeg_decompress_struct info;
    JpegError err;
    info.err = jpeg_std_error(&err.mgr);
    err.mgr.error_exit = jpeg_fail;
    err.mgr.emit_message = jpeg_note;
    err.mgr.output_message = jpeg_silent;
    err.messages = &messages;
    jpeg_create_decompress(&info);
    if (setjmp(err.jump)) {
        jpeg_destroy_decompress(&info);
        return false;
    }
    jpeg_mem_src(&info, job.bytes, static_cast<unsigned long>(job.length));
    jpeg_read_header(&info, TRUE);
    job.found_w = static_cast<int32_t>(info.image_width);
    job.found_h = static_cast<int32_t>(info.image_height);
    if (job.found_w != job.width || job.found_h != job.height) {
        job.size_mismatch = true;
        jpeg_destroy_decompress(&info);
        return true;
    }
    // As OpenCV reads JPEGs: grey stays grey, CMYK/YCCK comes out as (Adobe-inverted) CMYK.
    const bool cmyk = info.num_components == 4;
    info.out_color_space = cmyk ? JCS_CMYK : info.num_components == 1 ? JCS_GRAYSCALE : JCS_RGB;
    info.scale_num = 1;
    info.scale_denom = static_cast<unsigned int>(job.reduction);
    jpeg_start_decompress(&info);
    if (static_cast<int32_t>(info.output_width) != reduced(job.width, job.reduction)
        || static_cast<int32_t>(info.output_height) != reduced(job.height, job.reduction)
        || info.output_components > 4) {
        job.scanline_too_small = true;
        jpeg_destroy_decompress(&info);
        return true;
    }
    // Region decodes: libjpeg-turbo decodes only the iMCU columns asked for and skips rows
    // without the inverse DCT. A margin of one iMCU keeps the pixels kept identical to a full
    // decode (chroma upsampling reads the neighbours of each edge pixel).
    constexpr int32_t kMargin = 16;
    int32_t end = static_cast<int32_t>(info.output_height);
    if (job.crop) {
        JDIMENSION x = static_cast<JDIMENSION>(std::max(0, job.crop_x0 - kMargin));
        JDIMENSION w = static_cast<JDIMENSION>(std::min(job.width, job.crop_x1 + kMargin)) - x;
        if (x > 0 || static_cast<int32_t>(w) < job.width) jpeg_crop_scanline(&info, &x, &w);
        job.sink->x0 = static_cast<int32_t>(x);
        const int32_t skip = std::max(0, job.sink->first_row - kMargin);
        if (skip > 0) jpeg_skip_scanlines(&info, static_cast<JDIMENSION>(skip));
        end = std::min(end, job.sink->end_row);
    }
    const int32_t ow = static_cast<int32_t>(info.output_width);
    while (static_cast<int32_t>(info.output_scanline) < end) {
        const int32_t y = static_cast<int32_t>(info.output_scanline);
        JSAMPROW row = job.scanline;
        jpeg_read_scanlines(&info, &row, 1);
        if (y < job.sink->first_row) continue;
        const uint8_t *s = job.scanline;
        uint8_t *d = job.rgb_row;
        switch (info.output_components) {
            case 1:
                for (int32_t x = 0; x < ow; ++x) d[3 * x] = d[3 * x + 1] = d[3 * x + 2] = s[x];
                break;
            case 3:
                std::memcpy(d, s, static_cast<size_t>(ow) * 3);
                break;
            default:  // inverted CMYK, converted the way OpenCV's JPEG decoder does
                for (int32_t x = 0; x < ow; ++x) {
                    const int c = s[4 * x], m = s[4 * x + 1], ye = s[4 * x + 2], k = s[4 * x + 3];
                    d[3 * x] = static_cast<uint8_t>(k - ((255 - c) * k >> 8));
                    d[3 * x + 1] = static_cast<uint8_t>(k - ((255 - m) * k >> 8));
                    d[3 * x + 2] = static_cast<uint8_t>(k - ((255 - ye) * k >> 8));
                }
                break;
        }
        job.sink->put(y, job.rgb_row);
    }
    // Stopping early is not an error: the rows below the last region are not needed.
    if (info.output_scanline < info.output_height) jpeg_abort_decompress(&info);
    else jpeg_finish_decompress(&info);
    jpeg_destroy_decompress(&info);
    return true;
}

int decode_jpeg(const uint8_t *bytes, size_t length, int32_t width, int32_t height,
                int orientation, int32_t reduction, uint8_t *out, int32_t *found_w,
                int32_t *found_h, Messages &messages, char *err, size_t err_len) {
    const int32_t ow = reduced(width, reduction), oh = reduced(height, reduction);
    std::vector<uint8_t> scanline(static_cast<size_t>(ow) * 4 + 64), rgb_row(static_cast<size_t>(ow) * 3);
    Sink sink(ow, oh, 1, orientation, out);
    JpegJob job{bytes, length, width, height, reduction, &sink, false, 0, 0, scanline.data(), rgb_row.data(), 0, 0, false, false};
    if (!jpeg_run(job, messages)) return fail(err, err_len, messages.error.c_str());
    if (job.size_mismatch) { *found_w = job.found_w; *found_h = job.found_h; return CVISION_DECODE_SIZE_MISMATCH; }
    if (job.scanline_too_small) return fail(err, err_len, "libjpeg chose an unexpected output size");
    return CVISION_DECODE_OK;
}

int decode_jpeg_regions(const uint8_t *bytes, size_t length, int32_t width, int32_t height, RegionSink &sink,
                        int32_t *found_w, int32_t *found_h, Messages &messages, char *err, size_t err_len) {
    std::vector<uint8_t> scanline(static_cast<size_t>(width) * 4 + 64), rgb_row(static_cast<size_t>(width) * 3);
    JpegJob job{bytes, length, width, height, 1, &sink, true, sink.first_col, sink.end_col, scanline.data(),
                rgb_row.data(), 0, 0, false, false};
    if (!jpeg_run(job, messages)) return fail(err, err_len, messages.error.c_str());
    if (job.size_mismatch) { *found_w = job.found_w; *found_h = job.found_h; return CVISION_DECODE_SIZE_MISMATCH; }
    if (job.scanline_too_small) return fail(err, err_len, "libjpeg chose an unexpected output size");
    return CVISION_DECODE_OK;
}

// --- PNG (libpng) ------------------------------------------------------------------------------

struct PngSource {
    const uint8_t *bytes;
    size_t length, position;
    Messages *messages;
};

void png_fail(png_structp png, png_const_charp text) {
    static_cast<PngSource *>(png_get_error_ptr(png))->messages->error = text;
    png_longjmp(png, 1);
}

void png_note(png_structp png, png_const_charp text) {
    static_cast<PngSource *>(png_get_error_ptr(png))->messages->warn(text);
}

void png_read_bytes(png_structp png, png_bytep into, png_size_t count) {
    auto *src = static_cast<PngSource *>(png_get_io_ptr(png));
    if (count > src->length - src->position) png_error(png, "the file ends before the image data does");
    std::memcpy(into, src->bytes + src->position, count);
    src->position += count;
}

struct PngJob {
    int32_t width, height;
    RowSink *sink;
    std::vector<uint8_t> *band;   // kBand rows, or the whole image when interlaced
    int32_t found_w, found_h;
    bool size_mismatch;
    bool no_memory;
};

// Converts rows [first, first + count) held in `rows` (stride `stride`) and feeds the sink.
void png_convert(const uint8_t *rows, size_t stride, int32_t first, int32_t count, int32_t width,
                 int channels, int depth, RowSink &sink) {
    const cv::Mat band(count, width, CV_MAKETYPE(depth == 16 ? CV_16U : CV_8U, channels),
                       const_cast<uint8_t *>(rows), stride);
    convert_band(band, true, first, sink);
}

bool png_run(PngSource &src, PngJob &job) {
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &src, png_fail, png_note);
    if (!png) { job.no_memory = true; return true; }
    png_infop info = png_create_info_struct(png);
    if (!info) { png_destroy_read_struct(&png, nullptr, nullptr); job.no_memory = true; return true; }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, nullptr);
        return false;
    }
    png_set_read_fn(png, &src, png_read_bytes);
    png_read_info(png, info);
    png_uint_32 w = 0, h = 0;
    int depth = 0, colour = 0, interlace = 0;
    png_get_IHDR(png, info, &w, &h, &depth, &colour, &interlace, nullptr, nullptr);
    job.found_w = static_cast<int32_t>(w);
    job.found_h = static_cast<int32_t>(h);
    if (job.found_w != job.width || job.found_h != job.height) {
        job.size_mismatch = true;
        png_destroy_read_struct(&png, &info, nullptr);
        return true;
    }
    // The channels OpenCV's PNG decoder gives with IMREAD_UNCHANGED: palette and RGB gain alpha
    // from tRNS, grey+alpha becomes RGBA, grey stays grey (its tRNS is ignored).
    const bool has_trns = png_get_valid(png, info, PNG_INFO_tRNS) != 0;
    int channels;
    switch (colour) {
        case PNG_COLOR_TYPE_PALETTE: png_set_palette_to_rgb(png); channels = has_trns ? 4 : 3; break;
        case PNG_COLOR_TYPE_RGB: channels = has_trns ? 4 : 3; break;
        case PNG_COLOR_TYPE_GRAY_ALPHA: png_set_gray_to_rgb(png); channels = 4; break;
        case PNG_COLOR_TYPE_RGB_ALPHA: channels = 4; break;
        default: channels = 1; break;
    }
    if (channels == 4) png_set_tRNS_to_alpha(png); else png_set_strip_alpha(png);
    if ((colour & PNG_COLOR_MASK_COLOR) == 0 && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (depth == 16) png_set_swap(png);  // host order for the 16-bit Mat (little-endian x86)
    const int out_depth = depth == 16 ? 16 : 8;
    const int passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);
    const size_t stride = png_get_rowbytes(png, info);
    if (stride < static_cast<size_t>(job.width) * channels * (out_depth / 8)) {
        png_error(png, "unexpected row size");
    }
    const int32_t rows_held = passes > 1 ? job.height : kBand;
    try {
        job.band->resize(stride * static_cast<size_t>(rows_held));
    } catch (const std::bad_alloc &) {
        job.no_memory = true;
        png_destroy_read_struct(&png, &info, nullptr);
        return true;
    }
    uint8_t *rows = job.band->data();
    if (passes > 1) {
        // Adam7 fills every row over seven passes: the whole image has to be held.
        for (int pass = 0; pass < passes; ++pass)
            for (int32_t y = 0; y < job.height; ++y) png_read_row(png, rows + stride * y, nullptr);
        for (int32_t y = 0; y < job.height; y += kBand)
            png_convert(rows + stride * y, stride, y, std::min(kBand, job.height - y), job.width, channels, out_depth, *job.sink);
    } else {
        const int32_t end = std::min(job.height, job.sink->end_row);
        for (int32_t y = 0; y < end; y += kBand) {
            const int32_t n = std::min(kBand, end - y);
            for (int32_t i = 0; i < n; ++i) png_read_row(png, rows + stride * i, nullptr);
            png_convert(rows, stride, y, n, job.width, channels, out_depth, *job.sink);
        }
        // Rows below the last one a region needs are not read.
        if (end < job.height) { png_destroy_read_struct(&png, &info, nullptr); return true; }
    }
    png_read_end(png, nullptr);
    png_destroy_read_struct(&png, &info, nullptr);
    return true;
}

int decode_png(const uint8_t *bytes, size_t length, int32_t width, int32_t height, RowSink &sink,
               int32_t *found_w, int32_t *found_h, Messages &messages, char *err, size_t err_len) {
    std::vector<uint8_t> band;
    PngSource src{bytes, length, 0, &messages};
    PngJob job{width, height, &sink, &band, 0, 0, false, false};
    if (!png_run(src, job)) return fail(err, err_len, messages.error.c_str());
    if (job.size_mismatch) { *found_w = job.found_w; *found_h = job.found_h; return CVISION_DECODE_SIZE_MISMATCH; }
    if (job.no_memory) { fail(err, err_len, "out of memory"); return CVISION_DECODE_NO_MEMORY; }
    return CVISION_DECODE_OK;
}

// --- Everything else (OpenCV) ------------------------------------------------------------------

// What OpenCV wrote to std::cerr when a decoder gave up, as one short phrase: its
// "imdecode_(''): can't read header: OpenCV(4.6.0) <file>:<line>: error: (-2:Unspecified error)
// OpenCV TIFF: failed TIFFGetField(...) in function 'readHeader'" becomes "failed TIFFGetField(...)".
std::string decoder_complaint(const std::string &text) {
    std::string said;
    const auto error = text.find("error: (");
    if (error != std::string::npos) {
        const auto close = text.find(") ", error);
        if (close != std::string::npos) {
            said = text.substr(close + 2);
            const auto in_function = said.find(" in function");
            if (in_function != std::string::npos) said.resize(in_function);
        }
    }
    if (said.empty()) {
        // The first line that is not OpenCV's own "imdecode_(...)" prefix.
        const auto at = text.find("): ");
        said = at != std::string::npos && text.compare(0, 9, "imdecode_") == 0 ? text.substr(at + 3) : text;
    }
    const auto newline = said.find('\n');
    if (newline != std::string::npos) said.resize(newline);
    for (const char *prefix : {"OpenCV TIFF: ", "OpenCV: "})
        if (said.compare(0, std::strlen(prefix), prefix) == 0) said.erase(0, std::strlen(prefix));
    while (!said.empty() && (said.back() == ' ' || said.back() == '\r')) said.pop_back();
    return said;
}

int decode_other(const uint8_t *bytes, size_t length, int32_t width, int32_t height, RowSink &sink,
                 int32_t *found_w, int32_t *found_h, Messages &messages, char *err, size_t err_len) {
    if (length > static_cast<size_t>(INT32_MAX)) return fail(err, err_len, "file too large for OpenCV's decoders");
    const cv::Mat buffer(1, static_cast<int>(length), CV_8UC1, const_cast<uint8_t *>(bytes));
    const cv::Mat decoded = codecs::imdecode(buffer, cv::IMREAD_UNCHANGED);
    if (decoded.empty()) {
        std::string why = "not a decodable image";
        const std::string said = decoder_complaint(messages.cerr_text);
        if (!said.empty()) why += " (the decoder said: " + said + ")";
        return fail(err, err_len, why.c_str());
    }
    if (decoded.cols != width || decoded.rows != height) {
        *found_w = decoded.cols;
        *found_h = decoded.rows;
        return CVISION_DECODE_SIZE_MISMATCH;
    }
    // OpenCV's decoders give the whole image; regions are cut from it.
    for (int32_t y = 0; y < height; y += kBand)
        convert_band(decoded.rowRange(y, std::min(height, y + kBand)), false, y, sink);
    return CVISION_DECODE_OK;
}

// One line, no trailing newline or control characters.
std::string one_line(std::string text) {
    for (char &c : text) if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    while (!text.empty() && text.back() == ' ') text.pop_back();
    return text;
}

}  // namespace
}  // namespace cvision

using namespace cvision;

// What both decode entry points share: the outputs reset, the libraries' messages captured while
// `body` runs (C++ exceptions turned into a status), and then an allocation failure reported as
// its own status, every message on one line (the caller prints one line per file), and OpenCV's
// own stderr output counted as a warning when the decode still succeeded.
template <typename Body>
static int run_decode(int32_t width, int32_t height, int32_t *found_width, int32_t *found_height, char *warning,
                      size_t warning_len, int32_t *warning_count, char *err, size_t err_len, Body body) {
    Messages messages;
    *found_width = width;
    *found_height = height;
    *warning_count = 0;
    if (warning && warning_len) warning[0] = 0;
    int status;
    {
        CaptureScope scope(messages);
        status = guarded(err, err_len, [&]() -> int { return body(messages); });
    }
    if (status == CVISION_DECODE_FAILED && err && err_len && std::strstr(err, "out of memory"))
        status = CVISION_DECODE_NO_MEMORY;
    if (status != CVISION_DECODE_OK && err && err_len) std::snprintf(err, err_len, "%s", one_line(err).c_str());
    if (!messages.cerr_text.empty() && status == CVISION_DECODE_OK) messages.warn(one_line(messages.cerr_text));
    *warning_count = messages.warnings;
    if (warning && warning_len && messages.warnings > 0)
        std::snprintf(warning, warning_len, "%s", one_line(messages.first_warning).c_str());
    return status;
}

extern "C" int cvision_decode_into(const uint8_t *bytes, size_t length, int32_t format, int32_t width,
                                   int32_t height, int32_t orientation, int32_t reduction, uint8_t *out,
                                   size_t out_len, int32_t *found_width, int32_t *found_height,
                                   char *warning, size_t warning_len, int32_t *warning_count,
                                   char *err, size_t err_len) {
    return run_decode(width, height, found_width, found_height, warning, warning_len, warning_count, err, err_len,
                      [&](Messages &messages) -> int {
            if (width <= 0 || height <= 0 || !bytes || !out) return fail(err, err_len, "empty image");
            if (reduction != 1 && reduction != 2 && reduction != 4 && reduction != 8)
                return fail(err, err_len, "reduction must be 1, 2, 4 or 8");
            const size_t expected = static_cast<size_t>(reduced(width, reduction)) * reduced(height, reduction) * 3;
            if (out_len != expected) return fail(err, err_len, "output buffer has the wrong size");
            switch (format) {
                case CVISION_DECODE_JPEG:
                    return decode_jpeg(bytes, length, width, height, orientation, reduction, out,
                                       found_width, found_height, messages, err, err_len);
                case CVISION_DECODE_PNG: {
                    Sink sink(width, height, reduction, orientation, out);
                    return decode_png(bytes, length, width, height, sink, found_width, found_height, messages, err, err_len);
                }
                default: {
                    Sink sink(width, height, reduction, orientation, out);
                    return decode_other(bytes, length, width, height, sink, found_width, found_height, messages, err, err_len);
                }
            }
        });
}

extern "C" int cvision_decode_regions(const uint8_t *bytes, size_t length, int32_t format, int32_t width,
                                      int32_t height, int32_t orientation, const cvision_region *regions,
                                      int32_t count, int32_t *found_width, int32_t *found_height,
                                      char *warning, size_t warning_len, int32_t *warning_count,
                                      char *err, size_t err_len) {
    return run_decode(width, height, found_width, found_height, warning, warning_len, warning_count, err, err_len,
                      [&](Messages &messages) -> int {
            if (width <= 0 || height <= 0 || !bytes) return fail(err, err_len, "empty image");
            if (count <= 0 || !regions) return fail(err, err_len, "no regions to decode");
            const bool swapped = orientation >= 5 && orientation <= 8;
            const int64_t uw = swapped ? height : width, uh = swapped ? width : height;
            for (int32_t i = 0; i < count; ++i) {
                const cvision_region &r = regions[i];
                if (!r.out || r.width <= 0 || r.height <= 0 || r.x < 0 || r.y < 0
                    || int64_t(r.x) + r.width > uw || int64_t(r.y) + r.height > uh)
                    return fail(err, err_len, "a region lies outside the image");
            }
            RegionSink sink(width, height, orientation, regions, count);
            switch (format) {
                case CVISION_DECODE_JPEG:
                    return decode_jpeg_regions(bytes, length, width, height, sink, found_width, found_height,
                                               messages, err, err_len);
                case CVISION_DECODE_PNG:
                    return decode_png(bytes, length, width, height, sink, found_width, found_height, messages, err, err_len);
                default:
                    return decode_other(bytes, length, width, height, sink, found_width, found_height, messages, err, err_len);
            }
        });
}

extern "C" int cvision_file_is_virtual(int fd) {
    struct statfs fs;
    if (fstatfs(fd, &fs) != 0) return 0;
    switch (static_cast<unsigned long>(fs.f_type)) {
        case 0x9FA0UL:      // proc
        case 0x62656572UL:  // sysfs
        case 0x64626720UL:  // debugfs
        case 0x74726163UL:  // tracefs
        case 0x63677270UL:  // cgroup2
        case 0x27E0EBUL:    // cgroup
        case 0x73636673UL:  // securityfs
            return 1;
        default:
            return 0;
    }
}
