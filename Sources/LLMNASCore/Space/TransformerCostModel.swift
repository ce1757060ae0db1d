/// Parameters and FLOPs of an encoder-decoder Transformer of HAT's space, counted as HAT counts them.
///
/// Parameters exclude embeddings: every linear layer's weights and biases with attention projected to a fixed
/// `qkvDim` whatever the head count, and two LayerNorms (weight and bias) per encoder layer, three per decoder layer;
/// encoder-decoder keys and values project from the encoder's width. This equals `params_no_emb` of HAT's trained
/// architectures.
///
/// FLOPs are twice the multiply-accumulates that HAT's profiler (torchprofile, one sentence of `sequenceLength`
/// tokens on each side) records: per encoder layer `4·L·E·Q + 2·L²·Q` for attention, `2·L·E·F` for the FFN,
/// `2·L·E` for LayerNorms and `L·Q` for scaling queries; per decoder layer `6·L·D·Q + 2·L²·Q` for self and cross
/// attention's query and output sides, `2·k·L·E·Q + 2·k·L²·Q` for cross attention over the `k` attended encoder
/// layers (whose outputs are concatenated along time), `2·L·D·F`, `3·L·D`, `2·L·Q`, and 6 scalar operations the
/// trace records per layer; `L·E + L·D` for embedding scaling, 78 scalar operations the trace records once, and
/// the output projection `L·D·V`. This reproduces `total_flops` of the paper's 8,500 unlabelled architectures
/// exactly.
public struct TransformerCostModel: Sendable, Equatable {
    /// The hyperparameters the model reads, by their names in HAT's spaces.
    public static let requiredHyperparameters = [
        "encoder_embed_dim", "encoder_layer_num", "encoder_ffn_embed_dim", "decoder_embed_dim", "decoder_layer_num",
        "decoder_ffn_embed_dim", "decoder_arbitrary_ende_attn",
    ]

    /// The target vocabulary size (the output projection's width).
    public let vocabularySize: Int
    /// The source and target sentence length of the FLOPs count (HAT: 30).
    public let sequenceLength: Int
    /// The width queries, keys and values project to, whatever the head count (HAT: 512).
    public let qkvDim: Int

    /// A cost model; all three sizes must be positive.
    public init(vocabularySize: Int, sequenceLength: Int = 30, qkvDim: Int = 512) throws(LLMNASError) {
        guard (1...10_000_000).contains(vocabularySize), (1...100_000).contains(sequenceLength),
            (1...1_000_000).contains(qkvDim)
        else {
            throw LLMNASError(
                .invalidSpace,
                "the cost model's vocabulary size, sequence length and qkv dim must be positive and plausible")
        }
        self.vocabularySize = vocabularySize
        self.sequenceLength = sequenceLength
        self.qkvDim = qkvDim
    }

    /// Checks that the hyperparameters hold what the model reads: HAT's names, and attended encoder layers that are
    /// integers of at least 1.
    static func check(_ hyperparameters: [Hyperparameter]) -> String? {
        for required in requiredHyperparameters where !hyperparameters.contains(where: { $0.name == required }) {
            return "the transformer cost model needs the hyperparameter '\(required)'"
        }
        let attention = hyperparameters.first { $0.name == "decoder_arbitrary_ende_attn" }!
        guard attention.isNumeric,
            attention.choices.indices.allSatisfy({
                let layers = attention.featureValue(ofChoiceAt: $0)
                return layers >= 1 && layers == layers.rounded()
            })
        else {
            return "the transformer cost model counts 'decoder_arbitrary_ende_attn' as attended encoder layers: its "
                + "choices, or its feature_values, must be integers of at least 1"
        }
        return nil
    }

    /// Counts parameters and FLOPs of `architecture` in `space` (which must hold the required hyperparameters).
    public func counts(of architecture: Architecture, in space: SearchSpace) -> CostCounts {
        func values(_ name: String) -> [Int] { space.integerValues(of: name, in: architecture) }
        let e = values("encoder_embed_dim")[0]
        let d = values("decoder_embed_dim")[0]
        let l = sequenceLength
        let q = qkvDim
        var parameters = 0
        var macs = l * e + l * d + 78
        for f in values("encoder_ffn_embed_dim") {
            parameters += 3 * (e * q + q) + q * e + e  // q, k, v (E->Q) and out (Q->E), with biases
            parameters += 2 * e * f + f + e + 4 * e  // FFN and two LayerNorms
            macs += 4 * l * e * q + 2 * l * l * q + 2 * l * e * f + 2 * l * e + l * q
        }
        // The encoder layers each decoder layer attends to: the hyperparameter's feature values (HAT's -1, 1, 2 as 1,
        // 2, 3).
        let attention = space.index(of: "decoder_arbitrary_ende_attn")!
        let attended = space.activeGenes(ofHyperparameter: attention, in: architecture).map {
            Int(space.hyperparameters[attention].featureValue(ofChoiceAt: $0))
        }
        for (f, k) in zip(values("decoder_ffn_embed_dim"), attended) {
            parameters += 3 * (d * q + q) + q * d + d  // self attention
            parameters += (d * q + q) + 2 * (e * q + q) + q * d + d  // cross attention
            parameters += 2 * d * f + f + d + 6 * d  // FFN and three LayerNorms
            macs +=
                6 * l * d * q + 2 * l * l * q + 2 * k * l * e * q + 2 * k * l * l * q + 2 * l * d * f + 3 * l * d + 2
                * l * q + 6
        }
        let projection = l * d * vocabularySize
        return CostCounts(
            parameters: parameters, embeddingParameters: d * vocabularySize,
            flops: 2 * (macs + projection), outputProjectionFlops: 2 * projection)
    }
}
