/// The search spaces that ship inside the library: HAT's Transformer spaces for its four translation tasks and
/// NAS-Bench-Graph's space of graph neural networks.
public enum BuiltinSpaces {
    /// The names of the built-in spaces, in a fixed order.
    public static let names = ["hat-wmt14ende", "hat-wmt14enfr", "hat-wmt19ende", "hat-iwslt14deen", "nas-bench-graph"]

    /// The built-in space called `name`.
    public static func space(named name: String) throws(LLMNASError) -> SearchSpace {
        switch name {
        case "hat-wmt14ende":
            return try hat(
                name: name, task: "English to German translation on WMT'14 (newstest2014)", vocabularySize: 32768)
        case "hat-wmt14enfr":
            return try hat(
                name: name, task: "English to French translation on WMT'14 (newstest2014)", vocabularySize: 44512)
        case "hat-wmt19ende":
            return try hat(
                name: name, task: "English to German translation on WMT'19 (newstest2019)", vocabularySize: 49600)
        case "hat-iwslt14deen":
            return try hat(
                name: name, task: "German to English translation on IWSLT'14", vocabularySize: 6632,
                ffnChoices: [512, 1024, 2048], headChoices: [2, 4])
        case "nas-bench-graph":
            return try nasBenchGraph()
        default:
            throw LLMNASError(
                .notFound,
                "no built-in search space '\(name)'; the built-in spaces are \(names.joined(separator: ", "))")
        }
    }

    /// HAT's SubTransformer space (Wang et al., ACL 2020): widths {512, 640}, 6 encoder layers, 1 to 6 decoder
    /// layers, per-layer FFN widths and head counts, and arbitrary encoder-decoder attention. The WMT tasks use FFN
    /// widths {1024, 2048, 3072} and heads {4, 8}; HAT's IWSLT'14 space uses {512, 1024, 2048} and {2, 4}.
    private static func hat(
        name: String, task: String, vocabularySize: Int,
        ffnChoices: [Int] = [1024, 2048, 3072], headChoices: [Int] = [4, 8]
    ) throws(LLMNASError) -> SearchSpace {
        func ints(_ values: [Int]) -> [Choice] { values.map { .int($0) } }
        let encoder = Hyperparameter.Shape.perLayer(countedBy: "encoder_layer_num")
        let decoder = Hyperparameter.Shape.perLayer(countedBy: "decoder_layer_num")
        return try SearchSpace(
            name: name,
            task: task
                + ". The candidates are encoder-decoder Transformers (Vaswani et al., 2017) that differ in width, "
                + "depth and attention; all are trained with the same recipe and judged by BLEU on the validation set.",
            metric: Metric(name: "BLEU", higherIsBetter: true, minimum: 0, maximum: 100),
            hyperparameters: [
                Hyperparameter(
                    name: "encoder_embed_dim", meaning: "width of the encoder's token embeddings and hidden states",
                    choices: ints([512, 640])),
                Hyperparameter(name: "encoder_layer_num", meaning: "number of encoder layers", choices: ints([6])),
                Hyperparameter(
                    name: "encoder_ffn_embed_dim", meaning: "hidden width of each encoder layer's feed-forward network",
                    choices: ints(ffnChoices), shape: encoder),
                Hyperparameter(
                    name: "encoder_self_attention_heads",
                    meaning: "number of self-attention heads in each encoder layer", choices: ints(headChoices),
                    shape: encoder),
                Hyperparameter(
                    name: "decoder_embed_dim", meaning: "width of the decoder's token embeddings and hidden states",
                    choices: ints([512, 640])),
                Hyperparameter(
                    name: "decoder_layer_num", meaning: "number of decoder layers", choices: ints([1, 2, 3, 4, 5, 6])),
                Hyperparameter(
                    name: "decoder_ffn_embed_dim", meaning: "hidden width of each decoder layer's feed-forward network",
                    choices: ints(ffnChoices), shape: decoder),
                Hyperparameter(
                    name: "decoder_self_attention_heads",
                    meaning: "number of self-attention heads in each decoder layer", choices: ints(headChoices),
                    shape: decoder),
                Hyperparameter(
                    name: "decoder_ende_attention_heads",
                    meaning: "number of encoder-decoder attention heads in each decoder layer",
                    choices: ints(headChoices), shape: decoder),
                Hyperparameter(
                    name: "decoder_arbitrary_ende_attn",
                    meaning:
                        "encoder layers each decoder layer attends to: -1 the last one, 1 the last two, 2 the last "
                        + "three",
                    choices: ints([-1, 1, 2]), shape: decoder, featureValues: [1, 2, 3]),
            ],
            costModel: .transformer(try TransformerCostModel(vocabularySize: vocabularySize))
        )
    }

    /// NAS-Bench-Graph's space (Qin et al., NeurIPS 2022 Datasets and Benchmarks): a macro link pattern among 9 and
    /// one of 9 operations at each of the 4 nodes, not all of them `skip`; isomorphic encodings are one network, as
    /// the benchmark counts them.
    private static func nasBenchGraph() throws(LLMNASError) -> SearchSpace {
        let links = ["0-0-0-0", "0-0-0-1", "0-0-1-1", "0-0-1-2", "0-0-1-3", "0-1-1-1", "0-1-1-2", "0-1-2-2", "0-1-2-3"]
        let ops = ["gat", "gcn", "gin", "cheb", "sage", "arma", "graph", "fc", "skip"]
        return try SearchSpace(
            name: "nas-bench-graph",
            task:
                "Node classification on a citation or product graph (Cora, CiteSeer, PubMed, ogbn-arxiv). The "
                + "candidates are graph neural networks of four computing nodes trained with the same recipe and "
                + "judged by validation accuracy.",
            metric: Metric(name: "validation accuracy", higherIsBetter: true, minimum: 0, maximum: 1, decimals: 4),
            hyperparameters: [
                Hyperparameter(
                    name: "link",
                    meaning:
                        "how the four nodes connect: entry i names the input of node i+1 (0 is the graph's input "
                        + "features, k the output of node k); nodes that feed no other node form the output",
                    choices: links.map { .string($0) }),
                Hyperparameter(
                    name: "ops",
                    meaning:
                        "the operation of each node: a graph convolution (gat, gcn, gin, cheb, sage, arma, graph), a "
                        + "fully connected layer (fc) or the identity (skip)",
                    choices: ops.map { .string($0) }, shape: .list(length: 4)),
            ],
            constraints: [.notAllEqual(hyperparameter: "ops", value: .string("skip"))],
            cell: CellGraph(links: "link", ops: "ops", identity: .string("skip"))
        )
    }
}
