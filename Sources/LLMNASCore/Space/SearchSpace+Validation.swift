/// Whether a gene vector is an architecture of the space: valid choice indices and the space's constraints.
extension SearchSpace {
    /// Checks a gene vector: the right length, every active gene a valid choice index, inactive genes valid or
    /// unset, and the space's constraints. The message names the offending hyperparameter.
    public func check(_ architecture: Architecture) throws(LLMNASError) {
        guard architecture.genes.count == geneCount else {
            throw LLMNASError(
                .invalidArchitecture,
                "the gene vector has \(architecture.genes.count) genes; space '\(name)' has \(geneCount)")
        }
        for (i, hp) in hyperparameters.enumerated() where counterIndex[i] == nil {
            for g in geneOffsets[i]..<(geneOffsets[i] + geneCounts[i])
            where !hp.choices.indices.contains(architecture.genes[g]) {
                throw LLMNASError(
                    .invalidArchitecture,
                    "gene \(g) of '\(hp.name)' is \(architecture.genes[g]), not a choice index 0..<\(hp.choices.count)")
            }
        }
        for (i, hp) in hyperparameters.enumerated() where counterIndex[i] != nil {
            let active = activeCount(ofHyperparameter: i, in: architecture)
            for g in geneOffsets[i]..<(geneOffsets[i] + geneCounts[i]) {
                let gene = architecture.genes[g]
                let valid =
                    hp.choices.indices.contains(gene) || (g - geneOffsets[i] >= active && gene == Architecture.unset)
                guard valid else {
                    throw LLMNASError(
                        .invalidArchitecture,
                        "gene \(g) of '\(hp.name)' is \(gene), not a choice index 0..<\(hp.choices.count)")
                }
            }
        }
        if let violated = violatedConstraint(architecture) {
            throw LLMNASError(
                .invalidArchitecture, "the architecture breaks a rule of space '\(name)': \(violated.description)")
        }
    }

    /// The first constraint `architecture` breaks, or nil.
    public func violatedConstraint(_ architecture: Architecture) -> SpaceConstraint? {
        for constraint in constraints {
            switch constraint {
            case .notAllEqual(let hpName, let value):
                let i = index(of: hpName)!
                let forbidden = hyperparameters[i].choices.firstIndex(of: value)!
                if activeGenes(ofHyperparameter: i, in: architecture).allSatisfy({ $0 == forbidden }) {
                    return constraint
                }
            }
        }
        return nil
    }
}
