// What bf16 would give the scratch CNN's training step (issue 18): every oneDNN primitive of one
// shard's step (16 images) timed in float32 as NeuralKit runs it (Winograd for conv2/conv3 where
// KernelChoices picks it, direct otherwise) and in bf16 (bf16 activations, weights and gradients
// of activations; weight gradients in float32, as fp32 master weights need), plus the f32 <-> bf16
// reorders a bf16 mode would add around them. One thread, layouts left to oneDNN, thread CPU
// time, best of REPS after a warm-up; the ISA oneDNN picked is in each implementation name.
// Build: g++ -O2 bench/probes/dnnl_bf16_probe.cpp -o /tmp/dnnl_bf16_probe -ldnnl -lgomp
// Run:   OMP_NUM_THREADS=1 /tmp/dnnl_bf16_probe [REPS]
#include <oneapi/dnnl/dnnl.hpp>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <algorithm>
#include <unordered_map>
#include <string>
using namespace dnnl;
using dt = memory::data_type;
using tag = memory::format_tag;

static int reps = 15;
static engine eng(engine::kind::cpu, 0);
static stream st(eng);

static double cpuMs() {
    timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

// Small non-zero values everywhere: no denormals, no NaNs in bf16 either.
static memory filled(const memory::desc& md) {
    memory m(md, eng);
    size_t n = md.get_size();
    auto* p = static_cast<unsigned char*>(m.get_data_handle());
    if (md.data_type() == dt::f32) {
        auto* f = reinterpret_cast<float*>(p);
        for (size_t i = 0; i < n / 4; i++) f[i] = 0.01f * float((i * 7) % 13) - 0.06f;
    } else {
        auto* h = reinterpret_cast<unsigned short*>(p);
        for (size_t i = 0; i < n / 2; i++) h[i] = 0x3c23;  // bf16 0.00995
    }
    return m;
}

static double best(primitive& p, const std::unordered_map<int, memory>& args) {
    for (int i = 0; i < 3; i++) p.execute(st, args);
    st.wait();
    double b = 1e30;
    for (int r = 0; r < reps; r++) {
        double t = cpuMs();
        p.execute(st, args);
        st.wait();
        b = std::min(b, cpuMs() - t);
    }
    return b;
}

// Prints one pass and adds it to the running sum of the caller.
static double report(const std::string& what, const std::string& impl, double ms) {
    printf("  %-50s %-28s %8.3f ms\n", what.c_str(), impl.c_str(), ms);
    return ms;
}

// One convolution's passes (CPU ms summed). mode 0: f32 (alg as given), 1: bf16 direct.
static double conv(const char* name, int mb, int ic, int oc, int h, bool backwardData, algorithm alg, int mode) {
    dt a = mode ? dt::bf16 : dt::f32;
    memory::desc src({mb, ic, h, h}, a, tag::any), dst({mb, oc, h, h}, a, tag::any);
    memory::desc w({oc, ic, 3, 3}, a, tag::any), b({oc}, dt::f32, tag::a);
    memory::desc dw({oc, ic, 3, 3}, dt::f32, tag::any);
    memory::dims s{1, 1}, p{1, 1};
    auto fpd = convolution_forward::primitive_desc(
        convolution_forward::desc(prop_kind::forward_training, alg, src, w, b, dst, s, p, p), eng);
    convolution_forward f(fpd);
    double sum = 0;
    std::string tagName = std::string(name) + (mode ? " bf16" : alg == algorithm::convolution_winograd ? " f32 wino" : " f32 direct");
    sum += report(tagName + " fwd", fpd.impl_info_str(), best(f, {{DNNL_ARG_SRC, filled(fpd.src_desc())},
        {DNNL_ARG_WEIGHTS, filled(fpd.weights_desc())}, {DNNL_ARG_BIAS, filled(b)}, {DNNL_ARG_DST, filled(fpd.dst_desc())}}));
    if (backwardData) {
        auto dpd = convolution_backward_data::primitive_desc(
            convolution_backward_data::desc(alg, src, w, dst, s, p, p), eng, fpd);
        convolution_backward_data d(dpd);
        sum += report(tagName + " bwd data", dpd.impl_info_str(), best(d, {{DNNL_ARG_DIFF_DST, filled(dpd.diff_dst_desc())},
            {DNNL_ARG_WEIGHTS, filled(dpd.weights_desc())}, {DNNL_ARG_DIFF_SRC, filled(dpd.diff_src_desc())}}));
    }
    auto wpd = convolution_backward_weights::primitive_desc(
        convolution_backward_weights::desc(alg, src, dw, b, dst, s, p, p), eng, fpd);
    convolution_backward_weights g(wpd);
    sum += report(tagName + " bwd weights", wpd.impl_info_str(), best(g, {{DNNL_ARG_SRC, filled(wpd.src_desc())},
        {DNNL_ARG_DIFF_DST, filled(wpd.diff_dst_desc())}, {DNNL_ARG_DIFF_WEIGHTS, filled(wpd.diff_weights_desc())},
        {DNNL_ARG_DIFF_BIAS, filled(b)}}));
    return sum;
}

// The three products of a dense layer (batch x in by in x out), transposes as strided views.
static double dense(const char* name, int n, int k, int m, bool backwardData, int mode) {
    dt a = mode ? dt::bf16 : dt::f32;
    auto run = [&](const char* pass, memory::desc x, memory::desc y, memory::desc z) {
        auto pd = matmul::primitive_desc(matmul::desc(x, y, z), eng);
        matmul mm(pd);
        return report(std::string(name) + (mode ? " bf16 " : " f32 ") + pass, pd.impl_info_str(),
                      best(mm, {{DNNL_ARG_SRC, filled(x)}, {DNNL_ARG_WEIGHTS, filled(y)}, {DNNL_ARG_DST, filled(z)}}));
    };
    double sum = run("fwd", {{n, k}, a, tag::ab}, {{k, m}, a, tag::ab}, {{n, m}, a, tag::ab});
    sum += run("bwd weights", {{k, n}, a, tag::ba}, {{n, m}, a, tag::ab}, {{k, m}, dt::f32, tag::ab});
    if (backwardData) sum += run("bwd data", {{n, m}, a, tag::ab}, {{m, k}, a, tag::ba}, {{n, k}, a, tag::ab});
    return sum;
}

// A bf16 mode's extra work: converting an activation (or weights) between f32 and bf16.
static double convert(const char* name, memory::dims dims, tag t, bool toBF16) {
    memory::desc from(dims, toBF16 ? dt::f32 : dt::bf16, t), to(dims, toBF16 ? dt::bf16 : dt::f32, t);
    auto pd = reorder::primitive_desc(eng, from, eng, to);
    reorder r(pd);
    memory a = filled(from), b = filled(to);
    return report(std::string(name) + (toBF16 ? " f32->bf16" : " bf16->f32"), pd.impl_info_str(),
                  best(r, {{DNNL_ARG_FROM, a}, {DNNL_ARG_TO, b}}));
}

int main(int argc, char** argv) {
    if (argc > 1) reps = atoi(argv[1]);
    const auto wino = algorithm::convolution_winograd, direct = algorithm::convolution_direct;
    double sums[3] = {0, 0, 0};  // f32 Winograd (NeuralKit's choice here), f32 all direct, bf16
    for (int mode = 0; mode < 2; mode++) {
        printf(mode ? "bf16 (fp32 weight gradients):\n" : "float32:\n");
        // conv1 runs in chunks of 2 images in the step (ConvPoolKernel): 8 calls per shard-step.
        double c1 = 8 * conv("conv1 64x64 3->32 (2 images, x8)", 2, 3, 32, 64, false, direct, mode);
        double d = dense("dense 2048->256", 16, 2048, 256, true, mode) + dense("dense_1 256->128", 16, 256, 128, true, mode)
                 + dense("dense_2 128->24", 16, 128, 24, true, mode);
        if (mode == 0) {
            double w = conv("conv2 32x32 32->32", 16, 32, 32, 32, true, wino, 0) + conv("conv3 16x16 32->32", 16, 32, 32, 16, true, wino, 0);
            double dd = conv("conv2 32x32 32->32", 16, 32, 32, 32, true, direct, 0) + conv("conv3 16x16 32->32", 16, 32, 32, 16, true, direct, 0);
            sums[0] = c1 + d + w;
            sums[1] = c1 + d + dd;
        } else {
            sums[2] = c1 + d + conv("conv2 32x32 32->32", 16, 32, 32, 32, true, direct, 1)
                    + conv("conv3 16x16 32->32", 16, 32, 32, 16, true, direct, 1);
        }
    }
    // Not in the step: a VGG16 block-4 convolution (8x8, 512 -> 512), where channels are wide.
    printf("for comparison, VGG16 block4_conv2 at 8x8 (16 images):\n");
    double vf = conv("vgg 8x8 512->512", 16, 512, 512, 8, true, direct, 0);
    double vb = conv("vgg 8x8 512->512", 16, 512, 512, 8, true, direct, 1);
    printf("  f32 direct %.3f ms, bf16 %.3f ms = %.2fx\n", vf, vb, vb / vf);
    printf("conversions a bf16 mode adds (per shard-step):\n");
    double conversions = convert("conv1 input 16x3x64x64", {16, 3, 64, 64}, tag::nchw, true)
        + convert("pool1 output 16x32x32x32", {16, 32, 32, 32}, tag::nChw16c, true)
        + convert("pool2 output 16x32x16x16", {16, 32, 16, 16}, tag::nChw16c, true)
        + convert("dense kernel 2048x256", {2048, 256}, tag::ab, true)
        + convert("grad of flatten 16x2048", {16, 2048}, tag::ab, false);
    printf("oneDNN CPU ms per shard-step (16 images): f32 with Winograd %.3f, f32 direct %.3f, bf16 %.3f (+ %.3f conversions) = %.2fx f32\n",
           sums[0], sums[1], sums[2], conversions, (sums[2] + conversions) / sums[0]);
}
