/* COpenBLAS: the CBLAS interface of OpenBLAS for Swift, and its Fortran-style LAPACK entry points (f77blas.h declares
 * dpotrf_, the Cholesky factorization the Gaussian-process screen uses). Provided by Debian's libopenblas-dev;
 * pkg-config `openblas` adds the include path of the variant Debian selected (e.g. openblas-pthread). */
#ifndef LLMNAS_COPENBLAS_SHIM_H
#define LLMNAS_COPENBLAS_SHIM_H
#include <cblas.h>
#include <f77blas.h>
#endif
