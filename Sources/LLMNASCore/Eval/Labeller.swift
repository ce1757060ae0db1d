/// What scores architectures for the protocol's chosen row and its distillation: LLM-PP configured as a choice's
/// candidate says (prompt mode and calibration), or the candidate's cost line fitted on the demonstrations.
enum Labeller {
    /// LLM-PP with its task's prompt and calibration.
    case llm(LLMPPPredictor)
    /// A least-squares line on the parameter count (`parameters`) or on GFLOPs.
    case costLine(AffineCalibration, parameters: Bool, SearchSpace)

    /// The labeller of a choice's candidate, on `task` and `demonstrations`.
    init(
        _ candidate: ModeChoice.Candidate, _ client: LLMClient, _ space: SearchSpace, _ task: PredictionTask,
        _ demonstrations: [Demonstration]
    ) throws(LLMNASError) {
        if let calibration = candidate.calibration, let prompt = candidate.prompt {
            var chosenTask = task
            chosenTask.options = prompt
            chosenTask.calibration = calibration
            self = .llm(LLMPPPredictor(client: client, space: space, task: chosenTask, demonstrations: demonstrations))
            return
        }
        let parameters = candidate.predictor.hasPrefix("params")
        var x: [Double] = []
        for demonstration in demonstrations {
            x.append(try Self.cost(of: demonstration.architecture, parameters: parameters, in: space))
        }
        self = .costLine(
            try AffineCalibration(fitting: x, to: demonstrations.map(\.score)), parameters: parameters, space)
    }

    /// Each architecture's score or error; `progress` hears LLM-PP's stages.
    func label(_ architectures: [Architecture], _ progress: ProgressHandler) -> [Result<Double, LLMNASError>] {
        switch self {
        case .llm(let predictor):
            return predictor.predict(architectures, progress: progress)
        case .costLine(let line, let parameters, let space):
            return architectures.map { architecture in
                Result { () throws(LLMNASError) in
                    line.apply(try Self.cost(of: architecture, parameters: parameters, in: space))
                }
            }
        }
    }

    /// The parameter count or GFLOPs of an architecture.
    private static func cost(of architecture: Architecture, parameters: Bool, in space: SearchSpace)
        throws(LLMNASError) -> Double
    {
        let costs = try CombinedFit.costs(of: architecture, in: space)
        guard costs.count == 2 else { throw LLMNASError(.invalidArgument, "the space has no cost model") }
        return parameters ? costs[0] : costs[1]
    }
}
