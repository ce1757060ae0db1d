/// The score a space's architectures are judged by (BLEU for machine translation, validation accuracy for
/// NAS-Bench-Graph): its name, direction and the range a prediction must fall in.
public struct Metric: Sendable, Equatable {
    /// The metric's name as a person writes it ("BLEU").
    public let name: String
    /// True when a larger score is a better architecture.
    public let higherIsBetter: Bool
    /// The smallest valid score.
    public let minimum: Double
    /// The largest valid score.
    public let maximum: Double
    /// Decimals a score is written with in prompts (2 for BLEU, 4 for an accuracy in [0, 1]).
    public let decimals: Int

    /// A metric; the range must be non-empty.
    public init(name: String, higherIsBetter: Bool = true, minimum: Double, maximum: Double, decimals: Int = 2) {
        self.name = name
        self.higherIsBetter = higherIsBetter
        self.minimum = minimum
        self.maximum = maximum
        self.decimals = decimals
    }
}
