/// The one path from architectures to an MLP's predictions: their features, row by row, then the model.
extension MLP {
    /// Predictions for architectures of `space` from their features.
    public func predict(_ architectures: [Architecture], in space: SearchSpace) -> [Float] {
        let width = space.featureCount
        var x = [Float](repeating: 0, count: architectures.count * width)
        x.withUnsafeMutableBufferPointer { buffer in
            for (i, architecture) in architectures.enumerated() {
                space.writeFeatures(
                    of: architecture,
                    into: UnsafeMutableBufferPointer(rebasing: buffer[(i * width)..<((i + 1) * width)]))
            }
        }
        var out = [Float](repeating: 0, count: architectures.count)
        predict(x, rows: architectures.count, into: &out)
        return out
    }
}
