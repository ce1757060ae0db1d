/// Search spaces as JSON:
/// ```json
/// {"name": "my-space", "task": "…", "metric": {"name": "BLEU", "higher_is_better": true, "min": 0, "max": 100},
///  "hyperparameters": [
///    {"name": "decoder_layer_num", "meaning": "…", "choices": [1, 2, 3]},
///    {"name": "decoder_ffn_embed_dim", "meaning": "…", "choices": [1024, 2048], "layers": "decoder_layer_num"},
///    {"name": "ops", "meaning": "…", "choices": ["gcn", "skip"], "length": 4},
///    {"name": "attn", "meaning": "…", "choices": [-1, 1, 2], "layers": "decoder_layer_num", "feature_values": [1, 2, 3]}],
///  "constraints": [{"type": "not_all_equal", "hyperparameter": "ops", "value": "skip"}],
///  "cost_model": {"kind": "hat-transformer", "vocabulary_size": 32768, "sequence_length": 30, "qkv_dim": 512}}
/// ```
/// `constraints` and `cost_model` are optional; unknown keys are errors, so a typo never passes silently.
extension SearchSpace {
    /// Reads a search space from JSON text and checks it.
    public static func fromJSON(_ text: String) throws(LLMNASError) -> SearchSpace {
        try SearchSpace(json: JSONParser.parse(text))
    }

    /// Reads a search space from parsed JSON and checks it.
    public init(json: JSONValue) throws(LLMNASError) {
        let reader = try SpaceJSONReader(json, context: "search space", allowed: ["name", "task", "metric", "hyperparameters", "constraints", "cost_model"])
        let name = try reader.string("name")
        let metricReader = try SpaceJSONReader(reader.required("metric"), context: "metric", allowed: ["name", "higher_is_better", "min", "max"])
        let metric = Metric(name: try metricReader.string("name"),
                            higherIsBetter: try metricReader.optionalBool("higher_is_better") ?? true,
                            minimum: try metricReader.number("min"), maximum: try metricReader.number("max"))
        guard let hpList = try reader.required("hyperparameters").arrayValue else {
            throw LLMNASError(.invalidSpace, "search space: 'hyperparameters' must be an array")
        }
        var hyperparameters: [Hyperparameter] = []
        for (i, hpJSON) in hpList.enumerated() {
            let hp = try SpaceJSONReader(hpJSON, context: "hyperparameter \(i)", allowed: ["name", "meaning", "choices", "layers", "length", "feature_values"])
            guard let choiceList = try hp.required("choices").arrayValue else {
                throw LLMNASError(.invalidSpace, "hyperparameter \(i): 'choices' must be an array")
            }
            var choices: [Choice] = []
            for element in choiceList {
                guard let choice = Choice(json: element) else {
                    throw LLMNASError(.invalidSpace, "hyperparameter \(i): a choice must be an integer or a string, not \(JSONWriter.write(element))")
                }
                choices.append(choice)
            }
            let layers = try hp.optionalString("layers")
            let length = try hp.optionalInt("length")
            let shape: Hyperparameter.Shape
            switch (layers, length) {
            case (nil, nil): shape = .scalar
            case let (counter?, nil): shape = .perLayer(countedBy: counter)
            case let (nil, n?): shape = .list(length: n)
            default: throw LLMNASError(.invalidSpace, "hyperparameter \(i): give 'layers' or 'length', not both")
            }
            var featureValues: [Double]? = nil
            if let values = hp.optional("feature_values") {
                guard let list = values.arrayValue else { throw LLMNASError(.invalidSpace, "hyperparameter \(i): 'feature_values' must be an array of numbers") }
                featureValues = try list.map { (v: JSONValue) throws(LLMNASError) -> Double in
                    guard case let .number(d) = v else { throw LLMNASError(.invalidSpace, "hyperparameter \(i): 'feature_values' must be numbers") }
                    return d
                }
            }
            hyperparameters.append(Hyperparameter(name: try hp.string("name"), meaning: try hp.string("meaning"),
                                                  choices: choices, shape: shape, featureValues: featureValues))
        }
        var constraints: [SpaceConstraint] = []
        if let list = reader.optional("constraints") {
            guard let elements = list.arrayValue else { throw LLMNASError(.invalidSpace, "search space: 'constraints' must be an array") }
            for (i, element) in elements.enumerated() {
                let c = try SpaceJSONReader(element, context: "constraint \(i)", allowed: ["type", "hyperparameter", "value"])
                guard try c.string("type") == "not_all_equal" else {
                    throw LLMNASError(.invalidSpace, "constraint \(i): unknown type; the known type is \"not_all_equal\"")
                }
                guard let value = Choice(json: try c.required("value")) else {
                    throw LLMNASError(.invalidSpace, "constraint \(i): 'value' must be an integer or a string")
                }
                constraints.append(.notAllEqual(hyperparameter: try c.string("hyperparameter"), value: value))
            }
        }
        var costModel: TransformerCostModel? = nil
        if let model = reader.optional("cost_model") {
            let m = try SpaceJSONReader(model, context: "cost_model", allowed: ["kind", "vocabulary_size", "sequence_length", "qkv_dim"])
            guard try m.string("kind") == "hat-transformer" else {
                throw LLMNASError(.invalidSpace, "cost_model: unknown kind; the known kind is \"hat-transformer\"")
            }
            costModel = try TransformerCostModel(vocabularySize: try m.int("vocabulary_size"),
                                                 sequenceLength: try m.optionalInt("sequence_length") ?? 30,
                                                 qkvDim: try m.optionalInt("qkv_dim") ?? 512)
        }
        try self.init(name: name, task: try reader.string("task"), metric: metric, hyperparameters: hyperparameters,
                      constraints: constraints, costModel: costModel)
    }

