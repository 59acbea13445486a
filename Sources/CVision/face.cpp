// Five-point face alignment and the SFace recogniser for CVision's C API.
#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>
#include <cmath>
#include <stdexcept>
#include <vector>
#include <memory>
#include <string>
#include "cvision_support.hpp"
#include "sface_chain.hpp"

struct cvision_sface {
    cv::dnn::Net net;
    std::string path;
    // The same network on oneDNN (sface_chain.hpp); null when the file is not that chain or
    // disagreed with OpenCV at open, and then `engine` says why and OpenCV's pass is used.
    std::unique_ptr<cvision::SFaceChain> chain;
    std::string engine;
    // OpenCV's own recogniser, made only when a test asks for the reference.
    cv::Ptr<cv::FaceRecognizerSF> reference;
};

using namespace cvision;

namespace {

// Where the five landmarks of a 112x112 face crop sit in the template SFace (and ArcFace-style
// recognisers) were trained on: eyes, nose tip, mouth corners.
constexpr double kTemplate[5][2] = {
    {38.2946, 51.6963}, {73.5318, 51.5014}, {56.0252, 71.7366}, {41.5493, 92.3655}, {70.7299, 92.2041}};

constexpr int kEmbeddingSize = 128;
constexpr int kMaxSide = 1024;

// Least-squares similarity transform (rotation, uniform scale, translation) taking `src` onto the
// template scaled to `side`: the closed form of Umeyama's estimate in two dimensions.
cv::Mat similarity_to_template(const float *src, int side) {
    const double s = side / 112.0;
    double mx = 0, my = 0, mu = 0, mv = 0;
    for (int i = 0; i < 5; ++i) {
        mx += src[2 * i]; my += src[2 * i + 1];
        mu += kTemplate[i][0] * s; mv += kTemplate[i][1] * s;
    }
    mx /= 5; my /= 5; mu /= 5; mv /= 5;
    double dot = 0, cross = 0, norm = 0;
    for (int i = 0; i < 5; ++i) {
        const double x = src[2 * i] - mx, y = src[2 * i + 1] - my;
        const double u = kTemplate[i][0] * s - mu, v = kTemplate[i][1] * s - mv;
        dot += x * u + y * v;
        cross += x * v - y * u;
        norm += x * x + y * y;
    }
    if (!(norm > 1e-12)) CV_Error(cv::Error::StsBadArg, "the five landmarks coincide");
    const double a = dot / norm, b = cross / norm;
    cv::Mat m = (cv::Mat_<double>(2, 3) << a, -b, mu - (a * mx - b * my), b, a, mv - (b * mx + a * my));
    return m;
}

bool finite_landmarks(const float *p, int n) {
    for (int i = 0; i < n; ++i)
        if (!std::isfinite(p[i]) || std::abs(p[i]) > 1e7f) return false;
    return true;
}

}  // namespace

extern "C" void cvision_face_template(int32_t side, float out[10]) {
    for (int i = 0; i < 5; ++i) {
        out[2 * i] = float(kTemplate[i][0] * side / 112.0);
        out[2 * i + 1] = float(kTemplate[i][1] * side / 112.0);
    }
}

extern "C" int cvision_align_face(const uint8_t *rgb, int32_t width, int32_t height,
                                  const float landmarks[10], int32_t side, uint8_t *out,
                                  char *err, size_t err_len) {
    return guarded(err, err_len, [&] {
        if (!rgb || !out || width <= 0 || height <= 0) return fail(err, err_len, "align: empty image");
        if (side < 8 || side > kMaxSide) return fail(err, err_len, "align: crop side out of range");
        if (!finite_landmarks(landmarks, 10)) return fail(err, err_len, "align: landmarks are not finite");
        cv::Mat dst(side, side, CV_8UC3, out);
        cv::warpAffine(wrap_rgb(rgb, width, height), dst, similarity_to_template(landmarks, side),
                       cv::Size(side, side), cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar::all(0));
        return 0;
    });
}

