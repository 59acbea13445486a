// The write-up's augmentation (rotate ±15° with an enlarged canvas, resize, threshold, blur).
// Rotation re-implements scipy.ndimage.rotate's defaults because OpenCV's warpAffine interpolates
// differently (bicubic convolution, not a prefiltered cubic B-spline) and would not match the
// write-up's training data. Resize, threshold and blur are OpenCV's own, as in the write-up.
#include "cvision_augment.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

namespace {

void setError(char *err, size_t len, const std::string &message) {
    if (err == nullptr || len == 0) return;
    std::strncpy(err, message.c_str(), len - 1);
    err[len - 1] = '\0';
}

// Runs `body`, turning any C++ exception into status 1 and a one-line message.
template <typename Body> int guarded(char *err, size_t len, Body body) {
    try {
        body();
        return 0;
    } catch (const cv::Exception &e) {
        setError(err, len, "OpenCV: " + e.msg);
    } catch (const std::exception &e) {
        setError(err, len, e.what());
    } catch (...) {
        setError(err, len, "unknown C++ exception");
    }
    return 1;
}

void checkImage(const uint8_t *pixels, int32_t width, int32_t height, int32_t channels) {
    if (pixels == nullptr) throw std::invalid_argument("no pixels");
    if (width <= 0 || height <= 0) throw std::invalid_argument("image has no pixels");
    if (channels < 1 || channels > 4) throw std::invalid_argument("channels must be 1 to 4");
}

// Rotation geometry as scipy.ndimage.rotate computes it for axes (0, 1): the matrix maps an
// output (row, col) to the input (row, col); the canvas is the rounded extent of the rotated box.
struct Rotation {
    double m[4];      // row-major 2x2: input = m * output + offset
    double offset[2];
    int outHeight, outWidth;
};

double cosDegrees(double d) {
    // Exact values at multiples of 90° as scipy.special.cosdg gives (cos(pi/2) is not exactly 0).
    double r = std::fmod(d, 360.0);
    if (r == 0) return 1;
    if (std::fabs(r) == 90 || std::fabs(r) == 270) return 0;
    if (std::fabs(r) == 180) return -1;
    return std::cos(d * M_PI / 180.0);
}
double sinDegrees(double d) { return cosDegrees(90.0 - d); }

Rotation makeRotation(int32_t width, int32_t height, double degrees) {
    Rotation r{};
    const double c = cosDegrees(degrees), s = sinDegrees(degrees);
    r.m[0] = c; r.m[1] = s; r.m[2] = -s; r.m[3] = c;
    const double iy = height, ix = width;
    const double corners[4][2] = {{0, 0}, {0, ix}, {iy, 0}, {iy, ix}};
    double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
    for (const auto &p : corners) {
        const double q[2] = {c * p[0] + s * p[1], -s * p[0] + c * p[1]};
        for (int k = 0; k < 2; ++k) { lo[k] = std::min(lo[k], q[k]); hi[k] = std::max(hi[k], q[k]); }
    }
    r.outHeight = static_cast<int>(hi[0] - lo[0] + 0.5);
    r.outWidth = static_cast<int>(hi[1] - lo[1] + 0.5);
    const double oc[2] = {(r.outHeight - 1) / 2.0, (r.outWidth - 1) / 2.0};
    const double ic[2] = {(height - 1) / 2.0, (width - 1) / 2.0};
    r.offset[0] = ic[0] - (c * oc[0] + s * oc[1]);
    r.offset[1] = ic[1] - (-s * oc[0] + c * oc[1]);
    return r;
}

// Cubic B-spline prefilter of one line in place, whole-sample mirror boundary (what scipy uses
// for mode='constant'): gain, then one causal and one anticausal recursive pass with pole z.
void splineFilterLine(double *c, ptrdiff_t n, ptrdiff_t stride) {
    if (n < 2) return;
    const double z = std::sqrt(3.0) - 2.0;
    const double gain = (1.0 - z) * (1.0 - 1.0 / z);
    auto at = [&](ptrdiff_t i) -> double & { return c[i * stride]; };
    for (ptrdiff_t i = 0; i < n; ++i) at(i) *= gain;
    // Causal initial value: the infinite sum over the mirrored signal, closed form.
    const double zn1 = std::pow(z, static_cast<double>(n - 1));
    double first = at(0) + zn1 * at(n - 1);
    double zi = z;
    for (ptrdiff_t i = 1; i < n - 1; ++i) {
        first += zi * (at(i) + zn1 * at(n - 1 - i));
        zi *= z;
    }
    at(0) = first / (1.0 - zn1 * zn1);
    for (ptrdiff_t i = 1; i < n; ++i) at(i) += z * at(i - 1);
    at(n - 1) = (z * at(n - 2) + at(n - 1)) * z / (z * z - 1.0);
    for (ptrdiff_t i = n - 2; i >= 0; --i) at(i) = z * (at(i + 1) - at(i));
}

// Cubic B-spline weights for the four taps starting at floor(x) - 1.
void splineWeights(double x, double w[4]) {
    const double t = x - std::floor(x);
    const double u = 1.0 - t;
    w[0] = u * u * u / 6.0;
    w[1] = (4.0 - 6.0 * t * t + 3.0 * t * t * t) / 6.0;
    w[2] = (4.0 - 6.0 * u * u + 3.0 * u * u * u) / 6.0;
    w[3] = t * t * t / 6.0;
}

ptrdiff_t mirrorIndex(ptrdiff_t i, ptrdiff_t n) {
    if (n <= 1) return 0;
    const ptrdiff_t period = 2 * n - 2;
    i %= period;
    if (i < 0) i += period;
    return i < n ? i : period - i;
}

} // namespace

