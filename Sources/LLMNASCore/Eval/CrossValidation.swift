/// How good LLM-PP is on the user's own demonstrations, before anything else is paid for: each demonstration is
/// predicted without the demonstrations of its fold (leave-one-out by default, in calibration's very prompts, so a
/// later calibration finds every answer in the response cache), and so are the calibrated predictor (the line from
/// predicted to measured fitted on the other folds) and, for spaces with a cost model, the least-squares lines on
/// the parameter count and on GFLOPs, and the combined predictor (`CombinedFit`: the cost line with LLM-PP's score
/// let in, its anchor and penalty chosen inside each training fold: nested). All are scored on the same
/// demonstrations (those every predictor has a value for): MAE, RMSE and Kendall tau-b, with percentile intervals
/// from a paired bootstrap over those demonstrations.
public enum CrossValidation {
    /// One predictor's held-out prediction of each demonstration (nil: none).
    struct Column {
        let predictor: String
        let predictions: [Double?]
        /// The LLM's share in the predictor fitted on every demonstration (the combined predictor only; nil when it
        /// could not be fitted).
        var llmShare: Double? = nil

        /// Whether the figures report `llmShare`.
        var reportsShare: Bool { predictor == "combined" }
    }

    /// The held-out predictions of every predictor on the demonstrations, before they are scored.
    struct HeldOut {
        /// The folds (nil: leave-one-out).
        let folds: [[Int]]?
        /// One column per predictor: LLM-PP, calibrated, the cost lines (with a cost model), combined.
        let columns: [Column]
        /// The demonstrations every predictor has a prediction for.
        let compared: [Int]
        /// The first LLM-PP item that failed, if any.
        let firstFailure: LLMNASError?
        /// The client's ledger before and after the requests.
        let ledger: (before: UsageLedger, after: UsageLedger)
    }

    /// Runs the validation of `predictor`'s demonstrations, reporting stage "validation"; `progress` may cancel.
    public static func run(
        _ predictor: LLMPPPredictor, options: ValidationOptions = ValidationOptions(),
        progress: ProgressHandler = { _ in true }
    ) throws(LLMNASError) -> JSONValue {
        let demonstrations = predictor.demonstrations
        let held = try heldOut(predictor, options: options) { progress($0.renamed("validation")) }
        let truth = demonstrations.map(\.score)
        let resamples = bootstrap(held.compared.count, options)
        var members: [(String, JSONValue)] = [
            ("demonstrations", .number(Double(demonstrations.count))),
            ("scheme", .string(held.folds.map { "\($0.count) folds" } ?? "leave-one-out")),
            ("folds", .number(Double(held.folds?.count ?? demonstrations.count))),
            ("compared", .number(Double(held.compared.count))),
            ("bootstrap", .number(Double(options.bootstrap))), ("confidence", .number(options.confidence)),
            (
                "predictors",
                .array(
                    try held.columns.map { (column: Column) throws(LLMNASError) in
                        try figures(
                            column, truth: truth, compared: held.compared, resamples: resamples,
                            confidence: options.confidence)
                    })
            ),
        ]
        if let failure = held.firstFailure { members.append(("first_failure", .string(failure.message))) }
        let (before, after) = held.ledger
        members += [
            ("requests", .number(Double(after.requests - before.requests))),
            ("cache_hits", .number(Double(after.cacheHits - before.cacheHits))),
            ("prompt_tokens", .number(Double(after.promptTokens - before.promptTokens))),
            ("completion_tokens", .number(Double(after.completionTokens - before.completionTokens))),
            ("cost", .number(after.cost - before.cost)),
        ]
        return .object(members)
    }

    /// Every predictor's held-out predictions of `predictor`'s demonstrations (its requests hear `progress`).
    static func heldOut(_ predictor: LLMPPPredictor, options: ValidationOptions, progress: ProgressHandler)
        throws(LLMNASError) -> HeldOut
    {
        let demonstrations = predictor.demonstrations
        let folds = try options.folds(of: demonstrations.count)
        var foldOf = Array(demonstrations.indices)
        for (k, fold) in (folds ?? []).enumerated() { for i in fold { foldOf[i] = k } }
        let before = predictor.client.ledger
        let held = try predictor.heldOutScores(folds: folds, progress: progress)
        let after = predictor.client.ledger
        let truth = demonstrations.map(\.score)
        let raw = held.map { try? $0.get() }
        let (costs, costLines) = try costColumns(demonstrations, in: predictor.builder.space, foldOf: foldOf)
        let columns =
            [
                Column(predictor: "LLM-PP", predictions: raw),
                Column(predictor: "LLM-PP calibrated", predictions: outOfFold(raw, truth, foldOf)),
            ] + costLines + [combined(raw, costs, truth, foldOf)]
        var firstFailure: LLMNASError?
        for case .failure(let error) in held where firstFailure == nil { firstFailure = error }
        return HeldOut(
            folds: folds, columns: columns,
            compared: demonstrations.indices.filter { i in columns.allSatisfy { $0.predictions[i] != nil } },
            firstFailure: firstFailure, ledger: (before, after))
    }

