// Block 5 of VGG16 (4x4 maps, 512->512, 3x3 same) per shard of 16 images as batched matmuls: Winograd
// F(2x2,3x3) (16 products of [64 x 512] x [512 x 512]), F(4x4,3x3) (36 of [16 x 512] x [512 x 512]) and the
// im2col GEMM of a direct convolution, each for the forward, backward-data and backward-weights shapes
// (docs/neuralkit.md, "Small maps"). Run single-threaded: OMP_NUM_THREADS=1.
// Build: g++ -O2 bench/probes/dnnl_matmul_probe.cpp -o /tmp/mm_probe -ldnnl && OMP_NUM_THREADS=1 /tmp/mm_probe
#include <oneapi/dnnl/dnnl.hpp>
#include <chrono>
#include <cstdio>
#include <vector>
using namespace dnnl;
using tag = memory::format_tag;
double bench(engine& eng, stream& s, memory::desc a, memory::desc b, memory::desc c, long flops, const char* name) {
    matmul::primitive_desc pd(matmul::desc(a, b, c), eng);
    memory A(a, eng), B(b, eng), C(c, eng);
    float* pa=(float*)A.get_data_handle(); for(size_t i=0;i<a.get_size()/4;i++) pa[i]=(i%7)*0.1f;
    float* pb=(float*)B.get_data_handle(); for(size_t i=0;i<b.get_size()/4;i++) pb[i]=(i%5)*0.1f;
    matmul m(pd);
    for(int i=0;i<3;i++) m.execute(s,{{DNNL_ARG_SRC,A},{DNNL_ARG_WEIGHTS,B},{DNNL_ARG_DST,C}});
    s.wait();
    auto t=std::chrono::steady_clock::now();
    int n=30;
    for(int i=0;i<n;i++) m.execute(s,{{DNNL_ARG_SRC,A},{DNNL_ARG_WEIGHTS,B},{DNNL_ARG_DST,C}});
    s.wait();
    double dt=std::chrono::duration<double>(std::chrono::steady_clock::now()-t).count()/n;
    printf("%-28s %-30s %7.2f ms %6.1f GFLOPS\n", name, pd.impl_info_str(), dt*1e3, flops/dt/1e9);
    return dt;
}
int main(){
    engine eng(engine::kind::cpu,0); stream s(eng);
    auto dt=memory::data_type::f32;
    for (long P : {16L, 36L}) {
      long M = P==16 ? 64 : 16, K=512, N=512;
      long fl = 2*P*M*K*N;
      // fwd: (P,M,K) x (P,K,N)
      bench(eng,s,{{P,M,K},dt,tag::abc},{{P,K,N},dt,tag::abc},{{P,M,N},dt,tag::abc},fl, P==16?"F23 fwd":"F43 fwd");
      // bwd_d: (P,M,N) x W^T : weights stored (P,K,N) viewed as (P,N,K) -> tag acb
      bench(eng,s,{{P,M,N},dt,tag::abc},{{P,N,K},dt,tag::acb},{{P,M,K},dt,tag::abc},fl, P==16?"F23 bwd_d":"F43 bwd_d");
      // bwd_w: X^T (P,K,M) x dY (P,M,N); X stored (P,M,K) -> viewed (P,K,M) acb
      bench(eng,s,{{P,K,M},dt,tag::acb},{{P,M,N},dt,tag::abc},{{P,K,N},dt,tag::abc},fl, P==16?"F23 bwd_w":"F43 bwd_w");
    }
    // direct-as-gemm reference: (256 x 4608) x (4608 x 512)
    bench(eng,s,{{256,4608},dt,tag::ab},{{4608,512},dt,tag::ab},{{256,512},dt,tag::ab},2L*256*4608*512,"im2col gemm mb16");
}