extern "C" int cvaug_rotated_size(int32_t width, int32_t height, double degrees, int32_t *out_width,
                                  int32_t *out_height, char *err, size_t err_len) {
    return guarded(err, err_len, [&] {
        if (width <= 0 || height <= 0) throw std::invalid_argument("image has no pixels");
        if (!std::isfinite(degrees)) throw std::invalid_argument("angle is not finite");
        const Rotation r = makeRotation(width, height, degrees);
        *out_width = r.outWidth;
        *out_height = r.outHeight;
    });
}

extern "C" int cvaug_rotate(const uint8_t *pixels, int32_t width, int32_t height, int32_t channels,
                            double degrees, uint8_t *out, int32_t out_width, int32_t out_height,
                            char *err, size_t err_len) {
    return guarded(err, err_len, [&] {
        checkImage(pixels, width, height, channels);
        if (out == nullptr) throw std::invalid_argument("no output buffer");
        const Rotation r = makeRotation(width, height, degrees);
        if (r.outWidth != out_width || r.outHeight != out_height)
            throw std::invalid_argument("output size does not match cvaug_rotated_size");
        std::vector<double> plane(static_cast<size_t>(width) * height);
        for (int ch = 0; ch < channels; ++ch) {
            for (size_t i = 0; i < plane.size(); ++i) plane[i] = pixels[i * channels + ch];
            for (int y = 0; y < height; ++y) splineFilterLine(&plane[static_cast<size_t>(y) * width], width, 1);
            for (int x = 0; x < width; ++x) splineFilterLine(&plane[x], height, width);
            for (int oy = 0; oy < out_height; ++oy) {
                for (int ox = 0; ox < out_width; ++ox) {
                    const double iy = r.m[0] * oy + r.m[1] * ox + r.offset[0];
                    const double ix = r.m[2] * oy + r.m[3] * ox + r.offset[1];
                    uint8_t value = 0;  // cval: no interpolation outside [0, len - 1]
                    if (iy >= 0 && iy <= height - 1 && ix >= 0 && ix <= width - 1) {
                        double wy[4], wx[4];
                        splineWeights(iy, wy);
                        splineWeights(ix, wx);
                        const ptrdiff_t y0 = static_cast<ptrdiff_t>(std::floor(iy)) - 1;
                        const ptrdiff_t x0 = static_cast<ptrdiff_t>(std::floor(ix)) - 1;
                        ptrdiff_t xs[4];
                        for (int k = 0; k < 4; ++k) xs[k] = mirrorIndex(x0 + k, width);
                        double t = 0;
                        for (int j = 0; j < 4; ++j) {
                            const double *row = &plane[static_cast<size_t>(mirrorIndex(y0 + j, height)) * width];
                            double acc = 0;
                            for (int k = 0; k < 4; ++k) acc += row[xs[k]] * wx[k];
                            t += acc * wy[j];
                        }
                        // scipy's conversion to uint8: round half up, clamp to [0, 255].
                        t = t > 0 ? t + 0.5 : 0;
                        value = static_cast<uint8_t>(t > 255 ? 255 : t);
                    }
                    out[(static_cast<size_t>(oy) * out_width + ox) * channels + ch] = value;
                }
            }
        }
    });
}

extern "C" int cvaug_resize_linear(const uint8_t *pixels, int32_t width, int32_t height,
                                   int32_t channels, uint8_t *out, int32_t out_width,
                                   int32_t out_height, char *err, size_t err_len) {
    return guarded(err, err_len, [&] {
        checkImage(pixels, width, height, channels);
        if (out == nullptr || out_width <= 0 || out_height <= 0) throw std::invalid_argument("bad output size");
        const cv::Mat src(height, width, CV_8UC(channels), const_cast<uint8_t *>(pixels));
        cv::Mat dst(out_height, out_width, CV_8UC(channels), out);
        cv::resize(src, dst, dst.size(), 0, 0, cv::INTER_LINEAR);
        if (dst.data != out) throw std::runtime_error("resize reallocated its output");
    });
}

extern "C" int cvaug_threshold_tozero(const uint8_t *pixels, int32_t width, int32_t height,
                                      int32_t channels, double thresh, uint8_t *out, char *err,
                                      size_t err_len) {
    return guarded(err, err_len, [&] {
        checkImage(pixels, width, height, channels);
        if (out == nullptr) throw std::invalid_argument("no output buffer");
        const cv::Mat src(height, width, CV_8UC(channels), const_cast<uint8_t *>(pixels));
        cv::Mat dst(height, width, CV_8UC(channels), out);
        cv::threshold(src, dst, thresh, 255, cv::THRESH_TOZERO);
        if (dst.data != out) throw std::runtime_error("threshold reallocated its output");
    });
}

extern "C" int cvaug_gaussian_blur(const uint8_t *pixels, int32_t width, int32_t height,
                                   int32_t channels, int32_t ksize, double sigma, uint8_t *out,
                                   char *err, size_t err_len) {
    return guarded(err, err_len, [&] {
        checkImage(pixels, width, height, channels);
        if (out == nullptr) throw std::invalid_argument("no output buffer");
        if (ksize <= 0 || ksize % 2 == 0) throw std::invalid_argument("kernel size must be odd and positive");
        const cv::Mat src(height, width, CV_8UC(channels), const_cast<uint8_t *>(pixels));
        cv::Mat dst(height, width, CV_8UC(channels), out);
        cv::GaussianBlur(src, dst, cv::Size(ksize, ksize), sigma);
        if (dst.data != out) throw std::runtime_error("GaussianBlur reallocated its output");
    });
}
