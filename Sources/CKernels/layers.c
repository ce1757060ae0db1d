/* layers.c: bias, ReLU and bias-gradient loops of dense layers (see kernels.h); plain loops over restrict pointers,
 * which the compiler vectorises. */
#include "kernels.h"

void llmnas_kernel_bias_relu(float *x, const float *bias, size_t rows, size_t cols, int relu) {
    for (size_t r = 0; r < rows; r++) {
        float *restrict row = x + r * cols;
        const float *restrict b = bias;
        if (relu) {
            for (size_t j = 0; j < cols; j++) {
                float value = row[j] + b[j];
                row[j] = value >= 0 ? value : 0; /* Swift's max(0, value), signed zero and NaN alike */
            }
        } else {
            for (size_t j = 0; j < cols; j++) row[j] += b[j];
        }
    }
}

void llmnas_kernel_relu_mask(float *restrict delta, const float *restrict activation, size_t n) {
    for (size_t i = 0; i < n; i++) {
        float d = delta[i]; /* loaded whatever the sign, so the select vectorises instead of branching */
        delta[i] = activation[i] <= 0 ? 0 : d;
    }
}

void llmnas_kernel_column_sums(float *restrict out, const float *restrict x, size_t rows, size_t cols) {
    for (size_t j = 0; j < cols; j++) out[j] = 0;
    for (size_t r = 0; r < rows; r++) {
        const float *restrict row = x + r * cols;
        for (size_t j = 0; j < cols; j++) out[j] += row[j];
    }
}
