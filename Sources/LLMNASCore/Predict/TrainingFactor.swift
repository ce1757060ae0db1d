import COpenBLAS

/// The lower Cholesky factor of a Gaussian process's training covariance (signal variance 1, `KernelChoice`), grown
/// by a row per architecture as scores arrive, so that a search or an Optuna study scoring the whole space after every
/// score pays a triangular solve per new score rather than a factorization.
///
/// It is a function of the training architectures and their scores alone, however it was reached: for n rows the
/// kernel is the one chosen on the first `KernelChoice.choiceCount(for: n)` = m rows (their scores' standardized
/// warp), the first m rows are factored at once, and each later row is appended by a triangular solve against the
/// rows before it. `grow(to:scores:)` follows the same steps from whatever prefix it holds, so processes told the
/// same scores hold the same factor, bit for bit. Should a row not factor (it cannot with the grid's noise, but
/// rounding is rounding) the next larger noise share is taken from the first row on.
struct TrainingFactor {
    /// The kernel the factor is of.
    private(set) var choice: KernelChoice
    /// The training architectures' codes, in order.
    private(set) var codes: GeneCodes
    /// The scores of the first `KernelChoice.choiceCount(for: rows)` rows, from which `choice` was made.
    private var choiceScores: [Double]
    /// The factor, column-major with leading dimension `capacity` (a power of two, so that it too is a function of
    /// the row count); entries beyond the rows are zero.
    private(set) var factor: [Double]
    /// The leading dimension of `factor`.
    private(set) var capacity: Int
    /// The covariance by agreement count under `choice`.
    private(set) var table: [Double]

    /// How many training architectures the factor holds.
    var rows: Int { codes.count }

    /// The factor of the architectures `codes` holds, whose scores are `scores` (in the same order).
    init(codes: GeneCodes, scores: [Double]) {
        let m = KernelChoice.choiceCount(for: codes.count)
        let first = codes.prefix(m)
        choiceScores = Array(scores.prefix(m))
        choice = KernelChoice.chosen(for: first, targets: OutputWarp(choiceScores).standardized)
        self.codes = first
        capacity = TrainingFactor.capacity(for: codes.count)
        factor = []
        table = []
        refactor(from: choice.noiseShare)
        extend(to: codes)
    }

    /// Becomes the factor for `codes` and `scores`: grown when `codes` continue its architectures and the kernel still
    /// holds (the same choice count, chosen on the same scores), else made anew.
    mutating func grow(to codes: GeneCodes, scores: [Double]) {
        let m = KernelChoice.choiceCount(for: codes.count)
        guard m == choiceScores.count, codes.count >= rows, codes.starts(with: self.codes),
            scores.prefix(m).elementsEqual(choiceScores)
        else {
            self = TrainingFactor(codes: codes, scores: scores)
            return
        }
        if TrainingFactor.capacity(for: codes.count) != capacity { widen(to: codes.count) }
        extend(to: codes)
    }

    /// Solves (C + noise·I)·x = `b` in place for the training covariance C.
    func solve(_ b: inout [Double]) {
        guard rows > 0 else { return }
        cblas_dtrsv(
            CblasColMajor, CblasLower, CblasNoTrans, CblasNonUnit, blasint(rows), factor, blasint(capacity), &b, 1)
        cblas_dtrsv(
            CblasColMajor, CblasLower, CblasTrans, CblasNonUnit, blasint(rows), factor, blasint(capacity), &b, 1)
    }

    /// The leading dimension for `rows` rows.
    private static func capacity(for rows: Int) -> Int {
        var capacity = 64
        while capacity < rows { capacity *= 2 }
        return capacity
    }

    /// Factors the first `choiceScores.count` rows at once with noise share `share`, or the next larger share that
    /// factors (the largest always does: the covariance's eigenvalues are at least the noise; were rounding to defeat
    /// it, the rows would be taken as unrelated).
    private mutating func refactor(from share: Double) {
        let m = choiceScores.count
        codes = codes.prefix(m)
        let agreements = codes.agreements(among: Array(0..<m))
        for candidate in KernelChoice.noiseShares where candidate >= share {
            choice.noiseShare = candidate
            table = choice.table(genes: codes.genes)
            factor = [Double](repeating: 0, count: capacity * capacity)
            for j in 0..<m {
                for i in j..<m { factor[j * capacity + i] = table[Int(agreements[i * m + j])] }
                factor[j * capacity + j] += candidate
            }
            // dpotrf leaves the strict upper triangle as it was: zero.
            if KernelChoice.cholesky(&factor, n: m, leading: capacity) { return }
        }
        factor = [Double](repeating: 0, count: capacity * capacity)
        for j in 0..<m { factor[j * capacity + j] = (1 + choice.noiseShare).squareRoot() }
    }

    /// Appends the rows of `codes` beyond those held, one triangular solve each.
    private mutating func extend(to codes: GeneCodes) {
        var row = [Double](repeating: 0, count: codes.count)
        var n = rows
        while n < codes.count {
            for (j, agreeing) in codes.agreements(ofRow: n, withRowsBefore: n).enumerated() {
                row[j] = table[Int(agreeing)]
            }
            cblas_dtrsv(
                CblasColMajor, CblasLower, CblasNoTrans, CblasNonUnit, blasint(n), factor, blasint(capacity), &row, 1)
            var rest = 1 + choice.noiseShare - (0..<n).reduce(0) { $0 + row[$1] * row[$1] }
            if rest <= 1e-3 * choice.noiseShare {
                if let share = KernelChoice.noiseShares.first(where: { $0 > choice.noiseShare }) {
                    refactor(from: share)
                    n = rows
                    continue
                }
                rest = choice.noiseShare  // rounding beyond the largest noise: the row counts as noise alone
            }
            for j in 0..<n { factor[j * capacity + n] = row[j] }
            factor[n * capacity + n] = rest.squareRoot()
            n += 1
        }
        self.codes = codes
    }

    /// Copies the factor into a larger leading dimension, for `rows` rows.
    private mutating func widen(to rows: Int) {
        let wider = TrainingFactor.capacity(for: rows)
        var copy = [Double](repeating: 0, count: wider * wider)
        for j in 0..<self.rows {
            for i in j..<self.rows { copy[j * wider + i] = factor[j * capacity + i] }
        }
        (factor, capacity) = (copy, wider)
    }
}
