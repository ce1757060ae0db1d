/// The figures of one run of the paper's protocol (`PaperProtocol.run`): MAE and Kendall tau-b per predictor, task
/// and split seed, the calibration lines and the distillation reports, as JSON and as the printed table.
public struct PaperProtocolResult: Sendable {
    /// One predictor on one task: its metrics per split seed and how many test items it failed to predict.
    public struct Cell: Sendable {
        /// MAE per split seed.
        public var mae: [Double] = []
        /// Kendall tau-b per split seed.
        public var tau: [Double] = []
        /// Test architectures without a prediction, over all seeds.
        public var failures = 0
        /// The standard deviation of each prediction (LLM-PP's spread over its samples or its answer's distribution),
        /// over all seeds; empty for predictors without one.
        public var spreads: [Double] = []
        /// The LLM's share in the combined predictor per split seed (its row only).
        public var llmShares: [Double] = []
    }

    /// One predictor across the tasks.
    public struct Row: Sendable {
        /// The predictor's name.
        public let predictor: String
        /// Its cell per task.
        public var cells: [String: Cell]
    }

    /// The results, in display order.
    public internal(set) var rows: [Row] = []
    /// The calibrations per task and seed ("wmt14ende/123"), when LLM-PP was calibrated: the affine line, then the
    /// combined predictor.
    public internal(set) var calibrations: [String: [Calibration]] = [:]
    /// The choice of prompt mode and predictor per task and seed, when the protocol chose.
    public internal(set) var choices: [String: ModeChoice.Outcome] = [:]
    /// The distillation report per task and seed ("wmt14ende/123"), when LLM-Distill-PP ran.
    public internal(set) var distillations: [String: JSONValue] = [:]
    /// The first LLM-PP item that failed (test architecture or calibration demonstration): its stage and error.
    public internal(set) var firstFailure: String?

    /// A result with no rows yet.
    init() {}

    /// The results as JSON: per predictor and task, MAE and tau mean and standard deviation, per-seed values and
    /// failures; plus `text`, the table as printed.
    public var json: JSONValue {
        var rowsJSON: [JSONValue] = []
        for row in rows {
            var tasks: [(String, JSONValue)] = []
            for task in PaperProtocol.tasks {
                guard let cell = row.cells[task] else { continue }
                tasks.append(
                    (
                        task,
                        .object(
                            [
                                ("mae_mean", .number(Statistics.mean(cell.mae))),
                                ("mae_std", .number(Statistics.standardDeviation(cell.mae))),
                                ("tau_mean", .number(Statistics.mean(cell.tau))),
                                ("tau_std", .number(Statistics.standardDeviation(cell.tau))),
                                ("mae", .array(cell.mae.map { .number($0) })),
                                ("tau", .array(cell.tau.map { .number($0) })),
                                ("failures", .number(Double(cell.failures))),
                            ] + (cell.spreads.isEmpty ? [] : [("spread", .number(Statistics.mean(cell.spreads)))])
                                + (cell.llmShares.isEmpty
                                    ? []
                                    : [
                                        ("llm_share", .number(Statistics.mean(cell.llmShares))),
                                        ("llm_shares", .array(cell.llmShares.map { .number($0) })),
                                    ]))
                    ))
            }
            rowsJSON.append(.object([("predictor", .string(row.predictor)), ("tasks", .object(tasks))]))
        }
        var members: [(String, JSONValue)] = [
            ("seeds", .array(PaperProtocol.seeds.map { .number(Double($0)) })), ("rows", .array(rowsJSON)),
            ("distillation", .object(distillations.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })),
            (
                "calibrations",
                .object(calibrations.sorted { $0.key < $1.key }.map { ($0.key, .array($0.value.map(\.json))) })
            ),
            ("choices", .object(choices.sorted { $0.key < $1.key }.map { ($0.key, $0.value.json) })),
        ]
        if let firstFailure { members.append(("first_failure", .string(firstFailure))) }
        return .object(members + [("text", .string(text))])
    }

    /// The table: one line per predictor, MAE and Kendall tau-b per task as mean ± standard deviation over the seeds.
    public var text: String {
        let width = max(22, (rows.map(\.predictor.count).max() ?? 0) + 2)
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        var lines = [
            pad("predictor", width) + PaperProtocol.tasks.map { pad("\($0) MAE", 14) + pad("\($0) tau", 19) }.joined()
        ]
        for row in rows {
            var line = pad(row.predictor, width)
            for task in PaperProtocol.tasks {
                guard let cell = row.cells[task] else {
                    line += pad("-", 14) + pad("-", 19)
                    continue
                }
                line += pad(PaperProtocolResult.summary(cell.mae), 14)
                line += pad(
                    PaperProtocolResult.summary(cell.tau) + (cell.failures > 0 ? " (\(cell.failures) failed)" : ""), 19)
            }
            lines.append(line)
        }
        for row in rows where row.cells.values.contains(where: { !$0.llmShares.isEmpty }) {
            lines.append(
                "The LLM's share in \(row.predictor): "
                    + PaperProtocol.tasks.compactMap { task in
                        row.cells[task].map { "\(task) " + PaperProtocolResult.summary($0.llmShares) }
                    }.joined(separator: ", "))
        }
        for (split, outcome) in choices.sorted(by: { $0.key < $1.key }) {
            lines.append("chosen on \(split)'s demonstrations: \(outcome.summary)")
        }
        if rows.contains(where: { $0.cells.values.contains { $0.tau.contains(where: \.isNaN) } }) {
            lines.append(
                "* over the seeds with a value: tau-b is undefined where a seed's predictions were all equal; n/a "
                    + "where no seed had one"
            )
        }
        return lines.joined(separator: "\n")
    }
}

extension PaperProtocolResult {
    /// "mean±std" over the seeds with a defined value, with "*" when some seed has none ("n/a" when none has one).
    static func summary(_ values: [Double]) -> String {
        let defined = values.filter { !$0.isNaN }
        guard !defined.isEmpty else { return "n/a*" }
        let text =
            DecimalFormat.fixed(Statistics.mean(defined), 2) + "±"
            + DecimalFormat.fixed(Statistics.standardDeviation(defined), 2)
        return defined.count < values.count ? text + "*" : text
    }
}

extension PaperProtocolResult.Cell {
    /// Adds one split's metrics over the items that have a prediction, and their spreads.
    mutating func add(_ estimates: [Result<ScoreEstimate, LLMNASError>], truth: [Double]) throws(LLMNASError) {
        for case .success(let estimate) in estimates { spreads.append(estimate.standardDeviation) }
        try add(estimates.map { $0.map(\.value) }, truth: truth)
    }

    /// Adds one split's metrics over the items that have a prediction.
    mutating func add(_ predictions: [Result<Double, LLMNASError>], truth: [Double]) throws(LLMNASError) {
        var predicted: [Double] = []
        var matched: [Double] = []
        for (prediction, value) in zip(predictions, truth) {
            if case .success(let p) = prediction {
                predicted.append(p)
                matched.append(value)
            } else {
                failures += 1
            }
        }
        guard !predicted.isEmpty else {
            mae.append(.nan)
            tau.append(.nan)
            return
        }
        let metrics = try RankMetrics(predicted: predicted, truth: matched)
        mae.append(metrics.mae)
        tau.append(metrics.kendallTau)
    }
}
