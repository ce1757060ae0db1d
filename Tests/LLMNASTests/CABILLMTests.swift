import CLLMNAS
import Foundation
import LLMNASCore
import LLMNASTestSupport
import Testing

@testable import LLMNAS

/// The LLM-PP, metrics and protocol functions of the C interface, called as a C host would.
@Suite struct CABILLMTests {
    static let dataDir = RepoData.root + "/data/llmpp-wmt"

    var lastError: String { String(cString: llmnas_last_error()) }

    func take(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
        defer { llmnas_string_free(pointer) }
        return pointer.map { String(cString: $0) }
    }

    func withSpace<T>(_ body: (OpaquePointer) throws -> T) throws -> T {
        var space: OpaquePointer? = nil
        #expect(llmnas_space_builtin("hat-wmt14ende", &space) == LLMNAS_OK)
        defer { llmnas_space_free(space) }
        return try body(try #require(space))
    }

    @Test func promptBuildReturnsMessagesAndNamesBadDemonstrations() throws {
        try withSpace { space in
            var out: UnsafeMutablePointer<CChar>? = nil
            let demos = "[{\"architecture\": \(CABITests.a00), \"score\": 24.3}]"
            #expect(llmnas_prompt_build(space, nil, demos, CABITests.a00, nil, &out) == LLMNAS_OK)
            let messages = try JSONParser.parse(take(out)!).arrayValue!
            #expect(messages.count == 2)
            #expect(messages[1]["content"]?.stringValue?.hasSuffix("GFLOPs: 2.7\nBLEU:") == true)
            #expect(llmnas_prompt_build(space, nil, demos, CABITests.a00, #"{"role": false}"#, &out) == LLMNAS_OK)
            #expect(try JSONParser.parse(take(out)!).arrayValue?.count == 1)
            out = nil
            #expect(
                llmnas_prompt_build(space, nil, "[{\"architecture\": {}, \"score\": 1}]", CABITests.a00, nil, &out)
                    == LLMNAS_INVALID_ARCH)
            #expect(lastError.hasPrefix("demonstration 0: missing hyperparameter"))
            #expect(
                llmnas_prompt_build(space, nil, "[{\"architecture\": \(CABITests.a00)}]", CABITests.a00, nil, &out)
                    == LLMNAS_INVALID_ARGUMENT)
            #expect(
                llmnas_prompt_build(space, #"{"colour": 1}"#, "[]", CABITests.a00, nil, &out) == LLMNAS_INVALID_ARGUMENT
            )
            #expect(lastError.contains("unknown key 'colour'"))
            #expect(
                llmnas_prompt_build(space, nil, "[]", CABITests.a00, #"{"gflops": 1}"#, &out) == LLMNAS_INVALID_ARGUMENT
            )
            #expect(llmnas_prompt_build(space, nil, "[]", CABITests.a00, nil, nil) == LLMNAS_INVALID_ARGUMENT)
            #expect(out == nil)
        }
    }

    @Test func metricsOfArrays() throws {
        var out: UnsafeMutablePointer<CChar>? = nil
        let predicted: [Double] = [1, 2, 3, 4]
        let truth: [Double] = [1, 3, 2, 4]
        #expect(llmnas_metrics_compute(predicted, truth, 4, &out) == LLMNAS_OK)
        let json = try JSONParser.parse(take(out)!)
        #expect(json["mae"] == .number(0.5))
        #expect(json["kendall_tau"] == .number(RankMetrics.kendallTauB(predicted, truth)))
        #expect(llmnas_metrics_compute(predicted, nil, 4, &out) == LLMNAS_INVALID_ARGUMENT)
        #expect(lastError == "truth is NULL")
        #expect(llmnas_metrics_compute(predicted, truth, 0, &out) == LLMNAS_INVALID_ARGUMENT)
        let withNaN: [Double] = [1, .nan]
        #expect(llmnas_metrics_compute(withNaN, truth, 2, &out) == LLMNAS_INVALID_ARGUMENT)
        #expect(llmnas_metrics_compute([5, 5], [1, 2], 2, &out) == LLMNAS_OK)
        #expect(take(out)!.contains("\"kendall_tau\":null"))
    }

    @Test func clientCreationValidatesTheConfig() throws {
        var llm: OpaquePointer? = nil
        #expect(llmnas_llm_create(#"{"model": "m", "retries": -1}"#, &llm) == LLMNAS_INVALID_ARGUMENT)
        #expect(lastError.contains("'retries'"))
        #expect(llmnas_llm_create("{", &llm) == LLMNAS_MALFORMED_JSON)
        #expect(
            llmnas_llm_create(#"{"model": "m", "cache_file": "/nonexistent-dir/x/cache"}"#, &llm) == LLMNAS_IO_ERROR)
        #expect(lastError.contains("No such file or directory"))
        #expect(llm == nil)
        #expect(llmnas_llm_create(#"{"model": "m"}"#, nil) == LLMNAS_INVALID_ARGUMENT)
        #expect(llmnas_llm_create(#"{"model": "m", "base_url": "http://127.0.0.1:9/v1"}"#, &llm) == LLMNAS_OK)
        var usage: UnsafeMutablePointer<CChar>? = nil
        #expect(llmnas_llm_usage(llm, &usage) == LLMNAS_OK)
        #expect(
            take(usage)
                == #"{"requests":0,"retries":0,"failures":0,"failures_by_status":{},"cache_hits":0,"budget_refused":0,"#
                + #""batch_jobs":0,"#
                + #""prompt_tokens":0,"cached_prompt_tokens":0,"completion_tokens":0,"cost":0,"wall_seconds":0}"#
        )
        llmnas_llm_free(llm)
        llmnas_llm_free(nil)
    }

    @Test func proposalsValidateTheirArgumentsBeforeAnythingIsSent() throws {
        var llm: OpaquePointer? = nil
        let config =
            "{\"model\": \"m\", \"base_url\": \"http://127.0.0.1:\(ScriptedServer.closedPort())/v1\", \"retries\": 0}"
        #expect(llmnas_llm_create(config, &llm) == LLMNAS_OK)
        defer { llmnas_llm_free(llm) }
        try withSpace { space in
            var out: UnsafeMutablePointer<CChar>? = nil
            let demos = "[{\"architecture\": \(CABITests.a00), \"score\": 25}]"
            #expect(llmnas_llm_propose(llm, space, nil, demos, nil, nil) == LLMNAS_INVALID_ARGUMENT)
            #expect(lastError == "out_json is NULL")
            #expect(llmnas_llm_propose(nil, space, nil, demos, nil, &out) == LLMNAS_INVALID_ARGUMENT)
            #expect(llmnas_llm_propose(llm, space, nil, "[]", nil, &out) == LLMNAS_INVALID_ARGUMENT)
            #expect(lastError.contains("no demonstration"))
            #expect(llmnas_llm_propose(llm, space, nil, demos, #"{"count": 0}"#, &out) == LLMNAS_INVALID_ARGUMENT)
            #expect(lastError.contains("'count'"))
            #expect(llmnas_llm_propose(llm, space, nil, demos, "{", &out) == LLMNAS_MALFORMED_JSON)
            #expect(
                llmnas_llm_propose(llm, space, nil, demos, #"{"count": 1, "rounds": 1}"#, &out)
                    == LLMNAS_CONNECTION_FAILED)
            #expect(out == nil)
        }
    }

    @Test func predictAgainstADeadServerIsIncompleteWithItemStatuses() throws {
        var llm: OpaquePointer? = nil
        let config =
            "{\"model\": \"m\", \"base_url\": \"http://127.0.0.1:\(ScriptedServer.closedPort())/v1\", \"retries\": "
            + "1, \"backoff_seconds\": 0.01}"
        #expect(llmnas_llm_create(config, &llm) == LLMNAS_OK)
        defer { llmnas_llm_free(llm) }
        try withSpace { space in
            var scores = [Double](repeating: 0, count: 2)
            var statuses = [llmnas_status](repeating: llmnas_status(rawValue: 1), count: 2)
            let archs = "[\(CABITests.a00), \(CABITests.a00)]"
            #expect(
                llmnas_llmpp_predict(llm, space, nil, "[]", archs, &scores, &statuses, 3, nil, nil)
                    == LLMNAS_INVALID_ARGUMENT)
            #expect(lastError == "n is 3 but archs_json holds 2 architectures")
            #expect(statuses == [llmnas_status(rawValue: 1), llmnas_status(rawValue: 1)])
            #expect(
                llmnas_llmpp_predict(llm, space, nil, "[]", archs, nil, &statuses, 2, nil, nil)
                    == LLMNAS_INVALID_ARGUMENT)
            #expect(lastError == "scores is NULL")
            #expect(
                llmnas_llmpp_predict(llm, space, nil, "[]", archs, &scores, &statuses, 2, nil, nil) == LLMNAS_INCOMPLETE
            )
            #expect(statuses == [LLMNAS_CONNECTION_FAILED, LLMNAS_CONNECTION_FAILED])
            #expect(scores.allSatisfy { $0.isNaN })
            #expect(lastError.hasPrefix("2 of 2 architectures failed; the first:"))
            var usage: UnsafeMutablePointer<CChar>? = nil
            #expect(llmnas_llm_usage(llm, &usage) == LLMNAS_OK)
            let ledger = try JSONParser.parse(take(usage)!)
            #expect(ledger["requests"] == .number(2), "equal prompts are sent once, with one retry")
            #expect(ledger["failures"] == .number(2))
        }
    }

    @Test func validationChecksItsArgumentsAndNamesTheFailedItems() throws {
        try withSpace { space in
            var llm: OpaquePointer? = nil
            var out: UnsafeMutablePointer<CChar>? = nil
            #expect(
                llmnas_llm_create(
                    "{\"model\": \"m\", \"base_url\": \"http://127.0.0.1:\(ScriptedServer.closedPort())/v1\", "
                        + "\"retries\": 0}",
                    &llm) == LLMNAS_OK)
            defer { llmnas_llm_free(llm) }
            let demos =
                "["
                + (0..<3).map { "{\"architecture\": \(CABITests.a00), \"score\": \(24 + $0)}" }.joined(separator: ",")
                + "]"
            #expect(llmnas_llmpp_validate(llm, space, nil, demos, nil, nil, nil, nil) == LLMNAS_INVALID_ARGUMENT)
            #expect(llmnas_llmpp_validate(nil, space, nil, demos, nil, nil, nil, &out) == LLMNAS_INVALID_ARGUMENT)
            #expect(llmnas_llmpp_validate(llm, space, nil, "[]", nil, nil, nil, &out) == LLMNAS_INVALID_ARGUMENT)
            #expect(lastError.contains("at least 3 demonstrations"))
            #expect(llmnas_llmpp_validate(llm, space, nil, demos, "{", nil, nil, &out) == LLMNAS_MALFORMED_JSON)
            #expect(
                llmnas_llmpp_validate(llm, space, nil, demos, #"{"folds": 4}"#, nil, nil, &out)
                    == LLMNAS_INVALID_ARGUMENT)
            #expect(out == nil)
            #expect(llmnas_llmpp_validate(llm, space, nil, demos, #"{"bootstrap": 5}"#, nil, nil, &out) == LLMNAS_OK)
            let json = try JSONParser.parse(take(out)!)
            #expect(json["compared"] == .number(0) && json["first_failure"]?.stringValue?.isEmpty == false)
            #expect(json["predictors"]?.arrayValue?.count == 5, "LLM-PP, calibrated, the two cost lines, combined")

            // The choice: the same checks, and with no request to spend, the cost lines alone.
            out = nil
            #expect(llmnas_llmpp_choose(llm, space, nil, demos, nil, nil, nil, nil) == LLMNAS_INVALID_ARGUMENT)
            #expect(llmnas_llmpp_choose(llm, space, nil, "[]", nil, nil, nil, &out) == LLMNAS_INVALID_ARGUMENT)
            #expect(llmnas_llmpp_choose(llm, space, nil, demos, "{", nil, nil, &out) == LLMNAS_MALFORMED_JSON)
            #expect(
                llmnas_llmpp_choose(llm, space, nil, demos, #"{"max_requests": 0}"#, nil, nil, &out) == LLMNAS_OK)
            let choice = try JSONParser.parse(take(out)!)
            #expect(choice["task_options"] == .null && choice["requests"] == .number(0))
            #expect(choice["skipped"]?.arrayValue?.count == 1, "3 demonstrations: only the mode showing them all")
        }
    }

    @Test func theProtocolBaselinesThroughCWithACancellingCallback() throws {
        var out: UnsafeMutablePointer<CChar>? = nil
        #expect(llmnas_protocol_run(nil, Self.dataDir, nil, nil, nil, &out) == LLMNAS_OK)
        let json = try JSONParser.parse(take(out)!)
        #expect(json["rows"]?.arrayValue?.count == 5)
        #expect(json["text"]?.stringValue?.contains("Neuron-wise MoS") == true)
        out = nil
        #expect(llmnas_protocol_run(nil, "/nonexistent", nil, nil, nil, &out) == LLMNAS_IO_ERROR)
        #expect(
            llmnas_protocol_run(nil, Self.dataDir, #"{"calibrate": "yes"}"#, nil, nil, &out)
                == LLMNAS_INVALID_ARGUMENT)

        var llm: OpaquePointer? = nil
        #expect(
            llmnas_llm_create(
                "{\"model\": \"m\", \"base_url\": \"http://127.0.0.1:\(ScriptedServer.closedPort())/v1\", "
                    + "\"retries\": 0}",
                &llm) == LLMNAS_OK)
        defer { llmnas_llm_free(llm) }
        let stopAtOnce: llmnas_progress_fn = { record, _ in
            let progress = record!.pointee
            return progress.done >= 1 && String(cString: progress.stage!).hasPrefix("LLM-PP wmt14ende seed 123") ? 1 : 0
        }
        #expect(llmnas_protocol_run(llm, Self.dataDir, nil, stopAtOnce, nil, &out) == LLMNAS_CANCELLED)
        #expect(out == nil)
    }
}

