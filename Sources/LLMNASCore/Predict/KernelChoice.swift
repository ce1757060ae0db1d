import COpenBLAS
import Glibc

/// The hyperparameters of a Gaussian process's kernel over architectures' genes. Two architectures covary as
/// `signal · ((1 - additive) · exp(-(share of genes in which they differ) / lengthscale) + additive · (share of genes
/// in which they agree))`: the first term lets every combination of genes matter, the second (a Bayesian linear model
/// on the genes' one-hot codes) lets each gene's value count on its own, so main effects learnt from a few scores
/// carry over to combinations never scored. The noise variance is `noiseShare · signal`. They are chosen from fixed
/// grids by the marginal likelihood of scores, and only at the training counts `choiceCount(for:)` names, so that a
/// process's factor can grow by a row per score in between (`TrainingFactor`).
struct KernelChoice: Equatable, Sendable {
    /// The lengthscales tried, as shares of the genes.
    static let lengthscales: [Double] = [0.2, 0.4, 0.8]
    /// The shares of the additive term tried.
    static let additiveShares: [Double] = [0, 0.5]
    /// The noise variances tried, as shares of the signal variance.
    static let noiseShares: [Double] = [0.01, 0.1, 0.3]
    /// The most training rows the grid is searched on (evenly spaced among them).
    static let fitLimit = 128
    /// Up to this many training rows the choice is made anew for every count.
    static let everyCountUpTo = 32

    /// The lengthscale, as a share of the genes.
    var lengthscale: Double
    /// The additive share.
    var additive: Double
    /// The noise variance, as a share of the signal variance.
    var noiseShare: Double

    /// The prior choice, for a process with no scores.
    static let prior = KernelChoice(lengthscale: lengthscales[0], additive: 0, noiseShare: noiseShares[0])

    /// The training count at which the choice that holds for `count` rows is made: every count up to
    /// `everyCountUpTo`, then every 2^(⌊log₂ count⌋ - 4) rows, so that the rows added since are at most a sixteenth of
    /// the total.
    static func choiceCount(for count: Int) -> Int {
        guard count > everyCountUpTo else { return count }
        let step = 1 << (Int.bitWidth - count.leadingZeroBitCount - 1 - 4)
        return count - count % step
    }

    /// The covariance of two architectures by the number of genes in which they agree (0 to `genes`), for a signal
    /// variance of 1.
    func table(genes: Int) -> [Double] {
        (0...genes).map {
            let agreeing = Double($0) / Double(max(genes, 1))
            return (1 - additive) * Glibc.exp(-(1 - agreeing) / lengthscale) + additive * agreeing
        }
    }

    /// The triple of the grids that maximizes the marginal likelihood of `targets` (centred), the scores of the
    /// architectures `codes` holds, searched on at most `fitLimit` evenly spaced of them.
    static func chosen(for codes: GeneCodes, targets: [Double]) -> KernelChoice {
        let n = targets.count
        guard n > 0 else { return prior }
        let rows = n <= fitLimit ? Array(0..<n) : (0..<fitLimit).map { $0 * n / fitLimit }
        let y = rows.map { targets[$0] }
        let signal = max(y.reduce(0) { $0 + $1 * $1 } / Double(y.count), 0.05)
        let agreements = codes.agreements(among: rows)
        var best: (likelihood: Double, choice: KernelChoice)?
        for lengthscale in lengthscales {
            for additive in additiveShares {
                for noiseShare in noiseShares {
                    let choice = KernelChoice(lengthscale: lengthscale, additive: additive, noiseShare: noiseShare)
                    guard
                        let likelihood = choice.likelihood(
                            of: y, agreements: agreements, genes: codes.genes, signal: signal)
                    else { continue }
                    if best == nil || likelihood > best!.likelihood { best = (likelihood, choice) }
                }
            }
        }
        return best?.choice ?? KernelChoice(lengthscale: lengthscales[0], additive: 0, noiseShare: noiseShares.last!)
    }

    /// The log marginal likelihood (up to a constant) of `y` under this choice with signal variance `signal`, given the
    /// agreement counts of its architectures (`y.count` squared, row-major) of `genes` genes; nil when the covariance
    /// does not factor.
    private func likelihood(of y: [Double], agreements: [UInt16], genes: Int, signal: Double) -> Double? {
        let m = y.count
        let table = self.table(genes: genes)
        var covariance = agreements.map { table[Int($0)] }
        for i in 0..<m { covariance[i * m + i] += noiseShare }
        guard KernelChoice.cholesky(&covariance, n: m, leading: m) else { return nil }
        var weights = y
        cblas_dtrsv(
            CblasColMajor, CblasLower, CblasNoTrans, CblasNonUnit, blasint(m), covariance, blasint(m), &weights, 1)
        // yᵀ(signal·(C + sI))⁻¹y = |L⁻¹y|² / signal; log det = m·log signal + 2·Σ log Lᵢᵢ.
        var likelihood = -0.5 * weights.reduce(0) { $0 + $1 * $1 } / signal - 0.5 * Double(m) * Glibc.log(signal)
        for i in 0..<m { likelihood -= Glibc.log(covariance[i * m + i]) }
        return likelihood
    }

    /// Replaces the leading `n` × `n` of the symmetric positive-definite `matrix` (column-major, leading dimension
    /// `leading`) by its lower Cholesky factor; false when it is not positive definite.
    static func cholesky(_ matrix: inout [Double], n: Int, leading: Int) -> Bool {
        guard n > 0 else { return true }
        var uplo = CChar(UInt8(ascii: "L"))
        var order = blasint(n)
        var lda = blasint(leading)
        var info: blasint = 0
        _ = dpotrf_(&uplo, &order, &matrix, &lda, &info)
        return info == 0
    }
}
