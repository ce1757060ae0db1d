import COpenBLAS
import Glibc

/// Gaussian-process regression over architectures' genes, the screen that gives a whole-space search both a
/// prediction and how sure it is. Two architectures covary as `signal · ((1 - a) · exp(-(share of genes in which they
/// differ) / lengthscale) + a · (share of genes in which they agree))`, a kernel for categorical genes that needs no
/// features: the first term lets every combination of genes matter, the second (a Bayesian linear model on the genes'
/// one-hot codes) lets each gene's value count on its own, so main effects learnt from a few scores carry over to
/// combinations never scored. The lengthscale, the additive share `a` and the noise (a share of the signal variance)
/// are the triple of fixed grids that maximizes the marginal likelihood of the targets; the signal variance is the
/// targets' mean square (the caller centres them). With no targets the process is its prior: mean 0,
/// variance 1. Linear algebra on OpenBLAS: the Cholesky factor from LAPACK's dpotrf, posteriors by dgemm and dtrsm.
struct GaussianProcess {
    /// The lengthscales tried, as shares of the genes.
    static let lengthscales: [Double] = [0.2, 0.4, 0.8]
    /// The shares of the additive term tried.
    static let additiveShares: [Double] = [0, 0.5]
    /// The noise variances tried, as shares of the signal variance.
    static let noiseShares: [Double] = [0.01, 0.1, 0.3]
    /// Candidates a posterior computes at a time, which bounds its memory (chunk × training rows doubles).
    static let chunk = 2048

    /// The lengthscale chosen, as a share of the genes.
    let lengthscale: Double
    /// The additive share chosen.
    let additive: Double
    /// The noise variance chosen, in target units squared.
    let noise: Double
    /// The prior variance of a target.
    let signal: Double
    private let genes: Int
    private let rows: Int
    /// The training architectures' codes, and their one-hot rows (rows × width, row-major).
    private let trainingCodes: GeneCodes
    private let training: [Double]
    /// The lower Cholesky factor of the training covariance (column-major rows × rows).
    private let factor: [Double]
    /// The covariance's inverse applied to the targets.
    private let weights: [Double]
    /// The covariance of two architectures by the number of genes in which they agree.
    private let covarianceByMatches: [Double]

