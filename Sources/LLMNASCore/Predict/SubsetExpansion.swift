/// A Gaussian process's posterior means for many candidates at once, exactly, when the space has few genes. The
/// covariance depends only on the number m of genes in which two architectures agree, and any table t over m (0 to G)
/// is, by Newton's forward differences, Σₖ Δᵏt(0)·C(m, k), where C(m, k) counts the k-subsets S of genes in which
/// the two agree. So Σⱼ wⱼ·t(mⱼ(x)) = Σ_S Δ^|S|t(0)·W_S(x), where W_S(x) sums the weights of the training
/// architectures that agree with x on every gene of S. The W_S share one table, indexed per gene by its value plus 1
/// inside the subset and 0 outside; summing it over the subsets of each gene vector, gene by gene, leaves the mean of
/// every gene vector in the entry whose genes are all inside, so a candidate's mean is one look-up.
struct SubsetExpansion {
    /// The most entries the table may have.
    static let tableLimit = 1 << 22

    /// The posterior mean of each gene vector, at the index with every gene inside.
    private let table: [Double]

    /// The expansion of `weights` on the architectures `training` under the covariance `covariance` by agreement
    /// count; nil when scoring `candidates` architectures through it would cost more than directly (one look-up per
    /// candidate and training architecture), or its table would exceed `tableLimit`.
    init?(covariance: [Double], weights: [Double], training: GeneCodes, candidates: Int) {
        let genes = training.genes
        guard covariance.count == genes + 1, let strides = SubsetExpansion.strides(of: training) else { return nil }
        let size = strides[genes - 1] * (training.values(ofGene: genes - 1) + 1)
        let subsets = 1 << genes
        guard subsets * weights.count + genes * size + candidates < candidates * weights.count else { return nil }
        // Δᵏt(0) for k = 0...G, by differencing the table G times.
        var differences = covariance
        var coefficients = [differences[0]]
        for _ in 0..<genes {
            differences = zip(differences.dropFirst(), differences).map { $0 - $1 }
            coefficients.append(differences[0])
        }
        var table = [Double](repeating: 0, count: size)
        var index = [Int](repeating: 0, count: subsets)
        table.withUnsafeMutableBufferPointer { table in
            index.withUnsafeMutableBufferPointer { index in
                for (j, weight) in weights.enumerated() {
                    SubsetExpansion.indices(of: training, row: j, strides: strides, into: index)
                    for subset in 0..<subsets { table[index[subset]] += weight * coefficients[subset.nonzeroBitCount] }
                }
            }
            // Gene by gene, an entry with the gene inside adds the entry with it outside.
            let entries = table.baseAddress!
            for (g, stride) in strides.enumerated() {
                let block = stride * (training.values(ofGene: g) + 1)
                var outside = entries
                while outside < entries + size {
                    var inside = outside + stride
                    while inside < outside + block {
                        for offset in 0..<stride { inside[offset] += outside[offset] }
                        inside += stride
                    }
                    outside += block
                }
            }
        }
        self.table = table
    }

    /// Per gene of architectures coded like `codes`, the table's stride; nil when the table would exceed
    /// `tableLimit` or the genes are too many (or none) to expand over their subsets.
    static func strides(of codes: GeneCodes) -> [Int]? {
        guard codes.genes > 0, codes.genes < 20 else { return nil }
        var strides: [Int] = []
        var size = 1
        for g in 0..<codes.genes {
            strides.append(size)
            size *= codes.values(ofGene: g) + 1
            if size > tableLimit { return nil }
        }
        return strides
    }

    /// The table index of each row of `codes` (the entry with every gene inside, where its mean lands); nil when
    /// there is no table for such codes (`strides(of:)`).
    static func indices(of codes: GeneCodes) -> [Int32]? {
        guard let strides = strides(of: codes) else { return nil }
        return (0..<codes.count).map { row in
            var index = 0
            for (g, stride) in strides.enumerated() { index += (codes.value(row: row, gene: g) + 1) * stride }
            return Int32(index)
        }
    }

    /// The posterior means of the architectures whose table indices are `indices` (`indices(of:)`), in their order.
    func means(at indices: [Int32]) -> [Double] {
        table.withUnsafeBufferPointer { table in indices.map { table[Int($0)] } }
    }

    /// The table index of every subset of genes for architecture `row`: a one-gene subset's is that gene's value
    /// plus 1 times its stride; a larger subset's, the sum of its lowest gene's and the rest's.
    private static func indices(
        of codes: GeneCodes, row: Int, strides: [Int], into index: UnsafeMutableBufferPointer<Int>
    ) {
        index[0] = 0
        for (g, stride) in strides.enumerated() { index[1 << g] = (codes.value(row: row, gene: g) + 1) * stride }
        for subset in 1..<index.count where subset & (subset - 1) != 0 {
            index[subset] = index[subset & (subset - 1)] + index[subset & -subset]
        }
    }
}
