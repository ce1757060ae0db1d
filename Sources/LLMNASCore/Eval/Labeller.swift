/// What scores architectures for the protocol's chosen row and its distillation: LLM-PP configured as a choice's
/// candidate says (prompt mode and calibration), or the candidate's cost line fitted on the demonstrations.
struct Labeller {
    /// LLM-PP with its task's prompt and calibration; nil for a cost line.
    private let predictor: LLMPPPredictor?
    /// The least-squares line on the parameter count or on GFLOPs (`onParameters`); unused with a predictor.
    private let line: AffineCalibration
    /// Whether the cost line is on the parameter count (else on GFLOPs).
    private let onParameters: Bool
    /// The space whose cost model counts them.
    private let space: SearchSpace

    /// LLM-PP as `predictor` is configured.
    init(_ predictor: LLMPPPredictor) {
        self.predictor = predictor
        line = AffineCalibration(slope: 0, intercept: 0)
        onParameters = true
        space = predictor.builder.space
    }

    /// The labeller of a choice's candidate, on `task` and `demonstrations`.
    init(
        _ candidate: ModeChoice.Candidate, _ client: LLMClient, _ space: SearchSpace, _ task: PredictionTask,
        _ demonstrations: [Demonstration]
    ) throws(LLMNASError) {
        self.space = space
        if let calibration = candidate.calibration, let prompt = candidate.prompt {
            var chosenTask = task
            chosenTask.options = prompt
            chosenTask.calibration = calibration
            predictor = LLMPPPredictor(client: client, space: space, task: chosenTask, demonstrations: demonstrations)
            line = AffineCalibration(slope: 0, intercept: 0)
            onParameters = true
            return
        }
        predictor = nil
        onParameters = candidate.predictor.hasPrefix("params")
        var x: [Double] = []
        for demonstration in demonstrations {
            x.append(try Self.cost(of: demonstration.architecture, onParameters: onParameters, in: space))
        }
        line = try AffineCalibration(fitting: x, to: demonstrations.map(\.score))
    }

    /// Each architecture's score or error; `progress` hears LLM-PP's stages.
    func label(_ architectures: [Architecture], _ progress: ProgressHandler) -> [Result<Double, LLMNASError>] {
        if let predictor { return predictor.predict(architectures, progress: progress) }
        return architectures.map { architecture in
            Result { () throws(LLMNASError) in
                line.apply(try Self.cost(of: architecture, onParameters: onParameters, in: space))
            }
        }
    }

    /// The parameter count or GFLOPs of an architecture.
    private static func cost(of architecture: Architecture, onParameters: Bool, in space: SearchSpace)
        throws(LLMNASError) -> Double
    {
        let costs = try CombinedFit.costs(of: architecture, in: space)
        guard costs.count == 2 else { throw LLMNASError(.invalidArgument, "the space has no cost model") }
        return onParameters ? costs[0] : costs[1]
    }
}
