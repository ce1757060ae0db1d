/// How a space turns per-layer hyperparameters into features (`"layer_features"` in the space JSON).
public enum LayerFeatures: String, Sendable, Equatable {
    /// The mean over the active layers: one feature (one one-hot vector) per hyperparameter, HAT's encoding.
    case mean
    /// One feature (one one-hot vector) per possible layer, the inactive ones 0, so a predictor sees position and
    /// profile; the layer count is the counting hyperparameter's own feature.
    case perLayer = "per_layer"
}

/// The numeric features of an architecture, the input of the MLP predictors. Each hyperparameter in space order
/// contributes:
/// - a numeric one: its value (through `featureValues` when given); per-layer: the mean over active layers (or, with
///   `per_layer`, each possible layer's value, 0 past the active ones); a list: each value;
/// - a named one: a one-hot vector over its choices; per-layer: the mean of the active layers' one-hot vectors (or
///   one vector per possible layer, zeros past the active ones); a list: one one-hot vector per position.
/// For HAT's spaces this gives exactly HAT's features, the columns of its latency data (embedding dims, layer
/// counts, mean FFN dims, mean heads, mean number of attended encoder layers).
extension SearchSpace {
    /// How many feature positions hyperparameter `i` has: 1, or one per gene for lists and per-layer ones encoded
    /// per layer.
    private func featurePositions(_ i: Int) -> Int {
        switch hyperparameters[i].shape {
        case .scalar: 1
        case .list: geneCounts[i]
        case .perLayer: layerFeatures == .perLayer ? geneCounts[i] : 1
        }
    }

    /// The number of features of every architecture of the space.
    public var featureCount: Int {
        if let featurizer { return featurizer.count }
        var count = 0
        for (i, hp) in hyperparameters.enumerated() {
            count += (hp.isNumeric ? 1 : hp.choices.count) * featurePositions(i)
        }
        return count
    }

    /// Writes the features of `architecture` into `out`, which must hold `featureCount` values. Fails only for a
    /// host featurizer: unbound, failing, or writing a value that is not finite.
    public func writeFeatures(of architecture: Architecture, into out: UnsafeMutableBufferPointer<Float>)
        throws(LLMNASError)
    {
        if let featurizer { return try featurizer.write(architecture, in: self, into: out) }
        var k = 0
        for (i, hp) in hyperparameters.enumerated() {
            let genes = activeGenes(ofHyperparameter: i, in: architecture)
            let positions = featurePositions(i)
            switch (hp.shape == .scalar || positions == 1, hp.isNumeric) {
            case (false, true):
                for position in 0..<positions {
                    out[k] =
                        position < genes.count
                        ? Float(hp.featureValue(ofChoiceAt: genes[genes.startIndex + position])) : 0
                    k += 1
                }
            case (false, false):
                for position in 0..<positions {
                    for c in hp.choices.indices {
                        out[k] = position < genes.count && c == genes[genes.startIndex + position] ? 1 : 0
                        k += 1
                    }
                }
            case (true, true):
                var sum = 0.0
                for gene in genes { sum += hp.featureValue(ofChoiceAt: gene) }
                out[k] = Float(sum / Double(genes.count))
                k += 1
            case (true, false):
                for c in hp.choices.indices {
                    let hits = genes.reduce(0) { $0 + ($1 == c ? 1 : 0) }
                    out[k] = Float(Double(hits) / Double(genes.count))
                    k += 1
                }
            }
        }
    }

    /// The name of each feature, in order: a numeric hyperparameter's name (with "_avg" for the mean over active
    /// layers, "[i]" for list position or layer i), a named one's "name=choice" for each one-hot entry (likewise
    /// "_avg" and "[i]"). For HAT's spaces these are the feature columns of HAT's latency data.
    public var featureNames: [String] {
        if let featurizer { return (0..<featurizer.count).map { "\(featurizer.name)[\($0)]" } }
        var names: [String] = []
        for (i, hp) in hyperparameters.enumerated() {
            let bases: [String]
            switch hp.shape {
            case .scalar: bases = [hp.name]
            case .perLayer where featurePositions(i) == 1: bases = [hp.name + "_avg"]
            case .perLayer, .list: bases = (0..<geneCounts[i]).map { "\(hp.name)[\($0)]" }
            }
            for base in bases {
                if hp.isNumeric { names.append(base) } else { names += hp.choices.map { "\(base)=\($0.label)" } }
            }
        }
        return names
    }

    /// The features of `architecture` as an array; fails as `writeFeatures` does.
    public func features(of architecture: Architecture) throws(LLMNASError) -> [Float] {
        var features = [Float](repeating: 0, count: featureCount)
        try features.withUnsafeMutableBufferPointer { buffer throws(LLMNASError) in
            try writeFeatures(of: architecture, into: buffer)
        }
        return features
    }
}