    /// Each demonstration's cost features (`CombinedFit.costs`; none without a cost model) and the held-out columns
    /// of the least-squares lines on the parameter count and on GFLOPs (none without a cost model).
    static func costColumns(_ demonstrations: [Demonstration], in space: SearchSpace, foldOf: [Int])
        throws(LLMNASError) -> (costs: [[Double]], columns: [Column])
    {
        var costs: [[Double]] = []
        for demonstration in demonstrations {
            costs.append(try CombinedFit.costs(of: demonstration.architecture, in: space))
        }
        guard space.costModel != nil else { return (costs, []) }
        let truth = demonstrations.map(\.score)
        return (
            costs,
            [
                Column(predictor: "params least squares", predictions: outOfFold(costs.map { $0[0] }, truth, foldOf)),
                Column(predictor: "GFLOPs least squares", predictions: outOfFold(costs.map { $0[1] }, truth, foldOf)),
            ]
        )
    }

    /// For each demonstration, the least-squares line of `y` on `x` over the demonstrations of the other folds that
    /// have an `x`, at its own `x`; nil when it has none or fewer than 2 others do.
    static func outOfFold(_ x: [Double?], _ y: [Double], _ foldOf: [Int]) -> [Double?] {
        x.indices.map { i -> Double? in
            guard let xi = x[i] else { return nil }
            let others = x.indices.filter { foldOf[$0] != foldOf[i] && x[$0] != nil }
            guard others.count >= 2,
                let line = try? AffineCalibration(fitting: others.map { x[$0]! }, to: others.map { y[$0] })
            else { return nil }
            return line.apply(xi)
        }
    }

    /// The combined predictor's held-out prediction of each demonstration (fitted, penalty included, on the other
    /// folds' demonstrations that LLM-PP scored), and its LLM share when fitted on all of them.
    static func combined(_ raw: [Double?], _ costs: [[Double]], _ y: [Double], _ foldOf: [Int]) -> Column {
        func fit(_ rows: [Int]) -> CombinedFit? {
            guard rows.count >= 3 else { return nil }
            return try? CombinedFit(fitting: rows.map { [raw[$0]!] + costs[$0] }, to: rows.map { y[$0] })
        }
        let scored = raw.indices.filter { raw[$0] != nil }
        let predictions = raw.indices.map { i -> Double? in
            guard let llm = raw[i], let model = fit(scored.filter { foldOf[$0] != foldOf[i] }) else { return nil }
            return model.predict([llm] + costs[i])
        }
        return Column(predictor: "combined", predictions: predictions, llmShare: fit(scored)?.llmShare)
    }

    /// The bootstrap's resamples: each `count` positions drawn with replacement from 0..<count.
    static func bootstrap(_ count: Int, _ options: ValidationOptions) -> [[Int]] {
        guard count > 0 else { return [] }
        var generator = SeededGenerator(seed: options.seed ^ 0x9E37_79B9_7F4A_7C15)
        return (0..<options.bootstrap).map { _ in (0..<count).map { _ in generator.index(below: count) } }
    }

    /// One predictor's figures over the compared demonstrations, with their bootstrap intervals.
    static func figures(
        _ column: Column, truth: [Double], compared: [Int], resamples: [[Int]],
        confidence: Double
    ) throws(LLMNASError) -> JSONValue {
        var members: [(String, JSONValue)] =
            [
                ("predictor", .string(column.predictor)),
                ("predictions", .array(column.predictions.map { $0.map(JSONValue.number) ?? .null })),
                ("missing", .number(Double(column.predictions.filter { $0 == nil }.count))),
            ] + (column.reportsShare ? [("llm_share", column.llmShare.map(JSONValue.number) ?? .null)] : [])
        guard !compared.isEmpty else { return .object(members) }
        let predicted = compared.map { column.predictions[$0]! }
        let measured = compared.map { truth[$0] }
        let metrics = try RankMetrics(predicted: predicted, truth: measured)
        members += [
            ("mae", .number(metrics.mae)), ("rmse", .number(metrics.rmse)),
            ("kendall_tau", .number(metrics.kendallTau)),
        ]
        var maes: [Double] = []
        var taus: [Double] = []
        for sample in resamples {
            let p = sample.map { predicted[$0] }
            let t = sample.map { measured[$0] }
            maes.append(zip(p, t).reduce(0) { $0 + abs($1.0 - $1.1) } / Double(sample.count))
            taus.append(RankMetrics.kendallTauB(p, t))
        }
        for (key, values) in [("mae_interval", maes), ("kendall_tau_interval", taus)] {
            let interval = Statistics.centralInterval(values, confidence: confidence)
            members.append((key, interval.map { .array([.number($0.low), .number($0.high)]) } ?? .null))
        }
        return .object(members)
    }
}
