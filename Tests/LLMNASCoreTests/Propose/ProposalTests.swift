import Foundation
import LLMNASTestSupport
import Testing

@testable import LLMNASCore

/// LLM-proposed architectures against the scripted server: every object of an answer accepted or refused with its
/// reason, rounds that ask for what is missing, budgets from the cost model.
@Suite(.serialized) final class ProposalTests: ScriptedServerSuite {
    /// wmt14ende's distinct architectures, lightest first.
    func architectures() -> [Architecture] {
        var seen = Set<Architecture>()
        return data.rows.filter { $0.task == "wmt14ende" }.map(\.architecture)
            .filter { seen.insert(space.canonical($0)).inserted }
            .sorted { gflops($0) < gflops($1) }
    }

    func gflops(_ architecture: Architecture) -> Double {
        Double(try! space.costModel!.counts(of: architecture, in: space).flops) / 1e9
    }

    func rules(_ pairs: [(match: String?, answer: String)]) -> String {
        JSONWriter.write(
            .array(
                pairs.map { pair in
                    .object(
                        (pair.match.map { [("match", JSONValue.string($0))] } ?? []) + [
                            ("answer", .string(pair.answer))
                        ])
                }))
    }

    func proposer(_ client: LLMClient, demonstrations: [Architecture]) -> LLMProposer {
        LLMProposer(
            client: client, space: space, task: PredictionTask(),
            demonstrations: demonstrations.enumerated().map { Demonstration(architecture: $1, score: 25 + Double($0)) })
    }

