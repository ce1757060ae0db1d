import COpenBLAS
import Glibc

/// Gaussian-process regression over architectures' genes, the screen that gives a whole-space search both a
/// prediction and how sure it is. The kernel (`KernelChoice`) needs no features: it reads only the number of genes in
/// which two architectures agree. The signal variance is the targets' mean square (the caller centres them); the
/// training covariance's factor (`TrainingFactor`) is of the kernel with signal 1, which the signal scales. With no
/// targets the process is its prior: mean 0, variance 1. Linear algebra on OpenBLAS: posteriors by dgemm and dtrsm.
struct GaussianProcess {
    /// Candidates a posterior computes at a time, which bounds its memory (chunk × training rows doubles).
    static let chunk = 2048

    /// The prior variance of a target.
    let signal: Double
    private let rows: Int
    /// The training covariance's factor and the architectures' codes.
    private let factor: TrainingFactor
    /// The training architectures' one-hot rows (rows × width, row-major).
    private let training: [Double]
    /// The covariance's inverse applied to the targets, for signal 1 (the signal cancels from the means).
    private let weights: [Double]

    /// The process conditioned on `targets`, the centred values of the architectures `factor` holds, in its order.
    init(factor: TrainingFactor, targets: [Double]) {
        precondition(targets.count == factor.rows, "one target per training architecture")
        let n = targets.count
        rows = n
        self.factor = factor
        training = factor.codes.oneHot(rows: 0..<n)
        signal = n == 0 ? 1 : max(targets.reduce(0) { $0 + $1 * $1 } / Double(n), 0.05)
        var weights = targets
        factor.solve(&weights)
        self.weights = weights
    }

    /// The process conditioned on `targets`, the centred values of the architectures `codes` holds, its kernel chosen
    /// on them.
    init(codes: GeneCodes, targets: [Double]) {
        self.init(factor: TrainingFactor(codes: codes, scores: targets), targets: targets)
    }

    /// The posterior means of rows `rows` of `candidates`.
    func means(of candidates: GeneCodes, rows selected: [Int]) -> [Double] {
        var means = [Double](repeating: 0, count: selected.count)
        guard rows > 0 else { return means }
        forEachChunk(of: candidates, rows: selected) { start, count, covariances in
            means.withUnsafeMutableBufferPointer { out in
                cblas_dgemv(
                    CblasRowMajor, CblasNoTrans, blasint(count), blasint(rows), 1, covariances, blasint(rows),
                    weights, 1, 0, out.baseAddress! + start, 1)
            }
        }
        return means
    }

    /// The posterior means of the architectures whose subset-expansion table indices are `indices`
    /// (`SubsetExpansion.indices(of:)`), in their order; nil when the expansion costs more than
    /// `means(fromMatches:members:)`.
    func expandedMeans(at indices: [Int32]) -> [Double]? {
        guard rows > 0,
            let expansion = SubsetExpansion(
                covariance: factor.table, weights: weights, training: factor.codes, candidates: indices.count)
        else { return nil }
        return expansion.means(at: indices)
    }

    /// The posterior means of every member of a pool whose agreement with each training architecture is known:
    /// `matches[j][member]` counts the genes in which the member agrees with training architecture `j`.
    func means(fromMatches matches: [[UInt16]], members: Int) -> [Double] {
        var means = [Double](repeating: 0, count: members)
        let used = Array(matches.prefix(rows))
        // Per training architecture, its weight times the covariance by agreement; then members in blocks that stay
        // in the first-level cache while every training architecture adds to them.
        let contributions = (0..<used.count).flatMap { j in factor.table.map { weights[j] * $0 } }
        let stride = factor.table.count
        let block = 2048
        means.withUnsafeMutableBufferPointer { means in
            contributions.withUnsafeBufferPointer { contributions in
                for first in Swift.stride(from: 0, to: members, by: block) {
                    let last = min(first + block, members)
                    for (j, agreeing) in used.enumerated() {
                        let contribution = contributions.baseAddress! + j * stride
                        agreeing.withUnsafeBufferPointer { agreeing in
                            for i in first..<last { means[i] += contribution[Int(agreeing[i])] }
                        }
                    }
                }
            }
        }
        return means
    }

    /// The posterior standard deviations of rows `rows` of `candidates` (without the noise: how unsure the process
    /// is of the architecture's value, not of one more measurement of it).
    func standardDeviations(of candidates: GeneCodes, rows selected: [Int]) -> [Double] {
        var deviations = [Double](repeating: signal.squareRoot(), count: selected.count)
        guard rows > 0 else { return deviations }
        forEachChunk(of: candidates, rows: selected) { start, count, covariances in
            // Row-major count × rows is column-major rows × count: one right-hand side per candidate.
            cblas_dtrsm(
                CblasColMajor, CblasLeft, CblasLower, CblasNoTrans, CblasNonUnit, blasint(rows), blasint(count), 1,
                factor.factor, blasint(factor.capacity), covariances, blasint(rows))
            for c in 0..<count {
                var explained = 0.0
                for j in 0..<rows { explained += covariances[c * rows + j] * covariances[c * rows + j] }
                deviations[start + c] = (signal * max(1 - explained, 0)).squareRoot()
            }
        }
        return deviations
    }

    /// Calls `body` with each chunk's first position in `selected`, its size and the covariances of its candidates
    /// with the training rows (count × rows, row-major), which `body` may overwrite.
    private func forEachChunk(
        of candidates: GeneCodes, rows selected: [Int],
        _ body: (Int, Int, UnsafeMutablePointer<Double>) -> Void
    ) {
        let table = factor.table
        var covariances = [Double](repeating: 0, count: min(GaussianProcess.chunk, selected.count) * rows)
        for start in stride(from: 0, to: selected.count, by: GaussianProcess.chunk) {
            let count = min(GaussianProcess.chunk, selected.count - start)
            let oneHot = candidates.oneHot(rows: selected[start..<(start + count)])
            covariances.withUnsafeMutableBufferPointer { buffer in
                let c = buffer.baseAddress!
                cblas_dgemm(
                    CblasRowMajor, CblasNoTrans, CblasTrans, blasint(count), blasint(rows), blasint(candidates.width),
                    1, oneHot, blasint(candidates.width), training, blasint(candidates.width), 0, c, blasint(rows))
                for i in 0..<(count * rows) { c[i] = table[Int(c[i])] }
                body(start, count, c)
            }
        }
    }
}
