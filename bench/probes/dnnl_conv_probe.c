// Single-threaded oneDNN convolution probe behind the table in docs/neuralkit.md: direct vs Winograd,
// NHWC vs blocked layouts, for the write-up's convolution shapes at batch 16 (one shard).
// Build: gcc -O2 bench/probes/dnnl_conv_probe.c -o /tmp/dnnl_conv_probe -ldnnl -lgomp && /tmp/dnnl_conv_probe 1
#include <dnnl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
void omp_set_num_threads(int);
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec*1e3+t.tv_nsec/1e6;}
#define CK(x) do{dnnl_status_t s=(x); if(s!=dnnl_success){printf("  fail %s: %d\n",#x,s); return;}}while(0)
dnnl_engine_t eng; dnnl_stream_t st;
static dnnl_memory_t mk(const dnnl_memory_desc_t*md){dnnl_memory_t m; dnnl_memory_create(&m,md,eng,DNNL_MEMORY_ALLOCATE); return m;}
void run(int kind,int mb,int ic,int oc,int h,dnnl_alg_kind_t alg,dnnl_format_tag_t tag){
  dnnl_memory_desc_t src,dst,w,b; dnnl_dims_t sd={mb,ic,h,h},dd={mb,oc,h,h},wd={oc,ic,3,3},bd={oc};
  dnnl_memory_desc_init_by_tag(&src,4,sd,dnnl_f32,tag); dnnl_memory_desc_init_by_tag(&dst,4,dd,dnnl_f32,tag);
  dnnl_memory_desc_init_by_tag(&w,4,wd,dnnl_f32,dnnl_format_tag_any); dnnl_memory_desc_init_by_tag(&b,1,bd,dnnl_f32,dnnl_a);
  dnnl_dims_t str={1,1},pad={1,1};
  dnnl_convolution_desc_t fd,cd; dnnl_primitive_desc_t fpd,pd;
  CK(dnnl_convolution_forward_desc_init(&fd,dnnl_forward_training,alg,&src,&w,&b,&dst,str,pad,pad));
  CK(dnnl_primitive_desc_create(&fpd,&fd,NULL,eng,NULL));
  if(kind==0){pd=fpd;}
  else if(kind==1){CK(dnnl_convolution_backward_data_desc_init(&cd,alg,&src,&w,&dst,str,pad,pad)); CK(dnnl_primitive_desc_create(&pd,&cd,NULL,eng,fpd));}
  else {CK(dnnl_convolution_backward_weights_desc_init(&cd,alg,&src,&w,&b,&dst,str,pad,pad)); CK(dnnl_primitive_desc_create(&pd,&cd,NULL,eng,fpd));}
  const char*impl; dnnl_primitive_desc_query(pd,dnnl_query_impl_info_str,0,&impl);
  dnnl_primitive_t p; dnnl_primitive_create(&p,pd);
  dnnl_exec_arg_t a[4]; int n=0;
  const dnnl_memory_desc_t*q;
  #define ARG(id,qq) q=dnnl_primitive_desc_query_md(pd,qq,0); a[n].arg=id; a[n].memory=mk(q); n++;
  if(kind==0){ARG(DNNL_ARG_SRC,dnnl_query_src_md) ARG(DNNL_ARG_WEIGHTS,dnnl_query_weights_md) ARG(DNNL_ARG_BIAS,dnnl_query_weights_md+0) ; a[2].memory=mk(&b); ARG(DNNL_ARG_DST,dnnl_query_dst_md)}
  else if(kind==1){ARG(DNNL_ARG_DIFF_SRC,dnnl_query_diff_src_md) ARG(DNNL_ARG_WEIGHTS,dnnl_query_weights_md) ARG(DNNL_ARG_DIFF_DST,dnnl_query_diff_dst_md)}
  else {ARG(DNNL_ARG_SRC,dnnl_query_src_md) ARG(DNNL_ARG_DIFF_WEIGHTS,dnnl_query_diff_weights_md) ARG(DNNL_ARG_DIFF_BIAS,dnnl_query_diff_weights_md); a[2].memory=mk(&b); ARG(DNNL_ARG_DIFF_DST,dnnl_query_diff_dst_md)}
  for(int i=0;i<3;i++) dnnl_primitive_execute(p,st,n,a);
  double best=1e9; for(int r=0;r<15;r++){double t=now(); dnnl_primitive_execute(p,st,n,a); dnnl_stream_wait(st); t=now()-t; if(t<best)best=t;}
  double fl=2.0*mb*h*h*oc*ic*9;
  printf("%s mb%d ic%d oc%d h%d %s %-10s %-28s %7.3f ms %6.1f GF/s\n",kind==0?"fwd ":kind==1?"bwdD":"bwdW",mb,ic,oc,h,alg==dnnl_convolution_direct?"direct":alg==dnnl_convolution_winograd?"wino":"auto",tag==dnnl_nhwc?"nhwc":"any",impl,best,fl/best/1e6);
}
int main(int c,char**v){ omp_set_num_threads(atoi(v[1])); dnnl_engine_create(&eng,dnnl_cpu,0); dnnl_stream_create(&st,eng,dnnl_stream_default_flags);
 int shapes[][4]={{16,3,32,64},{16,32,32,32},{16,32,32,16},{16,512,512,4},{16,512,512,8},{16,64,64,64}};
 for(int s=0;s<6;s++) for(int k=0;k<3;k++){ if(s>=4&&k>0)continue; if(s==0&&k==1)continue;
   dnnl_alg_kind_t algs[]={dnnl_convolution_direct,dnnl_convolution_winograd}; dnnl_format_tag_t tags[]={dnnl_nhwc,dnnl_format_tag_any};
   for(int ai=0;ai<2;ai++) for(int ti=0;ti<2;ti++) run(k,shapes[s][0],shapes[s][1],shapes[s][2],shapes[s][3],algs[ai],tags[ti]); }
}
