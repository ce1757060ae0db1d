/// How LLM-PP's answers become predictions, from the task's `"calibrate"`: as they are (`false`), through the
/// least-squares line from the demonstrations' leave-one-out answers to their scores (`true` or `"affine"`), or by
/// the combined predictor (`"combined"`): the cost line with those answers let in as far as cross-validation shows
/// they help (`CombinedFit`).
public enum CalibrationMode: String, Sendable, CaseIterable {
    /// The LLM's answers as they are.
    case none
    /// The least-squares line from predicted to measured.
    case affine
    /// `CombinedFit` on the LLM's score, parameters and GFLOPs.
    case combined

    /// Reads `"calibrate"`: a boolean or one of the modes' names; nil gives `none`.
    init(json: JSONValue?) throws(LLMNASError) {
        switch json {
        case nil, .null?, .bool(false)?: self = .none
        case .bool(true)?: self = .affine
        case .string(let name)?:
            guard let mode = CalibrationMode(rawValue: name) else {
                throw LLMNASError(
                    .invalidArgument, "task: 'calibrate' must be true, false, \"affine\" or \"combined\", not '\(name)'"
                )
            }
            self = mode
        default:
            throw LLMNASError(.invalidArgument, "task: 'calibrate' must be true, false, \"affine\" or \"combined\"")
        }
    }
}

/// A calibration fitted on the demonstrations: the affine line, or the combined predictor with the cost features it
/// reads.
public enum Calibration: Sendable {
    /// The least-squares line from the LLM's score to the measured one.
    case affine(AffineCalibration)
    /// The combined predictor; its rows are the LLM's score followed by `CombinedFit.costFeatures`.
    case combined(CombinedFit)

    /// The map of the LLM's score for `architecture` (the combined predictor reads its cost features): a line, so
    /// that spreads and ranges map as the score does.
    func line(for architecture: Architecture, in space: SearchSpace) throws(LLMNASError) -> AffineCalibration {
        switch self {
        case .affine(let line): return line
        case .combined(let fit): return fit.line(costs: try CombinedFit.costs(of: architecture, in: space))
        }
    }

    /// The calibration as JSON ("calibration" in docs/formats.md): its kind, and the line's slope and intercept or
    /// the combined predictor's weights, penalty and the LLM's share.
    public var json: JSONValue {
        switch self {
        case .affine(let line):
            return .object([
                ("kind", .string("affine")), ("slope", .number(line.slope)), ("intercept", .number(line.intercept)),
            ])
        case .combined(let fit):
            return .object([
                ("kind", .string("combined")),
                (
                    "weights",
                    .object(zip(["llm"] + CombinedFit.costFeatures, fit.weights).map { ($0, .number($1)) })
                ),
                ("anchor", fit.anchor.map { .string(CombinedFit.costFeatures[$0 - 1]) } ?? .null),
                ("penalty", fit.penalty.isFinite ? .number(fit.penalty) : .null), ("llm_share", .number(fit.llmShare)),
            ])
        }
    }
}
