/// Chooses how to predict on the user's demonstrations: among prompt modes (every demonstration shown in the given
/// order; only the nearest k) and predictors (LLM-PP, calibrated, combined, the cost lines), by their leave-one-out
/// cross-validated MAE on the demonstrations, within a request budget. With a handful of demonstrations the least
/// MAE is itself noisy, so the one-standard-error rule decides: the first candidate, in order of what predicting with
/// it costs (the cost lines, which need no request; then per prompt mode the combined predictor, calibrated LLM-PP,
/// LLM-PP), whose MAE is within one standard error of the least. Each prompt mode is validated (`CrossValidation`)
/// only when the requests it still needs fit the budget left, and runs under a request cap, so the choice never
/// sends more than the budget (retries included). A prompt mode's candidates are scored over the demonstrations all
/// its predictors predicted; the cost lines, which need no answer, over every one. Options from JSON
/// `{"max_requests": 20, "prompt_modes": [{…prompt options…}, …]}` ("choice options" in docs/formats.md).
public struct ModeChoice: Sendable {
    /// The most requests the choice may send; nil: as many as the prompt modes need.
    public var maxRequests: Int?
    /// The prompt modes to compare; nil: the task's prompt with every demonstration, then with the nearest half.
    public var promptModes: [PromptOptions]?

    /// The defaults: no budget, the two default prompt modes.
    public init() {}

    /// Reads options; nil gives the defaults.
    public init(json: JSONValue?) throws(LLMNASError) {
        guard let json else { return }
        let r = try JSONObjectReader(
            json, context: "choice options", allowed: ["max_requests", "prompt_modes"], kind: .invalidArgument)
        maxRequests = try r.int("max_requests", in: 0...100_000_000)
        if let list = r.value("prompt_modes") {
            guard let elements = list.arrayValue, !elements.isEmpty else {
                throw LLMNASError(.invalidArgument, "choice options: 'prompt_modes' must be a non-empty array")
            }
            var modes: [PromptOptions] = []
            for element in elements { modes.append(try PromptOptions(json: element)) }
            promptModes = modes
        }
    }

    /// One candidate: a prompt mode (nil for the cost lines, which need none) and a predictor, with its figures.
    public struct Candidate: Sendable {
        /// The prompt mode; nil for a cost line.
        public let prompt: PromptOptions?
        /// The predictor's name, as validation names it.
        public let predictor: String
        /// The cross-validated MAE and Kendall tau-b.
        public let mae: Double
        /// The cross-validated Kendall tau-b (NaN where undefined).
        public let kendallTau: Double
        /// The LLM's share (the combined predictor only).
        public let llmShare: Double?
        /// Its absolute held-out error on each demonstration it predicted.
        let errors: [Double]

        /// The calibration mode that reproduces the candidate in LLM-PP's `predict`; nil for a cost line.
        public var calibration: CalibrationMode? {
            switch predictor {
            case "LLM-PP": return CalibrationMode.none
            case "LLM-PP calibrated": return .affine
            case "combined": return .combined
            default: return nil
            }
        }
    }

    /// What the choice found: every candidate, the chosen one, the modes it could not afford, what it sent.
    public struct Outcome: Sendable {
        /// Every candidate with figures, in the order compared.
        public var candidates: [Candidate] = []
        /// The index of the chosen candidate in `candidates`.
        public var chosen = 0
        /// The least MAE of any candidate, and one standard error of it: the chosen candidate's MAE is within it.
        public var least = (mae: 0.0, standardError: 0.0)
        /// The prompt modes not validated, with why.
        public var skipped: [(prompt: PromptOptions, reason: String)] = []
        /// Requests sent (retries included) and answers found in the cache.
        public var requests = 0
        /// Answers the response cache gave.
        public var cacheHits = 0
        /// The budget it ran under.
        public var maxRequests: Int?

        /// The chosen candidate.
        public var choice: Candidate { candidates[chosen] }
    }

    /// Runs the choice for `task` on `demonstrations` (at least 3) through `client`; `progress` hears stage
    /// "choice" and may cancel.
    public func run(
        client: LLMClient, space: SearchSpace, task: PredictionTask, demonstrations: [Demonstration],
        progress: ProgressHandler = { _ in true }
    ) throws(LLMNASError) -> Outcome {
        var outcome = Outcome()
        outcome.maxRequests = maxRequests
        let before = client.ledger
        let truth = demonstrations.map(\.score)
        // The cost lines need no request: scored over every demonstration, leave-one-out.
        let everyOne = Array(demonstrations.indices)
        var costLines: [Candidate] = []
        for column in try CrossValidation.costColumns(demonstrations, in: space, foldOf: everyOne).columns {
            costLines.append(try Self.candidate(column, prompt: nil, over: everyOne, truth))
        }
        var llmCandidates: [Candidate] = []
        for prompt in promptModes ?? Self.defaultModes(task.options, demonstrations.count) {
            var modeTask = task
            modeTask.options = prompt
            modeTask.calibration = .none
            let predictor = LLMPPPredictor(
                client: client, space: space, task: modeTask, demonstrations: demonstrations)
            let needed = try predictor.validationRequests()
            let left = maxRequests.map { $0 - (client.ledger.requests - before.requests) }
            if let left, needed > left {
                outcome.skipped.append(
                    (prompt, "its validation needs \(needed) requests and \(max(0, left)) are left in the budget"))
                continue
            }
            let held = try client.withRequestCap(left ?? Int.max - client.ledger.requests) {
                () throws(LLMNASError) in
                try CrossValidation.heldOut(predictor, options: ValidationOptions()) { progress($0.renamed("choice")) }
            }
            guard !held.compared.isEmpty else { continue }
            for name in ["combined", "LLM-PP calibrated", "LLM-PP"] {
                guard let column = held.columns.first(where: { $0.predictor == name }) else { continue }
                llmCandidates.append(try Self.candidate(column, prompt: prompt, over: held.compared, truth))
            }
        }
        outcome.candidates = costLines + llmCandidates
        guard !outcome.candidates.isEmpty else {
            let budget = maxRequests.map { " within the budget of \($0) requests" } ?? ""
            throw LLMNASError(
                outcome.skipped.isEmpty ? .badAnswer : .budgetExceeded,
                "no candidate to choose from: no prompt mode's validation gave figures\(budget) (skipped: "
                    + "\(outcome.skipped.count)) and the space has no cost model for a cost line")
        }
        let best = outcome.candidates.min { $0.mae < $1.mae }!
        outcome.least = (best.mae, Statistics.standardError(best.errors))
        outcome.chosen = outcome.candidates.firstIndex { $0.mae <= best.mae + outcome.least.standardError }!
        outcome.requests = client.ledger.requests - before.requests
        outcome.cacheHits = client.ledger.cacheHits - before.cacheHits
        return outcome
    }

