// Decoding, resizing and writing images for CVision's C API.
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <cstdlib>
#include "codecs.hpp"
#include "cvision_support.hpp"

namespace cvision {

int export_rgb(const cv::Mat &rgb, cvision_image *out, char *err, size_t err_len) {
    CV_Assert(rgb.type() == CV_8UC3);
    const size_t row = static_cast<size_t>(rgb.cols) * 3;
    auto *pixels = static_cast<uint8_t *>(std::malloc(row * rgb.rows));
    if (!pixels) return fail(err, err_len, "out of memory");
    for (int y = 0; y < rgb.rows; ++y) std::memcpy(pixels + row * y, rgb.ptr<uint8_t>(y), row);
    out->width = rgb.cols;
    out->height = rgb.rows;
    out->pixels = pixels;
    return 0;
}

int export_boxes(const std::vector<cvision_box> &found, cvision_box **boxes, int32_t *count,
                 char *err, size_t err_len) {
    *boxes = nullptr;
    *count = static_cast<int32_t>(found.size());
    if (found.empty()) return 0;
    *boxes = static_cast<cvision_box *>(std::malloc(sizeof(cvision_box) * found.size()));
    if (!*boxes) return fail(err, err_len, "out of memory");
    std::memcpy(*boxes, found.data(), sizeof(cvision_box) * found.size());
    return 0;
}

// Any depth, 1-4 channels, in OpenCV's BGR(A) order (or RGB(A) with `rgb_order`) -> 8-bit RGB.
// Alpha is composited over white so transparent scrape backgrounds do not turn into black blobs
// the detector trips on.
cv::Mat to_rgb8(const cv::Mat &decoded, bool rgb_order) {
    cv::Mat m8;
    switch (decoded.depth()) {
        case CV_8U: m8 = decoded; break;
        case CV_16U: decoded.convertTo(m8, CV_8U, 1.0 / 257.0); break;
        case CV_32F: case CV_64F: decoded.convertTo(m8, CV_8U, 255.0); break;
        default: decoded.convertTo(m8, CV_8U); break;
    }
    cv::Mat rgb;
    switch (m8.channels()) {
        case 1: cv::cvtColor(m8, rgb, cv::COLOR_GRAY2RGB); break;
        case 3:
            if (rgb_order) m8.copyTo(rgb); else cv::cvtColor(m8, rgb, cv::COLOR_BGR2RGB);
            break;
        case 4: {
            cv::Mat bgr, alpha;
            cv::cvtColor(m8, bgr, cv::COLOR_BGRA2BGR);
            cv::extractChannel(m8, alpha, 3);
            cv::Mat a, white(bgr.size(), CV_32FC3, cv::Scalar::all(255.0)), colour;
            cv::cvtColor(alpha, a, cv::COLOR_GRAY2BGR);
            a.convertTo(a, CV_32FC3, 1.0 / 255.0);
            bgr.convertTo(colour, CV_32FC3);
            cv::Mat blended = colour.mul(a) + white.mul(cv::Scalar::all(1.0) - a);
            blended.convertTo(bgr, CV_8UC3);
            if (rgb_order) rgb = bgr; else cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
            break;
        }
        default: throw std::runtime_error("unsupported channel count");
    }
    return rgb;
}

namespace {

// EXIF orientation 1-8 -> upright image.
cv::Mat orient(const cv::Mat &img, int orientation) {
    cv::Mat out;
    switch (orientation) {
        case 2: cv::flip(img, out, 1); break;
        case 3: cv::rotate(img, out, cv::ROTATE_180); break;
        case 4: cv::flip(img, out, 0); break;
        case 5: cv::transpose(img, out); break;
        case 6: cv::rotate(img, out, cv::ROTATE_90_CLOCKWISE); break;
        case 7: cv::transpose(img, out); cv::flip(out, out, -1); break;
        case 8: cv::rotate(img, out, cv::ROTATE_90_COUNTERCLOCKWISE); break;
        default: out = img; break;
    }
    return out;
}

int finish_decode(const cv::Mat &decoded, int orientation, int64_t max_pixels, cvision_image *out,
                  char *err, size_t err_len) {
    if (decoded.empty()) return fail(err, err_len, "not a decodable image");
    if (static_cast<int64_t>(decoded.cols) * decoded.rows > max_pixels)
        return fail(err, err_len, "image is larger than the pixel limit");
    cv::Mat rgb = orient(to_rgb8(decoded, false), orientation);
    return export_rgb(rgb, out, err, err_len);
}

}  // namespace
}  // namespace cvision

using namespace cvision;

extern "C" int cvision_decode_memory(const uint8_t *bytes, size_t length, int orientation,
                                     int64_t max_pixels, cvision_image *out, char *err,
                                     size_t err_len) {
    return guarded(err, err_len, [&] {
        cv::Mat buffer(1, static_cast<int>(length), CV_8UC1, const_cast<uint8_t *>(bytes));
        cv::Mat decoded = codecs::imdecode(buffer, cv::IMREAD_UNCHANGED);
        return finish_decode(decoded, orientation, max_pixels, out, err, err_len);
    });
}

extern "C" void cvision_image_free(cvision_image *image) {
    if (!image) return;
    std::free(image->pixels);
    image->pixels = nullptr;
}

extern "C" int cvision_resize(const uint8_t *rgb, int32_t width, int32_t height, int32_t new_width,
                              int32_t new_height, cvision_image *out, char *err, size_t err_len) {
    return guarded(err, err_len, [&] {
        if (new_width <= 0 || new_height <= 0) return fail(err, err_len, "empty target size");
        const bool shrinking = new_width < width && new_height < height;
        cv::Mat resized;
        cv::resize(wrap_rgb(rgb, width, height), resized, cv::Size(new_width, new_height), 0, 0,
                   shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
        return export_rgb(resized, out, err, err_len);
    });
}

extern "C" int cvision_write_file(const char *path, const uint8_t *rgb, int32_t width,
                                  int32_t height, char *err, size_t err_len) {
    return guarded(err, err_len, [&] {
        cv::Mat bgr;
        cv::cvtColor(wrap_rgb(rgb, width, height), bgr, cv::COLOR_RGB2BGR);
        if (!codecs::imwrite(path, bgr)) return fail(err, err_len, "could not encode or write the image");
        return 0;
    });
}
