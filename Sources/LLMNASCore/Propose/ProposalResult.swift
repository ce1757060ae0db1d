/// What `LLMProposer` got: the proposals accepted, in order, and every rejected one with its reason
/// (docs/formats.md, "proposals").
public struct ProposalResult: Sendable {
    /// An accepted proposal.
    public struct Accepted: Sendable {
        /// The round whose answer held it, from 1.
        public let round: Int
        /// The architecture.
        public let architecture: Architecture
    }

    /// A rejected proposal.
    public struct Rejected: Sendable {
        /// The round whose answer held it, from 1.
        public let round: Int
        /// The text proposed (the whole answer when it held no object).
        public let text: String
        /// Why it was refused.
        public let reason: Reason
    }

    /// Why a proposal was refused, in a sentence.
    public struct Reason: Error, Sendable, Equatable {
        /// The sentence.
        public let text: String
        /// A reason.
        public init(_ text: String) { self.text = text }
    }

    /// Architectures asked for.
    public let requested: Int
    /// Requests made (rounds run).
    public internal(set) var rounds = 0
    /// The accepted proposals.
    public internal(set) var accepted: [Accepted] = []
    /// The rejected ones.
    public internal(set) var rejected: [Rejected] = []

    /// An empty result for a request of `requested` architectures.
    init(requested: Int) { self.requested = requested }

    /// The most bytes of a rejected text kept in the JSON.
    static let maximumTextBytes = 2000

    /// The result as JSON for `space`: requested, rounds, the accepted architectures (ready for a search config's
    /// "initial"), each accepted one with its round and stats, and each rejected one with its round, text and reason.
    public func json(in space: SearchSpace) -> JSONValue {
        let accepted: [JSONValue] = self.accepted.map { proposal in
            var members: [(String, JSONValue)] = [
                ("round", .number(Double(proposal.round))), ("architecture", space.json(of: proposal.architecture)),
            ]
            if let stats = try? space.stats(of: proposal.architecture) { members.append(("stats", stats)) }
            return .object(members)
        }
        let rejected: [JSONValue] = self.rejected.map { proposal in
            var text = proposal.text
            if text.utf8.count > ProposalResult.maximumTextBytes {
                text = String(decoding: text.utf8.prefix(ProposalResult.maximumTextBytes), as: UTF8.self) + "…"
            }
            return .object([
                ("round", .number(Double(proposal.round))), ("text", .string(text)),
                ("reason", .string(proposal.reason.text)),
            ])
        }
        return .object([
            ("requested", .number(Double(requested))), ("rounds", .number(Double(rounds))),
            ("architectures", .array(self.accepted.map { space.json(of: $0.architecture) })),
            ("accepted", .array(accepted)), ("rejected", .array(rejected)),
        ])
    }
}
