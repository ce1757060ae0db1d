/// One value a hyperparameter may take: an integer (a width, a head count, a layer count) or a name (an operation).
public enum Choice: Hashable, Sendable, CustomStringConvertible {
    /// A numeric choice.
    case int(Int)
    /// A named choice.
    case string(String)

    /// The choice as JSON.
    public var json: JSONValue {
        switch self {
        case .int(let i): return .number(Double(i))
        case .string(let s): return .string(s)
        }
    }

    /// The choice as a person reads it: `512`, `"gcn"`.
    public var description: String { JSONWriter.write(json) }

    /// The choice as a bare label, in feature names: `512`, `gcn`.
    public var label: String {
        switch self {
        case .int(let i): return String(i)
        case .string(let s): return s
        }
    }

    /// The choice that `value` spells, if `value` is a string or an integral number; nil for anything else.
    public init?(json value: JSONValue) {
        if let i = value.exactInt {
            self = .int(i)
        } else if let s = value.stringValue {
            self = .string(s)
        } else {
            return nil
        }
    }
}
