/// The numeric features of an architecture, the input of the MLP predictors. Each hyperparameter in space order
/// contributes:
/// - a numeric one: its value (through `featureValues` when given); per-layer: the mean over active layers; a list:
///   each value;
/// - a named one: a one-hot vector over its choices; per-layer: the mean of the active layers' one-hot vectors;
///   a list: one one-hot vector per position.
/// For HAT's spaces this gives exactly HAT's features, the columns of its latency data (embedding dims, layer
/// counts, mean FFN dims, mean heads, mean number of attended encoder layers).
extension SearchSpace {
    /// The number of features of every architecture of the space.
    public var featureCount: Int {
        var count = 0
        for (i, hp) in hyperparameters.enumerated() {
            let width = hp.isNumeric ? 1 : hp.choices.count
            if case .list = hp.shape { count += width * geneCounts[i] } else { count += width }
        }
        return count
    }

    /// Writes the features of `architecture` into `out`, which must hold `featureCount` values.
    public func writeFeatures(of architecture: Architecture, into out: UnsafeMutableBufferPointer<Float>) {
        var k = 0
        for (i, hp) in hyperparameters.enumerated() {
            let genes = activeGenes(ofHyperparameter: i, in: architecture)
            switch (hp.shape, hp.isNumeric) {
            case (.list, true):
                for gene in genes {
                    out[k] = Float(hp.featureValue(ofChoiceAt: gene))
                    k += 1
                }
            case (.list, false):
                for gene in genes {
                    for c in hp.choices.indices {
                        out[k] = c == gene ? 1 : 0
                        k += 1
                    }
                }
            case (_, true):
                var sum = 0.0
                for gene in genes { sum += hp.featureValue(ofChoiceAt: gene) }
                out[k] = Float(sum / Double(genes.count))
                k += 1
            case (_, false):
                for c in hp.choices.indices {
                    let hits = genes.reduce(0) { $0 + ($1 == c ? 1 : 0) }
                    out[k] = Float(Double(hits) / Double(genes.count))
                    k += 1
                }
            }
        }
    }

    /// The name of each feature, in order: a numeric hyperparameter's name (with "_avg" for the mean over active
    /// layers, "[i]" for list position i), a named one's "name=choice" for each one-hot entry (likewise "_avg" and
    /// "[i]"). For HAT's spaces these are the feature columns of HAT's latency data.
    public var featureNames: [String] {
        var names: [String] = []
        for (i, hp) in hyperparameters.enumerated() {
            let bases: [String]
            switch hp.shape {
            case .scalar: bases = [hp.name]
            case .perLayer: bases = [hp.name + "_avg"]
            case .list: bases = (0..<geneCounts[i]).map { "\(hp.name)[\($0)]" }
            }
            for base in bases {
                if hp.isNumeric { names.append(base) } else { names += hp.choices.map { "\(base)=\($0.label)" } }
            }
        }
        return names
    }

    /// The features of `architecture` as an array.
    public func features(of architecture: Architecture) -> [Float] {
        [Float](unsafeUninitializedCapacity: featureCount) { buffer, count in
            writeFeatures(of: architecture, into: buffer)
            count = featureCount
        }
    }
}
