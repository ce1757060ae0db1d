/// How `CrossValidation` runs, from JSON `{"folds", "bootstrap", "confidence", "seed"}` ("validation options" in
/// docs/formats.md).
public struct ValidationOptions: Sendable {
    /// Folds; nil holds out one demonstration at a time (the default up to `leaveOneOutLimit` demonstrations).
    public var folds: Int?
    /// Bootstrap resamples of the compared demonstrations behind each interval.
    public var bootstrap = 1000
    /// The share of the bootstrap distribution each interval covers.
    public var confidence = 0.95
    /// Seeds the folds and the resamples.
    public var seed: UInt64 = 0

    /// Demonstrations up to which the default is leave-one-out; beyond, 10 folds.
    public static let leaveOneOutLimit = 50

    /// The defaults: leave-one-out up to 50 demonstrations, 1,000 resamples, 95% intervals, seed 0.
    public init() {}

    /// Reads options; nil gives the defaults.
    public init(json: JSONValue?) throws(LLMNASError) {
        guard let json else { return }
        let r = try JSONObjectReader(
            json, context: "validation options", allowed: ["folds", "bootstrap", "confidence", "seed"],
            kind: .invalidArgument)
        folds = try r.int("folds", in: 2...1_000_000)
        bootstrap = try r.int("bootstrap", in: 0...100_000) ?? bootstrap
        confidence = try r.number("confidence", in: 0.5...0.999) ?? confidence
        seed = UInt64(try r.int("seed", in: 0...Int.max) ?? 0)
    }

    /// The folds of `count` demonstrations (at least 3): nil for leave-one-out, else the indices of each fold,
    /// dealt round-robin after a seeded shuffle.
    func folds(of count: Int) throws(LLMNASError) -> [[Int]]? {
        guard count >= 3 else {
            throw LLMNASError(.invalidArgument, "validation needs at least 3 demonstrations, not \(count)")
        }
        let k = folds ?? (count <= ValidationOptions.leaveOneOutLimit ? count : 10)
        guard k <= count else {
            throw LLMNASError(.invalidArgument, "validation options: \(k) folds for \(count) demonstrations")
        }
        guard k < count else { return nil }
        var order = Array(0..<count)
        var generator = SeededGenerator(seed: seed)
        generator.shuffle(&order)
        var folds = [[Int]](repeating: [], count: k)
        for (i, demonstration) in order.enumerated() { folds[i % k].append(demonstration) }
        return folds.map { $0.sorted() }
    }
}
