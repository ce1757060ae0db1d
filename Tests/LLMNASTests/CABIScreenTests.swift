import CLLMNAS
import Foundation
import LLMNASCore
import LLMNASTestSupport
import Testing

@testable import LLMNAS

/// The host-driven whole-space screen called as a C host calls it.
@Suite struct CABIScreenTests {
    var lastError: String { String(cString: llmnas_last_error()) }

    func take(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
        defer { llmnas_string_free(pointer) }
        return pointer.map { String(cString: $0) }
    }

    /// A screen of nas-bench-graph with `config` and `prior`, freed after `body`.
    func withScreen<T>(_ config: String?, prior: OpaquePointer? = nil, _ body: (OpaquePointer) throws -> T) throws -> T
    {
        var space: OpaquePointer? = nil
        var screen: OpaquePointer? = nil
        #expect(llmnas_space_builtin("nas-bench-graph", &space) == LLMNAS_OK)
        defer { llmnas_space_free(space) }
        #expect(llmnas_screen_create(space, config, prior, &screen) == LLMNAS_OK, "\(lastError)")
        defer { llmnas_screen_free(screen) }
        return try body(try #require(screen))
    }

    /// The number of gcn operations of an architecture's JSON.
    static func gcn(_ architecture: JSONValue) -> Double {
        Double(architecture["ops"]?.arrayValue?.filter { $0.stringValue == "gcn" }.count ?? 0)
    }

    @Test func aHostLoopFindsFourGCNOperationsAndTheOutputIsAsDocumented() throws {
        try withScreen(#"{"seed": 1, "higher_is_better": true, "exploration": 1}"#) { screen in
            var pool: UnsafeMutablePointer<CChar>? = nil
            #expect(llmnas_screen_pool(screen, &pool) == LLMNAS_OK)
            #expect(take(pool) == #"{"size":26206,"enumerated":true}"#)
            var scored: [JSONValue] = []
            for _ in 0..<12 {
                var out: UnsafeMutablePointer<CChar>? = nil
                let told = JSONWriter.write(.array(scored))
                #expect(llmnas_screen_choose(screen, told, "[]", 4, &out) == LLMNAS_OK, "\(lastError)")
                let proposals = try #require(JSONParser.parse(take(out)!).arrayValue)
                #expect(proposals.count == 4)
                for proposal in proposals {
                    guard case .number? = proposal["score"], case .number? = proposal["spread"] else {
                        Issue.record("a proposal without its score and spread: \(JSONWriter.write(proposal))")
                        return
                    }
                    let architecture = try #require(proposal["architecture"])
                    scored.append(
                        .object([("architecture", architecture), ("score", .number(Self.gcn(architecture)))]))
                }
            }
            let best = scored.compactMap { Self.gcn($0["architecture"]!) }.max()!
            #expect(best == 4, "48 calls out of 26,206 networks find four gcn operations")
        }
    }

    @Test func badInputGetsAStatusAndAMessage() throws {
        var space: OpaquePointer? = nil
        var screen: OpaquePointer? = nil
        #expect(llmnas_space_builtin("nas-bench-graph", &space) == LLMNAS_OK)
        defer { llmnas_space_free(space) }
        #expect(llmnas_screen_create(nil, nil, nil, &screen) == LLMNAS_INVALID_ARGUMENT && screen == nil)
        #expect(llmnas_screen_create(space, #"{"sample": 0}"#, nil, &screen) == LLMNAS_INVALID_ARGUMENT)
        #expect(lastError.contains("sample"))
        #expect(llmnas_screen_create(space, "{", nil, &screen) == LLMNAS_MALFORMED_JSON)
        var latency: OpaquePointer? = nil
        #expect(llmnas_latency_predictor_builtin("wmt14ende-titanxp", &latency) == LLMNAS_OK)
        defer { llmnas_mlp_free(latency) }
        #expect(llmnas_screen_create(space, nil, latency, &screen) == LLMNAS_INVALID_ARGUMENT && screen == nil)
        #expect(lastError.contains("features"))
        try withScreen(nil) { screen in
            var out: UnsafeMutablePointer<CChar>? = nil
            #expect(llmnas_screen_choose(screen, "[]", nil, 0, &out) == LLMNAS_INVALID_ARGUMENT && out == nil)
            #expect(llmnas_screen_choose(screen, nil, nil, 1, &out) == LLMNAS_INVALID_ARGUMENT)
            #expect(llmnas_screen_choose(screen, "[{]", nil, 1, &out) == LLMNAS_MALFORMED_JSON)
            let outside = #"[{"architecture": {"link": "0-0-0-0", "ops": ["gcn", "gcn", "gcn", "nope"]}, "score": 1}]"#
            #expect(llmnas_screen_choose(screen, outside, nil, 1, &out) == LLMNAS_INVALID_ARCH)
            #expect(lastError.contains("demonstration 0"))
            #expect(llmnas_screen_choose(screen, "[]", #"[{"links": 3}]"#, 1, &out) == LLMNAS_INVALID_ARCH)
            #expect(llmnas_screen_choose(nil, "[]", nil, 1, &out) == LLMNAS_INVALID_ARGUMENT)
            #expect(llmnas_screen_choose(screen, "[]", nil, 1, nil) == LLMNAS_INVALID_ARGUMENT)
            #expect(out == nil)
        }
        llmnas_screen_free(nil)
    }
}
