import CKernels

/// The buffers of one minibatch size: every layer's activations, and the error signals of backpropagation.
final class Minibatch {
    /// Rows per batch.
    let rows: Int
    /// Per layer from the input, rows × width activations (after ReLU for the hidden layers).
    let activations: [FloatBlock]
    /// The error signal at the layer being differentiated, and the one below it.
    private var delta: FloatBlock
    private var previousDelta: FloatBlock

    /// Buffers for `rows` rows through layers of widths `sizes`.
    init(sizes: [Int], rows: Int) throws(LLMNASError) {
        self.rows = rows
        var activations: [FloatBlock] = []
        for width in sizes {
            activations.append(try FloatBlock(count: rows * width, for: "the activations of \(rows) rows"))
        }
        self.activations = activations
        let widest = sizes.max() ?? 0
        delta = try FloatBlock(count: rows * widest, for: "the gradients of \(rows) rows")
        previousDelta = try FloatBlock(count: rows * widest, for: "the gradients of \(rows) rows")
    }

    /// The network's outputs, one per row, after `forward`.
    var output: UnsafeMutablePointer<Float> { activations[activations.count - 1].base }

    /// Runs the layers in `flat` (laid out by `layout`) on the rows `rows` of `x` (`rows.count` must equal
    /// `self.rows`).
    func forward(_ layout: ParameterLayout, _ flat: UnsafePointer<Float>, rows: [Int], of x: UnsafePointer<Float>) {
        let dim = layout.sizes[0]
        let input = activations[0].base
        for (i, r) in rows.enumerated() { (input + i * dim).update(from: x + r * dim, count: dim) }
        for layer in 0..<layout.layerCount {
            MLP.dense(
                activations[layer].base, rows: self.rows, weights: flat + layout.weightOffsets[layer],
                bias: flat + layout.biasOffsets[layer], fanIn: layout.sizes[layer], fanOut: layout.sizes[layer + 1],
                into: activations[layer + 1].base, relu: layer < layout.layerCount - 1)
        }
    }

    /// Sets the output layer's error signal from the per-row errors of `forward` (`error(row)` = d loss / d output);
    /// later `backward` calls carry it down.
    func setOutputError(_ error: (Int) -> Float) {
        for i in 0..<rows { delta.base[i] = error(i) }
    }

    /// Backpropagates through every layer, from the output error set by `setOutputError`, writing each layer's weight
    /// and bias gradients into `gradients` (laid out like `flat`).
    func backward(_ layout: ParameterLayout, _ flat: UnsafePointer<Float>, into gradients: UnsafeMutablePointer<Float>)
    {
        for layer in stride(from: layout.layerCount - 1, through: 0, by: -1) {
            let fanIn = layout.sizes[layer]
            let fanOut = layout.sizes[layer + 1]
            let input = activations[layer].base
            Matrix.multiply(
                input, transposeA: true, delta.base, transposeB: false,
                into: gradients + layout.weightOffsets[layer], m: fanIn, n: fanOut, k: rows)
            llmnas_kernel_column_sums(gradients + layout.biasOffsets[layer], delta.base, rows, fanOut)
            guard layer > 0 else { continue }
            Matrix.multiply(
                delta.base, transposeA: false, flat + layout.weightOffsets[layer], transposeB: true,
                into: previousDelta.base, m: rows, n: fanIn, k: fanOut)
            llmnas_kernel_relu_mask(previousDelta.base, input, rows * fanIn)
            swap(&delta, &previousDelta)
        }
    }
}
