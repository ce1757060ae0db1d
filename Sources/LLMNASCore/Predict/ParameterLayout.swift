/// Where each layer's weights (fan-in × fan-out, row-major) and biases sit in one flat vector of parameters: layer
/// by layer, weights then biases, the order of the model file. Training keeps parameters, gradients and Adam's
/// moments in this layout, so one update covers them all.
struct ParameterLayout {
    /// Layer widths from the input to the output.
    let sizes: [Int]
    /// Per layer, the offset of its weights.
    let weightOffsets: [Int]
    /// Per layer, the offset of its biases.
    let biasOffsets: [Int]
    /// Parameters in all.
    let count: Int

    /// The layout of a network with layer widths `sizes`, from the input to the output.
    init(sizes: [Int]) {
        self.sizes = sizes
        var weightOffsets: [Int] = []
        var biasOffsets: [Int] = []
        var offset = 0
        for layer in 0..<(sizes.count - 1) {
            weightOffsets.append(offset)
            offset += sizes[layer] * sizes[layer + 1]
            biasOffsets.append(offset)
            offset += sizes[layer + 1]
        }
        self.weightOffsets = weightOffsets
        self.biasOffsets = biasOffsets
        count = offset
    }

    /// The number of layers with weights.
    var layerCount: Int { sizes.count - 1 }

    /// Per layer, the weights and the biases held in `flat`.
    func layers(of flat: UnsafePointer<Float>) -> (weights: [[Float]], biases: [[Float]]) {
        let weights = (0..<layerCount).map {
            Array(UnsafeBufferPointer(start: flat + weightOffsets[$0], count: sizes[$0] * sizes[$0 + 1]))
        }
        let biases = (0..<layerCount).map {
            Array(UnsafeBufferPointer(start: flat + biasOffsets[$0], count: sizes[$0 + 1]))
        }
        return (weights, biases)
    }
}
