/// The JSON schema of a proposal answer for structured outputs (OpenAI's `response_format`, llama-server's schema
/// to grammar): an object holding an array `architectures` of exactly the asked count, each an object with one key
/// per hyperparameter and its values among the choices. Per-layer lists take the length their layer count gives:
/// the schema is a choice (`anyOf`) of one object per combination of layer counts, while there are at most
/// `maximumVariants`; beyond that, each list is held between the fewest and the most layers and the judge of
/// proposals refuses a length that does not match.
enum ProposalSchema {
    /// The most combinations of layer counts spelled out as variants.
    static let maximumVariants = 64

    /// The schema asking for `count` architectures of `space`.
    static func schema(for space: SearchSpace, count: Int) -> JSONValue {
        let counters = space.hyperparameters.filter { hp in
            space.hyperparameters.contains { if case .perLayer(hp.name) = $0.shape { true } else { false } }
        }
        var combinations: [[String: Int]] = [[:]]
        for counter in counters {
            combinations = combinations.flatMap { combination in
                integers(counter).map { combination.merging([counter.name: $0]) { a, _ in a } }
            }
            if combinations.count > maximumVariants { break }
        }
        let architecture: JSONValue =
            combinations.count <= maximumVariants
            ? (combinations.count == 1
                ? object(space, layers: combinations[0])
                : .object([("anyOf", .array(combinations.map { object(space, layers: $0) }))]))
            : object(space, layers: nil)
        return .object([
            ("type", .string("object")),
            ("properties", .object([("architectures", array(of: architecture, from: count, to: count))])),
            ("required", .array([.string("architectures")])), ("additionalProperties", .bool(false)),
        ])
    }

    /// One architecture object: with `layers`, each counter fixed to its count there and each per-layer list that
    /// long; without, lists between the fewest and the most layers.
    private static func object(_ space: SearchSpace, layers: [String: Int]?) -> JSONValue {
        var properties: [(String, JSONValue)] = []
        for hp in space.hyperparameters {
            let values: JSONValue = .object([("enum", .array(hp.choices.map(\.json)))])
            switch hp.shape {
            case .scalar:
                let fixed = layers?[hp.name].map { JSONValue.object([("enum", .array([.number(Double($0))]))]) }
                properties.append((hp.name, fixed ?? values))
            case .list(let length): properties.append((hp.name, array(of: values, from: length, to: length)))
            case .perLayer(let counter):
                let counts = space.hyperparameters.first { $0.name == counter }.map(integers) ?? []
                let range = layers?[counter].map { ($0, $0) } ?? (counts.min() ?? 0, counts.max() ?? 0)
                properties.append((hp.name, array(of: values, from: range.0, to: range.1)))
            }
        }
        return .object([
            ("type", .string("object")), ("properties", .object(properties)),
            ("required", .array(space.hyperparameters.map { .string($0.name) })),
            ("additionalProperties", .bool(false)),
        ])
    }

    /// The integer choices of a layer counter.
    private static func integers(_ counter: Hyperparameter) -> [Int] {
        counter.choices.compactMap { if case .int(let value) = $0 { value } else { nil } }
    }

    private static func array(of items: JSONValue, from minimum: Int, to maximum: Int) -> JSONValue {
        .object([
            ("type", .string("array")), ("items", items), ("minItems", .number(Double(minimum))),
            ("maxItems", .number(Double(maximum))),
        ])
    }
}
