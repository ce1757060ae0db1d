// llmnas-latency-models: trains the built-in latency predictors from HAT's measured data with HAT's recipe and
// writes one model file per predictor, then prints each one's validation and test error.
// Usage: llmnas-latency-models DATA_DIR OUT_DIR   (make latency-models runs it on data/hat-latency)
import Glibc
import LLMNASCore

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    print("usage: llmnas-latency-models DATA_DIR OUT_DIR")
    exit(2)
}
do throws(LLMNASError) {
    print("predictor               train  test  RMSE ms  MAPE %   (valid RMSE ms, MAPE %)")
    for (name, file) in LatencyPredictors.builtins {
        let dataset = try LatencyPredictors.Dataset(csvPath: arguments[1] + "/" + file)
        let (model, report) = try LatencyPredictors.train(dataset)
        try model.save(to: arguments[2] + "/" + name + ".mlp")
        func figure(_ key: String, _ decimals: Int) -> String {
            if case .number(let v) = report[key] { return DecimalFormat.fixed(v, decimals) } else { return "?" }
        }
        let line =
            name.padding(22) + figure("train_rows", 0).padding(7) + figure("test_rows", 0).padding(6)
            + figure("test_rmse_ms", 2).padding(9) + figure("test_mape_percent", 2).padding(9)
            + "(" + figure("validation_rmse_ms", 2) + ", " + figure("validation_mape_percent", 2) + ")"
        print(line)
    }
} catch {
    print("llmnas-latency-models: \(error.message)")
    exit(1)
}

extension String {
    /// The text padded with spaces to `width` characters.
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
