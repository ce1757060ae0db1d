/// What an architecture costs: parameters and FLOPs, by the space's cost model.
public struct CostCounts: Sendable, Equatable {
    /// Parameters without embeddings.
    public let parameters: Int
    /// Parameters of the target embedding (decoder width times vocabulary) as HAT reports them; 0 for a CNN.
    public let embeddingParameters: Int
    /// FLOPs of one forward pass, output projection (or classifier) included.
    public let flops: Int
    /// FLOPs of the output projection (a CNN's classifier) alone.
    public let outputProjectionFlops: Int
}

/// A space's built-in cost model, one per architecture family common enough to earn one; named by `kind` in the
/// space JSON.
public enum CostModel: Sendable, Equatable {
    /// HAT's encoder-decoder Transformer (`"hat-transformer"`).
    case transformer(TransformerCostModel)
    /// A plain convolutional network (`"cnn"`).
    case cnn(CNNCostModel)
    /// A function of the host's, bound by name (`"host"`).
    case host(HostCostModel)

    /// Parameters and FLOPs of `architecture` in `space`; a host model fails when unbound or when its function does.
    public func counts(of architecture: Architecture, in space: SearchSpace) throws(LLMNASError) -> CostCounts {
        switch self {
        case .transformer(let model): model.counts(of: architecture, in: space)
        case .cnn(let model): model.counts(of: architecture, in: space)
        case .host(let model): try model.counts(of: architecture, in: space)
        }
    }

    /// Why `hyperparameters` cannot carry this model, or nil when they can.
    func problem(with hyperparameters: [Hyperparameter]) -> String? {
        switch self {
        case .transformer: TransformerCostModel.check(hyperparameters)
        case .cnn: CNNCostModel.check(hyperparameters)
        case .host: nil
        }
    }

    /// Reads a space's `"cost_model"` object.
    init(json: JSONValue) throws(LLMNASError) {
        let kinds = ["hat-transformer", "cnn", "host"]
        guard let kind = json["kind"]?.stringValue, kinds.contains(kind) else {
            throw LLMNASError(
                .invalidSpace, "cost_model: unknown kind; the known kinds are \"hat-transformer\", \"cnn\", \"host\"")
        }
        if kind == "host" {
            let m = try JSONObjectReader(json, context: "cost_model", allowed: ["kind", "name"], kind: .invalidSpace)
            self = .host(try HostCostModel(name: try m.requiredString("name")))
        } else if kind == "cnn" {
            let m = try JSONObjectReader(
                json, context: "cost_model", allowed: ["kind", "input_channels", "image_size", "classes"],
                kind: .invalidSpace)
            self = .cnn(
                try CNNCostModel(
                    inputChannels: try m.int("input_channels") ?? 3, imageSize: try m.int("image_size") ?? 32,
                    classes: try m.int("classes") ?? 10))
        } else {
            let m = try JSONObjectReader(
                json, context: "cost_model", allowed: ["kind", "vocabulary_size", "sequence_length", "qkv_dim"],
                kind: .invalidSpace)
            self = .transformer(
                try TransformerCostModel(
                    vocabularySize: try m.requiredInt("vocabulary_size"),
                    sequenceLength: try m.int("sequence_length") ?? 30, qkvDim: try m.int("qkv_dim") ?? 512))
        }
    }

    /// The `"cost_model"` object `init(json:)` reads.
    var json: JSONValue {
        switch self {
        case .transformer(let model):
            .object([
                ("kind", .string("hat-transformer")),
                ("vocabulary_size", .number(Double(model.vocabularySize))),
                ("sequence_length", .number(Double(model.sequenceLength))), ("qkv_dim", .number(Double(model.qkvDim))),
            ])
        case .cnn(let model):
            .object([
                ("kind", .string("cnn")), ("input_channels", .number(Double(model.inputChannels))),
                ("image_size", .number(Double(model.imageSize))), ("classes", .number(Double(model.classes))),
            ])
        case .host(let model): .object([("kind", .string("host")), ("name", .string(model.name))])
        }
    }
}

extension SearchSpace {
    /// The active values of the hyperparameter `name` (which must exist) in `architecture`, as the integers a cost
    /// model counts with (0 for a choice that is not an integer, which the models' checks rule out).
    func integerValues(of name: String, in architecture: Architecture) -> [Int] {
        let i = index(of: name)!
        return activeGenes(ofHyperparameter: i, in: architecture).map {
            if case .int(let v) = hyperparameters[i].choices[$0] { return v } else { return 0 }
        }
    }
}
