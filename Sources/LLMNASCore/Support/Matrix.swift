import COpenBLAS

/// Row-major single-precision matrix products on OpenBLAS, the arithmetic of the MLP predictors.
enum Matrix {
    /// C (m×n) = alpha · op(A) · op(B) + beta · C, with op(A) m×k and op(B) k×n, all row-major. A single
    /// untransposed row goes to sgemv (OpenBLAS's sgemm would pack all of B for it), which reads B fastest when it is
    /// stored transposed (n×k); the README's speed figures say by how much.
    static func multiply(
        _ a: UnsafePointer<Float>, transposeA: Bool, _ b: UnsafePointer<Float>, transposeB: Bool,
        into c: UnsafeMutablePointer<Float>, m: Int, n: Int, k: Int, alpha: Float = 1, beta: Float = 0
    ) {
        if m == 1, !transposeA {
            let (rows, columns) = transposeB ? (n, k) : (k, n)
            cblas_sgemv(
                CblasRowMajor, transposeB ? CblasNoTrans : CblasTrans, blasint(rows), blasint(columns), alpha, b,
                blasint(columns), a, 1, beta, c, 1)
            return
        }
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k), alpha, a, blasint(transposeA ? m : k), b,
            blasint(transposeB ? k : n), beta, c, blasint(n))
    }
}
