import Foundation
import Testing
import LLMNASTestSupport
@testable import LLMNASCore

/// Endpoints that misbehave on purpose: each ends in a bounded, clear failure of the item, never a hang or a crash.
@Suite(.serialized) final class HostileServerTests {
    let server: ScriptedServer

    init() throws { server = try ScriptedServer() }

    func prompt(_ text: String) -> [ChatMessage] { [ChatMessage(role: "user", content: text)] }

    /// The one item's error when the server answers by `rule`, with client options `extra`.
    func failure(_ rule: String, _ extra: String = "\"retries\": 0") async throws -> LLMNASError? {
        try await server.script("[\(rule)]")
        let client = try makeClient(server, extra)
        guard case let .failure(error) = client.complete([prompt("x")])[0] else { return nil }
        return error
    }

    @Test func anEndlessBodyStopsAtTheResponseBound() async throws {
        let error = try await failure(#"{"endless": true}"#, #""retries": 0, "max_response_bytes": 100000"#)
        #expect(error?.kind == .badResponse && error?.message.contains("100000 bytes") == true)
    }

    @Test func aTenGigabyteContentLengthIsRefusedWithoutWaitingForIt() async throws {
        let error = try await failure(#"{"content_length": 10000000000}"#, #""retries": 0, "max_response_bytes": 100000"#)
        #expect(error?.kind == .badResponse, "\(String(describing: error))")
    }

    @Test func aServerThatNeverAnswersTimesOut() async throws {
        let error = try await failure(#"{"hang": 5}"#, #""retries": 0, "timeout_seconds": 1"#)
        #expect(error?.kind == .timeout)
    }

    @Test func aRedirectIsNotFollowedAndTakesNoKeyAnywhere() async throws {
        let elsewhere = "http://127.0.0.1:\(ScriptedServer.closedPort())/v1/chat/completions"
        try await server.script(#"[{"redirect": "\#(elsewhere)", "times": 1}]"#)
        let client = try makeClient(server, "\"retries\": 0", environment: ["OPENAI_API_KEY": "sk-secret-key"])
        guard case let .failure(error) = client.complete([prompt("x")])[0] else { Issue.record("a redirect was followed"); return }
        #expect(error.kind == .httpError && error.message.hasPrefix("HTTP 302"))
        #expect(try await server.log().count == 1)
    }

    @Test func aBodyThatIsNotUTF8IsABadResponse() async throws {
        let error = try await failure(#"{"invalid_utf8": true}"#)
        #expect(error?.kind == .badResponse && error?.message.contains("not valid UTF-8") == true, "\(String(describing: error))")
    }

    @Test func aNestingBombIsRefusedAtTheDepthBound() async throws {
        let error = try await failure(#"{"nesting": 100000}"#)
        #expect(error?.kind == .badResponse && error?.message.contains("nest") == true, "\(String(describing: error))")
    }
}
