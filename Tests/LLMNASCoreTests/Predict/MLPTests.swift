import Foundation
import Testing

@testable import LLMNASCore

@Suite struct MLPTests {
    /// Rows of y = 3·x0 − 2·x1 + x0·x1 with small noise, x uniform in [−1, 1].
    func dataset(rows: Int, seed: UInt64) -> (x: [Float], y: [Float]) {
        var generator = SeededGenerator(seed: seed)
        var x: [Float] = []
        var y: [Float] = []
        for _ in 0..<rows {
            let a = Float(2 * generator.unit() - 1)
            let b = Float(2 * generator.unit() - 1)
            x += [a, b]
            y.append(3 * a - 2 * b + a * b + Float(0.01 * (generator.unit() - 0.5)))
        }
        return (x, y)
    }

    /// A small, quick config; `extra` members override its keys.
    func fast(_ extra: String = "") throws -> MLPConfig {
        var members = try JSONParser.parse(
            #"{"hidden": [32, 32], "learning_rate": 0.003, "steps": 1500, "batch_size": 64}"#
        ).objectMembers!
        for (key, value) in try JSONParser.parse("{" + extra.drop { $0 == "," } + "}").objectMembers! {
            members.removeAll { $0.0 == key }
            members.append((key, value))
        }
        return try MLPConfig(json: .object(members))
    }

    func train(
        _ config: MLPConfig, _ data: (x: [Float], y: [Float]), progress: ProgressHandler = { _ in true }
    ) throws -> MLP {
        try MLPTrainer.train(config: config, x: data.x, y: data.y, rows: data.y.count, dim: 2, progress: progress)
    }

    func predictions(_ model: MLP, _ x: [Float]) -> [Float] {
        var out = [Float](repeating: 0, count: x.count / model.inputCount)
        model.predict(x, rows: out.count, into: &out)
        return out
    }

    @Test func learnsASmoothFunction() throws {
        let model = try train(try fast(), dataset(rows: 2000, seed: 1))
        let test = dataset(rows: 500, seed: 2)
        let rmse =
            (zip(predictions(model, test.x), test.y).reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) } / 500)
            .squareRoot()
        #expect(rmse < 0.1, "held-out RMSE \(rmse) on targets with standard deviation about 2")
        #expect(model.sizes == [2, 32, 32, 1])
        #expect(model.parameterCount == 2 * 32 + 32 + 32 * 32 + 32 + 32 + 1)
    }

    /// A single row goes through sgemv on the transposed weights, a batch through sgemm; 1,500 rows cross a chunk
    /// boundary. All three give one row the same prediction, up to float rounding.
    @Test func aRowPredictsTheSameAloneAndInABatch() throws {
        let model = try train(try fast(", \"steps\": 100"), dataset(rows: 300, seed: 4))
        let test = dataset(rows: 1500, seed: 5)
        let batched = predictions(model, test.x)
        for row in [0, 1, 777, 1023, 1024, 1499] {
            let alone = predictions(model, Array(test.x[(2 * row)..<(2 * row + 2)]))[0]
            #expect(
                abs(alone - batched[row]) <= 1e-5 * max(1, abs(alone)),
                "row \(row): \(alone) alone, \(batched[row]) in a batch")
        }
    }

    @Test func isDeterministicForASeed() throws {
        let data = dataset(rows: 300, seed: 3)
        let a = try train(try fast(", \"steps\": 200"), data)
        let b = try train(try fast(", \"steps\": 200"), data)
        #expect(predictions(a, data.x) == predictions(b, data.x))
        let c = try train(try fast(", \"steps\": 200, \"seed\": 1"), data)
        #expect(predictions(a, data.x) != predictions(c, data.x))
    }

    @Test func thePapersRecipeIsTheDefault() throws {
        let config = try MLPConfig(json: JSONParser.parse("{}"))
        #expect(config == MLPConfig())
        #expect(config.hidden == [400, 400, 400, 400] && config.learningRate == 1e-5 && config.batchSize == 128)
        #expect(config.steps == 5000 && config.loss == .mse)
    }

    @Test func savesAndLoadsExactly() throws {
        let folder = NSTemporaryDirectory() + "llmnas-mlp-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let data = dataset(rows: 300, seed: 4)
        let model = try train(try fast(", \"steps\": 100, \"loss\": \"l1\""), data)
        let path = folder + "/model.mlp"
        try model.save(to: path)
        let loaded = try MLP.load(from: path)
        #expect(predictions(loaded, data.x) == predictions(model, data.x))
        #expect(loaded.info == model.info)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["model.mlp"])
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        for (name, damaged) in [
            (
                "flipped",
                {
                    var d = bytes
                    d[100] ^= 0x40
                    return d
                }()
            ), ("truncated", bytes.prefix(bytes.count / 2)),
            ("foreign", Data("#!/bin/sh\necho not a model\n".utf8)), ("empty", Data()),
        ] {
            try damaged.write(to: URL(fileURLWithPath: folder + "/" + name))
            do {
                _ = try MLP.load(from: folder + "/" + name)
                Issue.record("\(name) accepted")
            } catch {
                #expect(error.kind == .corruptFile, "\(name): \(error.message)")
            }
        }
        bytes[8] = 9  // format version 9
        #expect(throws: LLMNASError.self) { try MLP(fileBytes: [UInt8](bytes), source: "v9") }
        do { _ = try MLP.load(from: folder + "/missing") } catch { #expect(error.kind == .io) }
    }

    @Test func earlyStoppingKeepsTheBestValidationWeights() throws {
        let data = dataset(rows: 400, seed: 5)
        let config = try fast(
            ", \"steps\": 100000, \"validation_fraction\": 0.2, \"patience\": 3, \"evaluate_every\": 50, "
                + "\"learning_rate\": 0.05"
        )
        var reports = 0
        let model = try train(config, data) { report in
            #expect(report.stage == "train" && report.value.isFinite)
            reports += 1
            return true
        }
        guard case .number(let steps) = model.training["steps"], case .number(let best) = model.training["best_step"]
        else {
            Issue.record("no training record")
            return
        }
        #expect(steps < 100_000 && best <= steps)
        #expect(model.training["validation_rows"] == .number(80))
        #expect(reports == Int(steps) / 50)
    }

    @Test func badInputIsRefusedAndProgressCancels() throws {
        var data = dataset(rows: 10, seed: 6)
        data.x[3] = .nan
        do {
            _ = try train(try fast(), data)
            Issue.record("NaN accepted")
        } catch let error as LLMNASError { #expect(error.message.contains("row 1, column 1")) }
        data = dataset(rows: 100, seed: 6)
        do {
            _ = try train(try fast(", \"evaluate_every\": 10"), data) { $0.done < 30 }
            Issue.record("not cancelled")
        } catch let error as LLMNASError {
            #expect(error.kind == .cancelled)
        }
        #expect(throws: LLMNASError.self) {
            try MLPTrainer.train(config: try fast(), x: [1, 2], y: [1], rows: 1, dim: 2)
        }
        #expect(throws: LLMNASError.self) { try MLPConfig(json: JSONParser.parse("{\"hidden\": [0]}")) }
        #expect(throws: LLMNASError.self) { try MLPConfig(json: JSONParser.parse("{\"loss\": \"huber\"}")) }
    }
}
