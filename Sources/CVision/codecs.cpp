// Loads OpenCV's image codecs on first use (why: codecs.hpp).
#include "codecs.hpp"
#include <dlfcn.h>
#include <mutex>
#include <stdexcept>

namespace cvision::codecs {
namespace {

// The library CVision was built against (OpenCV 4.6's soname) and the two functions it uses, by
// their Itanium-ABI names: the C++ signatures below are what the names spell.
constexpr const char *kLibrary = "libopencv_imgcodecs.so.406";
using Imdecode = cv::Mat (*)(const cv::_InputArray &, int);
using Imwrite = bool (*)(const std::string &, const cv::_InputArray &, const std::vector<int> &);
constexpr const char *kImdecode = "_ZN2cv8imdecodeERKNS_11_InputArrayEi";
constexpr const char *kImwrite =
    "_ZN2cv7imwriteERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEERKNS_11_InputArrayERKSt6vectorIiSaIiEE";

struct Table {
    Imdecode imdecode = nullptr;
    Imwrite imwrite = nullptr;
    std::string failure;  // empty when both were found
};

const Table &table() {
    static Table loaded;
    static std::once_flag once;
    std::call_once(once, [] {
        // RTLD_LOCAL: its symbols stay out of the global scope the plugins resolve against.
        void *library = dlopen(kLibrary, RTLD_NOW | RTLD_LOCAL);
        if (!library) {
            const char *why = dlerror();
            loaded.failure = std::string("OpenCV's image codecs could not be loaded (") + (why ? why : kLibrary) + ")";
            return;
        }
        loaded.imdecode = reinterpret_cast<Imdecode>(dlsym(library, kImdecode));
        loaded.imwrite = reinterpret_cast<Imwrite>(dlsym(library, kImwrite));
        if (!loaded.imdecode || !loaded.imwrite)
            loaded.failure = std::string(kLibrary) + " lacks cv::imdecode or cv::imwrite: not the OpenCV 4.6 CVision was built for";
    });
    if (!loaded.failure.empty()) throw std::runtime_error(loaded.failure);
    return loaded;
}

}  // namespace

cv::Mat imdecode(const cv::Mat &buffer, int flags) { return table().imdecode(buffer, flags); }

bool imwrite(const std::string &path, const cv::Mat &image) {
    return table().imwrite(path, image, std::vector<int>());
}

}  // namespace cvision::codecs
