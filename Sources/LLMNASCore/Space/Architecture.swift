/// One point of a search space as its gene vector: for every gene, the index of the chosen value among the
/// hyperparameter's choices. Genes of inactive layers (beyond the layer count) may hold a value, kept so that
/// evolution can reactivate them as HAT does, or `Architecture.unset` when the architecture came from JSON, which
/// lists active layers only. Two architectures with the same active values are the same network: compare with
/// `SearchSpace.canonical(_:)`.
public struct Architecture: Hashable, Sendable {
    /// The gene value of an inactive layer that holds no choice.
    public static let unset = -1

    /// The genes, laid out as `SearchSpace` describes (hyperparameter order, one gene per scalar, per list position
    /// and per possible layer).
    public var genes: [Int]

    /// An architecture from its genes; `SearchSpace.check(_:)` validates them.
    public init(genes: [Int]) { self.genes = genes }
}

extension SearchSpace {
    /// How many values of hyperparameter `index` are active in `architecture`: 1 for a scalar, the list length, or
    /// the value of the layer count.
    public func activeCount(ofHyperparameter index: Int, in architecture: Architecture) -> Int {
        guard let counter = counterIndex[index] else { return geneCounts[index] }
        let gene = architecture.genes[geneOffsets[counter]]
        guard case let .int(n) = hyperparameters[counter].choices[gene] else { return 0 }
        return n
    }

    /// The choice indices of the active values of hyperparameter `index`.
    public func activeGenes(ofHyperparameter index: Int, in architecture: Architecture) -> ArraySlice<Int> {
        let start = geneOffsets[index]
        return architecture.genes[start..<(start + activeCount(ofHyperparameter: index, in: architecture))]
    }

    /// The architecture with every inactive gene unset: equal for any two encodings of the same network.
    public func canonical(_ architecture: Architecture) -> Architecture {
        var genes = architecture.genes
        for i in hyperparameters.indices where counterIndex[i] != nil {
            let active = activeCount(ofHyperparameter: i, in: architecture)
            for g in (geneOffsets[i] + active)..<(geneOffsets[i] + geneCounts[i]) { genes[g] = Architecture.unset }
        }
        return Architecture(genes: genes)
    }

    /// Checks a gene vector: the right length, every active gene a valid choice index, inactive genes valid or
    /// unset, and the space's constraints. The message names the offending hyperparameter.
    public func check(_ architecture: Architecture) throws(LLMNASError) {
        guard architecture.genes.count == geneCount else {
            throw LLMNASError(.invalidArchitecture, "the gene vector has \(architecture.genes.count) genes; space '\(name)' has \(geneCount)")
        }
        for (i, hp) in hyperparameters.enumerated() where counterIndex[i] == nil {
            for g in geneOffsets[i]..<(geneOffsets[i] + geneCounts[i]) where !hp.choices.indices.contains(architecture.genes[g]) {
                throw LLMNASError(.invalidArchitecture, "gene \(g) of '\(hp.name)' is \(architecture.genes[g]), not a choice index 0..<\(hp.choices.count)")
            }
        }
        for (i, hp) in hyperparameters.enumerated() where counterIndex[i] != nil {
            let active = activeCount(ofHyperparameter: i, in: architecture)
            for g in geneOffsets[i]..<(geneOffsets[i] + geneCounts[i]) {
                let gene = architecture.genes[g]
                let valid = hp.choices.indices.contains(gene) || (g - geneOffsets[i] >= active && gene == Architecture.unset)
                guard valid else {
                    throw LLMNASError(.invalidArchitecture, "gene \(g) of '\(hp.name)' is \(gene), not a choice index 0..<\(hp.choices.count)")
                }
            }
        }
        if let violated = violatedConstraint(architecture) {
            throw LLMNASError(.invalidArchitecture, "the architecture breaks a rule of space '\(name)': \(violated.description)")
        }
    }