    /// The process conditioned on `targets`, the centred values of the architectures `codes` holds, in its order.
    init(codes: GeneCodes, targets: [Double]) {
        let n = targets.count
        let genes = codes.genes
        self.genes = genes
        rows = n
        trainingCodes = codes
        training = codes.oneHot(rows: 0..<n)
        let signal = n == 0 ? 1 : max(targets.reduce(0) { $0 + $1 * $1 } / Double(n), 0.05)
        self.signal = signal
        guard n > 0 else {
            (lengthscale, additive, noise, factor, weights) = (GaussianProcess.lengthscales[0], 0, 0, [], [])
            covarianceByMatches = GaussianProcess.kernelTable(genes: genes, lengthscale, additive, signal)
            return
        }
        var matches = [Double](repeating: 0, count: n * n)
        cblas_dgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans, blasint(n), blasint(n), blasint(codes.width), 1, training,
            blasint(codes.width), training, blasint(codes.width), 0, &matches, blasint(n))
        // The grid is searched on at most `fitLimit` evenly spaced training rows; the choice then factors them all.
        let subset =
            n <= GaussianProcess.fitLimit
            ? Array(0..<n) : (0..<GaussianProcess.fitLimit).map { $0 * n / GaussianProcess.fitLimit }
        var best: (likelihood: Double, lengthscale: Double, additive: Double, share: Double, fit: Fit)?
        for lengthscale in GaussianProcess.lengthscales {
            for additive in GaussianProcess.additiveShares {
                let table = GaussianProcess.kernelTable(genes: genes, lengthscale, additive, signal)
                for share in GaussianProcess.noiseShares {
                    guard
                        let fit = GaussianProcess.fit(
                            matches, n: n, rows: subset, table: table, noise: share * signal, targets: targets)
                    else { continue }
                    if best == nil || fit.likelihood > best!.likelihood {
                        best = (fit.likelihood, lengthscale, additive, share, fit)
                    }
                }
            }
        }
        // The largest noise keeps the covariance well conditioned, so some triple always factors.
        var chosen = best!
        let table = GaussianProcess.kernelTable(genes: genes, chosen.lengthscale, chosen.additive, signal)
        if subset.count < n {
            for share in GaussianProcess.noiseShares where share >= chosen.share {
                if let fit = GaussianProcess.fit(
                    matches, n: n, rows: Array(0..<n), table: table, noise: share * signal, targets: targets)
                {
                    (chosen.share, chosen.fit) = (share, fit)
                    break
                }
            }
        }
        (lengthscale, additive, noise) = (chosen.lengthscale, chosen.additive, chosen.share * signal)
        (factor, weights) = (chosen.fit.factor, chosen.fit.weights)
        covarianceByMatches = GaussianProcess.kernelTable(genes: genes, lengthscale, additive, signal)
    }

    /// The most training rows the hyperparameters are chosen on.
    static let fitLimit = 128

    /// A factored covariance: its lower Cholesky factor (column-major), the targets solved through it, and the
    /// targets' log marginal likelihood (up to a constant).
    private struct Fit {
        var factor: [Double]
        var weights: [Double]
        var likelihood: Double
    }

    /// The process on training rows `rows` (of `n`, whose gene agreements `matches` holds) with the covariance
    /// `table` by agreement plus `noise`; nil when it does not factor.
    private static func fit(
        _ matches: [Double], n: Int, rows: [Int], table: [Double], noise: Double, targets: [Double]
    ) -> Fit? {
        let m = rows.count
        var covariance = [Double](repeating: 0, count: m * m)
        covariance.withUnsafeMutableBufferPointer { covariance in
            for (a, i) in rows.enumerated() {
                for (b, j) in rows.enumerated() { covariance[a * m + b] = table[Int(matches[i * n + j])] }
                covariance[a * m + a] += noise
            }
        }
        guard choleskyInPlace(&covariance, n: m) else { return nil }
        let y = rows.map { targets[$0] }
        var weights = y
        solve(covariance, n: m, &weights)
        var likelihood = -0.5 * zip(y, weights).reduce(0) { $0 + $1.0 * $1.1 }
        for i in 0..<m { likelihood -= Glibc.log(covariance[i * m + i]) }
        return Fit(factor: covariance, weights: weights, likelihood: likelihood)
    }

    /// The covariance of two architectures by the number of genes in which they agree (0 to `genes`).
    private static func kernelTable(genes: Int, _ lengthscale: Double, _ additive: Double, _ signal: Double)
        -> [Double]
    {
        (0...genes).map {
            let agreeing = Double($0) / Double(genes)
            return signal * ((1 - additive) * Glibc.exp(-(1 - agreeing) / lengthscale) + additive * agreeing)
        }
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

    /// The posterior means of every architecture `candidates` holds, through the subset expansion; nil when that
    /// costs more than `means(fromMatches:members:)`.
    func expandedMeans(of candidates: GeneCodes) -> [Double]? {
        guard rows > 0,
            let expansion = SubsetExpansion(
                covariance: covarianceByMatches, weights: weights, training: trainingCodes,
                candidates: candidates.count)
        else { return nil }
        return expansion.means(of: candidates)
    }

    /// The posterior means of every member of a pool whose agreement with each training architecture is known:
    /// `matches[j][member]` counts the genes in which the member agrees with training architecture `j`.
    func means(fromMatches matches: [[UInt16]], members: Int) -> [Double] {
        var means = [Double](repeating: 0, count: members)
        let used = Array(matches.prefix(rows))
        // Per training architecture, its weight times the covariance by agreement; then members in blocks that stay
        // in the first-level cache while every training architecture adds to them.
        let contributions = (0..<used.count).flatMap { j in covarianceByMatches.map { weights[j] * $0 } }
        let stride = covarianceByMatches.count
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
                factor, blasint(rows), covariances, blasint(rows))
            for c in 0..<count {
                var explained = 0.0
                for j in 0..<rows { explained += covariances[c * rows + j] * covariances[c * rows + j] }
                deviations[start + c] = max(signal - explained, 0).squareRoot()
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
        let table = covarianceByMatches
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

    /// Replaces the symmetric positive-definite `matrix` (n × n) by its lower Cholesky factor, column-major;
    /// false when it is not positive definite.
    private static func choleskyInPlace(_ matrix: inout [Double], n: Int) -> Bool {
        var uplo = CChar(UInt8(ascii: "L"))
        var order = blasint(n)
        var leading = blasint(n)
        var info: blasint = 0
        _ = dpotrf_(&uplo, &order, &matrix, &leading, &info)
        return info == 0
    }

    /// Solves `factor · factorᵀ · x = b` in place, `factor` lower triangular column-major n × n.
    private static func solve(_ factor: [Double], n: Int, _ b: inout [Double]) {
        cblas_dtrsv(CblasColMajor, CblasLower, CblasNoTrans, CblasNonUnit, blasint(n), factor, blasint(n), &b, 1)
        cblas_dtrsv(CblasColMajor, CblasLower, CblasTrans, CblasNonUnit, blasint(n), factor, blasint(n), &b, 1)
    }
}
