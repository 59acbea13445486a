// OpenBLAS sgemm on the GEMMs im2col would produce for the same convolutions (docs/neuralkit.md).
// Build (needs libopenblas-dev, which TribeLens itself no longer installs):
//   gcc -O2 bench/probes/openblas_gemm_probe.c -o /tmp/gemm_probe $(pkg-config --cflags --libs openblas)
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec*1e3+t.tv_nsec/1e6;}
int main(){ openblas_set_num_threads(1);
 int s[][3]={{16384,32,288},{1024,512,4608},{65536,64,576},{256,512,4608}};
 const char*n[]={"32x32 32->32 (scratch conv2)","8x8 512->512 (block4)","64x64 64->64 (block1_conv2)","4x4 512->512 (block5)"};
 for(int i=0;i<4;i++){int M=s[i][0],N=s[i][1],K=s[i][2];
  float*a=calloc((size_t)M*K,4),*b=calloc((size_t)K*N,4),*c=calloc((size_t)M*N,4);
  for(size_t j=0;j<(size_t)M*K;j++)a[j]=j%7; for(size_t j=0;j<(size_t)K*N;j++)b[j]=j%5;
  cblas_sgemm(CblasRowMajor,CblasNoTrans,CblasNoTrans,M,N,K,1,a,K,b,N,0,c,N);
  double best=1e9; for(int r=0;r<7;r++){double t=now(); cblas_sgemm(CblasRowMajor,CblasNoTrans,CblasNoTrans,M,N,K,1,a,K,b,N,0,c,N); t=now()-t; if(t<best)best=t;}
  printf("%-30s M%d N%d K%d  %6.1f GFLOPS (1 thread, GEMM only, no im2col)\n",n[i],M,N,K,2.0*M*N*K/best/1e6); free(a);free(b);free(c);}
}
