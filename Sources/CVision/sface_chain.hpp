// SFace's network run on oneDNN instead of OpenCV's DNN module (internal to CVision).
#pragma once
#include <opencv2/dnn.hpp>
#include <oneapi/dnnl/dnnl.hpp>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace cvision {

// SFace (2021dec) is one chain: a scalar input transform, 27 convolutions each followed by batch
// norm and a per-channel PReLU, a batch norm, and a fully connected layer with a batch norm.
// Read from the network OpenCV imported, with every batch norm folded into the convolution or
// the fully connected layer before it, it runs as 27 oneDNN convolutions, each followed by an
// in-place PReLU, and one inner product: about three times OpenCV 4.6's speed on AVX-512 (docs/benchmarks.md, "SFace on oneDNN").
class SFaceChain {
public:
    // The chain read from `net`, or nullptr with `why` when the network is not this chain (then
    // the caller keeps OpenCV's forward pass).
    static std::unique_ptr<SFaceChain> read(cv::dnn::Net &net, std::string &why);

    // `count` side x side RGB crops (side = 112) -> `count` x 128 embeddings (not normalised).
    // One call at a time per chain.
    void embed(const uint8_t *rgb, int count, float *out);

    static constexpr int kSide = 112;
    static constexpr int kOutputs = 128;

private:
    struct Conv {
        int in_channels, out_channels, groups, kernel, stride, pad;
        std::vector<float> weights;  // [out][in / groups][k][k], batch norm folded in
        std::vector<float> bias;     // [out]
        std::vector<float> slopes;   // PReLU, [out]
    };
    // A primitive with its weights bound; its activations are indices into `activations_`.
    struct Step {
        dnnl::primitive primitive;
        std::unordered_map<int, dnnl::memory> shared;
        std::vector<std::pair<int, int>> activation;
        dnnl::memory::desc scratchpad;
    };
    // What one core needs to run a crop: a stream and its own activations.
    struct Lane {
        dnnl::stream stream;
        std::vector<dnnl::memory> activations;
        std::vector<std::unordered_map<int, dnnl::memory>> args;  // per step
        dnnl::memory scratchpad;
    };

    SFaceChain() = default;
    void build();
    Lane make_lane() const;
    void run(Lane &lane, const uint8_t *crop, float *out);

    float input_scale_ = 1, input_shift_ = 0;  // x * scale + shift on 0-255 values
    std::vector<Conv> convs_;
    int final_channels_ = 0, final_side_ = 0;
    std::vector<float> fc_weights_;  // [128][channels * side * side], both batch norms folded in
    std::vector<float> fc_bias_;

    dnnl::engine engine_;
    std::vector<Step> steps_;
    std::vector<dnnl::memory::desc> activations_;  // first the plain input, last the output
    std::vector<Lane> lanes_;                      // one per core
};

}  // namespace cvision
