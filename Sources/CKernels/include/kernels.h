/* kernels.h: the elementwise loops of MLP training and inference that the Swift compiler leaves scalar, in C that
 * the C compiler vectorises (Adam for AVX-512, AVX2 or the x86-64 baseline, whichever the CPU runs).
 * Every lane computes exactly what the scalar code would, in the same order of IEEE operations, so results do not
 * depend on the path taken. */
#ifndef LLMNAS_KERNELS_H
#define LLMNAS_KERNELS_H

#include <stddef.h>

/* Internal to libllmnas: never exported, whatever the version script's llmnas_* pattern says. */
#define LLMNAS_KERNEL __attribute__((visibility("hidden")))

/** One Adam step on n parameters: m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 *  p -= step_size m / (sqrt(v) / root2 + epsilon). */
LLMNAS_KERNEL void llmnas_kernel_adam(float *p, float *m, float *v, const float *g, size_t n, float b1, float b2,
                                      float epsilon, float step_size, float root2);

/** Adds bias[0 .. cols) to each of `rows` rows of `x` (row-major), then, when `relu`, replaces every value v by
 *  max(0, v) as Swift defines it (v >= 0 ? v : 0). */
LLMNAS_KERNEL void llmnas_kernel_bias_relu(float *x, const float *bias, size_t rows, size_t cols, int relu);

/** Zeroes delta[i] wherever activation[i] <= 0 (the gradient through ReLU), for i < n. */
LLMNAS_KERNEL void llmnas_kernel_relu_mask(float *delta, const float *activation, size_t n);

/** out[j] = the sum over the `rows` rows of x[r][j], added row by row, for j < cols. */
LLMNAS_KERNEL void llmnas_kernel_column_sums(float *out, const float *x, size_t rows, size_t cols);

#endif
