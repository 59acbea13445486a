// Internal helpers shared by the CVision translation units (not part of the C API).
#pragma once
#include <opencv2/core.hpp>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include "cvision.h"

namespace cvision {

inline int fail(char *err, size_t err_len, const char *what) {
    if (err && err_len) std::snprintf(err, err_len, "%s", what);
    return 1;
}

// Runs `body`, turning any C++ exception into a status and a message: an exception crossing
// into Swift would abort the whole app.
template <typename Body>
int guarded(char *err, size_t err_len, Body &&body) {
    try {
        return body();
    } catch (const cv::Exception &e) {
        // In our words, with OpenCV's function and text kept for the curious: a bare
        // "!dsize.empty()" tells a person nothing.
        const std::string detail = e.err.empty() ? std::string(e.what()) : e.err;
        const std::string where = e.func.empty() ? std::string("OpenCV") : "OpenCV's " + e.func;
        const std::string text = e.code == cv::Error::StsNoMem
            ? "out of memory (" + detail + ")"
            : "internal error in " + where + " (" + detail + ")";
        return fail(err, err_len, text.c_str());
    } catch (const std::bad_alloc &) {
        return fail(err, err_len, "out of memory");
    } catch (const std::exception &e) {
        return fail(err, err_len, e.what());
    } catch (...) {
        return fail(err, err_len, "unknown error in OpenCV");
    }
}

// Wraps caller-owned RGB pixels without copying.
inline cv::Mat wrap_rgb(const uint8_t *rgb, int32_t width, int32_t height) {
    return cv::Mat(height, width, CV_8UC3, const_cast<uint8_t *>(rgb));
}

// Moves a continuous 8UC3 matrix into a malloc'd cvision_image.
int export_rgb(const cv::Mat &rgb, cvision_image *out, char *err, size_t err_len);

// Any depth, 1-4 channels (BGR(A), or RGB(A) when `rgb_order`) -> continuous 8-bit RGB, alpha
// composited over white.
cv::Mat to_rgb8(const cv::Mat &decoded, bool rgb_order);

// Copies boxes into a malloc'd array for the C API.
int export_boxes(const std::vector<cvision_box> &found, cvision_box **boxes, int32_t *count,
                 char *err, size_t err_len);

}  // namespace cvision
