/// The bounds of MLP inputs, checked once here for training and prediction alike.
extension MLP {
    /// The widest input a model takes.
    public static let maximumInputs = 100_000
    /// The most rows one call trains on or predicts.
    public static let maximumRows = 100_000_000

    /// Checks a row count and width against the bounds.
    public static func checkShape(rows: Int, dim: Int) throws(LLMNASError) {
        guard (1...maximumInputs).contains(dim) else {
            throw LLMNASError(.invalidArgument, "dim must be 1 to \(maximumInputs), not \(dim)")
        }
        guard (0...maximumRows).contains(rows) else {
            throw LLMNASError(.invalidArgument, "n must be 0 to \(maximumRows) rows, not \(rows)")
        }
    }

    /// Checks that `rows` rows of `dim` features fit this model and the bounds.
    public func checkInput(rows: Int, dim: Int) throws(LLMNASError) {
        guard dim == inputCount else {
            throw LLMNASError(.invalidArgument, "dim is \(dim) but the model takes \(inputCount) features")
        }
        try MLP.checkShape(rows: rows, dim: dim)
    }

    /// Checks that the `rows` rows of features at `x` are finite, naming the first value that is not.
    public func checkFinite(_ x: UnsafePointer<Float>, rows: Int) throws(LLMNASError) {
        for i in 0..<(rows * inputCount) where !x[i].isFinite {
            throw LLMNASError(
                .invalidArgument, "x holds NaN or infinity at row \(i / inputCount), column \(i % inputCount)")
        }
    }
}
