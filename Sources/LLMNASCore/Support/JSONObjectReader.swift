/// Reads the members of one JSON object of an input (a space definition, a config, a task), rejecting unknown keys
/// and reporting wrong types and ranges with messages that name the key. `kind` is the error the input's owner
/// reports (`invalidSpace` for spaces, `invalidArgument` for configs). docs/formats.md lists every key.
struct JSONObjectReader {
    private let object: JSONValue
    private let context: String
    private let kind: LLMNASError.Kind

    /// Checks that `json` is an object whose keys all appear in `allowed`.
    init(_ json: JSONValue, context: String, allowed: Set<String>, kind: LLMNASError.Kind) throws(LLMNASError) {
        guard let members = json.objectMembers else {
            throw LLMNASError(kind, "\(context) must be a JSON object, not \(json.typeName)")
        }
        for (key, _) in members where !allowed.contains(key) {
            throw LLMNASError(
                kind, "\(context): unknown key '\(key)' (known: \(allowed.sorted().joined(separator: ", ")))")
        }
        object = json
        self.context = context
        self.kind = kind
    }

    /// "`context`: '`key`' must be `what`, not" the type and (shortened) text of what was given.
    private func failure(_ key: String, _ what: String) -> LLMNASError {
        guard let given = object[key] else { return LLMNASError(kind, "\(context): '\(key)' must be \(what)") }
        var text = JSONWriter.write(given)
        if text.count > 40 { text = text.prefix(40) + "…" }
        return LLMNASError(kind, "\(context): '\(key)' must be \(what), not \(given.typeName) \(text)")
    }

    /// The member `key`, if present.
    func value(_ key: String) -> JSONValue? { object[key] }

    /// The member `key`, which must be present.
    func required(_ key: String) throws(LLMNASError) -> JSONValue {
        guard let member = value(key) else { throw LLMNASError(kind, "\(context): missing key '\(key)'") }
        return member
    }

    /// The string `key`, if present.
    func string(_ key: String) throws(LLMNASError) -> String? {
        guard let member = value(key) else { return nil }
        guard let s = member.stringValue else { throw failure(key, "a string") }
        return s
    }

    /// The string `key`, which must be present.
    func requiredString(_ key: String) throws(LLMNASError) -> String {
        _ = try required(key)
        return try string(key)!
    }

    /// The number `key` within `range`, if present.
    func number(
        _ key: String, in range: ClosedRange<Double> = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude
    ) throws(LLMNASError) -> Double? {
        guard let member = value(key) else { return nil }
        guard case .number(let d) = member, range.contains(d) else {
            throw failure(
                key,
                "a number in [\(JSONWriter.formatNumber(range.lowerBound)), "
                    + "\(JSONWriter.formatNumber(range.upperBound))]"
            )
        }
        return d
    }

    /// The number `key`, which must be present.
    func requiredNumber(_ key: String) throws(LLMNASError) -> Double {
        _ = try required(key)
        return try number(key)!
    }

    /// The integer `key` within `range`, if present.
    func int(_ key: String, in range: ClosedRange<Int> = Int.min...Int.max) throws(LLMNASError) -> Int? {
        guard let member = value(key) else { return nil }
        guard let i = member.exactInt, range.contains(i) else {
            throw failure(key, "an integer in [\(range.lowerBound), \(range.upperBound)]")
        }
        return i
    }

    /// The integer `key`, which must be present.
    func requiredInt(_ key: String) throws(LLMNASError) -> Int {
        _ = try required(key)
        return try int(key)!
    }

    /// The boolean `key`, if present.
    func bool(_ key: String) throws(LLMNASError) -> Bool? {
        guard let member = value(key) else { return nil }
        guard case .bool(let b) = member else { throw failure(key, "true or false") }
        return b
    }
}
