/// One dimension of a search space: a name, its meaning in one line (shown to the LLM), the values it may take and
/// whether it is one value, one value per active layer, or a list of fixed length.
public struct Hyperparameter: Sendable {
    /// How many values an architecture holds for this hyperparameter.
    public enum Shape: Sendable, Equatable {
        /// A single value.
        case scalar
        /// One value per active layer; the layer count is the value of the named scalar hyperparameter.
        case perLayer(countedBy: String)
        /// Exactly `length` values (e.g. the four operations of a NAS-Bench-Graph cell).
        case list(length: Int)
    }

    /// The name, as used for the key in architecture JSON.
    public let name: String
    /// What the hyperparameter controls, in one line.
    public let meaning: String
    /// The values it may take, in the order of the gene encoding.
    public let choices: [Choice]
    /// How many values an architecture holds.
    public let shape: Shape
    /// The number each choice stands for in features, when it differs from the choice itself (HAT encodes the
    /// arbitrary attention choices -1, 1, 2 as 1, 2, 3 attended layers); nil for the choices' own values.
    public let featureValues: [Double]?

    /// A hyperparameter; `SearchSpace.init` checks that the pieces agree.
    public init(
        name: String, meaning: String, choices: [Choice], shape: Shape = .scalar, featureValues: [Double]? = nil
    ) {
        self.name = name
        self.meaning = meaning
        self.choices = choices
        self.shape = shape
        self.featureValues = featureValues
    }

    /// True when every choice is a number, so the value itself is a feature; false for named choices, which are
    /// one-hot encoded.
    public var isNumeric: Bool {
        choices.allSatisfy { $0.numericValue != nil }
    }

    /// The feature value of the choice at `index` (numeric hyperparameters only).
    func featureValue(ofChoiceAt index: Int) -> Double {
        if let featureValues { return featureValues[index] }
        return choices[index].numericValue ?? 0
    }
}
