import CLatencyModels

/// Latency predictors as HAT builds them: an MLP from HAT's features (`featureColumns`) to the measured latency
/// (encoder plus
/// decoder, in ms), trained on 80% of a measured data set with HAT's recipe (10-400-400-400-400-1 ReLU, Adam at
/// 1e-5, batch 128, 5,000 steps, MSE), checked on 10% held out for validation and 10% for the test.
public enum LatencyPredictors {
    /// The built-in predictors: name, and the HAT data set each was trained on (the list in CLatencyModels).
    public static let builtins: [(name: String, dataset: String)] = (0..<embedded_latency_model_count()).map {
        (String(cString: embedded_latency_model_name($0)), String(cString: embedded_latency_model_dataset($0)))
    }

    /// The built-in predictor `name`, read from the model file embedded in the library.
    public static func builtin(named name: String) throws(LLMNASError) -> MLP {
        guard let index = builtins.firstIndex(where: { $0.name == name }) else {
            throw LLMNASError(
                .notFound,
                "no built-in latency predictor '\(name)'; the built-in ones are "
                    + "\(builtins.map(\.name).joined(separator: ", "))"
            )
        }
        var size = 0
        let bytes = embedded_latency_model_bytes(index, &size)!
        return try MLP(
            fileBytes: Array(UnsafeBufferPointer(start: bytes, count: size)),
            source: "built-in latency predictor '\(name)'")
    }

    /// The feature columns of HAT's latency files, in order: the feature names of HAT's spaces, which are HAT's
    /// features (a built-in space always builds; the empty fallback is never taken).
    public static let featureColumns: [String] = (try? BuiltinSpaces.space(named: "hat-wmt14ende"))?.featureNames ?? []

    /// A measured data set: features (rows × `featureColumns.count`, row-major) and total latency in ms.
    public struct Dataset {
        /// HAT's features, row after row.
        public let features: [Float]
        /// Encoder plus decoder mean latency, ms.
        public let latency: [Float]

        /// Reads a CSV with HAT's feature columns, `latency_mean_encoder` and `latency_mean_decoder`.
        public init(csvPath: String) throws(LLMNASError) {
            let table = try CSVTable(path: csvPath)
            let width = LatencyPredictors.featureColumns.count
            let needed = LatencyPredictors.featureColumns + ["latency_mean_encoder", "latency_mean_decoder"]
            for column in needed where !table.columns.contains(column) {
                throw LLMNASError(.corruptFile, "\(csvPath): no column '\(column)'")
            }
            var features: [Float] = []
            var latency: [Float] = []
            for (i, row) in table.rows.enumerated() {
                let values = needed.map { row[$0].flatMap(Double.init) }
                guard values.allSatisfy({ $0?.isFinite == true }) else {
                    throw LLMNASError(.corruptFile, "\(csvPath): line \(i + 2) has a value that is not a number")
                }
                features += values[0..<width].map { Float($0!) }
                latency.append(Float(values[width]! + values[width + 1]!))
            }
            guard latency.count >= 10 else {
                throw LLMNASError(.corruptFile, "\(csvPath): \(latency.count) rows; at least 10 are needed")
            }
            self.features = features
            self.latency = latency
        }
    }

    /// Trains a predictor on `dataset` with `config` (HAT's recipe when default); the 80/10/10 split is drawn with
    /// `config.seed`. Returns the model and a report: rows per split, RMSE (ms) and mean absolute percentage error on
    /// the validation and test rows.
    public static func train(
        _ dataset: Dataset, config: MLPConfig = MLPConfig(),
        progress: ProgressHandler = { _ in true }
    ) throws(LLMNASError) -> (MLP, JSONValue) {
        let rows = dataset.latency.count
        var order = Array(0..<rows)
        var generator = SeededGenerator(seed: config.seed)
        generator.shuffle(&order)
        let trainCount = rows * 8 / 10
        let validCount = rows / 10
        let parts = [
            Array(order[0..<trainCount]), Array(order[trainCount..<(trainCount + validCount)]),
            Array(order[(trainCount + validCount)...]),
        ]
        let width = featureColumns.count
        func gather(_ indices: [Int]) -> (x: [Float], y: [Float]) {
            (
                indices.flatMap { dataset.features[($0 * width)..<($0 * width + width)] },
                indices.map { dataset.latency[$0] }
            )
        }
        let train = gather(parts[0])
        var trainConfig = config
        trainConfig.validationFraction = 0
        let model = try MLPTrainer.train(
            config: trainConfig, x: train.x, y: train.y, rows: parts[0].count, dim: width, progress: progress)
        var report: [(String, JSONValue)] = [("train_rows", .number(Double(parts[0].count)))]
        for (name, indices) in [("validation", parts[1]), ("test", parts[2])] {
            let (x, y) = gather(indices)
            var predicted = [Float](repeating: 0, count: y.count)
            model.predict(x, rows: y.count, into: &predicted)
            let squared = zip(predicted, y).reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) }
            let relative = zip(predicted, y).reduce(0.0) { $0 + Double(abs($1.0 - $1.1) / $1.1) }
            report += [
                ("\(name)_rows", .number(Double(y.count))),
                ("\(name)_rmse_ms", .number((squared / Double(y.count)).squareRoot())),
                ("\(name)_mape_percent", .number(100 * relative / Double(y.count))),
            ]
        }
        return (model, .object(report))
    }
}
