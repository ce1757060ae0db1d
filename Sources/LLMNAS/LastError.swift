import Glibc

/// The thread-local message of the last failed call, as `llmnas_last_error` returns it. Each thread owns one
/// malloc'd C string, replaced by the next call on that thread and freed when the thread exits.
enum LastError {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { free($0) }
        return key
    }()

    /// Returned when the thread has no message: a static empty string, never NULL.
    private static let empty: StaticString = ""

    /// Replaces this thread's message.
    static func set(_ message: String) {
        free(pthread_getspecific(key))
        pthread_setspecific(key, strdup(message))
    }

    /// Forgets this thread's message (each call starts with a clean slate).
    static func clear() {
        guard let old = pthread_getspecific(key) else { return }
        free(old)
        pthread_setspecific(key, nil)
    }

    /// This thread's message, or "" when the last call succeeded.
    static var current: UnsafePointer<CChar> {
        if let message = pthread_getspecific(key) { return UnsafePointer(message.assumingMemoryBound(to: CChar.self)) }
        return UnsafeRawPointer(empty.utf8Start).assumingMemoryBound(to: CChar.self)
    }
}
