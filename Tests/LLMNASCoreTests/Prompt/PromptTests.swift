import Testing

@testable import LLMNASCore

@Suite struct PromptTests {
    static let a01 =
        #"{"encoder_embed_dim":512,"encoder_layer_num":6,"encoder_ffn_embed_dim":[1024,2048,2048,1024,1024,1024],"#
        + #""encoder_self_attention_heads":[8,4,4,4,4,8],"decoder_embed_dim":640,"decoder_layer_num":3,"#
        + #""decoder_ffn_embed_dim":[3072,3072,3072],"decoder_self_attention_heads":[4,8,8],"#
        + #""decoder_ende_attention_heads":[8,4,4],"decoder_arbitrary_ende_attn":[2,2,-1]}"#

    static let expectedUser = """
        Task: English to German translation on WMT'14 (newstest2014). The candidates are encoder-decoder Transformers (Vaswani et al., 2017) that differ in width, depth and attention; all are trained with the same recipe and judged by BLEU on the validation set.
        Dataset: WMT'14 English-German. Metric: BLEU (higher is better).
        Examples from the dataset:
        Input: Good morning.
        Output: Guten Morgen.
        Backbone: the encoder-decoder Transformer of Vaswani et al. (2017). Every candidate is trained with the same recipe; only the hyperparameters below differ.
        Efficiency: GFLOPs is the number of billions of floating-point operations of one forward pass.
        Study the demonstrations first to learn how the hyperparameters, the GFLOPs and the BLEU score relate.
        Answer with the BLEU score of the last architecture only: one number with 2 decimals.

        The hyperparameters:
        - encoder_embed_dim: width of the encoder's token embeddings and hidden states
        - encoder_layer_num: number of encoder layers
        - encoder_ffn_embed_dim: hidden width of each encoder layer's feed-forward network
        - encoder_self_attention_heads: number of self-attention heads in each encoder layer
        - decoder_embed_dim: width of the decoder's token embeddings and hidden states
        - decoder_layer_num: number of decoder layers
        - decoder_ffn_embed_dim: hidden width of each decoder layer's feed-forward network
        - decoder_self_attention_heads: number of self-attention heads in each decoder layer
        - decoder_ende_attention_heads: number of encoder-decoder attention heads in each decoder layer
        - decoder_arbitrary_ende_attn: encoder layers each decoder layer attends to: -1 the last one, 1 the last two, 2 the last three

        Architecture 1:
        encoder_embed_dim: 512
        encoder_layer_num: 6
        encoder_ffn_embed_dim: [1024, 2048, 2048, 1024, 1024, 1024]
        encoder_self_attention_heads: [8, 4, 4, 4, 4, 8]
        decoder_embed_dim: 640
        decoder_layer_num: 3
        decoder_ffn_embed_dim: [3072, 3072, 3072]
        decoder_self_attention_heads: [4, 8, 8]
        decoder_ende_attention_heads: [8, 4, 4]
        decoder_arbitrary_ende_attn: [2, 2, -1]
        GFLOPs: 3.5
        BLEU: 25.96

        Architecture to judge:
        encoder_embed_dim: 512
        encoder_layer_num: 6
        encoder_ffn_embed_dim: [1024, 1024, 2048, 2048, 2048, 1024]
        encoder_self_attention_heads: [4, 4, 4, 8, 4, 4]
        decoder_embed_dim: 640
        decoder_layer_num: 1
        decoder_ffn_embed_dim: [3072]
        decoder_self_attention_heads: [8]
        decoder_ende_attention_heads: [4]
        decoder_arbitrary_ende_attn: [2]
        GFLOPs: 2.7
        BLEU:
        """

    func fixture() throws -> (PromptBuilder, [Demonstration], Architecture) {
        let space = try BuiltinSpaces.space(named: "hat-wmt14ende")
        var task = PaperProtocol.predictionTask(for: "wmt14ende")
        task.examples = [("Good morning.", "Guten Morgen.")]
        let demos = [Demonstration(architecture: try space.architecture(fromJSON: Self.a01), score: 25.96)]
        return (PromptBuilder(space: space, task: task), demos, try space.architecture(fromJSON: ArchitectureTests.a00))
    }

