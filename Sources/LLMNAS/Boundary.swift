import CLLMNAS
import Glibc
import LLMNASCore

/// Runs the body of an exported function: clears the thread's last error, maps a thrown error onto its status and
/// message, and returns `LLMNAS_OK` otherwise. Every exported function that can fail goes through here, so no Swift
/// error crosses the C boundary.
func boundary(_ body: () throws(LLMNASError) -> Void) -> llmnas_status {
    LastError.clear()
    do {
        try body()
        return LLMNAS_OK
    } catch {
        LastError.set(error.message)
        return error.kind.status
    }
}

/// The UTF-8 text behind a borrowed C string argument named `name`.
func text(_ pointer: UnsafePointer<CChar>?, _ name: String) throws(LLMNASError) -> String {
    guard let pointer else { throw LLMNASError(.invalidArgument, "\(name) is NULL") }
    guard let text = String(validatingCString: pointer) else {
        throw LLMNASError(.invalidArgument, "\(name) is not valid UTF-8")
    }
    return text
}

/// The out-parameter named `name`, which must not be NULL.
func output<T>(_ pointer: UnsafeMutablePointer<T>?, _ name: String) throws(LLMNASError) -> UnsafeMutablePointer<T> {
    guard let pointer else { throw LLMNASError(.invalidArgument, "\(name) is NULL") }
    return pointer
}

/// A library-owned copy of `string` for the caller, who frees it with `llmnas_string_free`.
func duplicate(_ string: String) throws(LLMNASError) -> UnsafeMutablePointer<CChar> {
    guard let copy = strdup(string) else {
        throw LLMNASError(.outOfMemory, "out of memory copying a \(string.utf8.count)-byte result")
    }
    return copy
}

/// Checks that a caller-owned buffer of `capacity` elements holds the `needed` elements of `what`.
func requireCapacity(_ capacity: Int, for needed: Int, _ what: String) throws(LLMNASError) {
    guard UInt(bitPattern: capacity) >= UInt(needed) else {
        throw LLMNASError(.bufferTooSmall, "the buffer holds \(capacity) values; the \(what) need \(needed)")
    }
}

/// The parsed JSON behind an optional C string argument (NULL gives nil).
func optionalJSON(_ pointer: UnsafePointer<CChar>?, _ name: String) throws(LLMNASError) -> JSONValue? {
    guard pointer != nil else { return nil }
    return try JSONParser.parse(text(pointer, name))
}
