import LLMNASCore

/// The object behind an opaque handle of the C interface (`llmnas_space *`, `llmnas_llm *`, `llmnas_mlp *`): a
/// reference-counted box around the Swift value, passed to C as a retained pointer.
final class Handle<Value> {
    /// The value the handle stands for.
    let value: Value

    init(_ value: Value) { self.value = value }

    /// A +1 reference for the caller, released by the type's `llmnas_*_free`.
    func retainedPointer() -> OpaquePointer {
        OpaquePointer(Unmanaged.passRetained(self).toOpaque())
    }

    /// The value behind a borrowed handle argument called `name` in the header.
    static func value(_ pointer: OpaquePointer?, _ name: String) throws(LLMNASError) -> Value {
        guard let pointer else { throw LLMNASError(.invalidArgument, "\(name) is NULL") }
        return Unmanaged<Handle>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue().value
    }

    /// Releases the caller's reference; NULL is ignored.
    static func release(_ pointer: OpaquePointer?) {
        guard let pointer else { return }
        Unmanaged<Handle>.fromOpaque(UnsafeRawPointer(pointer)).release()
    }
}

/// `llmnas_space *`: an immutable search space, shareable between threads.
typealias SpaceHandle = Handle<SearchSpace>
/// `llmnas_llm *`: a client with its cache and ledger, one thread at a time.
typealias LLMHandle = Handle<LLMClient>
/// `llmnas_mlp *`: an immutable trained model, shareable between threads.
typealias MLPHandle = Handle<MLP>