    /// The space as JSON, in the format `fromJSON` reads.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("name", .string(name)),
            ("task", .string(task)),
            ("metric", .object([("name", .string(metric.name)), ("higher_is_better", .bool(metric.higherIsBetter)),
                                ("min", .number(metric.minimum)), ("max", .number(metric.maximum))])),
        ]
        var hps: [JSONValue] = []
        for hp in hyperparameters {
            var m: [(String, JSONValue)] = [("name", .string(hp.name)), ("meaning", .string(hp.meaning)),
                                            ("choices", .array(hp.choices.map(\.json)))]
            switch hp.shape {
            case .scalar: break
            case let .perLayer(counter): m.append(("layers", .string(counter)))
            case let .list(length): m.append(("length", .number(Double(length))))
            }
            if let values = hp.featureValues { m.append(("feature_values", .array(values.map { .number($0) }))) }
            hps.append(.object(m))
        }
        members.append(("hyperparameters", .array(hps)))
        if !constraints.isEmpty {
            members.append(("constraints", .array(constraints.map {
                switch $0 {
                case let .notAllEqual(hp, value):
                    return .object([("type", .string("not_all_equal")), ("hyperparameter", .string(hp)), ("value", value.json)])
                }
            })))
        }
        if let costModel {
            members.append(("cost_model", .object([
                ("kind", .string("hat-transformer")), ("vocabulary_size", .number(Double(costModel.vocabularySize))),
                ("sequence_length", .number(Double(costModel.sequenceLength))), ("qkv_dim", .number(Double(costModel.qkvDim))),
            ])))
        }
        return .object(members)
    }
}

/// Reads the members of one JSON object of a space definition, with messages that name where the problem is.
struct SpaceJSONReader {
    private let value: JSONValue
    private let context: String

    /// Checks that `value` is an object whose keys all appear in `allowed`.
    init(_ value: JSONValue, context: String, allowed: Set<String>) throws(LLMNASError) {
        guard let members = value.objectMembers else {
            throw LLMNASError(.invalidSpace, "\(context) must be a JSON object, not \(value.typeName)")
        }
        for (key, _) in members where !allowed.contains(key) {
            throw LLMNASError(.invalidSpace, "\(context): unknown key '\(key)' (known: \(allowed.sorted().joined(separator: ", ")))")
        }
        self.value = value
        self.context = context
    }

    func optional(_ key: String) -> JSONValue? { value[key] }

    func required(_ key: String) throws(LLMNASError) -> JSONValue {
        guard let member = value[key] else { throw LLMNASError(.invalidSpace, "\(context): missing key '\(key)'") }
        return member
    }

    func string(_ key: String) throws(LLMNASError) -> String {
        guard let s = try required(key).stringValue else { throw LLMNASError(.invalidSpace, "\(context): '\(key)' must be a string") }
        return s
    }

    func optionalString(_ key: String) throws(LLMNASError) -> String? {
        guard let member = value[key] else { return nil }
        guard let s = member.stringValue else { throw LLMNASError(.invalidSpace, "\(context): '\(key)' must be a string") }
        return s
    }

    func number(_ key: String) throws(LLMNASError) -> Double {
        guard case let .number(d) = try required(key) else { throw LLMNASError(.invalidSpace, "\(context): '\(key)' must be a number") }
        return d
    }

    func int(_ key: String) throws(LLMNASError) -> Int {
        guard let i = try required(key).exactInt else { throw LLMNASError(.invalidSpace, "\(context): '\(key)' must be an integer") }
        return i
    }

    func optionalInt(_ key: String) throws(LLMNASError) -> Int? {
        guard value[key] != nil else { return nil }
        return try int(key)
    }

    func optionalBool(_ key: String) throws(LLMNASError) -> Bool? {
        guard let member = value[key] else { return nil }
        guard case let .bool(b) = member else { throw LLMNASError(.invalidSpace, "\(context): '\(key)' must be true or false") }
        return b
    }
}
