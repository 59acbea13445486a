// The scratch CNN's first dense layer per shard (16 images, 2048 -> 256): forward, backward-weights
// and backward-data products as oneDNN matmuls and as OpenBLAS sgemm, single-threaded, data in
// cache, mean of 200 calls (docs/neuralkit.md, "Dense layers are oneDNN matmuls").
// Build (needs libopenblas-dev, which TribeLens itself no longer installs):
//   g++ -O2 bench/probes/dense_matmul_probe.cpp -o /tmp/dense_probe -ldnnl $(pkg-config --cflags --libs openblas)
//   OMP_NUM_THREADS=1 /tmp/dense_probe; OPENBLAS_CORETYPE=Haswell OMP_NUM_THREADS=1 /tmp/dense_probe
#include <oneapi/dnnl/dnnl.hpp>
#include <cblas.h>
#include <chrono>
#include <cstdio>
#include <vector>
using namespace dnnl;
using tag = memory::format_tag;
static double now(){return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();}
double bench(engine& eng, stream& s, memory::desc a, memory::desc b, memory::desc c, long flops, const char* name) {
    matmul::primitive_desc pd(matmul::desc(a, b, c), eng);
    memory A(a, eng), B(b, eng), C(c, eng);
    float* pa=(float*)A.get_data_handle(); for(size_t i=0;i<a.get_size()/4;i++) pa[i]=(i%7)*0.1f;
    float* pb=(float*)B.get_data_handle(); for(size_t i=0;i<b.get_size()/4;i++) pb[i]=(i%5)*0.1f;
    matmul m(pd);
    for(int i=0;i<3;i++) m.execute(s,{{DNNL_ARG_SRC,A},{DNNL_ARG_WEIGHTS,B},{DNNL_ARG_DST,C}});
    s.wait();
    double t=now(); int n=200;
    for(int i=0;i<n;i++) m.execute(s,{{DNNL_ARG_SRC,A},{DNNL_ARG_WEIGHTS,B},{DNNL_ARG_DST,C}});
    s.wait();
    double dt=(now()-t)/n;
    printf("dnnl %-10s %-24s %7.3f ms %6.1f GFLOPS\n", name, pd.impl_info_str(), dt*1e3, flops/dt/1e9);
    return dt;
}
int main(){
    openblas_set_num_threads(1);
    engine eng(engine::kind::cpu,0); stream s(eng);
    auto dt=memory::data_type::f32;
    long N=16,K=2048,M=256; long fl=2*N*K*M;
    bench(eng,s,{{N,K},dt,tag::ab},{{K,M},dt,tag::ab},{{N,M},dt,tag::ab},fl,"fwd");
    bench(eng,s,{{K,N},dt,tag::ba},{{N,M},dt,tag::ab},{{K,M},dt,tag::ab},fl,"bwd_w");
    bench(eng,s,{{N,M},dt,tag::ab},{{M,K},dt,tag::ba},{{N,K},dt,tag::ab},fl,"bwd_d");
    std::vector<float> x(N*K,0.1f), w(K*M,0.2f), y(N*M), dy(N*M,0.3f), dw(K*M), dx(N*K);
    auto run=[&](const char*name, auto f){ for(int i=0;i<3;i++)f(); double t=now(); for(int i=0;i<200;i++)f(); double d=(now()-t)/200; printf("blas %-10s %7.3f ms %6.1f GFLOPS\n",name,d*1e3,fl/d/1e9);};
    run("fwd",[&]{cblas_sgemm(CblasRowMajor,CblasNoTrans,CblasNoTrans,N,M,K,1,x.data(),K,w.data(),M,1,y.data(),M);});
    run("bwd_w",[&]{cblas_sgemm(CblasRowMajor,CblasTrans,CblasNoTrans,K,M,N,1,x.data(),K,dy.data(),M,0,dw.data(),M);});
    run("bwd_d",[&]{cblas_sgemm(CblasRowMajor,CblasNoTrans,CblasTrans,N,K,M,1,dy.data(),M,w.data(),M,0,dx.data(),K);});
}
