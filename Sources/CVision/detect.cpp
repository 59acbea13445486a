// Face detectors for CVision's C API: OpenCV's Haar cascade and the YuNet DNN.
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>
#include <algorithm>
#include <cstdlib>
#include <memory>
#include "cvision_support.hpp"

struct cvision_haar {
    cv::CascadeClassifier cascade;
};

struct cvision_yunet {
    cv::Ptr<cv::FaceDetectorYN> net;
    // The input size last given to the network: setInputSize recomputes the prior boxes and
    // the network reshapes its blobs, so it is called only when a photo's working size differs.
    cv::Size input{0, 0};
};

using namespace cvision;

namespace {

// Shrinks the image by `scale` (< 1) for speed; returns the working copy in `work`.
cv::Mat working_copy(const cv::Mat &src, double scale) {
    if (scale >= 1.0 || scale <= 0.0) return src;
    cv::Mat work;
    if (cvRound(src.cols * scale) >= 1 && cvRound(src.rows * scale) >= 1) {
        cv::resize(src, work, cv::Size(), scale, scale, cv::INTER_AREA);
    } else {
        // A 100000x3 strip scaled by 0.0128 rounds to 0 rows, and OpenCV refuses an empty
        // target size: keep at least one pixel a side.
        const cv::Size size(std::max(1, cvRound(src.cols * scale)), std::max(1, cvRound(src.rows * scale)));
        cv::resize(src, work, size, 0, 0, cv::INTER_AREA);
    }
    return work;
}

}  // namespace

extern "C" cvision_haar *cvision_haar_open(const char *cascade_path, char *err, size_t err_len) {
    cvision_haar *result = nullptr;
    guarded(err, err_len, [&] {
        auto haar = std::make_unique<cvision_haar>();
        if (!haar->cascade.load(cascade_path) || haar->cascade.empty())
            return fail(err, err_len, "could not load the Haar cascade file");
        result = haar.release();
        return 0;
    });
    return result;
}

extern "C" void cvision_haar_close(cvision_haar *haar) { delete haar; }

extern "C" int cvision_haar_detect(cvision_haar *haar, const uint8_t *rgb, int32_t width,
                                   int32_t height, double scale_factor, int32_t min_neighbors,
                                   int32_t min_size, double work_scale, cvision_box **boxes,
                                   int32_t *count, char *err, size_t err_len) {
    *boxes = nullptr;
    *count = 0;
    return guarded(err, err_len, [&] {
        cv::Mat grey;
        cv::cvtColor(wrap_rgb(rgb, width, height), grey, cv::COLOR_RGB2GRAY);
        cv::Mat work = working_copy(grey, work_scale);
        const double back = static_cast<double>(grey.cols) / work.cols;
        std::vector<cv::Rect> rects;
        haar->cascade.detectMultiScale(work, rects, scale_factor, min_neighbors, 0,
                                       cv::Size(min_size, min_size));
        std::vector<cvision_box> found;
        found.reserve(rects.size());
        for (const auto &r : rects)
            found.push_back({float(r.x * back), float(r.y * back), float(r.width * back),
                             float(r.height * back), -1.0f, {}, 0});
        return export_boxes(found, boxes, count, err, err_len);
    });
}

extern "C" cvision_yunet *cvision_yunet_open(const char *model_path, float score_threshold,
                                             float nms_threshold, char *err, size_t err_len) {
    cvision_yunet *result = nullptr;
    guarded(err, err_len, [&] {
        auto yunet = std::make_unique<cvision_yunet>();
        yunet->net = cv::FaceDetectorYN::create(model_path, "", cv::Size(320, 320),
                                                score_threshold, nms_threshold, 5000);
        if (yunet->net.empty()) return fail(err, err_len, "could not load the YuNet model");
        result = yunet.release();
        return 0;
    });
    return result;
}

extern "C" void cvision_yunet_close(cvision_yunet *yunet) { delete yunet; }

extern "C" int cvision_yunet_detect(cvision_yunet *yunet, const uint8_t *rgb, int32_t width,
                                    int32_t height, double work_scale, cvision_box **boxes,
                                    int32_t *count, char *err, size_t err_len) {
    *boxes = nullptr;
    *count = 0;
    return guarded(err, err_len, [&] {
        // Shrink first, then swap to YuNet's BGR order on the small copy: the same pixels (the
        // resize works per channel) for a twelfth of the conversion's work on a 12 MP photo.
        const cv::Mat src = wrap_rgb(rgb, width, height);
        cv::Mat work;
        cv::cvtColor(working_copy(src, work_scale), work, cv::COLOR_RGB2BGR);
        const double back = static_cast<double>(src.cols) / work.cols;
        // YuNet's pooling layers fail on inputs under ~32 px: pad tiny images (right/bottom, so
        // box coordinates stay valid) instead of letting the network throw.
        const int min_side = 64;
        if (work.cols < min_side || work.rows < min_side)
            cv::copyMakeBorder(work, work, 0, std::max(0, min_side - work.rows), 0,
                               std::max(0, min_side - work.cols), cv::BORDER_CONSTANT);
        if (work.size() != yunet->input) {
            yunet->net->setInputSize(work.size());
            yunet->input = work.size();
        }
        cv::Mat faces;
        yunet->net->detect(work, faces);
        std::vector<cvision_box> found;
        for (int i = 0; i < faces.rows; ++i) {
            const float *f = faces.ptr<float>(i);  // x, y, w, h, 5 landmarks (x, y), score
            cvision_box box{float(f[0] * back), float(f[1] * back), float(f[2] * back),
                            float(f[3] * back), f[14], {}, 1};
            for (int k = 0; k < 10; ++k) box.landmarks[k] = float(f[4 + k] * back);
            found.push_back(box);
        }
        return export_boxes(found, boxes, count, err, err_len);
    });
}

extern "C" void cvision_boxes_free(cvision_box *boxes) { std::free(boxes); }
