/// LLM-PP: predicts an architecture's score by asking an LLM, given demonstrations whose scores were measured.
/// Each architecture costs one request (with `n` samples combined by median or mean); with calibration, each
/// demonstration is also predicted from the others and the affine map from predicted to measured (or the combined
/// predictor, which adds the cost features) corrects the rest.
public final class LLMPPPredictor {
    /// The client the requests go through.
    public let client: LLMClient
    /// Builds the prompts.
    public let builder: PromptBuilder
    /// The demonstrations shown with every prompt.
    public let demonstrations: [Demonstration]
    /// The calibration fitted by the first `predict` that calibrated successfully, if any: the demonstrations and
    /// the task never change, so later predictions (a search's batches) reuse it without asking again.
    public private(set) var calibration: Calibration?

    /// A predictor for `space` and `task` with the given demonstrations.
    public init(client: LLMClient, space: SearchSpace, task: PredictionTask, demonstrations: [Demonstration]) {
        self.client = client
        builder = PromptBuilder(space: space, task: task)
        self.demonstrations = demonstrations
    }

    /// One score or error per architecture. Progress stages: "calibration" (when calibrating), then "llmpp".
    public func predict(_ architectures: [Architecture], progress: ProgressHandler = { _ in true }) -> [Result<
        Double, LLMNASError
    >] {
        predictWithSpread(architectures, progress: progress).map { $0.map(\.value) }
    }

    /// One score with its spread over the samples, or an error, per architecture; calibrated as `predict` is (the
    /// calibration is fitted on the first call that can, then kept).
    public func predictWithSpread(_ architectures: [Architecture], progress: ProgressHandler = { _ in true })
        -> [Result<
            ScoreEstimate, LLMNASError
        >]
    {
        var calibrationFailure: LLMNASError?
        if builder.task.calibration != .none, calibration == nil {
            do {
                calibration = try fitCalibration(progress: progress)
                client.lastCalibration = calibration
            } catch {
                calibrationFailure = error
            }
        }
        if let calibrationFailure, calibrationFailure.kind == .cancelled {
            return architectures.map { _ in .failure(calibrationFailure) }
        }
        let prompts: [[ChatMessage]]
        do { prompts = try self.prompts(judging: architectures) } catch {
            return architectures.map { _ in .failure(error) }
        }
        let estimates = estimates(of: client.completeChoices(prompts) { progress($0.renamed("llmpp")) })
        guard builder.task.calibration != .none else { return estimates }
        guard let calibration else {
            let reason = calibrationFailure?.message ?? "calibration failed"
            return estimates.map { _ in
                .failure(LLMNASError(calibrationFailure?.kind ?? .badAnswer, "calibration: \(reason)"))
            }
        }
        return zip(architectures, estimates).map { architecture, estimate in
            estimate.flatMap { calibrated($0, of: architecture, by: calibration) }
        }
    }

    /// One estimate through the calibration (the combined predictor reads the architecture's cost features).
    func calibrated(_ estimate: ScoreEstimate, of architecture: Architecture, by calibration: Calibration)
        -> Result<ScoreEstimate, LLMNASError>
    {
        Result { () throws(LLMNASError) in
            estimate.mapped(by: try calibration.line(for: architecture, in: builder.space))
        }
    }

    /// Predicts each demonstration from the others (leave-one-out) and fits the task's calibration (the affine line
    /// when the task does not calibrate). `leftOut` is told the error of each demonstration left out of the fit for
    /// want of a prediction.
    public func fitCalibration(
        progress: ProgressHandler = { _ in true },
        leftOut: (LLMNASError) -> Void = { _ in }
    ) throws(LLMNASError) -> Calibration {
        let answers = try leaveOneOutAnswers(progress: progress, leftOut: leftOut)
        return try fit(builder.task.calibration == .combined ? .combined : .affine, to: answers)
    }

