/// A rule that every architecture of a space must obey beyond each hyperparameter's own choices.
public enum SpaceConstraint: Sendable, Equatable {
    /// The active values of a list or per-layer hyperparameter may not all equal `value` (NAS-Bench-Graph: not all
    /// four operations `skip`).
    case notAllEqual(hyperparameter: String, value: Choice)

    /// A sentence naming the rule, for messages.
    public var description: String {
        switch self {
        case .notAllEqual(let name, let value): return "the values of '\(name)' may not all be \(value)"
        }
    }
}
