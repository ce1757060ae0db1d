/// One value a hyperparameter may take: an integer (a width, a head count, a layer count), another number (a dropout
/// of 0.1, an expansion ratio of 1.5) or a name (an operation).
public enum Choice: Hashable, Sendable, CustomStringConvertible {
    /// An integral choice.
    case int(Int)
    /// A finite number that is not an integer, compared exactly as the JSON text parses (`0.1` equals `0.1`).
    case number(Double)
    /// A named choice.
    case string(String)

    /// The choice as JSON.
    public var json: JSONValue {
        switch self {
        case .int(let i): return .number(Double(i))
        case .number(let d): return .number(d)
        case .string(let s): return .string(s)
        }
    }

    /// The choice as a person reads it: `512`, `0.1`, `"gcn"`.
    public var description: String { JSONWriter.write(json) }

    /// The choice as a bare label, in feature names and prompts: `512`, `0.1`, `gcn`.
    public var label: String {
        switch self {
        case .int, .number: return JSONWriter.write(json)
        case .string(let s): return s
        }
    }

    /// The number the choice stands for; nil for a named choice.
    public var numericValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .number(let d): return d
        case .string: return nil
        }
    }

    /// The choice that `value` spells, if `value` is a string or a finite number (integral numbers become `.int`);
    /// nil for anything else.
    public init?(json value: JSONValue) {
        if let i = value.exactInt {
            self = .int(i)
        } else if case .number(let d) = value, d.isFinite {
            self = .number(d)
        } else if let s = value.stringValue {
            self = .string(s)
        } else {
            return nil
        }
    }
}
