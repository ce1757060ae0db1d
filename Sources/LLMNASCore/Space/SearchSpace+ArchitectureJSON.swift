/// Architectures as JSON (docs/formats.md, "architecture"): one key per hyperparameter, per-layer values for the
/// active layers only.
extension SearchSpace {
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
                let expected =
                    counterIndex[i] == nil
                    ? geneCounts[i] : activeCount(ofHyperparameter: i, in: Architecture(genes: genes))
                let values: [JSONValue]
                if hp.shape == .scalar {
                    values = [given]
                } else {
                    guard let list = given.arrayValue else {
                        throw LLMNASError(
                            .invalidArchitecture,
                            "'\(hp.name)' must be a list of \(expected) values, not \(given.typeName)")
                    }
                    guard list.count == expected else {
                        let reason = counterIndex[i].map { " (\(hyperparameters[$0].name) is \(expected))" } ?? ""
                        throw LLMNASError(
                            .invalidArchitecture,
                            "'\(hp.name)' lists \(list.count) values; it must list \(expected)\(reason)")
                    }
                    values = list
                }
                for (position, element) in values.enumerated() {
                    let label = hp.shape == .scalar ? hp.name : "\(hp.name)[\(position)]"
                    guard let choice = Choice(json: element), let gene = hp.choices.firstIndex(of: choice) else {
                        let shown = JSONWriter.write(element)
                        let choices = hp.choices.map(\.description).joined(separator: ", ")
                        throw LLMNASError(
                            .invalidArchitecture, "'\(label)' = \(shown) is not one of the choices [\(choices)]")
                    }
                    genes[geneOffsets[i] + position] = gene
                }
            }
        }
        let architecture = Architecture(genes: genes)
        if let violated = violatedConstraint(architecture) {
            throw LLMNASError(
                .invalidArchitecture, "the architecture breaks a rule of space '\(name)': \(violated.description)")
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