    @Test func buildsTheExactPromptForAKnownArchitecture() throws {
        let (builder, demos, a00) = try fixture()
        let messages = try builder.messages(demonstrations: demos, judging: a00)
        #expect(messages.count == 2)
        #expect(
            messages[0]
                == ChatMessage(
                    role: "system",
                    content:
                        "You are a performance estimator for machine translation models: you predict the BLEU score "
                        + "an architecture will reach."
                ))
        #expect(messages[1].role == "user")
        #expect(messages[1].content == Self.expectedUser)
    }

    @Test func everyPartCanBeSwitchedOff() throws {
        var (builder, demos, a00) = try fixture()
        var task = builder.task
        task.options.instructions = false
        builder = PromptBuilder(space: builder.space, task: task)
        var user = try builder.messages(demonstrations: demos, judging: a00).last!.content
        #expect(user.hasPrefix("The hyperparameters:\n- encoder_embed_dim"))
        #expect(user.hasSuffix("GFLOPs: 2.7\nBLEU:"))
        task.options = PromptOptions()
        task.options.role = false
        task.options.hyperparameters = false
        task.options.gflops = false
        task.options.examples = false
        task.options.dataset = false
        task.options.backbone = false
        task.options.studyDemonstrations = false
        builder = PromptBuilder(space: builder.space, task: task)
        let messages = try builder.messages(demonstrations: demos, judging: a00)
        #expect(messages.count == 1)
        user = messages[0].content
        for absent in ["GFLOPs", "Dataset:", "Backbone:", "Study", "Examples", "The hyperparameters"] {
            #expect(!user.contains(absent), "\(absent)")
        }
        #expect(user.hasPrefix("Task: English to German"))
    }

    @Test func nearestDemonstrationsShowsTheNearestLastAndOnlyAsManyAsAsked() throws {
        let space = try BuiltinSpaces.space(named: "nas-bench-graph")
        // Distances from the judged all-gcn cell grow with the number of ops changed.
        let archs = try [
            #"["gat", "gat", "gat", "gat"]"#, #"["gcn", "gcn", "gcn", "gat"]"#, #"["gcn", "gat", "sage", "skip"]"#,
            #"["gcn", "gcn", "gat", "gat"]"#,
        ].map { try space.architecture(fromJSON: #"{"link": "0-0-1-2", "ops": \#($0)}"#) }
        let demos = archs.enumerated().map {
            Demonstration(architecture: $0.element, score: 0.1 * Double($0.offset + 1))
        }
        let judged = try space.architecture(fromJSON: #"{"link": "0-0-1-2", "ops": ["gcn", "gcn", "gcn", "gcn"]}"#)
        var task = PredictionTask()
        task.options.nearestDemonstrations = 2
        let user = try PromptBuilder(space: space, task: task).messages(demonstrations: demos, judging: judged).last!
            .content
        #expect(user.components(separatedBy: "validation accuracy: 0.").count - 1 == 2, "two demonstrations shown")
        let second = try #require(user.range(of: "ops: [gcn, gcn, gat, gat]\nvalidation accuracy: 0.4000"))
        let nearest = try #require(user.range(of: "ops: [gcn, gcn, gcn, gat]\nvalidation accuracy: 0.2000"))
        #expect(second.upperBound < nearest.lowerBound, "the nearest comes last")
        task.options.nearestDemonstrations = 10
        let all = try PromptBuilder(space: space, task: task).messages(demonstrations: demos, judging: judged).last!
            .content
        #expect(all.components(separatedBy: "validation accuracy: 0.").count - 1 == 4)
        #expect(throws: LLMNASError.self) {
            try PromptOptions(json: JSONParser.parse(#"{"nearest_demonstrations": 0}"#))
        }
    }

    @Test func nasBenchGraphPromptsShowNamesAndFourDecimals() throws {
        let space = try BuiltinSpaces.space(named: "nas-bench-graph")
        let arch = try space.architecture(fromJSON: #"{"link": "0-0-1-2", "ops": ["gcn", "gat", "skip", "sage"]}"#)
        let user = try PromptBuilder(space: space, task: PredictionTask()).messages(
            demonstrations: [Demonstration(architecture: arch, score: 0.81234)], judging: arch
        ).last!.content
        #expect(user.contains("link: 0-0-1-2\nops: [gcn, gat, skip, sage]\nvalidation accuracy: 0.8123\n"))
        #expect(user.hasSuffix("ops: [gcn, gat, skip, sage]\nvalidation accuracy:"))
        #expect(!user.contains("GFLOPs"))
    }

    @Test(arguments: [
        ("26.1", 26.1), (" 26.10", 26.1), ("BLEU: 26.1 points", 26.1), ("BLEU-4: 27", 4), (".5 or so", 0.5),
        ("-3e-1", -0.3), ("score 2.5e1.", 25), ("26.", 26), ("about +12", 12),
    ])
    func readsTheFirstNumber(_ text: String, _ expected: Double) {
        #expect(AnswerParser.firstNumber(in: text) == expected)
    }

    @Test func refusesDemonstrationsOutsideTheMetricRangeNamingTheFirst() throws {
        let space = try BuiltinSpaces.space(named: "nas-bench-graph")
        let arch = #"{"link": "0-0-1-2", "ops": ["gcn", "gat", "skip", "sage"]}"#
        let text = #"[{"architecture": \#(arch), "score": 0.8}, {"architecture": \#(arch), "score": 80}]"#
        do {
            _ = try Demonstration.list(fromJSON: text, in: space)
            Issue.record("a score of 80 for an accuracy in [0, 1] was accepted")
        } catch {
            #expect(error.kind == .invalidArgument)
            #expect(error.message.hasPrefix("demonstration 1: score 80 lies outside the range of validation accuracy"))
        }
        #expect(try Demonstration.list(fromJSON: text, in: space, anyScale: true).map(\.score) == [0.8, 80])
    }

    @Test func refusesAnswersWithoutAScoreInRange() throws {
        let bleu = Metric(name: "BLEU", minimum: 0, maximum: 100)
        #expect(try AnswerParser.score(in: "BLEU: 26.1 points", metric: bleu) == 26.1)
        for text in ["I cannot say.", "", "150", "-2"] {
            do {
                _ = try AnswerParser.score(in: text, metric: bleu)
                Issue.record("accepted \(text)")
            } catch {
                #expect(error.kind == .badAnswer)
            }
        }
    }

    @Test func decimalFormatMatchesPrintf() {
        #expect(DecimalFormat.fixed(2.669506728, 1) == "2.7")
        #expect(DecimalFormat.fixed(25.96, 2) == "25.96")
        #expect(DecimalFormat.fixed(-0.004, 2) == "0.00")
        #expect(DecimalFormat.fixed(-1.5, 0) == "-2")
        #expect(DecimalFormat.fixed(0.05, 2) == "0.05")
        #expect(DecimalFormat.fixed(.nan, 2) == "nan")
    }
}
