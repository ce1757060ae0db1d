/// The one path from architectures to an MLP's predictions: their features, row by row, then the model.
extension MLP {
    /// Predictions for architectures of `space` from their features; fails as the features do.
    public func predict(_ architectures: [Architecture], in space: SearchSpace) throws(LLMNASError) -> [Float] {
        let width = space.featureCount
        var x = [Float](repeating: 0, count: architectures.count * width)
        try x.withUnsafeMutableBufferPointer { buffer throws(LLMNASError) in
            for (i, architecture) in architectures.enumerated() {
                try space.writeFeatures(
                    of: architecture,
                    into: UnsafeMutableBufferPointer(rebasing: buffer[(i * width)..<((i + 1) * width)]))
            }
        }
        var out = [Float](repeating: 0, count: architectures.count)
        predict(x, rows: architectures.count, into: &out)
        return out
    }
}
