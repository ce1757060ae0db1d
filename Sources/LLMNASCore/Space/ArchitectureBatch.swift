/// Many architectures at once, as a JSON array: the bounded form every batch call accepts.
public enum ArchitectureBatch {
    /// The most architectures one call takes or returns; larger batches are refused so memory stays bounded.
    public static let maximumCount = 1_000_000

    /// Reads a JSON array of architectures of `space`; the message of a bad element gives its index.
    public static func parse(_ text: String, in space: SearchSpace) throws(LLMNASError) -> [Architecture] {
        guard let elements = try JSONParser.parse(text).arrayValue else {
            throw LLMNASError(.invalidArchitecture, "expected a JSON array of architectures")
        }
        guard elements.count <= maximumCount else {
            throw LLMNASError(
                .invalidArgument, "\(elements.count) architectures exceed the bound of \(maximumCount) per call")
        }
        var architectures: [Architecture] = []
        architectures.reserveCapacity(elements.count)
        for (i, element) in elements.enumerated() {
            do {
                architectures.append(try space.architecture(from: element))
            } catch {
                throw LLMNASError(error.kind, "architecture \(i): \(error.message)")
            }
        }
        return architectures
    }
}
