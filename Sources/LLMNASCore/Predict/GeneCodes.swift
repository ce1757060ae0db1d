/// Architectures as one-hot rows over their genes: one column per gene and value, plus one per gene for "unset" (an
/// inactive layer), so every row holds exactly `genes` ones and the dot product of two rows counts the genes in which
/// they agree. The Gaussian-process screen's kernel reads nothing else: it treats every hyperparameter as categorical.
struct GeneCodes: Sendable {
    /// Genes per architecture.
    let genes: Int
    /// Columns of a one-hot row.
    let width: Int
    /// Per architecture, the column of each gene's value, row after row.
    private(set) var columns: [Int32]
    /// Each gene's first column (its "unset" column); gene g's values are the columns from `offsets[g]` on.
    let offsets: [Int]

    /// The codes of `architectures` (canonical ones, so inactive layers read as unset) of `space`.
    init(_ architectures: [Architecture], in space: SearchSpace) {
        var offsets: [Int] = []
        var width = 0
        for (i, hp) in space.hyperparameters.enumerated() {
            for _ in 0..<space.geneCounts[i] {
                offsets.append(width)
                width += hp.choices.count + 1
            }
        }
        genes = offsets.count
        self.width = width
        self.offsets = offsets
        columns = []
        columns.reserveCapacity(architectures.count * genes)
        for architecture in architectures {
            for (g, value) in architecture.genes.enumerated() { columns.append(Int32(offsets[g] + value + 1)) }
        }
    }

    /// The codes of the rows `picks` names, in its order: a pick names row `row` of `source`, where every source has
    /// these genes.
    func gathering(_ picks: [(source: GeneCodes, row: Int)]) -> GeneCodes {
        var gathered = self
        gathered.columns = [Int32](unsafeUninitializedCapacity: picks.count * genes) { buffer, initialized in
            for (r, pick) in picks.enumerated() {
                pick.source.columns.withUnsafeBufferPointer { columns in
                    for g in 0..<genes { buffer[r * genes + g] = columns[pick.row * genes + g] }
                }
            }
            initialized = picks.count * genes
        }
        return gathered
    }

    /// The codes of the first `count` rows.
    func prefix(_ count: Int) -> GeneCodes {
        var first = self
        first.columns = Array(columns.prefix(count * genes))
        return first
    }

    /// Whether the first rows are those of `other`.
    func starts(with other: GeneCodes) -> Bool { genes == other.genes && columns.starts(with: other.columns) }

    /// For each architecture, the number of genes in which it agrees with `other`'s architecture `row`.
    func agreement(with other: GeneCodes, row: Int) -> [UInt16] {
        let target = other.columns[(row * genes)..<((row + 1) * genes)]
        var agreeing = [UInt16](repeating: 0, count: count)
        columns.withUnsafeBufferPointer { columns in
            for i in 0..<count {
                var same: UInt16 = 0
                for (g, column) in target.enumerated() where columns[i * genes + g] == column { same += 1 }
                agreeing[i] = same
            }
        }
        return agreeing
    }

    /// The number of genes in which each two of rows `rows` agree (rows.count squared, row-major).
    func agreements(among rows: [Int]) -> [UInt16] {
        let m = rows.count
        var agreeing = [UInt16](repeating: UInt16(genes), count: m * m)
        columns.withUnsafeBufferPointer { columns in
            agreeing.withUnsafeMutableBufferPointer { agreeing in
                for a in 0..<m {
                    let x = columns.baseAddress! + rows[a] * genes
                    for b in 0..<a {
                        let same = GeneCodes.agreement(x, columns.baseAddress! + rows[b] * genes, genes: genes)
                        (agreeing[a * m + b], agreeing[b * m + a]) = (same, same)
                    }
                }
            }
        }
        return agreeing
    }

    /// The number of genes in which row `i` agrees with each of the rows before `count`.
    func agreements(ofRow i: Int, withRowsBefore count: Int) -> [UInt16] {
        columns.withUnsafeBufferPointer { columns in
            let x = columns.baseAddress! + i * genes
            return (0..<count).map { GeneCodes.agreement(x, columns.baseAddress! + $0 * genes, genes: genes) }
        }
    }

    /// The number of positions of `genes` in which the columns `x` and `y` agree.
    private static func agreement(_ x: UnsafePointer<Int32>, _ y: UnsafePointer<Int32>, genes: Int) -> UInt16 {
        var same: UInt16 = 0
        for g in 0..<genes where x[g] == y[g] { same += 1 }
        return same
    }

    /// How many values gene `g` can take, "unset" included.
    func values(ofGene g: Int) -> Int { (g + 1 < genes ? offsets[g + 1] : width) - offsets[g] }

    /// Architecture `row`'s value of gene `g`: 0 for unset, else the choice's index plus 1.
    func value(row: Int, gene g: Int) -> Int { Int(columns[row * genes + g]) - offsets[g] }

    /// How many architectures the codes hold.
    var count: Int { genes == 0 ? 0 : columns.count / genes }

    /// Rows `rows` as a dense one-hot matrix, row-major (rows.count × width).
    func oneHot(rows: some Collection<Int>) -> [Double] {
        var matrix = [Double](repeating: 0, count: rows.count * width)
        for (r, row) in rows.enumerated() {
            for g in 0..<genes { matrix[r * width + Int(columns[row * genes + g])] = 1 }
        }
        return matrix
    }
}
