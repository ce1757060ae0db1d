import LLMNASCore

/// The object behind an `llmnas_mlp *`: an immutable trained model, so one handle may predict from many threads.
final class MLPHandle {
    /// The model the handle stands for.
    let model: MLP

    init(_ model: MLP) { self.model = model }

    /// A +1 reference for the caller, released by `llmnas_mlp_free`.
    func retainedPointer() -> OpaquePointer {
        OpaquePointer(Unmanaged.passRetained(self).toOpaque())
    }

    /// The model behind a borrowed handle argument.
    static func model(_ pointer: OpaquePointer?, _ name: String = "mlp") throws(LLMNASError) -> MLP {
        guard let pointer else { throw LLMNASError(.invalidArgument, "\(name) is NULL") }
        return Unmanaged<MLPHandle>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue().model
    }

    /// Releases the caller's reference; NULL is ignored.
    static func release(_ pointer: OpaquePointer?) {
        guard let pointer else { return }
        Unmanaged<MLPHandle>.fromOpaque(UnsafeRawPointer(pointer)).release()
    }
}
