/// An architecture whose score was measured, shown to the LLM as an example.
public struct Demonstration: Sendable {
    /// The architecture.
    public let architecture: Architecture
    /// Its measured score.
    public let score: Double

    /// A demonstration.
    public init(architecture: Architecture, score: Double) {
        self.architecture = architecture
        self.score = score
    }

    /// Reads `[{"architecture": {...}, "score": 25.3}, ...]`; each architecture must belong to `space` and each
    /// score be finite and, unless `anyScale` (labels on the host's own scale, as a refit's), lie in the range of
    /// the space's metric, which the LLM's answers are held to.
    public static func list(fromJSON text: String, in space: SearchSpace, anyScale: Bool = false) throws(LLMNASError)
        -> [Demonstration]
    {
        guard let elements = try JSONParser.parse(text).arrayValue else {
            throw LLMNASError(
                .invalidArgument, "demonstrations must be a JSON array of {\"architecture\": ..., \"score\": ...}")
        }
        guard elements.count <= listBound else {
            throw LLMNASError(.invalidArgument, "\(elements.count) demonstrations exceed the bound of \(listBound)")
        }
        return try elements.enumerated().map { (i, element) throws(LLMNASError) in
            try Demonstration(element, at: i, in: space, anyScale: anyScale)
        }
    }

    /// The most demonstrations a list may hold.
    public static let listBound = 10_000

    /// Reads element `i` of a list of demonstrations (`list(fromJSON:in:anyScale:)`).
    public init(_ element: JSONValue, at i: Int, in space: SearchSpace, anyScale: Bool) throws(LLMNASError) {
        let r = try JSONObjectReader(
            element, context: "demonstration \(i)", allowed: ["architecture", "score"], kind: .invalidArgument)
        do {
            architecture = try space.architecture(from: r.required("architecture"))
        } catch {
            throw LLMNASError(error.kind, "demonstration \(i): \(error.message)")
        }
        guard let score = try r.number("score"), score.isFinite else {
            throw LLMNASError(.invalidArgument, "demonstration \(i): missing key 'score'")
        }
        let metric = space.metric
        guard anyScale || (metric.minimum...metric.maximum).contains(score) else {
            throw LLMNASError(
                .invalidArgument,
                "demonstration \(i): score \(JSONWriter.write(.number(score))) lies outside the range of "
                    + "\(metric.name), [\(JSONWriter.write(.number(metric.minimum))), "
                    + "\(JSONWriter.write(.number(metric.maximum)))] (the space's \"metric\"); every answer "
                    + "outside it would be refused")
        }
        self.score = score
    }
}
