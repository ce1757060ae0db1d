/// Features computed by a function of the host's (`"featurizer": {"name", "count"}` in the space JSON) in place of
/// the space's own encoding: any learned or hand-made vector of `count` floats per architecture, which the MLP
/// predictors (distillation, MLP estimators and screens, latency constraints, refits) and nearest demonstrations
/// then read. Bound like a host cost; until it is bound, every use of the features fails saying how to bind it.
public struct HostFeaturizer: Sendable, Equatable {
    /// What the host computes: `count` finite features of an architecture into the buffer, or an error.
    public typealias Compute =
        (Architecture, SearchSpace, UnsafeMutableBufferPointer<Float>) throws(LLMNASError) -> Void

    /// The function's name, as the space JSON gives it.
    public let name: String
    /// How many features it writes for each architecture.
    public let count: Int
    /// The bound function, nil until the host binds one.
    let function: HostFunction<Compute>?

    /// The most features a host featurizer may write per architecture.
    public static let maximumCount = 100_000

    /// A featurizer whose function `name` is still to be bound.
    public init(name: String, count: Int) throws(LLMNASError) {
        guard !name.isEmpty, name.count <= 256, (1...Self.maximumCount).contains(count) else {
            throw LLMNASError(
                .invalidSpace,
                "featurizer: a \"name\" of 1 to 256 characters and a \"count\" from 1 to \(Self.maximumCount)")
        }
        self.name = name
        self.count = count
        function = nil
    }

    private init(name: String, count: Int, function: HostFunction<Compute>) {
        self.name = name
        self.count = count
        self.function = function
    }

    /// Reads a space's `"featurizer"` object.
    init(json: JSONValue) throws(LLMNASError) {
        let m = try JSONObjectReader(json, context: "featurizer", allowed: ["name", "count"], kind: .invalidSpace)
        try self.init(name: try m.requiredString("name"), count: try m.requiredInt("count"))
    }

    /// The `"featurizer"` object `init(json:)` reads.
    var json: JSONValue { .object([("name", .string(name)), ("count", .number(Double(count)))]) }

    /// Writes the host's features of `architecture` into `out` (`count` values) and checks them: all finite.
    func write(_ architecture: Architecture, in space: SearchSpace, into out: UnsafeMutableBufferPointer<Float>)
        throws(LLMNASError)
    {
        guard let function else {
            throw space.unbound(
                "computes its features", name,
                bindWith: "llmnas_space_with_featurizer or llmnas_search_bind_featurizer (Python: "
                    + "Space.with_featurizer, Search.bind_featurizer)")
        }
        for i in out.indices { out[i] = .nan }
        try function.call(architecture, space, out)
        if let bad = out.firstIndex(where: { !$0.isFinite }) {
            throw LLMNASError(
                .invalidArgument,
                "featurizer '\(name)' gave feature \(bad) = \(out[bad]) for \(space.jsonText(of: architecture)); "
                    + "features are finite")
        }
    }

    /// Featurizers are equal by name and count: the function bound is not part of the space's definition.
    public static func == (a: HostFeaturizer, b: HostFeaturizer) -> Bool { a.name == b.name && a.count == b.count }
}

extension SearchSpace {
    /// This space with `compute` bound to its featurizer `name`. Fails with `notFound` when the space has no
    /// featurizer of that name.
    public func binding(featurizer name: String, _ compute: @escaping HostFeaturizer.Compute) throws(LLMNASError)
        -> SearchSpace
    {
        guard let featurizer, featurizer.name == name else {
            let has = featurizer.map { "its featurizer is '\($0.name)'" } ?? "it has no \"featurizer\""
            throw LLMNASError(.notFound, "space '\(self.name)' has no featurizer '\(name)': \(has)")
        }
        return try replacing(costModel: costModel, featurizer: featurizer.bound(compute))
    }
}

extension HostFeaturizer {
    /// This featurizer with `compute` bound.
    func bound(_ compute: @escaping Compute) -> HostFeaturizer {
        HostFeaturizer(name: name, count: count, function: HostFunction(compute))
    }
}