    /// Each demonstration's leave-one-out answer, for those that got one: its index and the LLM's score. Needs at
    /// least 3 demonstrations and 2 answers.
    public func leaveOneOutAnswers(
        progress: ProgressHandler = { _ in true },
        leftOut: (LLMNASError) -> Void = { _ in }
    ) throws(LLMNASError) -> [(index: Int, score: Double)] {
        guard demonstrations.count >= 3 else {
            throw LLMNASError(
                .invalidArgument, "calibration needs at least 3 demonstrations, not \(demonstrations.count)")
        }
        var answers: [(index: Int, score: Double)] = []
        let results = try heldOutScores(folds: nil) { progress($0.renamed("calibration")) }
        var firstFailure: LLMNASError?
        for (i, result) in results.enumerated() {
            switch result {
            case .success(let score):
                answers.append((i, score))
            case .failure(let error):
                firstFailure = firstFailure ?? error
                leftOut(error)
            }
        }
        guard answers.count >= 2 else {
            let first = firstFailure.map { "; the first failure: \($0.message)" } ?? ""
            throw LLMNASError(
                .badAnswer,
                "only \(answers.count) of \(demonstrations.count) demonstrations got a usable prediction\(first)")
        }
        return answers
    }

    /// The calibration of kind `mode` (affine or combined) fitted on the demonstrations' leave-one-out answers.
    public func fit(_ mode: CalibrationMode, to answers: [(index: Int, score: Double)]) throws(LLMNASError)
        -> Calibration
    {
        let measured = answers.map { demonstrations[$0.index].score }
        guard mode == .combined else {
            return .affine(try AffineCalibration(fitting: answers.map(\.score), to: measured))
        }
        guard answers.count >= 3 else {
            throw LLMNASError(
                .badAnswer, "the combined predictor needs 3 demonstrations with an answer, not \(answers.count)")
        }
        var rows: [[Double]] = []
        for answer in answers {
            rows.append(
                [answer.score]
                    + (try CombinedFit.costs(of: demonstrations[answer.index].architecture, in: builder.space)))
        }
        return .combined(try CombinedFit(fitting: rows, to: measured))
    }

    /// Each demonstration's score predicted without the demonstrations of its fold, in the order of the
    /// demonstrations. `folds` nil holds out one demonstration at a time, in calibration's prompts, so the answers
    /// of a validation and of a calibration are one set of requests (through the response cache, paid once);
    /// with folds, each prompt shows the demonstrations outside the fold in their order, as calibration's do. Throws `cancelled` when
    /// `progress` returns false.
    func heldOutScores(folds: [[Int]]?, progress: ProgressHandler) throws(LLMNASError) -> [Result<
        Double, LLMNASError
    >] {
        let prompts = try heldOutPrompts(folds: folds)
        var cancelled = false
        let results = scores(
            of: client.completeChoices(prompts) { report in
                cancelled = cancelled || !progress(report)
                return !cancelled
            })
        if cancelled { throw LLMNASError(.cancelled, "cancelled while predicting held-out demonstrations") }
        return results
    }

    /// The prompts of `heldOutScores(folds:)`, one per demonstration: each judged as a new architecture would be,
    /// with the demonstrations outside its fold shown in their given order (`folds` nil: every other one). A
    /// held-out answer then answers the very kind of prompt the predictions get, so what calibration learns from it
    /// holds for them; an order rearranged to share prefixes between these prompts made their answers spread several
    /// times wider than the predictions' on the demo's model, and the calibration wrong.
    func heldOutPrompts(folds: [[Int]]?) throws(LLMNASError) -> [[ChatMessage]] {
        var prompts = [[ChatMessage]](repeating: [], count: demonstrations.count)
        for fold in folds ?? demonstrations.indices.map({ [$0] }) {
            let outside = demonstrations.indices.filter { !fold.contains($0) }.map { demonstrations[$0] }
            for held in fold {
                prompts[held] = try builder.messages(
                    demonstrations: outside, judging: demonstrations[held].architecture)
            }
        }
        return prompts
    }

