/// Parameters and FLOPs counted by a function of the host (`"kind": "host"`), for a family no built-in model knows.
/// The space JSON names the function; the host binds it to a space (`SearchSpace.binding(cost:_:)`) or to a search,
/// a resumed one included. Until it is bound, every use of a cost fails with a message saying how to bind it.
public struct HostCostModel: Sendable, Equatable {
    /// What the host counts: an architecture's parameters and FLOPs (finite, not negative), or an error.
    public typealias Count = (Architecture, SearchSpace) throws(LLMNASError) -> (parameters: Double, flops: Double)

    /// The function's name, as the space JSON gives it.
    public let name: String
    /// The bound function, nil until the host binds one.
    let function: HostFunction<Count>?

    /// A model whose function `name` is still to be bound.
    public init(name: String) throws(LLMNASError) {
        guard !name.isEmpty, name.count <= 256 else {
            throw LLMNASError(.invalidSpace, "cost_model: a host cost needs a \"name\" of 1 to 256 characters")
        }
        self.name = name
        function = nil
    }

    private init(name: String, function: HostFunction<Count>) {
        self.name = name
        self.function = function
    }

    /// This model with `count` bound.
    func bound(_ count: @escaping Count) -> HostCostModel {
        HostCostModel(name: name, function: HostFunction(count))
    }

    /// The bound function; fails, saying how to bind it, when there is none.
    @discardableResult
    func boundFunction(in space: SearchSpace) throws(LLMNASError) -> HostFunction<Count> {
        if let function { return function }
        throw space.unbound(
            "counts its cost", name,
            bindWith: "llmnas_space_with_cost or llmnas_search_bind_cost (Python: Space.with_cost, Search.bind_cost)")
    }

    /// The host's counts of `architecture`, checked: finite, not negative, below 9e18.
    func counts(of architecture: Architecture, in space: SearchSpace) throws(LLMNASError) -> CostCounts {
        let (parameters, flops) = try boundFunction(in: space).call(architecture, space)
        func checked(_ value: Double, _ what: String) throws(LLMNASError) -> Int {
            guard value.isFinite, value >= 0, value < 9e18 else {
                throw LLMNASError(
                    .invalidArgument,
                    "host cost '\(name)' gave \(what) \(value) for \(space.jsonText(of: architecture)); a count is "
                        + "finite, not negative and below 9e18")
            }
            return Int(value)
        }
        return CostCounts(
            parameters: try checked(parameters, "params"), embeddingParameters: 0, flops: try checked(flops, "flops"),
            outputProjectionFlops: 0)
    }

    /// Models are equal by name: the function bound is not part of the space's definition.
    public static func == (a: HostCostModel, b: HostCostModel) -> Bool { a.name == b.name }
}

extension SearchSpace {
    /// This space with `count` bound to its host cost model `name`. Fails with `notFound` when the space's cost model
    /// is not a host one of that name.
    public func binding(cost name: String, _ count: @escaping HostCostModel.Count) throws(LLMNASError) -> SearchSpace {
        guard case .host(let model) = costModel, model.name == name else {
            let has =
                if case .host(let model) = costModel { "its host cost is '\(model.name)'" } else {
                    "its cost_model is not {\"kind\": \"host\", \"name\": \"\(name)\"}"
                }
            throw LLMNASError(.notFound, "space '\(self.name)' has no host cost '\(name)': \(has)")
        }
        return try replacing(costModel: .host(model.bound(count)), featurizer: featurizer)
    }
}
