import CKernels

/// The weights, Adam's moments and the scratch buffers of one training run: forward, backward and update for a
/// minibatch.
struct TrainingState {
    let sizes: [Int]
    var weights: [[Float]]
    var biases: [[Float]]
    private let config: MLPConfig
    private var firstMoment: [[Float]]
    private var secondMoment: [[Float]]
    private var firstMomentBias: [[Float]]
    private var secondMomentBias: [[Float]]
    private var beta1Power: Float = 1
    private var beta2Power: Float = 1
    private var scratch = Scratch(sizes: [], rows: 0)

    /// Weights and biases drawn uniformly from ±1/√fan-in (PyTorch's default for linear layers).
    init(config: MLPConfig, sizes: [Int], generator: inout SeededGenerator) {
        self.config = config
        self.sizes = sizes
        var weights: [[Float]] = [], biases: [[Float]] = []
        for layer in 0..<(sizes.count - 1) {
            let bound = 1 / Double(sizes[layer]).squareRoot()
            weights.append((0..<(sizes[layer] * sizes[layer + 1])).map { _ in Float((2 * generator.unit() - 1) * bound) })
            biases.append((0..<sizes[layer + 1]).map { _ in Float((2 * generator.unit() - 1) * bound) })
        }
        self.weights = weights
        self.biases = biases
        firstMoment = weights.map { [Float](repeating: 0, count: $0.count) }
        secondMoment = firstMoment
        firstMomentBias = biases.map { [Float](repeating: 0, count: $0.count) }
        secondMomentBias = firstMomentBias
    }

    private var model: MLP {
        MLP(sizes: sizes, weights: weights, biases: biases, inputMean: [], inputScale: [], targetMean: 0, targetScale: 1,
            training: .null)
    }

    /// Runs the layers on the standardised rows `rows` of `x`, leaving every layer's activations in `scratch`
    /// (resized when the row count changed).
    private static func forward(_ model: MLP, _ rows: [Int], of x: [Float], into scratch: inout Scratch) {
        let dim = model.sizes[0], layerCount = model.sizes.count - 1
        if scratch.rows != rows.count { scratch = Scratch(sizes: model.sizes, rows: rows.count) }
        scratch.activations[0].withUnsafeMutableBufferPointer { input in
            x.withUnsafeBufferPointer { x in
                for (i, r) in rows.enumerated() {
                    (input.baseAddress! + i * dim).update(from: x.baseAddress! + r * dim, count: dim)
                }
            }
        }
        for layer in 0..<layerCount {
            let input = scratch.activations[layer]
            scratch.activations[layer + 1].withUnsafeMutableBufferPointer { out in
                input.withUnsafeBufferPointer { a in
                    model.forward(layer, a.baseAddress!, rows: rows.count, into: out.baseAddress!, relu: layer < layerCount - 1)
                }
            }
        }
    }

    /// One row's loss for the error `d` (prediction minus target).
    private static func lossTerm(_ d: Float, _ loss: MLPConfig.Loss) -> Double { loss == .mse ? Double(d * d) : Double(abs(d)) }

    /// The loss over `rows` standardised rows.
    func loss(x: [Float], y: [Float], rows: Int) -> Double {
        var scratch = Scratch(sizes: sizes, rows: 0)
        TrainingState.forward(model, Array(0..<rows), of: x, into: &scratch)
        let output = scratch.activations[sizes.count - 1]
        return (0..<rows).reduce(0.0) { $0 + TrainingState.lossTerm(output[$1] - y[$1], config.loss) } / Double(rows)
    }

    /// One Adam step on the rows `batch` of the standardised training set; returns the batch loss.
    mutating func step(batch: [Int], x: [Float], y: [Float]) -> Double {
        let rows = batch.count, layerCount = sizes.count - 1
        TrainingState.forward(model, batch, of: x, into: &scratch)
        var loss = 0.0
        let output = scratch.activations[layerCount], kind = config.loss
        scratch.delta.withUnsafeMutableBufferPointer { delta in
            for i in 0..<rows {
                let d = output[i] - y[batch[i]]
                loss += TrainingState.lossTerm(d, kind)
                delta[i] = (kind == .mse ? 2 * d : (d > 0 ? 1 : (d < 0 ? -1 : 0))) / Float(rows)
            }
        }
        beta1Power *= config.beta1
        beta2Power *= config.beta2
        for layer in stride(from: layerCount - 1, through: 0, by: -1) {
            let fanIn = sizes[layer], fanOut = sizes[layer + 1]
            scratch.backward(layer: layer, fanIn: fanIn, fanOut: fanOut, weights: weights[layer])
            let rates = AdamRates(config: config, beta1Power: beta1Power, beta2Power: beta2Power)
            TrainingState.adam(rates, &weights[layer], &firstMoment[layer], &secondMoment[layer], scratch.gradients[layer])
            TrainingState.adam(rates, &biases[layer], &firstMomentBias[layer], &secondMomentBias[layer], scratch.biasGradients[layer])
        }
        return loss / Double(rows)
    }

