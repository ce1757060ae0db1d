import Foundation
import LLMNASTestSupport
import Testing

@testable import LLMNASCore

@Suite struct ArchitectureTests {
    static let a00 =
        #"{"encoder_embed_dim":512,"encoder_layer_num":6,"encoder_ffn_embed_dim":[1024,1024,2048,2048,2048,1024],"#
        + #""encoder_self_attention_heads":[4,4,4,8,4,4],"decoder_embed_dim":640,"decoder_layer_num":1,"#
        + #""decoder_ffn_embed_dim":[3072],"decoder_self_attention_heads":[8],"#
        + #""decoder_ende_attention_heads":[4],"decoder_arbitrary_ende_attn":[2]}"#

    @Test func everyRealArchitectureReadsAndWritesBackIdentically() throws {
        let space = try BuiltinSpaces.space(named: "hat-wmt14ende")
        for row in try RepoData.labeled() {
            let architecture = try space.architecture(fromJSON: row.archJSON)
            #expect(space.jsonText(of: architecture) == row.archJSON)
        }
        for line in try RepoData.unlabeled() {
            let architecture = try space.architecture(from: line["arch"]!)
            #expect(space.json(of: architecture) == line["arch"]!)
        }
    }

    @Test(arguments: [
        (
            "\"decoder_layer_num\":1", "\"decoder_layer_num\":2",
            "'decoder_ffn_embed_dim' lists 1 values; it must list 2 (decoder_layer_num is 2)"
        ),
        (
            "\"encoder_embed_dim\":512", "\"encoder_embed_dim\":768",
            "'encoder_embed_dim' = 768 is not one of the choices [512, 640]"
        ),
        (
            "[1024,1024,2048", "[1024,4096,2048",
            "'encoder_ffn_embed_dim[1]' = 4096 is not one of the choices [1024, 2048, 3072]"
        ),
        (
            "\"decoder_arbitrary_ende_attn\":[2]", "\"decoder_arbitrary_ende_attn\":[0]",
            "'decoder_arbitrary_ende_attn[0]' = 0"
        ),
        ("\"decoder_embed_dim\":640,", "", "missing hyperparameter 'decoder_embed_dim'"),
        ("{\"encoder_embed_dim\"", "{\"dropout\":0.1,\"encoder_embed_dim\"", "unknown hyperparameter 'dropout'"),
        (
            "\"decoder_ffn_embed_dim\":[3072]", "\"decoder_ffn_embed_dim\":3072",
            "must be a list of 1 values, not a number"
        ),
        ("\"decoder_embed_dim\":640", "\"decoder_embed_dim\":\"640\"", "'decoder_embed_dim' = \"640\""),
        ("\"decoder_layer_num\":1", "\"decoder_layer_num\":1.5", "'decoder_layer_num' = 1.5"),
    ])
    func namesTheOffendingHyperparameterAndValue(_ edit: (String, String, String)) throws {
        let space = try BuiltinSpaces.space(named: "hat-wmt14ende")
        let text = Self.a00.replacingOccurrences(of: edit.0, with: edit.1)
        #expect(text != Self.a00)
        do {
            _ = try space.architecture(fromJSON: text)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.kind == .invalidArchitecture)
            #expect(error.message.contains(edit.2), "\(error.message)")
        }
    }

    @Test func rejectsNonObjectsAndBrokenConstraints() throws {
        let hat = try BuiltinSpaces.space(named: "hat-wmt14ende")
        #expect(throws: LLMNASError.self) { try hat.architecture(fromJSON: "[1, 2]") }
        let graph = try BuiltinSpaces.space(named: "nas-bench-graph")
        _ = try graph.architecture(fromJSON: #"{"link": "0-0-1-2", "ops": ["gcn", "gat", "skip", "sage"]}"#)
        do {
            _ = try graph.architecture(fromJSON: #"{"link": "0-0-1-2", "ops": ["skip", "skip", "skip", "skip"]}"#)
            Issue.record("all-skip accepted")
        } catch {
            #expect(error.message.contains("may not all be \"skip\""))
        }
        do {
            _ = try graph.architecture(fromJSON: #"{"link": "0-0-1-9", "ops": ["gcn", "gat", "skip", "sage"]}"#)
            Issue.record("bad link accepted")
        } catch {
            #expect(error.message.contains("'link' = \"0-0-1-9\""))
        }
    }

    @Test func checksGeneVectors() throws {
        let space = try BuiltinSpaces.space(named: "nas-bench-graph")
        try space.check(Architecture(genes: [0, 1, 2, 3, 4]))
        #expect(throws: LLMNASError.self) { try space.check(Architecture(genes: [0, 1, 2, 3])) }
        #expect(throws: LLMNASError.self) { try space.check(Architecture(genes: [9, 1, 2, 3, 4])) }
        #expect(throws: LLMNASError.self) { try space.check(Architecture(genes: [0, 8, 8, 8, 8])) }
        let hat = try BuiltinSpaces.space(named: "hat-wmt14ende")
        var genes = try hat.architecture(fromJSON: Self.a00).genes
        try hat.check(Architecture(genes: genes))
        genes[hat.geneOffsets[6] + 3] = 7  // an inactive decoder layer must still hold a valid choice or be unset
        #expect(throws: LLMNASError.self) { try hat.check(Architecture(genes: genes)) }
    }
}
