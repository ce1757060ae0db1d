/// One message of a chat prompt.
public struct ChatMessage: Sendable, Equatable {
    /// "system", "user" or "assistant".
    public let role: String
    /// The text.
    public let content: String

    /// A message.
    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }

    /// The message as JSON: `{"role": ..., "content": ...}`.
    public var json: JSONValue { .object([("role", .string(role)), ("content", .string(content))]) }
}
