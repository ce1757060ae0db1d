import CKernels

/// A trained multi-layer perceptron regressor: dense layers with ReLU between them and one output, with the input
/// and target standardisation stored inside, so callers pass raw features and get raw predictions. Immutable after
/// training: one model may predict from many threads at once.
public struct MLP: Sendable {
    /// Layer widths from the input to the output (the last is 1).
    public let sizes: [Int]
    /// Per layer, weights as an inputs × outputs row-major matrix.
    let weights: [[Float]]
    /// Per layer, biases.
    let biases: [[Float]]
    /// Per input feature, the mean and standard deviation subtracted and divided.
    let inputMean: [Float]
    let inputScale: [Float]
    /// The target's mean and standard deviation.
    let targetMean: Float
    let targetScale: Float
    /// What the model was trained with, for `info`.
    public let training: JSONValue
    /// Per layer, the weights transposed (outputs × inputs), which a single row reads faster (see `Matrix.multiply`).
    private let transposedWeights: [[Float]]

    /// A model from its parts (validated by the caller: `weights[l]` holds sizes[l] × sizes[l + 1] floats).
    init(
        sizes: [Int], weights: [[Float]], biases: [[Float]], inputMean: [Float], inputScale: [Float], targetMean: Float,
        targetScale: Float, training: JSONValue
    ) {
        self.sizes = sizes
        self.weights = weights
        self.biases = biases
        self.inputMean = inputMean
        self.inputScale = inputScale
        self.targetMean = targetMean
        self.targetScale = targetScale
        self.training = training
        transposedWeights = weights.indices.map { layer in
            let fanIn = sizes[layer]
            let fanOut = sizes[layer + 1]
            let w = weights[layer]
            return [Float](unsafeUninitializedCapacity: fanIn * fanOut) { t, count in
                for i in 0..<fanIn { for j in 0..<fanOut { t[j * fanIn + i] = w[i * fanOut + j] } }
                count = fanIn * fanOut
            }
        }
    }

    /// The number of input features.
    public var inputCount: Int { sizes[0] }

    /// Rows predicted per pass: larger batches go in chunks, so memory stays bounded and the activations of a chunk
    /// stay in cache (`make bench` shows the sgemm rate per batch size).
    static let chunkRows = 1024

    /// Predicts `rows` rows of `inputCount` features from `x` into `out`. Inputs must be finite.
    public func predict(_ x: UnsafePointer<Float>, rows: Int, into out: UnsafeMutablePointer<Float>) {
        let widest = sizes.max()!
        let chunk = min(rows, MLP.chunkRows)
        // Uninitialised: every float is written (by the standardisation or a layer) before it is read.
        var a = [Float](unsafeUninitializedCapacity: chunk * widest) { _, count in count = chunk * widest }
        var b = [Float](unsafeUninitializedCapacity: chunk * widest) { _, count in count = chunk * widest }
        var start = 0
        while start < rows {
            let n = min(chunk, rows - start)
            a.withUnsafeMutableBufferPointer { a in
                b.withUnsafeMutableBufferPointer { b in
                    let d = sizes[0]
                    for r in 0..<n {
                        for j in 0..<d { a[r * d + j] = (x[(start + r) * d + j] - inputMean[j]) / inputScale[j] }
                    }
                    var input = a.baseAddress!
                    var output = b.baseAddress!
                    for layer in weights.indices {
                        forward(layer, input, rows: n, into: output, relu: layer < weights.count - 1)
                        swap(&input, &output)
                    }
                    for r in 0..<n { out[start + r] = input[r] * targetScale + targetMean }
                }
            }
            start += n
        }
    }

    /// One layer of this model: output = input · W + b, then ReLU unless it is the last layer. A single row reads the
    /// transposed copy of W (see `Matrix.multiply`).
    func forward(
        _ layer: Int, _ input: UnsafePointer<Float>, rows: Int, into output: UnsafeMutablePointer<Float>, relu: Bool
    ) {
        let single = rows == 1
        (single ? transposedWeights[layer] : weights[layer]).withUnsafeBufferPointer { w in
            biases[layer].withUnsafeBufferPointer { b in
                MLP.dense(
                    input, rows: rows, weights: w.baseAddress!, transposed: single, bias: b.baseAddress!,
                    fanIn: sizes[layer], fanOut: sizes[layer + 1], into: output, relu: relu)
            }
        }
    }

    /// A dense layer on `rows` rows: output = input · W + bias, then ReLU if `relu`; `weights` holds W (fanIn × fanOut,
    /// row-major) or, when `transposed`, Wᵀ (fanOut × fanIn).
    static func dense(
        _ input: UnsafePointer<Float>, rows: Int, weights: UnsafePointer<Float>, transposed: Bool = false,
        bias: UnsafePointer<Float>, fanIn: Int, fanOut: Int, into output: UnsafeMutablePointer<Float>,
        relu: Bool
    ) {
        Matrix.multiply(
            input, transposeA: false, weights, transposeB: transposed, into: output, m: rows, n: fanOut, k: fanIn)
        llmnas_kernel_bias_relu(output, bias, rows, fanOut, relu ? 1 : 0)
    }

    /// The number of weights and biases.
    public var parameterCount: Int { weights.reduce(0) { $0 + $1.count } + biases.reduce(0) { $0 + $1.count } }

    /// A description as JSON: sizes, parameters, normalisation and the training record.
    public var info: JSONValue {
        .object([
            ("sizes", .array(sizes.map { .number(Double($0)) })),
            ("parameters", .number(Double(parameterCount))),
            ("input_mean", .array(inputMean.map { .number(Double($0)) })),
            ("input_scale", .array(inputScale.map { .number(Double($0)) })),
            ("target_mean", .number(Double(targetMean))), ("target_scale", .number(Double(targetScale))),
            ("training", training),
        ])
    }
}