extern "C" int cvision_align_face_source(const float landmarks[10], int32_t side, int32_t rect[4],
                                         double *scale, char *err, size_t err_len) {
    return guarded(err, err_len, [&] {
        if (side < 8 || side > kMaxSide) return fail(err, err_len, "align: crop side out of range");
        if (!finite_landmarks(landmarks, 10)) return fail(err, err_len, "align: landmarks are not finite");
        const cv::Mat forward = similarity_to_template(landmarks, side);
        // A similarity's linear part is s * rotation: s = sqrt(a^2 + b^2), crop pixels per photo pixel.
        *scale = 1.0 / std::hypot(forward.at<double>(0, 0), forward.at<double>(1, 0));
        cv::Mat inverse;
        cv::invertAffineTransform(forward, inverse);
        double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
        for (int corner = 0; corner < 4; ++corner) {
            const double u = (corner & 1) ? side : 0, v = (corner & 2) ? side : 0;
            const double x = inverse.at<double>(0, 0) * u + inverse.at<double>(0, 1) * v + inverse.at<double>(0, 2);
            const double y = inverse.at<double>(1, 0) * u + inverse.at<double>(1, 1) * v + inverse.at<double>(1, 2);
            x0 = std::min(x0, x); y0 = std::min(y0, y); x1 = std::max(x1, x); y1 = std::max(y1, y);
        }
        // Bilinear sampling reads the pixel after each sample point; two more for rounding.
        const double limit = 1e9;
        if (!(x1 - x0 < limit && y1 - y0 < limit && std::abs(x0) < limit && std::abs(y0) < limit))
            return fail(err, err_len, "align: the landmarks give a degenerate crop");
        rect[0] = static_cast<int32_t>(std::floor(x0)) - 2;
        rect[1] = static_cast<int32_t>(std::floor(y0)) - 2;
        rect[2] = static_cast<int32_t>(std::ceil(x1)) + 3 - rect[0];
        rect[3] = static_cast<int32_t>(std::ceil(y1)) + 3 - rect[1];
        return 0;
    });
}

namespace {

// OpenCV's forward pass over `count` crops (the fallback, and the check of the chain at open).
void opencv_embed(cvision_sface *sface, const uint8_t *rgb_crops, int32_t count, int32_t side, float *out) {
    std::vector<cv::Mat> crops;
    crops.reserve(count);
    const size_t bytes = size_t(side) * size_t(side) * 3;
    for (int32_t i = 0; i < count; ++i)
        crops.emplace_back(side, side, CV_8UC3, const_cast<uint8_t *>(rgb_crops + bytes * size_t(i)));
    // The network takes RGB at 112x112, values 0-255 (FaceRecognizerSF swaps its BGR input to
    // RGB); our crops are RGB already, so no swap.
    cv::Mat blob = cv::dnn::blobFromImages(crops, 1.0, cv::Size(112, 112), cv::Scalar(), false, false);
    sface->net.setInput(blob);
    cv::Mat result = sface->net.forward();
    if (result.total() != size_t(count) * kEmbeddingSize || result.type() != CV_32F)
        throw std::runtime_error("embed: the network did not give 128 values per face");
    // Copy out: the output Mat points into the network's blob, which the next call reuses.
    std::memcpy(out, result.ptr<float>(), sizeof(float) * size_t(count) * kEmbeddingSize);
}

// The chain is used only if it gives OpenCV's embedding of a patterned crop (cosine 0.9999):
// a file of another layout is refused by SFaceChain::read, this catches a misread one.
std::string check_chain(cvision_sface *sface) {
    std::vector<uint8_t> probe(size_t(112) * 112 * 3);
    for (size_t i = 0; i < probe.size(); ++i) probe[i] = uint8_t((i * 7 + (i / 336) * 13) % 251);
    float ours[kEmbeddingSize], theirs[kEmbeddingSize];
    sface->chain->embed(probe.data(), 1, ours);
    opencv_embed(sface, probe.data(), 1, 112, theirs);
    double dot = 0, a = 0, b = 0;
    for (int k = 0; k < kEmbeddingSize; ++k) {
        dot += double(ours[k]) * theirs[k];
        a += double(ours[k]) * ours[k];
        b += double(theirs[k]) * theirs[k];
    }
    const double cosine = dot / std::sqrt(a * b);
    if (cosine >= 0.9999) return "";
    return "OpenCV DNN (the oneDNN chain disagreed with OpenCV: cosine " + std::to_string(cosine) + ")";
}

}  // namespace