    /// The constants of one Adam step: decays, epsilon, the bias-corrected step size and second-moment root.
    private struct AdamRates {
        let b1: Float, b2: Float, epsilon: Float, stepSize: Float, root2: Float

        init(config: MLPConfig, beta1Power: Float, beta2Power: Float) {
            b1 = config.beta1
            b2 = config.beta2
            epsilon = config.epsilon
            stepSize = config.learningRate / (1 - beta1Power)
            root2 = (1 - beta2Power).squareRoot()
        }
    }

    /// Adam's update of `parameters` with bias-corrected moments (a vectorised C kernel). Static, so that updating
    /// the state's own arrays in place does not copy them.
    private static func adam(_ rates: AdamRates, _ parameters: inout [Float], _ m: inout [Float], _ v: inout [Float],
                             _ gradient: [Float]) {
        let count = parameters.count
        parameters.withUnsafeMutableBufferPointer { p in
            m.withUnsafeMutableBufferPointer { m in
                v.withUnsafeMutableBufferPointer { v in
                    gradient.withUnsafeBufferPointer { g in
                        llmnas_kernel_adam(p.baseAddress!, m.baseAddress!, v.baseAddress!, g.baseAddress!, count,
                                           rates.b1, rates.b2, rates.epsilon, rates.stepSize, rates.root2)
                    }
                }
            }
        }
    }
}

/// The buffers of one minibatch, allocated once per batch size: activations of every layer, the error signal and the
/// gradients.
struct Scratch {
    let rows: Int
    var activations: [[Float]]
    var delta: [Float]
    var previousDelta: [Float]
    var gradients: [[Float]]
    var biasGradients: [[Float]]

    init(sizes: [Int], rows: Int) {
        self.rows = rows
        activations = sizes.map { [Float](repeating: 0, count: rows * $0) }
        let widest = sizes.max() ?? 0
        delta = [Float](repeating: 0, count: rows * widest)
        previousDelta = delta
        gradients = zip(sizes, sizes.dropFirst()).map { [Float](repeating: 0, count: $0 * $1) }
        biasGradients = sizes.dropFirst().map { [Float](repeating: 0, count: $0) }
    }

    /// Gradients of `layer` from `delta` (rows × fanOut), and the error signal of the layer below (through ReLU).
    mutating func backward(layer: Int, fanIn: Int, fanOut: Int, weights: [Float]) {
        let rows = self.rows
        let input = activations[layer]
        input.withUnsafeBufferPointer { a in
            delta.withUnsafeBufferPointer { d in
                gradients[layer].withUnsafeMutableBufferPointer { g in
                    Matrix.multiply(a.baseAddress!, transposeA: true, d.baseAddress!, transposeB: false,
                                    into: g.baseAddress!, m: fanIn, n: fanOut, k: rows)
                }
                biasGradients[layer].withUnsafeMutableBufferPointer { b in
                    llmnas_kernel_column_sums(b.baseAddress!, d.baseAddress!, rows, fanOut)
                }
            }
        }
        guard layer > 0 else { return }
        delta.withUnsafeBufferPointer { d in
            weights.withUnsafeBufferPointer { w in
                previousDelta.withUnsafeMutableBufferPointer { p in
                    Matrix.multiply(d.baseAddress!, transposeA: false, w.baseAddress!, transposeB: true,
                                    into: p.baseAddress!, m: rows, n: fanIn, k: fanOut)
                    input.withUnsafeBufferPointer { a in llmnas_kernel_relu_mask(p.baseAddress!, a.baseAddress!, rows * fanIn) }
                }
            }
        }
        swap(&delta, &previousDelta)
    }
}