    @Test func everyProposalIsAcceptedOrRefusedWithItsReasonAndRoundsAskForTheRest() async throws {
        let all = architectures()
        let text = { (a: Architecture) in self.space.jsonText(of: a) }
        let (demo, a, b, c, d, heavy) = (all[0], all[2], all[3], all[4], all[5], all[all.count - 1])
        let limit = (gflops(all[all.count - 2]) + gflops(heavy)) / 2
        let first =
            "Here are my proposals:\n1. \(text(a))\n2. \(text(heavy))\n3. {\"encoder_embed_dim\": 999}\n"
            + "4. \(text(demo))\n5. \(text(a))\n6. {oops, not json}"
        let second = "\(text(b))\n\(text(c))\n\(text(d))\n{\"encoder_embed_dim\": 640,"
        try await server.script(rules([("Already proposed", second), (nil, first)]))
        var request = ProposalRequest()
        request.count = 3
        request.maxGFLOPs = limit
        let result = try proposer(makeClient(server), demonstrations: [demo, all[1]]).propose(request)
        #expect(result.rounds == 2)
        #expect(result.accepted.map(\.architecture) == [a, b, c])
        #expect(result.accepted.map(\.round) == [1, 2, 2])
        let reasons = result.rejected.map(\.reason.text)
        #expect(reasons.count == 7)
        #expect(reasons[0].contains("GFLOPs exceed max_gflops"))
        #expect(
            reasons[1].contains("not an architecture of 'hat-wmt14ende'") && reasons[1].contains("encoder_embed_dim"))
        #expect(reasons[2] == "it repeats demonstration 1")
        #expect(reasons[3] == "it repeats proposal 1")
        #expect(reasons[4].hasPrefix("malformed JSON"))
        #expect(reasons[5] == "beyond the 3 requested")
        #expect(reasons[6] == "the object is cut off by the end of the answer")
        #expect(result.rejected.map(\.round) == [1, 1, 1, 1, 1, 2, 2])
        let log = try await server.log()
        #expect(log.count == 2)
        let perProposal = max(32, [demo, all[1]].map { self.space.jsonText(of: $0).utf8.count }.max()! / 2 + 16)
        #expect(
            log[0].body.contains("\"max_tokens\":\(3 * perProposal + 64)")
                && log[1].body.contains("\"max_tokens\":\(2 * perProposal + 64)"))
        #expect(log[1].body.contains("Already proposed") && log[1].body.contains("Propose 2 new architectures"))
        #expect(log[0].body.contains("at most \(JSONWriter.formatNumber(limit)) GFLOPs"))
        let json = result.json(in: space)
        #expect(json["architectures"]?.arrayValue?.count == 3 && json["rejected"]?.arrayValue?.count == 7)
        #expect(json["accepted"]?.arrayValue?[0]["stats"]?["flops"] != nil)
        // Proposals are a search's warm start as they are.
        let initial = JSONWriter.write(json["architectures"]!)
        let config = try SearchConfig(
            json: JSONParser.parse(#"{"population": 5, "parents": 2, "initial": \#(initial)}"#), space: space)
        #expect(config.initial == [a, b, c])
    }

    @Test func anAnswerWithoutObjectsIsOneRejectionAndEndsTheRounds() async throws {
        try await server.script(rules([(nil, "I cannot help with that.")]))
        var request = ProposalRequest()
        request.count = 2
        request.rounds = 2
        let client = try makeClient(server)
        let result = try proposer(client, demonstrations: [architectures()[0]]).propose(request)
        #expect(
            result.accepted.isEmpty && result.rounds == 1, "a round that accepts nothing would be asked again unchanged"
        )
        #expect(result.rejected.map(\.reason.text) == ["the answer holds no JSON object"])
        #expect(result.rejected[0].text == "I cannot help with that.")
        #expect(client.ledger.requests == 1)
    }

    @Test func structuredAnswersAskForTheSpacesSchemaAndAreReadThroughTheirWrapper() async throws {
        let all = architectures()
        let wrapped =
            "{\"architectures\": [\(space.jsonText(of: all[2])), \(space.jsonText(of: all[3])), "
            + "{\"encoder_embed_dim\": 640"
        try await server.script(rules([(nil, wrapped)]))
        let request = try ProposalRequest(
            json: JSONParser.parse(#"{"count": 3, "rounds": 1, "answer_format": "json_schema"}"#), space: space)
        let result = try proposer(makeClient(server), demonstrations: [all[0]]).propose(request)
        #expect(result.accepted.map(\.architecture) == [all[2], all[3]])
        #expect(result.rejected.map(\.reason.text) == ["the object is cut off by the end of the answer"])
        let body = try JSONParser.parse(try await server.log()[0].body)
        let schema = body["response_format"]?["json_schema"]?["schema"]
        #expect(body["response_format"]?["type"]?.stringValue == "json_schema")
        #expect(schema?["properties"]?["architectures"]?["minItems"]?.exactInt == 3)
        // One variant per decoder depth (the encoder's is fixed): each list as long as its layer count.
        let variants = schema?["properties"]?["architectures"]?["items"]?["anyOf"]?.arrayValue ?? []
        #expect(variants.count == 6)
        let second = variants.count == 6 ? variants[1]["properties"] : nil
        #expect(second?["decoder_layer_num"]?["enum"] == .array([.number(2)]))
        #expect(
            second?["decoder_ffn_embed_dim"]?["minItems"]?.exactInt == 2
                && second?["decoder_ffn_embed_dim"]?["maxItems"]?.exactInt == 2)
        #expect(
            second?["encoder_ffn_embed_dim"]?["minItems"]?.exactInt == 6
                && second?["decoder_ffn_embed_dim"]?["items"]?["enum"]?.arrayValue?.count == 3)
        #expect(
            ProposalParser.fragments(of: "[{\"a\": \"}\"}, {\"b\": 1}]").map(\.text) == [#"{"a": "}"}"#, #"{"b": 1}"#])
    }

    @Test func aFailedRequestEndsTheRoundsWithItsError() async throws {
        try await server.script(#"[{"status": 500}]"#)
        let client = try makeClient(server, "\"retries\": 0")
        #expect {
            try self.proposer(client, demonstrations: [self.architectures()[0]]).propose(ProposalRequest())
        } throws: { error in
            (error as! LLMNASError).kind == .httpError
        }
    }

    @Test func budgetsNeedACostModel() throws {
        let graph = try BuiltinSpaces.space(named: "nas-bench-graph")
        #expect { try ProposalRequest(json: JSONParser.parse(#"{"max_gflops": 1}"#), space: graph) } throws: { error in
            (error as! LLMNASError).message.contains("has no cost model")
        }
        let request = try ProposalRequest(
            json: JSONParser.parse(#"{"count": 4, "rounds": 1, "max_tokens": 50}"#), space: graph)
        #expect(request.count == 4 && request.rounds == 1 && request.tokens(asking: 4, longest: 300) == 50)
        #expect(
            ProposalRequest().tokens(asking: 3, longest: 300) == 3 * 166 + 64
                && ProposalRequest().tokens(asking: 2, longest: 10) == 2 * 32 + 64)
    }
}
