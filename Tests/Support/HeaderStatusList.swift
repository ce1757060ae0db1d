/// The status codes as include/llmnas.h lists them in LLMNAS_STATUS_LIST: the one list tests check every other
/// layer against.
public struct HeaderStatusList {
    /// One entry of the list.
    public struct Entry: Equatable {
        /// The enumerator, e.g. "LLMNAS_INVALID_ARGUMENT".
        public let name: String
        /// Its value.
        public let value: Int32
        /// Its meaning.
        public let meaning: String
    }

    /// The entries in the header's order.
    public let entries: [Entry]

    /// Reads the `X(NAME, value, "meaning")` lines of the header's status list.
    public init(header: String) throws {
        var entries: [Entry] = []
        for line in header.split(separator: "\n") {
            let trimmed = line.trimmingPrefix(while: { $0 == " " })
            guard trimmed.hasPrefix("X(LLMNAS_"), let close = trimmed.lastIndex(of: ")") else { continue }
            let inner = trimmed[trimmed.index(trimmed.startIndex, offsetBy: 2)..<close]
            let parts = inner.split(separator: ",", maxSplits: 2).map { $0.trimmingPrefix(while: { $0 == " " }) }
            guard parts.count == 3, let value = Int32(parts[1]), parts[2].hasPrefix("\""), parts[2].hasSuffix("\"")
            else {
                throw HeaderParseError(line: String(line))
            }
            entries.append(
                Entry(name: String(parts[0]), value: value, meaning: String(parts[2].dropFirst().dropLast())))
        }
        guard !entries.isEmpty else { throw HeaderParseError(line: "no X(LLMNAS_...) entry") }
        self.entries = entries
    }
}

/// A line of the header that does not read as its format says.
public struct HeaderParseError: Error, CustomStringConvertible {
    /// The line.
    public let line: String
    public var description: String { "cannot read header line: \(line)" }
}
