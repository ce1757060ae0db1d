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
        let rows = batch.count, dim = sizes[0], layerCount = sizes.count - 1
        if scratch.rows != rows { scratch = Scratch(sizes: sizes, rows: rows) }
        scratch.activations[0].withUnsafeMutableBufferPointer { input in
            x.withUnsafeBufferPointer { x in
                for (i, r) in batch.enumerated() {
                    (input.baseAddress! + i * dim).update(from: x.baseAddress! + r * dim, count: dim)
                }
            }
        }
        let model = self.model
        for layer in 0..<layerCount {
            let input = scratch.activations[layer]
            scratch.activations[layer + 1].withUnsafeMutableBufferPointer { out in
                input.withUnsafeBufferPointer { a in
                    model.forward(layer, a.baseAddress!, rows: rows, into: out.baseAddress!, relu: layer < layerCount - 1)
                }
            }
        }
        var loss = 0.0
        let output = scratch.activations[layerCount]
        scratch.delta.withUnsafeMutableBufferPointer { delta in
            for i in 0..<rows {
                let d = output[i] - y[batch[i]]
                switch config.loss {
                case .mse: loss += Double(d * d); delta[i] = 2 * d / Float(rows)
                case .l1: loss += Double(abs(d)); delta[i] = (d > 0 ? 1 : (d < 0 ? -1 : 0)) / Float(rows)
                }
            }
        }
        beta1Power *= config.beta1
        beta2Power *= config.beta2
        for layer in stride(from: layerCount - 1, through: 0, by: -1) {
            let fanIn = sizes[layer], fanOut = sizes[layer + 1]
            scratch.backward(layer: layer, fanIn: fanIn, fanOut: fanOut, weights: weights[layer])
            adam(&weights[layer], &firstMoment[layer], &secondMoment[layer], scratch.gradients[layer])
            adam(&biases[layer], &firstMomentBias[layer], &secondMomentBias[layer], scratch.biasGradients[layer])
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
                    for j in 0..<fanOut { b[j] = 0 }
                    for r in 0..<rows {
                        let row = d.baseAddress! + r * fanOut
                        for j in 0..<fanOut { b[j] += row[j] }
                    }
                }
            }
        }
        guard layer > 0 else { return }
        delta.withUnsafeBufferPointer { d in
            weights.withUnsafeBufferPointer { w in
                previousDelta.withUnsafeMutableBufferPointer { p in
                    Matrix.multiply(d.baseAddress!, transposeA: false, w.baseAddress!, transposeB: true,
                                    into: p.baseAddress!, m: rows, n: fanIn, k: fanOut)
                    input.withUnsafeBufferPointer { a in
                        for i in 0..<(rows * fanIn) where a[i] <= 0 { p[i] = 0 }
                    }
                }
            }
        }
        swap(&delta, &previousDelta)
    }
}
