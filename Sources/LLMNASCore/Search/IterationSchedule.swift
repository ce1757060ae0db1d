/// Which estimator scores each iteration of a search: a list of estimators with the iterations they own, given as
/// inclusive iteration ranges (`"iterations": [0, 14]`) or as fractions of the budget (`"fraction": [0, 0.5]`,
/// iterations ⌊a·n⌋ to ⌊b·n⌋ − 1). Together the ranges must cover every iteration exactly once. An entry may carry a
/// `"cascade"` (see `Cascade`): a cheaper estimator screens a larger pool before the entry's estimator scores.
public struct IterationSchedule: Sendable {
    /// For each iteration, the index of its estimator in the config's list.
    public let estimatorOfIteration: [Int]
    /// For each iteration, its cascade, if its entry has one.
    public let cascadeOfIteration: [Cascade?]

    /// Every iteration scored by estimator 0.
    init(single iterations: Int) {
        estimatorOfIteration = [Int](repeating: 0, count: iterations)
        cascadeOfIteration = [Cascade?](repeating: nil, count: iterations)
    }

    /// Reads the schedule's JSON list against the declared estimators and the iteration count.
    init(json: JSONValue, estimators: [EstimatorSpec], iterations: Int) throws(LLMNASError) {
        guard let entries = json.arrayValue, !entries.isEmpty else {
            throw LLMNASError(
                .invalidArgument,
                "search config: 'schedule' must be a non-empty list of {\"estimator\", \"iterations\" or \"fraction\"}")
        }
        var owner = [Int?](repeating: nil, count: iterations)
        var cascades = [Cascade?](repeating: nil, count: iterations)
        for (i, entry) in entries.enumerated() {
            let context = "search config: schedule entry \(i)"
            let r = try JSONObjectReader(
                entry, context: context, allowed: ["estimator", "iterations", "fraction", "cascade"],
                kind: .invalidArgument)
            let name = try r.requiredString("estimator")
            guard let estimator = estimators.firstIndex(where: { $0.name == name }) else {
                let known = estimators.map(\.name).joined(separator: ", ")
                throw LLMNASError(.invalidArgument, "\(context): unknown estimator '\(name)' (declared: \(known))")
            }
            let range = try IterationSchedule.range(r, context: context, iterations: iterations)
            let cascade = try r.value("cascade").map { json throws(LLMNASError) in
                try Cascade(json: json, context: context, estimators: estimators, scored: estimator)
            }
            for iteration in range {
                if let other = owner[iteration] {
                    throw LLMNASError(
                        .invalidArgument,
                        "\(context): iteration \(iteration) is already scored by '\(estimators[other].name)'; ranges "
                            + "must not overlap"
                    )
                }
                owner[iteration] = estimator
                cascades[iteration] = cascade
            }
        }
        if let gap = owner.firstIndex(where: { $0 == nil }) {
            throw LLMNASError(
                .invalidArgument,
                "search config: the schedule leaves iteration \(gap) of 0..<\(iterations) without an estimator")
        }
        estimatorOfIteration = owner.map { $0! }
        cascadeOfIteration = cascades
    }

    /// The estimators iteration `iteration` uses: its screen, if it has a cascade, and its own.
    func estimators(ofIteration iteration: Int) -> [Int] {
        (cascadeOfIteration[iteration].map { [$0.screen] } ?? []) + [estimatorOfIteration[iteration]]
    }

    private static func range(_ r: JSONObjectReader, context: String, iterations: Int) throws(LLMNASError)
        -> ClosedRange<Int>
    {
        switch (r.value("iterations"), r.value("fraction")) {
        case (.some(let list), nil):
            guard let bounds = list.arrayValue?.compactMap(\.exactInt), bounds.count == 2, list.arrayValue?.count == 2,
                bounds[0] >= 0, bounds[0] <= bounds[1], bounds[1] < iterations
            else {
                throw LLMNASError(
                    .invalidArgument,
                    "\(context): 'iterations' must be [first, last] with 0 <= first <= last < \(iterations)")
            }
            return bounds[0]...bounds[1]
        case (nil, .some(let list)):
            let values = list.arrayValue?.compactMap { value -> Double? in
                if case .number(let d) = value { return d } else { return nil }
            }
            guard let values, values.count == 2, list.arrayValue?.count == 2, values[0] >= 0, values[0] < values[1],
                values[1] <= 1
            else {
                throw LLMNASError(
                    .invalidArgument, "\(context): 'fraction' must be [from, to] with 0 <= from < to <= 1")
            }
            let first = Int((values[0] * Double(iterations)).rounded(.down))
            let end = Int((values[1] * Double(iterations)).rounded(.down))
            guard first < end else {
                throw LLMNASError(
                    .invalidArgument, "\(context): 'fraction' \(values) holds no whole iteration of \(iterations)")
            }
            return first...(end - 1)
        default:
            throw LLMNASError(.invalidArgument, "\(context): give exactly one of 'iterations' and 'fraction'")
        }
    }
}
