// OpenCV's image codecs (imgcodecs), loaded on first use rather than at start-up.
//
// Why: Debian's libopencv_imgcodecs brings GDAL, GDCM, OpenEXR and about 110 other libraries,
// whose relocation took 80-120 ms of every start of the app and the CLI (measured: an empty C
// program linked with it starts in 0.08 s, without it in 0.01 s). TribeLens decodes JPEG and PNG
// itself (decode.cpp), so the codecs are needed only for WebP, BMP, TIFF and writing images.
#pragma once
#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace cvision::codecs {

// cv::imdecode, cv::imwrite. They throw std::runtime_error, saying which library could not be
// loaded and why, when OpenCV's codecs are missing; the C entry points turn that into a message.
cv::Mat imdecode(const cv::Mat &buffer, int flags);
bool imwrite(const std::string &path, const cv::Mat &image);

}  // namespace cvision::codecs
