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

    /// The activations of every layer for `rows` standardised rows: index 0 is the input, the last the output.
    private func activations(_ x: UnsafePointer<Float>, rows: Int) -> [[Float]] {
        let model = self.model
        var layers = [Array(UnsafeBufferPointer(start: x, count: rows * sizes[0]))]
        for layer in 0..<(sizes.count - 1) {
            var output = [Float](repeating: 0, count: rows * sizes[layer + 1])
            layers[layer].withUnsafeBufferPointer { input in
                output.withUnsafeMutableBufferPointer { out in
                    model.forward(layer, input.baseAddress!, rows: rows, into: out.baseAddress!, relu: layer < sizes.count - 2)
                }
            }
            layers.append(output)
        }
        return layers
    }

    /// The loss over `rows` standardised rows.
    func loss(x: [Float], y: [Float], rows: Int) -> Double {
        let output = x.withUnsafeBufferPointer { activations($0.baseAddress!, rows: rows) }.last!
        return zip(output, y).reduce(0.0) { total, pair in
            let d = Double(pair.0 - pair.1)
            return total + (config.loss == .mse ? d * d : abs(d))
        } / Double(rows)
    }

    /// One Adam step on the rows `batch` of the standardised training set; returns the batch loss.
    mutating func step(batch: [Int], x: [Float], y: [Float]) -> Double {
        let rows = batch.count, dim = sizes[0]
        var input = [Float](repeating: 0, count: rows * dim)
        for (i, r) in batch.enumerated() {
            for j in 0..<dim { input[i * dim + j] = x[r * dim + j] }
        }
        let layers = input.withUnsafeBufferPointer { activations($0.baseAddress!, rows: rows) }
        var delta = [Float](repeating: 0, count: rows)
        var loss = 0.0
        for i in 0..<rows {
            let d = layers.last![i] - y[batch[i]]
            switch config.loss {
            case .mse: loss += Double(d * d); delta[i] = 2 * d / Float(rows)
            case .l1: loss += Double(abs(d)); delta[i] = (d > 0 ? 1 : (d < 0 ? -1 : 0)) / Float(rows)
            }
        }
        beta1Power *= config.beta1
        beta2Power *= config.beta2
        for layer in stride(from: sizes.count - 2, through: 0, by: -1) {
            let fanIn = sizes[layer], fanOut = sizes[layer + 1]
            var gradient = [Float](repeating: 0, count: fanIn * fanOut)
            layers[layer].withUnsafeBufferPointer { a in
                delta.withUnsafeBufferPointer { d in
                    gradient.withUnsafeMutableBufferPointer { g in
                        Matrix.multiply(a.baseAddress!, transposeA: true, d.baseAddress!, transposeB: false,
                                        into: g.baseAddress!, m: fanIn, n: fanOut, k: rows)
                    }
                }
            }
            var biasGradient = [Float](repeating: 0, count: fanOut)
            for r in 0..<rows { for j in 0..<fanOut { biasGradient[j] += delta[r * fanOut + j] } }
            if layer > 0 {
                var previous = [Float](repeating: 0, count: rows * fanIn)
                delta.withUnsafeBufferPointer { d in
                    weights[layer].withUnsafeBufferPointer { w in
                        previous.withUnsafeMutableBufferPointer { p in
                            Matrix.multiply(d.baseAddress!, transposeA: false, w.baseAddress!, transposeB: true,
                                            into: p.baseAddress!, m: rows, n: fanIn, k: fanOut)
                        }
                    }
                }
                let activation = layers[layer]
                for i in previous.indices where activation[i] <= 0 { previous[i] = 0 }
                delta = previous
            }
            adam(&weights[layer], &firstMoment[layer], &secondMoment[layer], gradient)
            adam(&biases[layer], &firstMomentBias[layer], &secondMomentBias[layer], biasGradient)
        }
        return loss / Double(rows)
    }

    /// Adam's update of `parameters` with bias-corrected moments.
    private func adam(_ parameters: inout [Float], _ m: inout [Float], _ v: inout [Float], _ gradient: [Float]) {
        let b1 = config.beta1, b2 = config.beta2
        let correction1 = 1 - beta1Power, correction2 = 1 - beta2Power
        let stepSize = config.learningRate / correction1
        let root2 = correction2.squareRoot()
        parameters.withUnsafeMutableBufferPointer { p in
            m.withUnsafeMutableBufferPointer { m in
                v.withUnsafeMutableBufferPointer { v in
                    gradient.withUnsafeBufferPointer { g in
                        for i in 0..<p.count {
                            m[i] = b1 * m[i] + (1 - b1) * g[i]
                            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                            p[i] -= stepSize * m[i] / (v[i].squareRoot() / root2 + config.epsilon)
                        }
                    }
                }
            }
        }
    }
}