    /// The requests a validation with default options (`CrossValidation`) would send now, after the response cache
    /// (counted without asking the endpoint anything).
    func validationRequests() throws(LLMNASError) -> Int {
        let prompts = try heldOutPrompts(folds: ValidationOptions().folds(of: demonstrations.count))
        return client.plan(prompts, shape: AnswerShape(scoresOf: client.config)).jobs.count
    }

    /// What `predict(architectures)` would send and cost now (calibration included), before anything is sent.
    public func estimate(_ architectures: [Architecture]) throws(LLMNASError) -> PromptEstimate {
        client.estimate(
            (builder.task.calibration != .none && demonstrations.count >= 3 ? try heldOutPrompts(folds: nil) : [])
                + (try prompts(judging: architectures)))
    }

    /// One prompt per architecture, with every demonstration.
    private func prompts(judging architectures: [Architecture]) throws(LLMNASError) -> [[ChatMessage]] {
        var prompts: [[ChatMessage]] = []
        for architecture in architectures {
            prompts.append(try builder.messages(demonstrations: demonstrations, judging: architecture))
        }
        return prompts
    }

    /// Turns each item's sample texts into one score: the numeric answers in range, combined by the client's
    /// aggregate; an item without any is a `badAnswer`.
    private func scores(of completions: [Result<[CompletionChoice], LLMNASError>]) -> [Result<Double, LLMNASError>] {
        estimates(of: completions).map { $0.map(\.value) }
    }

    /// Each item's score with its spread: the numeric answers in range, combined by the client's aggregate; an item
    /// without any is a `badAnswer`.
    private func estimates(of completions: [Result<[CompletionChoice], LLMNASError>]) -> [Result<
        ScoreEstimate, LLMNASError
    >] {
        let metric = builder.space.metric
        let aggregate = client.config.aggregate
        return completions.map { completion in
            switch completion {
            case .failure(let error):
                return .failure(error)  // the client has counted it
            case .success(let choices):
                let estimate = estimate(of: choices, metric: metric, aggregate: aggregate)
                if case .failure(let error) = estimate { client.ledger.recordFailure(error.kind) }
                return estimate
            }
        }
    }

    /// One item's score with its spread from its samples' answers; a `badAnswer` when none holds a usable number.
    private func estimate(of choices: [CompletionChoice], metric: Metric, aggregate: LLMConfig.Aggregate) -> Result<
        ScoreEstimate, LLMNASError
    > {
        if aggregate == .expectation { return expectation(of: choices, metric: metric) }
        var values: [Double] = []
        var firstError: LLMNASError?
        for text in choices.map(\.text) {
            do throws(LLMNASError) {
                values.append(try AnswerParser.score(in: text, metric: metric))
            } catch {
                firstError = firstError ?? error
            }
        }
        guard !values.isEmpty else { return .failure(firstError ?? LLMNASError(.badAnswer, "no answer")) }
        return .success(ScoreEstimate(values: values, aggregate: aggregate))
    }

    /// The expectation over the samples of each one's score distribution: the mean of their means, the variance
    /// theirs on average plus that of their means, the range over all; a sample without a usable number is left out.
    private func expectation(of choices: [CompletionChoice], metric: Metric) -> Result<ScoreEstimate, LLMNASError> {
        var estimates: [ScoreEstimate] = []
        var firstError: LLMNASError?
        for choice in choices {
            do throws(LLMNASError) { estimates.append(try DigitExpectation.estimate(choice, metric: metric)) } catch {
                firstError = firstError ?? error
            }
        }
        guard !estimates.isEmpty else { return .failure(firstError ?? LLMNASError(.badAnswer, "no answer")) }
        let means = estimates.map(\.value)
        let within = Statistics.mean(estimates.map { $0.standardDeviation * $0.standardDeviation })
        let between = Statistics.standardDeviation(means)
        return .success(
            ScoreEstimate(
                value: Statistics.mean(means), standardDeviation: (within + between * between).squareRoot(),
                low: estimates.map(\.low).min()!, high: estimates.map(\.high).max()!))
    }
}
