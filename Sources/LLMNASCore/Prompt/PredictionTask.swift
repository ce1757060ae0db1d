/// What the LLM is asked to predict, beyond the search space: the task's name, the dataset and its examples, the
/// backbone, how the prompt is built and whether predictions are calibrated. Read from the `task_json` of the C
/// interface; every key is optional:
/// `{"task": "machine translation", "dataset": "WMT'14 English-German", "description": "…",
///   "examples": [{"input": "…", "output": "…"}], "backbone": "…", "prompt": {…PromptOptions…}, "calibrate": false}`
/// ("calibrate": true or "affine", "combined": `CalibrationMode`).
public struct PredictionTask: Sendable {
    /// A short name of the task ("machine translation").
    public var name: String?
    /// The dataset's name.
    public var dataset: String?
    /// What is being learned; defaults to the space's task description.
    public var description: String?
    /// Example input/output pairs from the dataset.
    public var examples: [(input: String, output: String)] = []
    /// The backbone all candidates share ("the Transformer of Vaswani et al., 2017").
    public var backbone: String?
    /// Which prompt parts are present.
    public var options = PromptOptions()
    /// How predictions are calibrated on the demonstrations' leave-one-out answers.
    public var calibration = CalibrationMode.none

    /// A task with nothing but the space's own description.
    public init() {}

    /// Reads a task from JSON; nil gives the defaults.
    public init(json: JSONValue?) throws(LLMNASError) {
        guard let json else { return }
        let r = try JSONObjectReader(
            json, context: "task",
            allowed: ["task", "dataset", "description", "examples", "backbone", "prompt", "calibrate"],
            kind: .invalidArgument)
        name = try r.string("task")
        dataset = try r.string("dataset")
        description = try r.string("description")
        backbone = try r.string("backbone")
        options = try PromptOptions(json: r.value("prompt"))
        calibration = try CalibrationMode(json: r.value("calibrate"))
        if let list = r.value("examples") {
            guard let elements = list.arrayValue else {
                throw LLMNASError(.invalidArgument, "task: 'examples' must be an array")
            }
            for (i, element) in elements.enumerated() {
                let e = try JSONObjectReader(
                    element, context: "task example \(i)", allowed: ["input", "output"], kind: .invalidArgument)
                examples.append((try e.requiredString("input"), try e.requiredString("output")))
            }
        }
    }
}
