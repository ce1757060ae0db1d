/// A hardware or size limit every candidate of a search must meet: a value computed from the architecture at most
/// `maximum`.
public struct SearchConstraint: Sendable {
    /// What the constrained value is.
    public enum Kind: Sendable, Equatable {
        /// An MLP's prediction from the features, e.g. latency in ms: a built-in latency predictor (`predictor`), a
        /// model file (`model`), or a model bound to the search under the constraint's name.
        case latency(predictor: String?, model: String?)
        /// Parameters without embeddings (HAT's count; spaces with a cost model).
        case parameters
        /// FLOPs of one sentence (HAT's count; spaces with a cost model).
        case flops
        /// A value computed by a host callback bound to the search under the constraint's name.
        case host
    }

    /// The name reports and the host use: `latency_ms`, `params`, `flops`, or the given name.
    public let name: String
    /// What is constrained.
    public let kind: Kind
    /// The largest admitted value.
    public let maximum: Double

    /// Whether a host callback computes the value.
    var isHost: Bool { if case .host = kind { true } else { false } }

    /// Whether this is a latency constraint whose model is bound by name rather than named in the config.
    var awaitsModel: Bool { if case .latency(nil, nil) = kind { true } else { false } }

    /// Reads `{"kind": "latency"|"params"|"flops"|"host", "max", "name", "predictor", "model"}`.
    init(json: JSONValue, index: Int, space: SearchSpace) throws(LLMNASError) {
        let context = "search config: constraint \(index)"
        let r = try JSONObjectReader(
            json, context: context, allowed: ["kind", "max", "name", "predictor", "model"], kind: .invalidArgument)
        maximum = try r.requiredNumber("max")
        let kindName = try r.requiredString("kind")
        let given = try r.string("name")
        let predictor = try r.string("predictor")
        let model = try r.string("model")
        if kindName != "latency", predictor != nil || model != nil {
            throw LLMNASError(.invalidArgument, "\(context): 'predictor' and 'model' apply to kind 'latency' only")
        }
        switch kindName {
        case "latency":
            guard !(predictor != nil && model != nil) else {
                throw LLMNASError(.invalidArgument, "\(context): give 'predictor' or 'model', not both")
            }
            if let predictor, !LatencyPredictors.builtins.contains(where: { $0.name == predictor }) {
                throw LLMNASError(.notFound, "\(context): no built-in latency predictor '\(predictor)'")
            }
            if predictor == nil, model == nil, given == nil {
                throw LLMNASError(
                    .invalidArgument,
                    "\(context): a latency constraint needs 'predictor', 'model', or a 'name' to bind a model to")
            }
            kind = .latency(predictor: predictor, model: model)
        case "params", "flops":
            guard space.costModel != nil else {
                throw LLMNASError(
                    .unsupported,
                    "\(context): space '\(space.name)' has no cost model, so '\(kindName)' cannot be constrained")
            }
            kind = kindName == "params" ? .parameters : .flops
        case "host":
            guard given != nil else {
                throw LLMNASError(
                    .invalidArgument, "\(context): a host constraint needs a 'name' to bind its callback to")
            }
            kind = .host
        default:
            throw LLMNASError(
                .invalidArgument, "\(context): kind '\(kindName)' is not one of latency, params, flops, host")
        }
        let defaults = ["latency": "latency_ms", "params": "params", "flops": "flops"]
        name = given ?? defaults[kindName]!
    }
}
