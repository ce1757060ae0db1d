import CKernels

/// The parameters, gradients and Adam's moments of one training run, each one flat vector (`ParameterLayout`), and
/// the step that updates them from a minibatch. Used by one thread at a time.
final class TrainingState {
    private let layout: ParameterLayout
    private let config: MLPConfig
    private let parameters: FloatBlock
    private let gradients: FloatBlock
    private let firstMoment: FloatBlock
    private let secondMoment: FloatBlock
    private var beta1Power: Float = 1
    private var beta2Power: Float = 1
    /// The buffers of the latest batch size seen.
    private var batch: Minibatch
    /// The buffers of the validation loss, made at its first evaluation.
    private var evaluation: Minibatch?

    /// Weights and biases drawn uniformly from ±1/√fan-in (PyTorch's default for linear layers), layer by layer,
    /// weights before biases.
    init(config: MLPConfig, sizes: [Int], generator: inout SeededGenerator) throws(LLMNASError) {
        self.config = config
        layout = ParameterLayout(sizes: sizes)
        let what = "\(layout.count) parameters"
        parameters = try FloatBlock(count: layout.count, for: what)
        for layer in 0..<layout.layerCount {
            let bound = 1 / Double(sizes[layer]).squareRoot()
            let weightCount = sizes[layer] * sizes[layer + 1]
            for i in 0..<(weightCount + sizes[layer + 1]) {
                parameters.base[layout.weightOffsets[layer] + i] = Float((2 * generator.unit() - 1) * bound)
            }
        }
        gradients = try FloatBlock(count: layout.count, for: "the gradients of " + what)
        firstMoment = try FloatBlock(count: layout.count, for: "Adam's moments of " + what)
        secondMoment = try FloatBlock(count: layout.count, for: "Adam's moments of " + what)
        batch = try Minibatch(sizes: sizes, rows: 0)
    }

    /// Layer widths from the input to the output.
    var sizes: [Int] { layout.sizes }

    /// A copy of every parameter, for `restore`.
    var snapshot: [Float] { parameters.values }

    /// Puts back the parameters of a `snapshot`.
    func restore(_ snapshot: [Float]) { parameters.assign(snapshot) }

    /// Per layer, the current weights and biases.
    var layers: (weights: [[Float]], biases: [[Float]]) { layout.layers(of: parameters.base) }

    /// One row's loss for the error `d` (prediction minus target).
    private static func lossTerm(_ d: Float, _ loss: MLPConfig.Loss) -> Double {
        loss == .mse ? Double(d * d) : Double(abs(d))
    }

    /// The loss over the first `rows` standardised rows of `x` and `y`.
    func loss(x: [Float], y: [Float], rows: Int) throws(LLMNASError) -> Double {
        let evaluation: Minibatch
        if let kept = self.evaluation, kept.rows == rows {
            evaluation = kept
        } else {
            evaluation = try Minibatch(sizes: sizes, rows: rows)
            self.evaluation = evaluation
        }
        x.withUnsafeBufferPointer {
            evaluation.forward(layout, parameters.base, rows: Array(0..<rows), of: $0.baseAddress!)
        }
        return (0..<rows).reduce(0.0) { $0 + TrainingState.lossTerm(evaluation.output[$1] - y[$1], config.loss) }
            / Double(rows)
    }

    /// One Adam step on the rows `rows` of the standardised training set; returns the batch loss.
    func step(batch rows: [Int], x: [Float], y: [Float]) throws(LLMNASError) -> Double {
        if batch.rows != rows.count { batch = try Minibatch(sizes: sizes, rows: rows.count) }
        x.withUnsafeBufferPointer { batch.forward(layout, parameters.base, rows: rows, of: $0.baseAddress!) }
        var loss = 0.0
        let output = batch.output
        let kind = config.loss
        let scale = Float(rows.count)
        batch.setOutputError { i in
            let d = output[i] - y[rows[i]]
            loss += TrainingState.lossTerm(d, kind)
            return (kind == .mse ? 2 * d : (d > 0 ? 1 : (d < 0 ? -1 : 0))) / scale
        }
        batch.backward(layout, parameters.base, into: gradients.base)
        beta1Power *= config.beta1
        beta2Power *= config.beta2
        llmnas_kernel_adam(
            parameters.base, firstMoment.base, secondMoment.base, gradients.base, layout.count,
            config.beta1, config.beta2, config.epsilon, config.learningRate / (1 - beta1Power),
            (1 - beta2Power).squareRoot())
        return loss / Double(rows.count)
    }
}
