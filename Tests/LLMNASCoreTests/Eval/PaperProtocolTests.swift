import Foundation
import LLMNASTestSupport
import Testing

@testable import LLMNASCore

/// The paper's evaluation protocol: the baselines from the data, LLM-PP over HTTP, cancellation, the distilled row.
@Suite(.serialized) final class PaperProtocolTests: ScriptedServerSuite {
    @Test func theProtocolReproducesTheSupernetBaselinesFromTheData() throws {
        let result = try PaperProtocol.run(data: data, client: nil)
        #expect(
            result.rows.map(\.predictor) == [
                "HAT supernet", "Sandwich supernet", "Layer-wise MoS", "Neuron-wise MoS", "Params least squares",
            ])
        // Recompute one cell independently: HAT supernet on wmt14enfr, split seed 456.
        let csv = try CSVTable(path: RepoData.root + "/data/llmpp-wmt/labeled.csv")
        let splits = try CSVTable(path: RepoData.root + "/data/llmpp-wmt/splits.csv")
        let test = splits.rows.filter {
            $0["split_seed"] == "456" && $0["task"] == "wmt14enfr" && $0["split"] == "test"
        }.map { $0["arch_id"]! }
        let rows = test.map { id in csv.rows.first { $0["arch_id"] == id && $0["task"] == "wmt14enfr" }! }
        let errors = rows.map { abs(Double($0["hat_supernet_valid_bleu"]!)! - Double($0["scratch_valid_bleu"]!)!) }
        let cell = result.rows[0].cells["wmt14enfr"]!
        #expect(test.count == 20)
        #expect(abs(cell.mae[1] - errors.reduce(0, +) / 20) < 1e-12)
        #expect(cell.mae.count == 3 && cell.tau.count == 3 && cell.failures == 0)
        #expect(result.text.contains("HAT supernet"))
        #expect(result.text.split(separator: "\n").count == 6)
    }

    @Test func theProtocolRunsLLMPPOverHTTP() async throws {
        try await server.script()
        let client = try makeClient(server, "\"max_concurrency\": 8")
        var reports = 0
        let result = try PaperProtocol.run(data: data, client: client) { report in
            #expect(report.stage.hasPrefix("LLM-PP ") || report.stage.hasPrefix("calibration "))
            reports += 1
            return true
        }
        #expect(result.rows.map(\.predictor).prefix(3) == ["LLM-PP", "LLM-PP calibrated", "LLM-PP combined"])
        #expect(client.ledger.requests == 9 * 20 + 9 * 10)
        #expect(reports == 9 * 30 + 9 * 2, "one report per item, and the start of each of the 18 batches")
        #expect(result.calibrations.count == 9 && result.calibrations.values.allSatisfy { $0.count == 2 })
        for task in PaperProtocol.tasks {
            #expect(result.rows[0].cells[task]!.failures == 0)
            #expect(result.rows[2].cells[task]!.llmShares.count == 3)
        }
        let json = result.json
        #expect(json["rows"]?.arrayValue?.count == 8)
        #expect(result.text.contains("The LLM's share in LLM-PP combined: wmt14ende "))
    }

    @Test func theProtocolChoosesOnEachSplitAndDistilsFromTheChoice() async throws {
        try await server.script()
        let client = try makeClient(server, "\"max_concurrency\": 8")
        let options = try PaperProtocol.Options(
            json: JSONParser.parse(
                #"{"calibrate": false, "choose": {"max_requests": 10}, "distill": {"labels": 20, "tasks": "#
                    + #"["wmt14ende"], "seeds": [123], "mlp": {"hidden": [8], "steps": 20}}}"#))
        let result = try PaperProtocol.run(data: data, client: client, options: options)
        #expect(result.rows.map(\.predictor).prefix(3) == ["LLM-PP", "chosen per split", "LLM-Distill-PP"])
        #expect(result.choices.count == 9)
        for outcome in result.choices.values {
            #expect(outcome.requests <= 10 && outcome.skipped.count == 1, "one prompt mode fits a budget of 10")
        }
        for task in PaperProtocol.tasks { #expect(result.rows[1].cells[task]!.mae.count == 3) }
        #expect(result.text.contains("chosen on wmt14ende/123's demonstrations: "))
        #expect(result.json["choices"]?["wmt19ende/789"]?["chosen"] != nil)
    }

    @Test func theProtocolCanBeCancelled() async throws {
        try await server.script()
        let client = try makeClient(server)
        do {
            _ = try PaperProtocol.run(data: data, client: client) { $0.done < 5 }
            Issue.record("not cancelled")
        } catch {
            #expect(error.kind == .cancelled)
        }
    }

    @Test func theProtocolAddsADistilledRow() async throws {
        try await server.script()
        let client = try makeClient(server, "\"max_concurrency\": 8")
        let directory = NSTemporaryDirectory()
        let options = try PaperProtocol.Options(
            json: JSONParser.parse(
                #"{"calibrate": false, "distill": {"labels": 40, "tasks": ["wmt14ende"], "seeds": [123], "mlp": "#
                    + #"{"hidden": [16], "steps": 50}, "save_dir": "\#(directory)"}}"#
            ))
        let result = try PaperProtocol.run(data: data, client: client, options: options)
        let saved = directory + "/distilled-wmt14ende-123.mlp"
        defer { unlink(saved) }
        #expect(try MLP.load(from: saved).inputCount == 10, "the distilled model is saved for later use (a search)")
        #expect(result.rows.map(\.predictor).prefix(2) == ["LLM-PP", "LLM-Distill-PP"])
        #expect(result.rows[1].cells.keys.sorted() == ["wmt14ende"])
        #expect(result.rows[1].cells["wmt14ende"]!.mae.count == 1)
        #expect(result.distillations.keys.sorted() == ["wmt14ende/123"])
        #expect(client.ledger.requests == 9 * 20 + 40)
        #expect(throws: LLMNASError.self) {
            try PaperProtocol.Options(json: JSONParser.parse(#"{"distill": {"tasks": ["wmt16"]}}"#))
        }
    }
}