/// The MLP and latency predictor functions of the C interface.
@Suite struct CABIMLPTests {
    var lastError: String { String(cString: llmnas_last_error()) }

    @Test func trainPredictSaveLoadThroughC() throws {
        let x: [Float] = (0..<200).map { Float($0 % 17) / 17 }
        let y: [Float] = (0..<100).map { Float($0 % 7) }
        var mlp: OpaquePointer? = nil
        let config = #"{"hidden": [8], "steps": 50, "learning_rate": 0.01}"#
        #expect(llmnas_mlp_train(config, x, y, 100, 2, nil, nil, &mlp) == LLMNAS_OK)
        defer { llmnas_mlp_free(mlp) }
        var out = [Float](repeating: .nan, count: 100)
        #expect(llmnas_mlp_predict(mlp, x, 100, 2, &out) == LLMNAS_OK)
        #expect(out.allSatisfy { $0.isFinite })
        #expect(llmnas_mlp_predict(mlp, x, 100, 3, &out) == LLMNAS_INVALID_ARGUMENT)
        #expect(lastError == "dim is 3 but the model takes 2 features")
        #expect(llmnas_mlp_predict(mlp, nil, 1, 2, &out) == LLMNAS_INVALID_ARGUMENT)
        #expect(llmnas_mlp_predict(mlp, [Float.nan, 1], 1, 2, &out) == LLMNAS_INVALID_ARGUMENT)
        #expect(llmnas_mlp_predict(mlp, nil, 0, 2, nil) == LLMNAS_OK)
        let path = NSTemporaryDirectory() + "llmnas-cabi-\(getpid()).mlp"
        defer { unlink(path) }
        #expect(llmnas_mlp_save(mlp, path) == LLMNAS_OK)
        var loaded: OpaquePointer? = nil
        #expect(llmnas_mlp_load(path, &loaded) == LLMNAS_OK)
        defer { llmnas_mlp_free(loaded) }
        var again = [Float](repeating: 0, count: 100)
        #expect(llmnas_mlp_predict(loaded, x, 100, 2, &again) == LLMNAS_OK)
        #expect(again == out)
        var info: UnsafeMutablePointer<CChar>? = nil
        #expect(llmnas_mlp_info(loaded, &info) == LLMNAS_OK)
        #expect(String(cString: info!).hasPrefix(#"{"sizes":[2,8,1],"parameters":33,"#))
        llmnas_string_free(info)
        #expect(llmnas_mlp_save(mlp, "/nonexistent-dir/m.mlp") == LLMNAS_IO_ERROR)
        #expect(llmnas_mlp_load(RepoData.root + "/README.md", &loaded) == LLMNAS_CORRUPT_FILE)
        #expect(llmnas_mlp_train(config, x, y, 1, 2, nil, nil, &mlp) == LLMNAS_INVALID_ARGUMENT)
        #expect(llmnas_mlp_train(config, x, nil, 100, 2, nil, nil, &mlp) == LLMNAS_INVALID_ARGUMENT)
        #expect(llmnas_mlp_train(config, x, y, 100, 0, nil, nil, &mlp) == LLMNAS_INVALID_ARGUMENT)
        llmnas_mlp_free(nil)  // accepted, as the header promises
    }

    @Test func builtinLatencyPredictorsLoad() throws {
        var names: UnsafeMutablePointer<CChar>? = nil
        #expect(llmnas_latency_predictor_builtin_names(&names) == LLMNAS_OK)
        let list = try JSONParser.parse(String(cString: names!)).arrayValue!.compactMap(\.stringValue)
        llmnas_string_free(names)
        #expect(list == LatencyPredictors.builtins.map(\.name))
        for name in list {
            var mlp: OpaquePointer? = nil
            #expect(llmnas_latency_predictor_builtin(name, &mlp) == LLMNAS_OK, "\(name): \(lastError)")
            var latency: Float = 0
            let features: [Float] = [512, 6, 2048, 6, 512, 3, 2048, 6, 6, 2]
            #expect(llmnas_mlp_predict(mlp, features, 1, 10, &latency) == LLMNAS_OK)
            #expect(latency > 0)
            llmnas_mlp_free(mlp)
        }
        var mlp: OpaquePointer? = nil
        #expect(llmnas_latency_predictor_builtin("v100", &mlp) == LLMNAS_NOT_FOUND)
        #expect(lastError.contains("wmt14ende-titanxp"))
    }
}
