/// How an MLP regressor is shaped and trained, read from JSON; `{}` gives the recipe of Jawahar et al. (2024):
/// hidden layers 400-400-400-400 with ReLU, Adam at learning rate 1e-5 (betas 0.9, 0.999), batch 128, 5,000 steps,
/// MSE, inputs and targets standardised inside the model.
public struct MLPConfig: Sendable, Equatable {
    /// The loss minimised.
    public enum Loss: String, Sendable {
        /// Mean squared error.
        case mse
        /// Mean absolute error.
        case l1
    }

    /// Widths of the hidden layers.
    public var hidden = [400, 400, 400, 400]
    /// Adam's step size.
    public var learningRate: Float = 1e-5
    /// Adam's first-moment decay.
    public var beta1: Float = 0.9
    /// Adam's second-moment decay.
    public var beta2: Float = 0.999
    /// Adam's epsilon.
    public var epsilon: Float = 1e-8
    /// The loss.
    public var loss = Loss.mse
    /// Rows per step.
    public var batchSize = 128
    /// Optimisation steps (minibatches); `epochs`, when given, sets it to epochs × ⌈train rows / batch⌉.
    public var steps = 5000
    /// Passes over the training rows, if given instead of steps.
    public var epochs: Int?
    /// The share of rows held out for validation (0: none).
    public var validationFraction: Double = 0
    /// Stop when the validation loss has not improved for this many evaluations (0: never stop early); the best
    /// weights are kept.
    public var patience = 0
    /// Steps between validation evaluations and progress reports.
    public var evaluateEvery = 100
    /// Seeds weight initialisation, shuffling and the validation split.
    public var seed: UInt64 = 0

    /// The paper's recipe.
    public init() {}

    /// Reads a config; absent keys keep the paper's recipe, unknown keys are errors.
    public init(json: JSONValue?) throws(LLMNASError) {
        guard let json else { return }
        let keys: Set<String> = [
            "hidden", "learning_rate", "beta1", "beta2", "epsilon", "loss", "batch_size", "steps",
            "epochs", "validation_fraction", "patience", "evaluate_every", "seed",
        ]
        let r = try JSONObjectReader(json, context: "MLP config", allowed: keys, kind: .invalidArgument)
        if let list = r.value("hidden") {
            guard let widths = list.arrayValue?.compactMap(\.exactInt), widths.count == list.arrayValue?.count,
                widths.count <= 16, widths.allSatisfy({ (1...16384).contains($0) })
            else {
                throw LLMNASError(.invalidArgument, "MLP config: 'hidden' must list at most 16 widths from 1 to 16384")
            }
            hidden = widths
        }
        learningRate = Float(try r.number("learning_rate", in: 1e-12...10) ?? Double(learningRate))
        beta1 = Float(try r.number("beta1", in: 0...0.999999) ?? Double(beta1))
        beta2 = Float(try r.number("beta2", in: 0...0.999999999) ?? Double(beta2))
        epsilon = Float(try r.number("epsilon", in: 1e-20...1) ?? Double(epsilon))
        if let name = try r.string("loss") {
            guard let loss = Loss(rawValue: name) else {
                throw LLMNASError(.invalidArgument, "MLP config: 'loss' must be \"mse\" or \"l1\"")
            }
            self.loss = loss
        }
        batchSize = try r.int("batch_size", in: 1...1_000_000) ?? batchSize
        steps = try r.int("steps", in: 0...100_000_000) ?? steps
        epochs = try r.int("epochs", in: 1...1_000_000)
        validationFraction = try r.number("validation_fraction", in: 0...0.9) ?? 0
        patience = try r.int("patience", in: 0...1_000_000) ?? 0
        evaluateEvery = try r.int("evaluate_every", in: 1...100_000_000) ?? evaluateEvery
        seed = UInt64(try r.int("seed", in: 0...Int.max) ?? 0)
    }
}
