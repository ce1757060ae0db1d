/// HAT's random operators on architectures: uniform sampling, per-gene mutation and uniform crossover. Each draws
/// from the project's seeded generator and retries, up to `SearchSpace.maximumAttempts`, while the space's
/// constraints reject the result.
extension SearchSpace {
    /// How many draws an operator makes before it reports that the space's constraints leave nothing feasible.
    public static let maximumAttempts = 10_000

    /// An architecture with every gene (inactive layers included) drawn uniformly from its choices.
    public func sample(using generator: inout SeededGenerator) throws(LLMNASError) -> Architecture {
        try retrying { () -> Architecture in
            var genes = [Int](repeating: 0, count: geneCount)
            for (i, hp) in hyperparameters.enumerated() {
                for g in geneOffsets[i]..<(geneOffsets[i] + geneCounts[i]) {
                    genes[g] = generator.index(below: hp.choices.count)
                }
            }
            return Architecture(genes: genes)
        }
    }

    /// `count` architectures (0 to `ArchitectureBatch.maximumCount`) drawn one after another as `sample(using:)` draws.
    public func sample(_ count: Int, using generator: inout SeededGenerator) throws(LLMNASError) -> [Architecture] {
        guard (0...ArchitectureBatch.maximumCount).contains(count) else {
            throw LLMNASError(
                .invalidArgument,
                "count \(count) exceeds the bound of \(ArchitectureBatch.maximumCount) architectures per call")
        }
        var architectures: [Architecture] = []
        architectures.reserveCapacity(count)
        for _ in 0..<count { architectures.append(try sample(using: &generator)) }
        return architectures
    }

    /// `parent` with each gene redrawn with probability `probability` (HAT's mutation). Inactive layers that the
    /// parent left unset and that become active are drawn uniformly.
    public func mutate(
        _ parent: Architecture, probability: Double,
        using generator: inout SeededGenerator
    ) throws(LLMNASError) -> Architecture {
        guard probability.isFinite, (0...1).contains(probability) else {
            throw LLMNASError(.invalidArgument, "the mutation probability must lie in [0, 1], not \(probability)")
        }
        try check(parent)
        return try retrying { () -> Architecture in
            var child = parent
            for (i, hp) in hyperparameters.enumerated() {
                for g in geneOffsets[i]..<(geneOffsets[i] + geneCounts[i]) where generator.unit() < probability {
                    child.genes[g] = generator.index(below: hp.choices.count)
                }
            }
            return filledIn(child, using: &generator)
        }
    }

    /// A child taking each gene from `a` or `b` with equal chance (HAT's crossover). Inactive genes unset in the
    /// chosen parent come from the other parent, or are drawn uniformly when both lack them.
    public func crossover(
        _ a: Architecture, _ b: Architecture,
        using generator: inout SeededGenerator
    ) throws(LLMNASError) -> Architecture {
        try check(a)
        try check(b)
        return try retrying { () -> Architecture in
            var genes = a.genes
            for g in genes.indices {
                let fromB = generator.next() & 1 == 1
                let first = fromB ? b.genes[g] : a.genes[g]
                genes[g] = first != Architecture.unset ? first : (fromB ? a.genes[g] : b.genes[g])
            }
            return filledIn(Architecture(genes: genes), using: &generator)
        }
    }

    /// `architecture` with every active unset gene drawn uniformly.
    private func filledIn(_ architecture: Architecture, using generator: inout SeededGenerator) -> Architecture {
        var result = architecture
        for (i, hp) in hyperparameters.enumerated() where counterIndex[i] != nil {
            let active = activeCount(ofHyperparameter: i, in: result)
            for g in geneOffsets[i]..<(geneOffsets[i] + active) where result.genes[g] == Architecture.unset {
                result.genes[g] = generator.index(below: hp.choices.count)
            }
        }
        return result
    }

    private func retrying(_ draw: () -> Architecture) throws(LLMNASError) -> Architecture {
        for _ in 0..<SearchSpace.maximumAttempts {
            let candidate = draw()
            if violatedConstraint(candidate) == nil { return candidate }
        }
        throw LLMNASError(
            .infeasible,
            "no architecture of space '\(name)' met its constraints in \(SearchSpace.maximumAttempts) draws")
    }
}
