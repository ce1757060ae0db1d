import Foundation

/// A folder of its own under the system's temporary directory, removed with everything in it when the object goes.
public final class TemporaryFolder {
    /// The folder's path.
    public let path: String

    /// Creates "<tmp>/<prefix>-<uuid>".
    public init(_ prefix: String) throws {
        path = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The path of `name` in the folder.
    public func file(_ name: String) -> String { path + "/" + name }
}
