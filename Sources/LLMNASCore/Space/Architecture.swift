/// One point of a search space as its gene vector: for every gene, the index of the chosen value among the
/// hyperparameter's choices. Genes of inactive layers (beyond the layer count) may hold a value, kept so that
/// evolution can reactivate them as HAT does, or `Architecture.unset` when the architecture came from JSON, which
/// lists active layers only. Two architectures with the same active values are the same network: compare with
/// `SearchSpace.canonical(_:)`.
public struct Architecture: Hashable, Sendable {
    /// The gene value of an inactive layer that holds no choice.
    public static let unset = -1

    /// The genes, laid out as `SearchSpace` describes (hyperparameter order, one gene per scalar, per list position
    /// and per possible layer).
    public var genes: [Int]

    /// An architecture from its genes; `SearchSpace.check(_:)` validates them.
    public init(genes: [Int]) { self.genes = genes }
}
