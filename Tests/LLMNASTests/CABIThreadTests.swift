import CLLMNAS
import Foundation
import LLMNASCore
import LLMNASTestSupport
import Synchronization
import Testing

@testable import LLMNAS

/// Several threads at once through the C interface: each with its own handles of every kind, and all sharing the
/// handles the header declares shareable (a space, a model). Run under ThreadSanitizer by `make test-tsan`.
@Suite(.serialized) final class CABIThreadTests {
    let server: ScriptedServer
    static let threads = 4

    init() throws { server = try ScriptedServer() }

    static func take(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
        defer { llmnas_string_free(pointer) }
        return pointer.map { String(cString: $0) } ?? ""
    }

    /// One thread's own work with its own handles; returns a digest of its results, or what went wrong.
    static func ownHandles(_ index: Int, port: Int) -> String {
        var space: OpaquePointer? = nil
        var search: OpaquePointer? = nil
        var mlp: OpaquePointer? = nil
        var llm: OpaquePointer? = nil
        defer {
            llmnas_search_free(search)
            llmnas_mlp_free(mlp)
            llmnas_llm_free(llm)
            llmnas_space_free(space)
        }
        guard llmnas_space_builtin("nas-bench-graph", &space) == LLMNAS_OK else {
            return "space: \(String(cString: llmnas_last_error()))"
        }
        var archs: UnsafeMutablePointer<CChar>? = nil
        guard llmnas_space_sample(space, UInt64(index), 64, &archs) == LLMNAS_OK else { return "sample" }
        let text = take(archs)
        var features = [Float](repeating: 0, count: 64 * 45)
        var rows: Int = 0
        guard llmnas_arch_features_batch(space, text, &features, features.count, &rows) == LLMNAS_OK else {
            return "features"
        }
        let targets = (0..<64).map { Float(features[$0 * 45..<($0 + 1) * 45].reduce(0, +)) }
        guard
            llmnas_mlp_train(#"{"hidden": [16], "steps": 100, "seed": 1}"#, features, targets, 64, 45, nil, nil, &mlp)
                == LLMNAS_OK
        else { return "train" }
        var predicted = [Float](repeating: 0, count: 64)
        guard llmnas_mlp_predict(mlp, features, 64, 45, &predicted) == LLMNAS_OK else { return "predict" }
        guard
            llmnas_search_create(
                space,
                #"{"iterations": 3, "population": 20, "parents": 5, "mutations": 8, "crossovers": 7, "seed": 2}"#,
                &search) == LLMNAS_OK
        else { return "search" }
        var candidates: UnsafeMutablePointer<CChar>? = nil
        var name: UnsafeMutablePointer<CChar>? = nil
        while llmnas_search_ask(search, &candidates, &name) == LLMNAS_OK {
            let batch = take(candidates)
            _ = take(name)
            guard batch != "[]", let list = try? JSONParser.parse(batch).arrayValue else { break }
            let scores = list.map { Double(JSONWriter.write($0).count) }
            guard llmnas_search_tell(search, scores, scores.count) == LLMNAS_OK else { return "tell" }
        }
        var best: UnsafeMutablePointer<CChar>? = nil
        guard llmnas_search_best(search, &best) == LLMNAS_OK else { return "best" }
        let config = #"{"model": "m", "base_url": "http://127.0.0.1:\#(port)/v1", "max_concurrency": 2}"#
        guard llmnas_llm_create(config, &llm) == LLMNAS_OK else { return "llm" }
        var hat: OpaquePointer? = nil
        defer { llmnas_space_free(hat) }
        guard llmnas_space_builtin("hat-wmt14ende", &hat) == LLMNAS_OK,
            llmnas_space_sample(hat, UInt64(index), 3, &archs) == LLMNAS_OK
        else { return "hat" }
        var llmScores = [Double](repeating: 0, count: 3)
        var statuses = [llmnas_status](repeating: LLMNAS_OK, count: 3)
        let hatArchs = take(archs)
        guard llmnas_llmpp_predict(llm, hat, nil, "[]", hatArchs, &llmScores, &statuses, 3, nil, nil) == LLMNAS_OK
        else { return "llmpp: \(String(cString: llmnas_last_error()))" }
        return "\(predicted.reduce(0, +)) \(take(best).count) \(llmScores)"
    }

    @Test func independentHandlesOnSeveralThreadsGiveTheSingleThreadResults() async throws {
        try await server.script()
        let port = server.port
        let alone = (0..<Self.threads).map { Self.ownHandles($0, port: port) }
        let together = Mutex([String](repeating: "", count: Self.threads))
        DispatchQueue.concurrentPerform(iterations: Self.threads) { index in
            let digest = Self.ownHandles(index, port: port)
            together.withLock { $0[index] = digest }
        }
        #expect(together.withLock { $0 } == alone)
        #expect(!alone.contains { $0.first?.isLetter == true }, "\(alone)")
    }

    @Test func sharedSpaceAndModelServeSeveralThreadsAtOnce() throws {
        var space: OpaquePointer? = nil
        var latency: OpaquePointer? = nil
        #expect(llmnas_space_builtin("hat-wmt14ende", &space) == LLMNAS_OK)
        #expect(llmnas_latency_predictor_builtin("wmt14ende-titanxp", &latency) == LLMNAS_OK)
        defer {
            llmnas_space_free(space)
            llmnas_mlp_free(latency)
        }
        let (spaceBits, modelBits) = (Int(bitPattern: space), Int(bitPattern: latency))
        @Sendable func work(_ seed: Int) -> [Float] {
            let sharedSpace = OpaquePointer(bitPattern: spaceBits)
            let sharedModel = OpaquePointer(bitPattern: modelBits)
            var archs: UnsafeMutablePointer<CChar>? = nil
            guard llmnas_space_sample(sharedSpace, UInt64(seed), 200, &archs) == LLMNAS_OK else { return [] }
            let text = Self.take(archs)
            var features = [Float](repeating: 0, count: 2000)
            var rows: Int = 0
            var ms = [Float](repeating: 0, count: 200)
            guard llmnas_arch_features_batch(sharedSpace, text, &features, 2000, &rows) == LLMNAS_OK,
                llmnas_mlp_predict(sharedModel, features, 200, 10, &ms) == LLMNAS_OK
            else { return [] }
            return ms
        }
        let alone = (0..<8).map(work)
        let together = Mutex([[Float]](repeating: [], count: 8))
        DispatchQueue.concurrentPerform(iterations: 8) { seed in
            let result = work(seed)
            together.withLock { $0[seed] = result }
        }
        #expect(together.withLock { $0 } == alone)
        #expect(alone.allSatisfy { $0.count == 200 })
    }
}