extern "C" cvision_sface *cvision_sface_open(const char *model_path, char *err, size_t err_len) {
    cvision_sface *result = nullptr;
    guarded(err, err_len, [&] {
        auto sface = std::make_unique<cvision_sface>();
        sface->path = model_path;
        sface->net = cv::dnn::readNet(sface->path);
        if (sface->net.empty()) return fail(err, err_len, "could not read the SFace network");
        std::string why;
        try {
            sface->chain = cvision::SFaceChain::read(sface->net, why);
            if (sface->chain) why = check_chain(sface.get());
            else why = "OpenCV DNN (not the SFace chain: " + why + ")";
        } catch (const std::exception &e) {
            // oneDNN refused a primitive: OpenCV's pass still works.
            why = std::string("OpenCV DNN (oneDNN: ") + e.what() + ")";
        }
        if (!why.empty()) sface->chain.reset();
        // The chain holds its own weights: OpenCV's copy and its buffers (about 80 MB) go.
        else sface->net = cv::dnn::Net();
        sface->engine = why.empty() ? "oneDNN" : why;
        result = sface.release();
        return 0;
    });
    return result;
}

extern "C" const char *cvision_sface_engine(const cvision_sface *sface) { return sface->engine.c_str(); }

extern "C" void cvision_sface_close(cvision_sface *sface) { delete sface; }

extern "C" int cvision_sface_embed(cvision_sface *sface, const uint8_t *rgb_crops, int32_t count,
                                   int32_t side, float *out, char *err, size_t err_len) {
    return guarded(err, err_len, [&] {
        if (count <= 0) return 0;
        if (!rgb_crops || !out || side < 8 || side > kMaxSide) return fail(err, err_len, "embed: bad arguments");
        if (side != cvision::SFaceChain::kSide) return fail(err, err_len, "embed: SFace takes 112x112 crops");
        if (sface->chain) sface->chain->embed(rgb_crops, count, out);
        else opencv_embed(sface, rgb_crops, count, side, out);
        return 0;
    });
}

extern "C" int cvision_sface_reference(cvision_sface *sface, const uint8_t *rgb, int32_t width,
                                       int32_t height, const float face_row[14], uint8_t *aligned,
                                       float *feature, char *err, size_t err_len) {
    return guarded(err, err_len, [&] {
        if (!sface->reference) sface->reference = cv::FaceRecognizerSF::create(sface->path, "");
        cv::Mat bgr;  // FaceRecognizerSF works in OpenCV's BGR order.
        cv::cvtColor(wrap_rgb(rgb, width, height), bgr, cv::COLOR_RGB2BGR);
        cv::Mat row(1, 14, CV_32F, const_cast<float *>(face_row));
        cv::Mat crop, embedding;
        sface->reference->alignCrop(bgr, row, crop);
        sface->reference->feature(crop, embedding);
        cv::Mat crop_rgb(112, 112, CV_8UC3, aligned);
        cv::cvtColor(crop, crop_rgb, cv::COLOR_BGR2RGB);
        std::memcpy(feature, embedding.clone().ptr<float>(), sizeof(float) * kEmbeddingSize);
        return 0;
    });
}
