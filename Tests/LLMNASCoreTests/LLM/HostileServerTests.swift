import Foundation
import LLMNASTestSupport
import Testing

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
        guard case .failure(let error) = client.complete([prompt("x")])[0] else { return nil }
        return error
    }

    @Test func anEndlessBodyStopsAtTheResponseBound() async throws {
        let error = try await failure(#"{"endless": true}"#, #""retries": 0, "max_response_bytes": 100000"#)
        #expect(error?.kind == .badResponse && error?.message.contains("100000 bytes") == true)
    }

    @Test func aTenGigabyteContentLengthIsRefusedWithoutWaitingForIt() async throws {
        let error = try await failure(
            #"{"content_length": 10000000000}"#, #""retries": 0, "max_response_bytes": 100000"#)
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
        guard case .failure(let error) = client.complete([prompt("x")])[0] else {
            Issue.record("a redirect was followed")
            return
        }
        #expect(error.kind == .httpError && error.message.hasPrefix("HTTP 302"))
        #expect(try await server.log().count == 1)
    }

    @Test func sameHostRedirectsAreFollowedOnlyWhenAskedAndOnlyToTheSameHost() async throws {
        let here = "http://127.0.0.1:\(server.port)/v1/chat/completions?moved=1"
        try await server.script(#"[{"redirect": "\#(here)", "times": 1}]"#)
        let client = try makeClient(
            server, #""retries": 0, "redirects": "same_host""#, environment: ["OPENAI_API_KEY": "sk-secret-key"])
        guard case .success = client.complete([prompt("x")])[0] else {
            Issue.record("the same-host redirect was not followed")
            return
        }
        let log = try await server.log()
        #expect(log.count == 2 && log.allSatisfy { $0.headers["authorization"] == "Bearer sk-secret-key" })
        #expect(client.ledger.requests == 2, "a followed redirect is an HTTP attempt in the ledger")

        let elsewhere = "http://127.0.0.1:\(ScriptedServer.closedPort())/v1/chat/completions"
        for target in [
            elsewhere, "https://127.0.0.1:\(server.port)/v1/chat/completions",
            "http://user@127.0.0.1:\(server.port)/v1",
        ] {
            try await server.script(#"[{"redirect": "\#(target)", "times": 1}]"#)
            guard case .failure(let error) = client.complete([prompt("y \(target)")])[0] else {
                Issue.record("followed to \(target)")
                continue
            }
            #expect(
                error.kind == .httpError
                    && error.message.contains("not followed (another host than http://127.0.0.1:\(server.port))"),
                "\(error.message)")
            #expect(try await server.log().count == 1)
        }

        try await server.script(#"[{"redirect": "/v1/chat/completions?again=1"}]"#)  // a loop on the same host
        guard case .failure(let error) = client.complete([prompt("z")])[0] else {
            Issue.record("a redirect loop ended well")
            return
        }
        #expect(
            error.message.contains("not followed after \(RedirectPolicy.maximumHops) redirects"), "\(error.message)")
        #expect(try await server.log().count == RedirectPolicy.maximumHops + 1)
        #expect(throws: LLMNASError.self) { try makeClient(self.server, #""redirects": "anywhere""#) }
    }

    @Test func aBodyThatIsNotUTF8IsABadResponse() async throws {
        let error = try await failure(#"{"invalid_utf8": true}"#)
        #expect(
            error?.kind == .badResponse && error?.message.contains("not valid UTF-8") == true,
            "\(String(describing: error))")
    }

    @Test func aNestingBombIsRefusedAtTheDepthBound() async throws {
        let error = try await failure(#"{"nesting": 100000}"#)
        #expect(error?.kind == .badResponse && error?.message.contains("nest") == true, "\(String(describing: error))")
    }
}
