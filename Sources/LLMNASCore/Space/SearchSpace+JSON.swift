/// Search spaces as JSON:
/// ```json
/// {"name": "my-space", "task": "…", "metric": {"name": "BLEU", "higher_is_better": true, "min": 0, "max": 100},
///  "hyperparameters": [
///    {"name": "decoder_layer_num", "meaning": "…", "choices": [1, 2, 3]},
///    {"name": "decoder_ffn_embed_dim", "meaning": "…", "choices": [1024, 2048], "layers": "decoder_layer_num"},
///    {"name": "ops", "meaning": "…", "choices": ["gcn", "skip"], "length": 4},
///    {"name": "attn", "meaning": "…", "choices": [-1, 1, 2], "layers": "decoder_layer_num",
///     "feature_values": [1, 2, 3]}],
///  "constraints": [{"kind": "not_all_equal", "hyperparameter": "ops", "value": "skip"}],
///  "cost_model": {"kind": "hat-transformer", "vocabulary_size": 32768, "sequence_length": 30, "qkv_dim": 512}}
/// ```
/// `constraints` and `cost_model` are optional; unknown keys are errors, so a typo never passes silently
/// (docs/formats.md, "search space").
extension SearchSpace {
    /// Reads a search space from JSON text and checks it.
    public static func fromJSON(_ text: String) throws(LLMNASError) -> SearchSpace {
        try SearchSpace(json: JSONParser.parse(text))
    }

    /// Reads a search space from parsed JSON and checks it.
    public init(json: JSONValue) throws(LLMNASError) {
        let reader = try JSONObjectReader(
            json, context: "search space",
            allowed: [
                "name", "task", "metric", "hyperparameters", "constraints", "cost_model", "layer_features",
                "featurizer", "cell",
            ],
            kind: .invalidSpace)
        let name = try reader.requiredString("name")
        let metricReader = try JSONObjectReader(
            reader.required("metric"), context: "metric",
            allowed: ["name", "higher_is_better", "min", "max", "decimals"], kind: .invalidSpace)
        let metric = Metric(
            name: try metricReader.requiredString("name"),
            higherIsBetter: try metricReader.bool("higher_is_better") ?? true,
            minimum: try metricReader.requiredNumber("min"), maximum: try metricReader.requiredNumber("max"),
            decimals: try metricReader.int("decimals", in: 0...9) ?? 2)
        guard let hpList = try reader.required("hyperparameters").arrayValue else {
            throw LLMNASError(.invalidSpace, "search space: 'hyperparameters' must be an array")
        }
        var hyperparameters: [Hyperparameter] = []
        for (i, hpJSON) in hpList.enumerated() {
            let hp = try JSONObjectReader(
                hpJSON, context: "hyperparameter \(i)",
                allowed: ["name", "meaning", "choices", "layers", "length", "feature_values"], kind: .invalidSpace)
            guard let choiceList = try hp.required("choices").arrayValue else {
                throw LLMNASError(.invalidSpace, "hyperparameter \(i): 'choices' must be an array")
            }
            var choices: [Choice] = []
            for element in choiceList {
                guard let choice = Choice(json: element) else {
                    throw LLMNASError(
                        .invalidSpace,
                        "hyperparameter \(i): a choice must be a finite number or a string, not \(JSONWriter.write(element))"
                    )
                }
                choices.append(choice)
            }
            let layers = try hp.string("layers")
            let length = try hp.int("length")
            let shape: Hyperparameter.Shape
            switch (layers, length) {
            case (nil, nil): shape = .scalar
            case (let counter?, nil): shape = .perLayer(countedBy: counter)
            case (nil, let n?): shape = .list(length: n)
            default: throw LLMNASError(.invalidSpace, "hyperparameter \(i): give 'layers' or 'length', not both")
            }
            var featureValues: [Double]? = nil
            if let values = hp.value("feature_values") {
                guard let list = values.arrayValue else {
                    throw LLMNASError(
                        .invalidSpace, "hyperparameter \(i): 'feature_values' must be an array of numbers")
                }
                featureValues = try list.map { (v: JSONValue) throws(LLMNASError) -> Double in
                    guard case .number(let d) = v else {
                        throw LLMNASError(.invalidSpace, "hyperparameter \(i): 'feature_values' must be numbers")
                    }
                    return d
                }
            }
            hyperparameters.append(
                Hyperparameter(
                    name: try hp.requiredString("name"), meaning: try hp.requiredString("meaning"),
                    choices: choices, shape: shape, featureValues: featureValues))
        }
        var constraints: [SpaceConstraint] = []
        if let list = reader.value("constraints") {
            guard let elements = list.arrayValue else {
                throw LLMNASError(.invalidSpace, "search space: 'constraints' must be an array")
            }
            for (i, element) in elements.enumerated() {
                let c = try JSONObjectReader(
                    element, context: "constraint \(i)", allowed: ["kind", "hyperparameter", "value"],
                    kind: .invalidSpace)
                guard try c.requiredString("kind") == "not_all_equal" else {
                    throw LLMNASError(
                        .invalidSpace, "constraint \(i): unknown kind; the known kind is \"not_all_equal\"")
                }
                guard let value = Choice(json: try c.required("value")) else {
                    throw LLMNASError(.invalidSpace, "constraint \(i): 'value' must be an integer or a string")
                }
                constraints.append(.notAllEqual(hyperparameter: try c.requiredString("hyperparameter"), value: value))
            }
        }
        let costModel = try reader.value("cost_model").map { value throws(LLMNASError) in try CostModel(json: value) }
        let layerFeatures = try reader.string("layer_features").map { text throws(LLMNASError) in
            guard let encoding = LayerFeatures(rawValue: text) else {
                throw LLMNASError(
                    .invalidSpace, "search space: 'layer_features' is \"mean\" or \"per_layer\", not \"\(text)\"")
            }
            return encoding
        }
        try self.init(
            name: name, task: try reader.requiredString("task"), metric: metric, hyperparameters: hyperparameters,
            constraints: constraints, costModel: costModel, layerFeatures: layerFeatures ?? .mean,
            featurizer: try reader.value("featurizer").map { value throws(LLMNASError) in
                try HostFeaturizer(json: value)
            },
            cell: try reader.value("cell").map { value throws(LLMNASError) in try CellGraph(json: value) })
    }

