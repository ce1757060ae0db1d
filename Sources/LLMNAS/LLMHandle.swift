import LLMNASCore

/// The object behind an `llmnas_llm *`: a client with its cache and ledger. One thread at a time.
final class LLMHandle {
    /// The client the handle stands for.
    let client: LLMClient

    init(_ client: LLMClient) { self.client = client }

    /// A +1 reference for the caller, released by `llmnas_llm_free`.
    func retainedPointer() -> OpaquePointer {
        OpaquePointer(Unmanaged.passRetained(self).toOpaque())
    }

    /// The client behind a borrowed handle argument.
    static func client(_ pointer: OpaquePointer?, _ name: String = "llm") throws(LLMNASError) -> LLMClient {
        guard let pointer else { throw LLMNASError(.invalidArgument, "\(name) is NULL") }
        return Unmanaged<LLMHandle>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue().client
    }

    /// Releases the caller's reference; NULL is ignored.
    static func release(_ pointer: OpaquePointer?) {
        guard let pointer else { return }
        Unmanaged<LLMHandle>.fromOpaque(UnsafeRawPointer(pointer)).release()
    }
}
