/// Reading an architecture's gene vector: which values are active, and the canonical form of a network.
extension SearchSpace {
    /// How many values of hyperparameter `index` are active in `architecture`: 1 for a scalar, the list length, or
    /// the value of the layer count.
    public func activeCount(ofHyperparameter index: Int, in architecture: Architecture) -> Int {
        guard let counter = counterIndex[index] else { return geneCounts[index] }
        let gene = architecture.genes[geneOffsets[counter]]
        guard case .int(let n) = hyperparameters[counter].choices[gene] else { return 0 }
        return n
    }

    /// The choice indices of the active values of hyperparameter `index`.
    public func activeGenes(ofHyperparameter index: Int, in architecture: Architecture) -> ArraySlice<Int> {
        let start = geneOffsets[index]
        return architecture.genes[start..<(start + activeCount(ofHyperparameter: index, in: architecture))]
    }

    /// The architecture with every inactive gene unset and, in a space with a cell, the cell's genes those of the
    /// network's first encoding: equal for any two encodings of the same network.
    public func canonical(_ architecture: Architecture) -> Architecture {
        var genes = architecture.genes
        for i in hyperparameters.indices where counterIndex[i] != nil {
            let active = activeCount(ofHyperparameter: i, in: architecture)
            for g in (geneOffsets[i] + active)..<(geneOffsets[i] + geneCounts[i]) { genes[g] = Architecture.unset }
        }
        isomorphism?.canonicalize(&genes)
        return Architecture(genes: genes)
    }
}
