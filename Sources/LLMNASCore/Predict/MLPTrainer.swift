/// Trains an `MLP` with Adam on minibatches, all matrix work on OpenBLAS. Deterministic for a seed and an OpenBLAS
/// thread count.
public enum MLPTrainer {
    /// Trains on `rows` rows of `dim` features (`x`, row-major) with targets `y`. `progress` hears stage "train":
    /// steps done, steps in all, the latest training loss (in target units).
    public static func train(
        config: MLPConfig, x: UnsafePointer<Float>, y: UnsafePointer<Float>, rows: Int, dim: Int,
        progress: ProgressHandler = { _ in true }
    ) throws(LLMNASError) -> MLP {
        guard rows >= 2 else { throw LLMNASError(.invalidArgument, "training needs at least 2 rows, not \(rows)") }
        try MLP.checkShape(rows: rows, dim: dim)
        for i in 0..<(rows * dim) where !x[i].isFinite {
            throw LLMNASError(.invalidArgument, "x holds NaN or infinity at row \(i / dim), column \(i % dim)")
        }
        for i in 0..<rows where !y[i].isFinite {
            throw LLMNASError(.invalidArgument, "y holds NaN or infinity at row \(i)")
        }
        var generator = SeededGenerator(seed: config.seed)
        var order = Array(0..<rows)
        generator.shuffle(&order)
        let validationRows =
            config.validationFraction > 0 ? max(1, Int((Double(rows) * config.validationFraction).rounded())) : 0
        guard rows - validationRows >= 1 else {
            throw LLMNASError(.invalidArgument, "no rows left for training after the validation split")
        }
        let validation = Array(order[0..<validationRows])
        let training = Array(order[validationRows...]).sorted()
        let normalizer = Normalizer(x: x, y: y, rows: training, dim: dim)
        let state = try TrainingState(config: config, sizes: [dim] + config.hidden + [1], generator: &generator)
        let trainX = try normalizer.inputs(x, training, dim)
        let trainY = normalizer.targets(y, training)
        let validX = try normalizer.inputs(x, validation, dim)
        let validY = normalizer.targets(y, validation)
        let batches = (training.count + config.batchSize - 1) / config.batchSize
        let steps = config.epochs.map { $0 * batches } ?? config.steps
        var permutation = Array(0..<training.count)
        var cursor = permutation.count
        var best = (loss: Double.infinity, parameters: [Float](), step: 0)
        var evaluationsWithoutGain = 0
        var lastLoss = Double.nan
        var stepsRun = 0
        for step in stride(from: 1, through: steps, by: 1) {
            var batch: [Int] = []
            while batch.count < min(config.batchSize, training.count) {
                if cursor == permutation.count {
                    generator.shuffle(&permutation)
                    cursor = 0
                }
                batch.append(permutation[cursor])
                cursor += 1
            }
            lastLoss = try state.step(batch: batch, x: trainX, y: trainY) * normalizer.lossScale(config.loss)
            stepsRun = step
            guard step % config.evaluateEvery == 0 || step == steps else { continue }
            if !validation.isEmpty {
                let loss =
                    try state.loss(x: validX, y: validY, rows: validation.count) * normalizer.lossScale(config.loss)
                if loss < best.loss {
                    best = (loss, state.snapshot, step)
                    evaluationsWithoutGain = 0
                } else {
                    evaluationsWithoutGain += 1
                }
            }
            guard progress(ProgressReport(stage: "train", done: step, total: steps, value: lastLoss)) else {
                throw LLMNASError(.cancelled, "training cancelled at step \(step) of \(steps)")
            }
            if config.patience > 0, evaluationsWithoutGain >= config.patience { break }
        }
        if !validation.isEmpty, best.step > 0 {
            state.restore(best.parameters)
        }
        var record: [(String, JSONValue)] = [
            ("rows", .number(Double(training.count))), ("validation_rows", .number(Double(validation.count))),
            ("steps", .number(Double(stepsRun))), ("final_train_loss", .number(lastLoss)),
            ("loss", .string(config.loss.rawValue)), ("learning_rate", .number(Double(config.learningRate))),
            ("batch_size", .number(Double(config.batchSize))), ("seed", .number(Double(config.seed))),
        ]
        if !validation.isEmpty {
            record += [("best_validation_loss", .number(best.loss)), ("best_step", .number(Double(best.step)))]
        }
        let (weights, biases) = state.layers
        return MLP(
            sizes: state.sizes, weights: weights, biases: biases, inputMean: normalizer.inputMean,
            inputScale: normalizer.inputScale, targetMean: normalizer.targetMean, targetScale: normalizer.targetScale,
            training: .object(record))
    }
}

/// The standardisation learnt from the training rows: per-feature mean and standard deviation (1 for a constant
/// feature), and the target's.
struct Normalizer {
    let inputMean: [Float]
    let inputScale: [Float]
    let targetMean: Float
    let targetScale: Float

    init(x: UnsafePointer<Float>, y: UnsafePointer<Float>, rows: [Int], dim: Int) {
        var mean = [Double](repeating: 0, count: dim)
        var square = [Double](repeating: 0, count: dim)
        var yMean = 0.0
        var ySquare = 0.0
        for r in rows {
            for j in 0..<dim {
                let v = Double(x[r * dim + j])
                mean[j] += v
                square[j] += v * v
            }
            yMean += Double(y[r])
            ySquare += Double(y[r]) * Double(y[r])
        }
        let n = Double(rows.count)
        func scale(_ sum: Double, _ sumSquares: Double) -> Float {
            let variance = max(0, sumSquares / n - (sum / n) * (sum / n))
            return variance > 1e-12 ? Float(variance.squareRoot()) : 1
        }
        inputMean = mean.map { Float($0 / n) }
        inputScale = zip(mean, square).map { scale($0, $1) }
        targetMean = Float(yMean / n)
        targetScale = scale(yMean, ySquare)
    }

    /// The standardised rows of `x`, row-major.
    func inputs(_ x: UnsafePointer<Float>, _ rows: [Int], _ dim: Int) throws(LLMNASError) -> [Float] {
        try Memory.reserve(
            rows.count * dim * MemoryLayout<Float>.stride, for: "the standardised copy of \(rows.count) rows")
        var out = [Float](repeating: 0, count: rows.count * dim)
        for (i, r) in rows.enumerated() {
            for j in 0..<dim { out[i * dim + j] = (x[r * dim + j] - inputMean[j]) / inputScale[j] }
        }
        return out
    }

    /// The standardised targets of `rows`.
    func targets(_ y: UnsafePointer<Float>, _ rows: [Int]) -> [Float] {
        rows.map { (y[$0] - targetMean) / targetScale }
    }

    /// The factor from a loss on standardised targets to one in target units.
    func lossScale(_ loss: MLPConfig.Loss) -> Double {
        loss == .mse ? Double(targetScale) * Double(targetScale) : Double(targetScale)
    }
}