    /// The space as JSON, in the format `fromJSON` reads.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("name", .string(name)),
            ("task", .string(task)),
            (
                "metric",
                .object([
                    ("name", .string(metric.name)), ("higher_is_better", .bool(metric.higherIsBetter)),
                    ("min", .number(metric.minimum)), ("max", .number(metric.maximum)),
                    ("decimals", .number(Double(metric.decimals))),
                ])
            ),
        ]
        var hps: [JSONValue] = []
        for hp in hyperparameters {
            var m: [(String, JSONValue)] = [
                ("name", .string(hp.name)), ("meaning", .string(hp.meaning)),
                ("choices", .array(hp.choices.map(\.json))),
            ]
            switch hp.shape {
            case .scalar: break
            case .perLayer(let counter): m.append(("layers", .string(counter)))
            case .list(let length): m.append(("length", .number(Double(length))))
            }
            if let values = hp.featureValues { m.append(("feature_values", .array(values.map { .number($0) }))) }
            hps.append(.object(m))
        }
        members.append(("hyperparameters", .array(hps)))
        if !constraints.isEmpty {
            members.append(
                (
                    "constraints",
                    .array(
                        constraints.map {
                            switch $0 {
                            case .notAllEqual(let hp, let value):
                                return .object([
                                    ("kind", .string("not_all_equal")), ("hyperparameter", .string(hp)),
                                    ("value", value.json),
                                ])
                            }
                        })
                ))
        }
        if let costModel { members.append(("cost_model", costModel.json)) }
        if layerFeatures != .mean { members.append(("layer_features", .string(layerFeatures.rawValue))) }
        if let featurizer { members.append(("featurizer", featurizer.json)) }
        if let cell {
            var m: [(String, JSONValue)] = [("links", .string(cell.links)), ("ops", .string(cell.ops))]
            if let identity = cell.identity { m.append(("identity", identity.json)) }
            members.append(("cell", .object(m)))
        }
        return .object(members)
    }
}
