/* adam.c: Adam's update (see kernels.h), sixteen lanes at a time in the compiler's vector extensions. One body is
 * compiled for AVX-512, AVX2 and the x86-64 baseline, and the first call picks the widest the CPU runs.
 * Multiplications and additions are never fused, so every path, and the scalar tail, computes the same bits. */
#include "kernels.h"

#include <math.h>
#include <string.h>

#pragma clang fp contract(off)

/* Sixteen floats; loaded and stored with memcpy, so the arrays need no alignment. */
typedef float lanes16 __attribute__((vector_size(64)));

typedef void adam_fn(float *p, float *m, float *v, const float *g, size_t n, float b1, float b2, float epsilon,
                     float step_size, float root2);

/* The update itself, inlined into each instruction-set variant below. */
static inline __attribute__((always_inline)) void adam_body(float *p, float *m, float *v, const float *g, size_t n,
                                                            float b1, float b2, float epsilon, float step_size,
                                                            float root2) {
    const float c1 = 1 - b1, c2 = 1 - b2;
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        lanes16 gi, mi, vi, pi;
        memcpy(&gi, g + i, sizeof gi);
        memcpy(&mi, m + i, sizeof mi);
        memcpy(&vi, v + i, sizeof vi);
        memcpy(&pi, p + i, sizeof pi);
        mi = b1 * mi + c1 * gi;
        vi = b2 * vi + c2 * gi * gi;
        pi = pi - step_size * mi / (__builtin_elementwise_sqrt(vi) / root2 + epsilon);
        memcpy(m + i, &mi, sizeof mi);
        memcpy(v + i, &vi, sizeof vi);
        memcpy(p + i, &pi, sizeof pi);
    }
    for (; i < n; i++) {
        m[i] = b1 * m[i] + c1 * g[i];
        v[i] = b2 * v[i] + c2 * g[i] * g[i];
        p[i] -= step_size * m[i] / (sqrtf(v[i]) / root2 + epsilon);
    }
}

static void adam_baseline(float *p, float *m, float *v, const float *g, size_t n, float b1, float b2, float epsilon,
                          float step_size, float root2) {
    adam_body(p, m, v, g, n, b1, b2, epsilon, step_size, root2);
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) static void adam_avx2(float *p, float *m, float *v, const float *g, size_t n, float b1,
                                                      float b2, float epsilon, float step_size, float root2) {
    adam_body(p, m, v, g, n, b1, b2, epsilon, step_size, root2);
}

__attribute__((target("avx512f"))) static void adam_avx512(float *p, float *m, float *v, const float *g, size_t n,
                                                           float b1, float b2, float epsilon, float step_size,
                                                           float root2) {
    adam_body(p, m, v, g, n, b1, b2, epsilon, step_size, root2);
}
#endif

/* The widest variant this CPU runs. */
static adam_fn *adam_variant(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return adam_avx512;
    if (__builtin_cpu_supports("avx2")) return adam_avx2;
#endif
    return adam_baseline;
}

void llmnas_kernel_adam(float *p, float *m, float *v, const float *g, size_t n, float b1, float b2, float epsilon,
                        float step_size, float root2) {
    static adam_fn *_Atomic chosen; /* every thread that races here stores the same pointer */
    adam_fn *variant = chosen;
    if (!variant) chosen = variant = adam_variant();
    variant(p, m, v, g, n, b1, b2, epsilon, step_size, root2);
}