    /// The first constraint `architecture` breaks, or nil.
    public func violatedConstraint(_ architecture: Architecture) -> SpaceConstraint? {
        for constraint in constraints {
            switch constraint {
            case let .notAllEqual(hpName, value):
                let i = index(of: hpName)!
                let forbidden = hyperparameters[i].choices.firstIndex(of: value)!
                if activeGenes(ofHyperparameter: i, in: architecture).allSatisfy({ $0 == forbidden }) { return constraint }
            }
        }
        return nil
    }

    /// Reads an architecture from JSON text: an object with exactly one key per hyperparameter, per-layer values as
    /// arrays of the active layers.
    public func architecture(fromJSON text: String) throws(LLMNASError) -> Architecture {
        try architecture(from: JSONParser.parse(text))
    }

    /// Reads an architecture from a parsed JSON object; see `architecture(fromJSON:)`.
    public func architecture(from value: JSONValue) throws(LLMNASError) -> Architecture {
        guard let members = value.objectMembers else {
            throw LLMNASError(.invalidArchitecture, "an architecture must be a JSON object, not \(value.typeName)")
        }
        for (key, _) in members where index(of: key) == nil {
            throw LLMNASError(.invalidArchitecture, "unknown hyperparameter '\(key)' for space '\(name)'")
        }
        var genes = [Int](repeating: Architecture.unset, count: geneCount)
        // Layer counts first: they fix how many values the per-layer hyperparameters must list.
        for pass in 0..<2 {
            for (i, hp) in hyperparameters.enumerated() where (counterIndex[i] == nil) == (pass == 0) {
                guard let given = value[hp.name] else {
                    throw LLMNASError(.invalidArchitecture, "missing hyperparameter '\(hp.name)'")
                }
                let expected = counterIndex[i] == nil ? geneCounts[i] : activeCount(ofHyperparameter: i, in: Architecture(genes: genes))
                let values: [JSONValue]
                if hp.shape == .scalar {
                    values = [given]
                } else {
                    guard let list = given.arrayValue else {
                        throw LLMNASError(.invalidArchitecture, "'\(hp.name)' must be a list of \(expected) values, not \(given.typeName)")
                    }
                    guard list.count == expected else {
                        let reason = counterIndex[i].map { " (\(hyperparameters[$0].name) is \(expected))" } ?? ""
                        throw LLMNASError(.invalidArchitecture, "'\(hp.name)' lists \(list.count) values; it must list \(expected)\(reason)")
                    }
                    values = list
                }
                for (position, element) in values.enumerated() {
                    let label = hp.shape == .scalar ? hp.name : "\(hp.name)[\(position)]"
                    guard let choice = Choice(json: element), let gene = hp.choices.firstIndex(of: choice) else {
                        let shown = JSONWriter.write(element)
                        let choices = hp.choices.map(\.description).joined(separator: ", ")
                        throw LLMNASError(.invalidArchitecture, "'\(label)' = \(shown) is not one of the choices [\(choices)]")
                    }
                    genes[geneOffsets[i] + position] = gene
                }
            }
        }
        let architecture = Architecture(genes: genes)
        if let violated = violatedConstraint(architecture) {
            throw LLMNASError(.invalidArchitecture, "the architecture breaks a rule of space '\(name)': \(violated.description)")
        }
        return architecture
    }

    /// The architecture as a JSON object: one key per hyperparameter in space order, per-layer values for active
    /// layers only.
    public func json(of architecture: Architecture) -> JSONValue {
        var members: [(String, JSONValue)] = []
        for (i, hp) in hyperparameters.enumerated() {
            let active = activeGenes(ofHyperparameter: i, in: architecture).map { hp.choices[$0].json }
            members.append((hp.name, hp.shape == .scalar ? active[0] : .array(active)))
        }
        return .object(members)
    }

    /// The architecture as compact JSON text.
    public func jsonText(of architecture: Architecture) -> String { JSONWriter.write(json(of: architecture)) }
}
