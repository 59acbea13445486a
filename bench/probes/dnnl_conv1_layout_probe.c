// conv1 of the scratch CNN (16x3x64x64 -> 32, 3x3 same): forward and backward weights with mixed source and
// destination layouts, 1 thread, best of 20 (table in docs/neuralkit.md).
// Build: gcc -O2 bench/probes/dnnl_conv1_layout_probe.c -o /tmp/conv1_probe -ldnnl -lgomp && /tmp/conv1_probe
#include <dnnl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
void omp_set_num_threads(int);
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec*1e3+t.tv_nsec/1e6;}
static dnnl_engine_t eng; static dnnl_stream_t st;
static dnnl_memory_t mk(const dnnl_memory_desc_t*md){dnnl_memory_t m; dnnl_memory_create(&m,md,eng,DNNL_MEMORY_ALLOCATE); return m;}
static double timeit(dnnl_primitive_t p,int n,dnnl_exec_arg_t*a){
  for(int i=0;i<3;i++) dnnl_primitive_execute(p,st,n,a);
  double best=1e9; for(int r=0;r<20;r++){double t=now(); dnnl_primitive_execute(p,st,n,a); dnnl_stream_wait(st); t=now()-t; if(t<best)best=t;} return best;}
static void one(const char*name,dnnl_format_tag_t stag,dnnl_format_tag_t dtag,int oc){
  int mb=16,ic=3,h=64;
  dnnl_memory_desc_t s,d,w,b; dnnl_dims_t sd={mb,ic,h,h},dd={mb,oc,h,h},wd={oc,ic,3,3},bd={oc};
  dnnl_memory_desc_init_by_tag(&s,4,sd,dnnl_f32,stag); dnnl_memory_desc_init_by_tag(&d,4,dd,dnnl_f32,dtag);
  dnnl_memory_desc_init_by_tag(&w,4,wd,dnnl_f32,dnnl_format_tag_any); dnnl_memory_desc_init_by_tag(&b,1,bd,dnnl_f32,dnnl_a);
  dnnl_dims_t str={1,1},pad={1,1};
  dnnl_convolution_desc_t fd,wdsc; dnnl_primitive_desc_t fpd,wpd;
  if(dnnl_convolution_forward_desc_init(&fd,dnnl_forward_training,dnnl_convolution_direct,&s,&w,&b,&d,str,pad,pad)||
     dnnl_primitive_desc_create(&fpd,&fd,NULL,eng,NULL)){printf("%s: no fwd\n",name);return;}
  const char*fi; dnnl_primitive_desc_query(fpd,dnnl_query_impl_info_str,0,&fi);
  dnnl_primitive_t fp; dnnl_primitive_create(&fp,fpd);
  dnnl_exec_arg_t a[4]={{DNNL_ARG_SRC,mk(dnnl_primitive_desc_query_md(fpd,dnnl_query_src_md,0))},
    {DNNL_ARG_WEIGHTS,mk(dnnl_primitive_desc_query_md(fpd,dnnl_query_weights_md,0))},{DNNL_ARG_BIAS,mk(&b)},
    {DNNL_ARG_DST,mk(dnnl_primitive_desc_query_md(fpd,dnnl_query_dst_md,0))}};
  double tf=timeit(fp,4,a);
  dnnl_convolution_backward_weights_desc_init(&wdsc,dnnl_convolution_direct,&s,&w,&b,&d,str,pad,pad);
  if(dnnl_primitive_desc_create(&wpd,&wdsc,NULL,eng,fpd)){printf("%s: no bwdw\n",name);return;}
  const char*wi; dnnl_primitive_desc_query(wpd,dnnl_query_impl_info_str,0,&wi);
  dnnl_primitive_t wp; dnnl_primitive_create(&wp,wpd);
  dnnl_exec_arg_t c[4]={{DNNL_ARG_SRC,mk(dnnl_primitive_desc_query_md(wpd,dnnl_query_src_md,0))},
    {DNNL_ARG_DIFF_WEIGHTS,mk(dnnl_primitive_desc_query_md(wpd,dnnl_query_diff_weights_md,0))},{DNNL_ARG_DIFF_BIAS,mk(&b)},
    {DNNL_ARG_DIFF_DST,mk(dnnl_primitive_desc_query_md(wpd,dnnl_query_diff_dst_md,0))}};
  double tw=timeit(wp,4,c);
  printf("%-22s oc%d fwd %-22s %6.3f ms | bwdW %-22s %6.3f ms\n",name,oc,fi,tf,wi,tw);
}
int main(){omp_set_num_threads(1); dnnl_engine_create(&eng,dnnl_cpu,0); dnnl_stream_create(&st,eng,dnnl_stream_default_flags);
 for(int rep=0;rep<2;rep++){
 one("nhwc/nhwc",dnnl_nhwc,dnnl_nhwc,32);
 one("nchw/nChw16c",dnnl_nchw,dnnl_nChw16c,32);
 one("nhwc/nChw16c",dnnl_nhwc,dnnl_nChw16c,32);
 one("any/any",dnnl_format_tag_any,dnnl_format_tag_any,32);
 one("nchw/nhwc",dnnl_nchw,dnnl_nhwc,32);
 one("nhwc/nChw8c",dnnl_nhwc,dnnl_nChw8c,32);
 one("nchw/nChw8c",dnnl_nchw,dnnl_nChw8c,32);
 }
 return 0;}
