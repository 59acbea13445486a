// SFace on oneDNN: the chain read from OpenCV's imported network (see sface_chain.hpp).
#include "sface_chain.hpp"
#include <opencv2/dnn/all_layers.hpp>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <exception>
#include <mutex>
#include <thread>

// Debian's libdnnl runs on GNU OpenMP; declared here because omp.h is not on clang's path.
extern "C" void omp_set_num_threads(int);
extern "C" int omp_get_max_threads(void);
extern "C" int omp_get_num_procs(void);

namespace cvision {

using dnnl::memory;
using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

namespace {

// Per-channel y = x * scale + shift of an OpenCV batch norm layer (mean, variance, weight, bias).
bool batch_norm(const cv::Ptr<cv::dnn::Layer> &layer, size_t channels, std::vector<float> &scale,
                std::vector<float> &shift) {
    const auto *bn = dynamic_cast<const cv::dnn::BatchNormLayer *>(layer.get());
    if (!bn || !bn->hasWeights || !bn->hasBias || layer->blobs.size() != 4) return false;
    for (const cv::Mat &blob : layer->blobs)
        if (blob.total() != channels || blob.type() != CV_32F) return false;
    scale.resize(channels);
    shift.resize(channels);
    for (size_t c = 0; c < channels; ++c) {
        const float mean = layer->blobs[0].ptr<float>()[c], variance = layer->blobs[1].ptr<float>()[c];
        const float weight = layer->blobs[2].ptr<float>()[c], bias = layer->blobs[3].ptr<float>()[c];
        scale[c] = weight / std::sqrt(variance + bn->epsilon);
        shift[c] = bias - mean * scale[c];
    }
    return true;
}

}  // namespace

std::unique_ptr<SFaceChain> SFaceChain::read(cv::dnn::Net &net, std::string &why) {
    std::unique_ptr<SFaceChain> chain(new SFaceChain());
    std::vector<cv::Ptr<cv::dnn::Layer>> layers;
    for (const std::string &name : net.getLayerNames()) layers.push_back(net.getLayer(net.getLayerId(name)));
    size_t i = 0;
    auto type = [&](size_t at) { return at < layers.size() ? layers[at]->type : std::string(); };
    auto refuse = [&](const std::string &what) {
        why = what + " at layer " + std::to_string(i) + " (" + type(i) + ")";
        return nullptr;
    };
    // The input transform: Power layers x -> (x * scale + shift), power 1.
    for (; type(i) == "Power"; ++i) {
        const auto *p = dynamic_cast<const cv::dnn::PowerLayer *>(layers[i].get());
        if (!p || p->power != 1.0f) return refuse("not a linear input transform");
        chain->input_shift_ = chain->input_shift_ * p->scale + p->shift;
        chain->input_scale_ *= p->scale;
    }
    int channels = 3, side = kSide;
    // Convolution, BatchNorm, PReLU, repeated.
    for (; type(i) == "Convolution"; i += 3) {
        const auto *c = dynamic_cast<const cv::dnn::BaseConvolutionLayer *>(layers[i].get());
        if (!c || layers[i]->blobs.empty() || layers[i]->blobs.size() > 2) return refuse("unexpected convolution");
        const cv::Mat &w = layers[i]->blobs[0];
        if (c->kernel_size.size() != 2 || c->kernel_size[0] != c->kernel_size[1] || c->strides.size() != 2
            || c->strides[0] != c->strides[1] || c->pads_begin.size() != 2 || c->pads_end != c->pads_begin
            || c->pads_begin[0] != c->pads_begin[1] || !c->padMode.empty() || w.dims != 4 || w.type() != CV_32F
            || (!c->dilations.empty() && (c->dilations[0] != 1 || c->dilations[1] != 1)))
            return refuse("a convolution this chain does not run");
        Conv conv;
        conv.in_channels = channels;
        conv.out_channels = w.size[0];
        conv.kernel = int(c->kernel_size[0]);
        conv.stride = int(c->strides[0]);
        conv.pad = int(c->pads_begin[0]);
        if (w.size[1] <= 0 || channels % w.size[1] != 0 || w.size[2] != conv.kernel || w.size[3] != conv.kernel)
            return refuse("convolution weights of an unexpected shape");
        conv.groups = channels / w.size[1];
        if (conv.groups != 1 && (conv.groups != channels || conv.out_channels != channels))
            return refuse("a grouped convolution that is not depthwise");
        if (type(i + 1) != "BatchNorm" || type(i + 2) != "PReLU") return refuse("a convolution without batch norm and PReLU");
        std::vector<float> scale, shift;
        if (!batch_norm(layers[i + 1], size_t(conv.out_channels), scale, shift)) return refuse("unexpected batch norm");
        const cv::Mat &slopes = layers[i + 2]->blobs.empty() ? cv::Mat() : layers[i + 2]->blobs[0];
        if (slopes.total() != size_t(conv.out_channels) || slopes.type() != CV_32F) return refuse("unexpected PReLU");
        const size_t per_output = w.total() / size_t(conv.out_channels);
        conv.weights.assign(w.ptr<float>(), w.ptr<float>() + w.total());
        conv.bias.assign(size_t(conv.out_channels), 0.0f);
        if (layers[i]->blobs.size() == 2) {
            if (layers[i]->blobs[1].total() != size_t(conv.out_channels)) return refuse("unexpected convolution bias");
            conv.bias.assign(layers[i]->blobs[1].ptr<float>(), layers[i]->blobs[1].ptr<float>() + conv.out_channels);
        }
        for (int o = 0; o < conv.out_channels; ++o) {
            for (size_t k = 0; k < per_output; ++k) conv.weights[size_t(o) * per_output + k] *= scale[size_t(o)];
            conv.bias[size_t(o)] = conv.bias[size_t(o)] * scale[size_t(o)] + shift[size_t(o)];
        }
        conv.slopes.assign(slopes.ptr<float>(), slopes.ptr<float>() + conv.out_channels);
        side = (side + 2 * conv.pad - conv.kernel) / conv.stride + 1;
        if (side <= 0) return refuse("a convolution that leaves nothing");
        channels = conv.out_channels;
        chain->convs_.push_back(std::move(conv));
    }
    if (chain->convs_.empty()) return refuse("no convolutions");
    // BatchNorm, [Dropout], Flatten..., InnerProduct, BatchNorm, [Identity].
    std::vector<float> pre_scale, pre_shift;
    if (type(i) != "BatchNorm" || !batch_norm(layers[i], size_t(channels), pre_scale, pre_shift))
        return refuse("no batch norm after the convolutions");
    for (++i; type(i) == "Dropout" || type(i) == "Flatten"; ++i) {}
    if (type(i) != "InnerProduct" || layers[i]->blobs.size() != 2) return refuse("no fully connected layer");
    const cv::Mat &fw = layers[i]->blobs[0], &fb = layers[i]->blobs[1];
    const size_t inputs = size_t(channels) * size_t(side) * size_t(side), plane = size_t(side) * size_t(side);
    if (fw.dims != 2 || fw.size[0] != kOutputs || size_t(fw.size[1]) != inputs || fb.total() != size_t(kOutputs)
        || fw.type() != CV_32F || fb.type() != CV_32F)
        return refuse("a fully connected layer of an unexpected shape");
    std::vector<float> post_scale, post_shift;
    ++i;
    if (type(i) != "BatchNorm" || !batch_norm(layers[i], kOutputs, post_scale, post_shift))
        return refuse("no batch norm after the fully connected layer");
    for (++i; type(i) == "Identity"; ++i) {}
    if (i != layers.size()) return refuse("more layers after the embedding");
    // y = post(W (pre(x)) + b): W'[o, c, p] = post_o W[o, c, p] pre_c,
    // b'[o] = post_o (b[o] + sum_{c,p} W[o, c, p] shift_c) + post_shift_o.
    chain->fc_weights_.resize(size_t(kOutputs) * inputs);
    chain->fc_bias_.resize(kOutputs);
    for (int o = 0; o < kOutputs; ++o) {
        const float *row = fw.ptr<float>(o);
        float *out = chain->fc_weights_.data() + size_t(o) * inputs;
        double through = 0;
        for (size_t c = 0; c < size_t(channels); ++c)
            for (size_t p = 0; p < plane; ++p) {
                const float v = row[c * plane + p];
                out[c * plane + p] = v * pre_scale[c] * post_scale[size_t(o)];
                through += double(v) * pre_shift[c];
            }
        chain->fc_bias_[size_t(o)] = float((double(fb.ptr<float>()[o]) + through) * post_scale[size_t(o)] + post_shift[size_t(o)]);
    }
    chain->final_channels_ = channels;
    chain->final_side_ = side;
    chain->build();
    return chain;
}

// The primitives for one crop at a time: oneDNN picks each layer's blocked layout and the next
// layer takes it as it is, so the only reorders are the input's and the weights' (once, here).
// Activations are not bound here: each lane (one per core) has its own (`make_lane`).
void SFaceChain::build() {
    engine_ = dnnl::engine(dnnl::engine::kind::cpu, 0);
    dnnl::stream stream(engine_);
    // Every primitive gets its scratchpad from the caller: oneDNN's default one is shared by all
    // primitives of the process, and two lanes (or another chain) running at once corrupt each
    // other's sums through it.
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    auto reorder = [&](const memory::desc &from, const memory::desc &to) {
        return dnnl::reorder::primitive_desc(engine_, from, engine_, to, attr);
    };
    auto reordered = [&](const memory::desc &want, const memory::desc &have, const void *data) {
        memory source(have, engine_, const_cast<void *>(data));
        memory target(want, engine_);
        const auto pd = reorder(have, want);
        memory scratch(pd.scratchpad_desc(), engine_);
        dnnl::reorder(pd).execute(stream, {{DNNL_ARG_FROM, source}, {DNNL_ARG_TO, target}, {DNNL_ARG_SCRATCHPAD, scratch}});
        stream.wait();
        return target;
    };
    auto activation = [&](const memory::desc &desc) {
        activations_.push_back(desc);
        return int(activations_.size()) - 1;
    };
    const int input = activation(memory::desc({1, 3, kSide, kSide}, dt::f32, tag::nchw));
    memory::desc src = memory::desc({1, 3, kSide, kSide}, dt::f32, tag::any);
    int current = input, side = kSide;
    for (size_t k = 0; k < convs_.size(); ++k) {
        const Conv &c = convs_[k];
        const int out_side = (side + 2 * c.pad - c.kernel) / c.stride + 1;
        const bool depthwise = c.groups > 1;
        const memory::dims wdims = depthwise ? memory::dims{c.groups, 1, 1, c.kernel, c.kernel}
                                             : memory::dims{c.out_channels, c.in_channels, c.kernel, c.kernel};
        const memory::desc bdesc({c.out_channels}, dt::f32, tag::x);
        dnnl::convolution_forward::desc d(dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct, src,
                                          memory::desc(wdims, dt::f32, tag::any), bdesc,
                                          memory::desc({1, c.out_channels, out_side, out_side}, dt::f32, tag::any),
                                          {c.stride, c.stride}, {c.pad, c.pad}, {c.pad, c.pad});
        dnnl::convolution_forward::primitive_desc pd(d, attr, engine_);
        if (k == 0 && pd.src_desc() != activations_[size_t(input)]) {
            const int blocked = activation(pd.src_desc());
            const auto rpd = reorder(activations_[size_t(input)], pd.src_desc());
            steps_.push_back({dnnl::reorder(rpd), {}, {{DNNL_ARG_FROM, input}, {DNNL_ARG_TO, blocked}}, rpd.scratchpad_desc()});
            current = blocked;
        }
        memory bias(bdesc, engine_);
        std::memcpy(bias.get_data_handle(), c.bias.data(), c.bias.size() * sizeof(float));
        const int out = activation(pd.dst_desc());
        steps_.push_back({dnnl::convolution_forward(pd),
                          {{DNNL_ARG_WEIGHTS, reordered(pd.weights_desc(), memory::desc(wdims, dt::f32, depthwise ? tag::goihw : tag::oihw),
                                                        c.weights.data())},
                           {DNNL_ARG_BIAS, bias}},
                          {{DNNL_ARG_SRC, current}, {DNNL_ARG_DST, out}}, pd.scratchpad_desc()});
        // PReLU in place on the convolution's output: oneDNN 2.6's convolution kernels take no
        // PReLU post-op (it falls back to the reference convolution, a hundred times slower).
        dnnl::prelu_forward::primitive_desc ppd(
            dnnl::prelu_forward::desc(dnnl::prop_kind::forward_inference, pd.dst_desc(),
                                      memory::desc({1, c.out_channels, 1, 1}, dt::f32, tag::any)), attr, engine_);
        const memory slopes = reordered(ppd.weights_desc(), memory::desc({1, c.out_channels, 1, 1}, dt::f32, tag::abcd),
                                        c.slopes.data());
        steps_.push_back({dnnl::prelu_forward(ppd), {{DNNL_ARG_WEIGHTS, slopes}}, {{DNNL_ARG_SRC, out}, {DNNL_ARG_DST, out}},
                          ppd.scratchpad_desc()});
        current = out;
        src = pd.dst_desc();
        side = out_side;
    }
    const memory::dims fdims{kOutputs, final_channels_, final_side_, final_side_};
    const memory::desc bdesc({kOutputs}, dt::f32, tag::x);
    dnnl::inner_product_forward::desc d(dnnl::prop_kind::forward_inference, src, memory::desc(fdims, dt::f32, tag::any),
                                        bdesc, memory::desc({1, kOutputs}, dt::f32, tag::nc));
    dnnl::inner_product_forward::primitive_desc pd(d, attr, engine_);
    if (pd.src_desc() != src) {
        const int blocked = activation(pd.src_desc());
        const auto rpd = reorder(src, pd.src_desc());
        steps_.push_back({dnnl::reorder(rpd), {}, {{DNNL_ARG_FROM, current}, {DNNL_ARG_TO, blocked}}, rpd.scratchpad_desc()});
        current = blocked;
    }
    memory bias(bdesc, engine_);
    std::memcpy(bias.get_data_handle(), fc_bias_.data(), fc_bias_.size() * sizeof(float));
    const int output = activation(pd.dst_desc());
    steps_.push_back({dnnl::inner_product_forward(pd),
                      {{DNNL_ARG_WEIGHTS, reordered(pd.weights_desc(), memory::desc(fdims, dt::f32, tag::oihw), fc_weights_.data())},
                       {DNNL_ARG_BIAS, bias}},
                      {{DNNL_ARG_SRC, current}, {DNNL_ARG_DST, output}}, pd.scratchpad_desc()});
    // The folded copies are in the primitives' own layouts now.
    for (Conv &c : convs_) std::vector<float>().swap(c.weights);
    std::vector<float>().swap(fc_weights_);
    const int lanes = std::max(1, omp_get_num_procs());
    for (int l = 0; l < lanes; ++l) lanes_.push_back(make_lane());
}

SFaceChain::Lane SFaceChain::make_lane() const {
    Lane lane{dnnl::stream(engine_), {}, {}, {}};
    for (const memory::desc &desc : activations_) lane.activations.emplace_back(desc, engine_);
    // One scratchpad as large as the largest step's, shared by the lane's steps (run in turn).
    size_t scratch = 0;
    for (const Step &step : steps_) scratch = std::max(scratch, step.scratchpad.get_size());
    lane.scratchpad = memory(memory::desc({memory::dim(std::max<size_t>(scratch, 1))}, dt::u8, tag::x), engine_);
    for (const Step &step : steps_) {
        std::unordered_map<int, memory> args(step.shared.begin(), step.shared.end());
        for (const auto &[arg, index] : step.activation) args.emplace(arg, lane.activations[size_t(index)]);
        if (step.scratchpad.get_size() > 0)
            args.emplace(DNNL_ARG_SCRATCHPAD, memory(step.scratchpad, engine_, lane.scratchpad.get_data_handle()));
        lane.args.push_back(std::move(args));
    }
    return lane;
}

void SFaceChain::run(Lane &lane, const uint8_t *crop, float *out) {
    const size_t plane = size_t(kSide) * kSide;
    float *in = static_cast<float *>(lane.activations.front().get_data_handle());
    for (size_t p = 0; p < plane; ++p)
        for (size_t ch = 0; ch < 3; ++ch) in[ch * plane + p] = crop[p * 3 + ch] * input_scale_ + input_shift_;
    for (size_t k = 0; k < steps_.size(); ++k) steps_[k].primitive.execute(lane.stream, lane.args[k]);
    lane.stream.wait();
    std::memcpy(out, lane.activations.back().get_data_handle(), sizeof(float) * kOutputs);
}

void SFaceChain::embed(const uint8_t *rgb, int count, float *out) {
    const size_t bytes = size_t(kSide) * kSide * 3;
    const int before = omp_get_max_threads();
    if (count == 1 || lanes_.size() == 1) {
        // One crop: all cores on it (OpenMP inside oneDNN), whatever the calling thread was
        // left with (NeuralKit sets one OpenMP thread on its own workers).
        omp_set_num_threads(int(lanes_.size()));
        for (int n = 0; n < count; ++n) run(lanes_[0], rgb + bytes * size_t(n), out + size_t(n) * kOutputs);
        omp_set_num_threads(before);
        return;
    }
    // Several: one crop per core at a time, each single-threaded, so no core waits on another at
    // oneDNN's barriers (which, on a loaded machine, cost more than the layers themselves).
    std::atomic<int> next{0};
    std::exception_ptr failure;
    std::mutex failing;
    auto work = [&](Lane &lane) {
        omp_set_num_threads(1);
        try {
            for (int n; (n = next.fetch_add(1)) < count;) run(lane, rgb + bytes * size_t(n), out + size_t(n) * kOutputs);
        } catch (...) {
            std::lock_guard<std::mutex> hold(failing);
            failure = std::current_exception();
            next = count;
        }
    };
    std::vector<std::thread> helpers;
    const size_t used = std::min(lanes_.size(), size_t(count));
    for (size_t l = 1; l < used; ++l) helpers.emplace_back(work, std::ref(lanes_[l]));
    work(lanes_[0]);
    for (std::thread &t : helpers) t.join();
    omp_set_num_threads(before);
    if (failure) std::rethrow_exception(failure);
}

}  // namespace cvision
