/* adam.c: Adam's update, four lanes at a time on SSE2 (see kernels.h). */
#include "kernels.h"

#include <math.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

void llmnas_kernel_adam(float *p, float *m, float *v, const float *g, size_t n, float b1, float b2, float epsilon,
                        float step_size, float root2) {
    size_t i = 0;
    const float c1 = 1 - b1, c2 = 1 - b2;
#if defined(__SSE2__)
    const __m128 vb1 = _mm_set1_ps(b1), vb2 = _mm_set1_ps(b2), vc1 = _mm_set1_ps(c1), vc2 = _mm_set1_ps(c2);
    const __m128 veps = _mm_set1_ps(epsilon), vstep = _mm_set1_ps(step_size), vroot2 = _mm_set1_ps(root2);
    for (; i + 4 <= n; i += 4) {
        __m128 gi = _mm_loadu_ps(g + i);
        __m128 mi = _mm_add_ps(_mm_mul_ps(vb1, _mm_loadu_ps(m + i)), _mm_mul_ps(vc1, gi));
        __m128 vi = _mm_add_ps(_mm_mul_ps(vb2, _mm_loadu_ps(v + i)), _mm_mul_ps(_mm_mul_ps(vc2, gi), gi));
        _mm_storeu_ps(m + i, mi);
        _mm_storeu_ps(v + i, vi);
        __m128 denominator = _mm_add_ps(_mm_div_ps(_mm_sqrt_ps(vi), vroot2), veps);
        __m128 update = _mm_div_ps(_mm_mul_ps(vstep, mi), denominator);
        _mm_storeu_ps(p + i, _mm_sub_ps(_mm_loadu_ps(p + i), update));
    }
#endif
    for (; i < n; i++) {
        m[i] = b1 * m[i] + c1 * g[i];
        v[i] = b2 * v[i] + c2 * g[i] * g[i];
        p[i] -= step_size * m[i] / (sqrtf(v[i]) / root2 + epsilon);
    }
}