    /// The task's prompt showing every demonstration, then only the nearest half (when that is fewer).
    static func defaultModes(_ prompt: PromptOptions, _ count: Int) -> [PromptOptions] {
        var all = prompt
        all.nearestDemonstrations = nil
        var nearest = prompt
        nearest.nearestDemonstrations = max(2, (count + 1) / 2)
        return count > 3 ? [all, nearest] : [all]
    }

    /// A candidate from a predictor's held-out column, its figures over the `compared` demonstrations.
    static func candidate(
        _ column: CrossValidation.Column, prompt: PromptOptions?, over compared: [Int], _ truth: [Double]
    ) throws(LLMNASError) -> Candidate {
        let predicted = compared.map { column.predictions[$0]! }
        let measured = compared.map { truth[$0] }
        let metrics = try RankMetrics(predicted: predicted, truth: measured)
        return Candidate(
            prompt: prompt, predictor: column.predictor, mae: metrics.mae, kendallTau: metrics.kendallTau,
            llmShare: column.reportsShare ? column.llmShare : nil,
            errors: zip(predicted, measured).map { abs($0 - $1) })
    }
}

extension ModeChoice.Candidate {
    /// The candidate as JSON: its prompt mode (null for a cost line), predictor, MAE, Kendall tau-b and, for the
    /// combined predictor, the LLM's share.
    public var json: JSONValue {
        .object(
            [
                ("prompt", prompt?.json ?? .null), ("predictor", .string(predictor)), ("mae", .number(mae)),
                ("kendall_tau", kendallTau.isNaN ? .null : .number(kendallTau)),
            ] + (llmShare.map { [("llm_share", .number($0))] } ?? []))
    }

    /// "nearest 5 demonstrations, combined" or "every demonstration, LLM-PP" or "params least squares".
    public var name: String {
        guard let prompt else { return predictor }
        let shown = prompt.nearestDemonstrations.map { "nearest \($0) demonstrations" } ?? "every demonstration"
        return "\(shown), \(predictor)"
    }
}

extension ModeChoice.Outcome {
    /// The outcome as JSON ("choice" in docs/formats.md): the chosen candidate, the task options that reproduce it in
    /// LLM-PP's predict (null for a cost line), every candidate, the skipped modes and what the choice sent.
    public var json: JSONValue {
        let choice = self.choice
        let taskOptions: JSONValue =
            choice.calibration.map { mode in
                .object([
                    ("prompt", choice.prompt?.json ?? .object([])),
                    ("calibrate", mode == .none ? .bool(false) : .string(mode.rawValue)),
                ])
            } ?? .null
        return .object([
            ("chosen", choice.json), ("summary", .string(summary)), ("task_options", taskOptions),
            ("candidates", .array(candidates.map(\.json))),
            (
                "skipped",
                .array(skipped.map { .object([("prompt", $0.prompt.json), ("reason", .string($0.reason))]) })
            ),
            ("least_mae", .number(least.mae)), ("standard_error", .number(least.standardError)),
            ("max_requests", maxRequests.map { .number(Double($0)) } ?? .null),
            ("requests", .number(Double(requests))), ("cache_hits", .number(Double(cacheHits))),
        ])
    }

    /// One line: the chosen candidate with its figures, out of how many, at what cost.
    public var summary: String {
        let tau = choice.kendallTau.isNaN ? "n/a" : DecimalFormat.fixed(choice.kendallTau, 2)
        let share = choice.llmShare.map { ", LLM share \(DecimalFormat.fixed($0, 2))" } ?? ""
        return "\(choice.name): cross-validated MAE \(DecimalFormat.fixed(choice.mae, 2)), tau \(tau)\(share) "
            + "(the least of \(candidates.count) candidates \(DecimalFormat.fixed(least.mae, 2)) ± "
            + "\(DecimalFormat.fixed(least.standardError, 2)); \(requests) requests sent, \(cacheHits) from the cache)"
    }
}
