import Glibc

/// A persistent cache of LLM responses, so that rerunning the same work pays for nothing twice.
///
/// The file starts with the magic "LLMNASRC" and a format version (u32, little-endian), then holds records appended
/// one by one, each written with a single `write`: key length and value length (u32 each), the key, the value, and
/// the CRC-32 of all of it. A crash can only cut the last record short; opening the file drops such a tail (and a
/// tail whose checksum fails) and appends after the last good record; an append that fails part way is cut off
/// again at once. A file with another header is refused, never overwritten. Processes sharing a file (e.g. Ray
/// actors) serialise through an exclusive `flock`, so one never mistakes another's record in progress for a damaged
/// tail. Keys are the endpoint and the full request body, never a header, so no API key reaches the file.
///
/// Memory holds only where each record is (a hash of its key, its offset and lengths): a hit reads the record back
/// from the file and compares its key, so a cache of any size costs a few dozen bytes per answer.
package final class ResponseCache {
    private static let magic = Array("LLMNASRC".utf8)
    private static let version: UInt32 = 1
    private static let headerBytes = magic.count + 4

    /// Where one record's key and value are in the file.
    private struct Location {
        /// The offset of the key (after the two lengths).
        var offset: Int
        var keyLength: UInt32
        var valueLength: UInt32
    }

    /// The file's path.
    let path: String
    /// The record of each key, by the key's hash.
    private var locations: [Int: Location] = [:]
    /// The rare keys whose hash another key already has, with their values.
    private var collided: [String: String] = [:]
    private let fd: Int32

    /// Opens (or creates) the cache file at `path` and reads its records. Several processes may share one file:
    /// opening (header, reading, dropping a damaged tail) and every append hold an exclusive `flock` on it.
    package init(path: String) throws(LLMNASError) {
        self.path = path
        let fd = faultInjected(.open) ? -1 : open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw FileIO.ioError("cannot open the response cache '\(path)'") }
        self.fd = fd
        // Every stored property is set: from here a throw releases the object, and deinit closes the file.
        try ResponseCache.lock(fd, path)
        defer { flock(fd, LOCK_UN) }
        let existing = try FileIO.read(path)
        if existing.isEmpty {
            var header = ResponseCache.magic
            LittleEndian.append(ResponseCache.version, to: &header)
            try append(header)
            return
        }
        guard existing.count >= ResponseCache.headerBytes, Array(existing[0..<8]) == ResponseCache.magic else {
            throw LLMNASError(.corruptFile, "'\(path)' is not an llmnas response cache (bad magic)")
        }
        let version = LittleEndian.u32(existing, at: 8)
        guard version == ResponseCache.version else {
            throw LLMNASError(
                .corruptFile,
                "'\(path)' is a response cache of format \(version); this library reads format \(ResponseCache.version)"
            )
        }
        let goodLength = indexRecords(existing)
        if goodLength < existing.count { try truncate(to: goodLength) }
    }

    /// Takes the exclusive lock that serialises openings and appends across processes sharing the file.
    private static func lock(_ fd: Int32, _ path: String) throws(LLMNASError) {
        while faultInjected(.lock) || flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw FileIO.ioError("cannot lock the response cache '\(path)'") }
        }
    }

    deinit { close(fd) }

    /// Runs `body` holding the cache's exclusive lock: what other files beside the cache (the Batch API job list)
    /// use to serialise their read-modify-write across processes.
    func withLock<T>(_ body: () throws(LLMNASError) -> T) throws(LLMNASError) -> T {
        try ResponseCache.lock(fd, path)
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    /// How many responses the cache holds.
    package var count: Int { locations.count + collided.count }

    /// The cached response for `key`, if any, read back from the file.
    package func value(for key: String) throws(LLMNASError) -> String? {
        if let value = collided[key] { return value }
        guard let location = locations[key.hashValue] else { return nil }
        let stored = try record(at: location)
        return stored.key == key ? stored.value : nil
    }

    /// Stores `value` under `key`, appended to the file and indexed. A failed append leaves the file as it was.
    package func store(_ value: String, for key: String) throws(LLMNASError) {
        guard try self.value(for: key) == nil else { return }
        let keyBytes = Array(key.utf8)
        let valueBytes = Array(value.utf8)
        var record: [UInt8] = []
        record.reserveCapacity(12 + keyBytes.count + valueBytes.count)
        LittleEndian.append(UInt32(keyBytes.count), to: &record)
        LittleEndian.append(UInt32(valueBytes.count), to: &record)
        record += keyBytes
        record += valueBytes
        LittleEndian.append(CRC32.checksum(record), to: &record)
        try ResponseCache.lock(fd, path)
        defer { flock(fd, LOCK_UN) }
        let offset = try append(record)
        index(
            key, Location(offset: offset + 8, keyLength: UInt32(keyBytes.count), valueLength: UInt32(valueBytes.count)),
            value: value)
    }

    /// Indexes the record of `key` at `location`; a key whose hash another key holds keeps `value` in memory.
    private func index(_ key: String, _ location: Location, value: String) {
        if locations[key.hashValue] == nil { locations[key.hashValue] = location } else { collided[key] = value }
    }

    /// Appends `bytes` at the end of the file (the lock held); returns where they start. A write that fails part way
    /// is cut off again, so no torn record stays in front of later ones.
    @discardableResult
    private func append(_ bytes: [UInt8]) throws(LLMNASError) -> Int {
        let end = lseek(fd, 0, SEEK_END)
        guard end >= 0 else { throw FileIO.ioError("cannot find the end of the response cache '\(path)'") }
        do throws(LLMNASError) {
            try FileIO.writeAll(fd, bytes[...], path: path)
        } catch {
            try? truncate(to: Int(end))
            throw error
        }
        return Int(end)
    }

    /// Cuts the file to its first `length` bytes.
    private func truncate(to length: Int) throws(LLMNASError) {
        guard !faultInjected(.truncate), ftruncate(fd, off_t(length)) == 0 else {
            throw FileIO.ioError("cannot cut the response cache '\(path)' back to its last good record")
        }
    }

    /// The key and value of the record at `location`, read from the file.
    private func record(at location: Location) throws(LLMNASError) -> (key: String, value: String) {
        let length = Int(location.keyLength) + Int(location.valueLength)
        var bytes = [UInt8](repeating: 0, count: length)
        var done = 0
        while done < length {
            let n =
                faultInjected(.read)
                ? -1
                : bytes.withUnsafeMutableBytes {
                    pread(fd, $0.baseAddress! + done, length - done, off_t(location.offset + done))
                }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else {
                throw n < 0
                    ? FileIO.ioError("cannot read the response cache '\(path)'")
                    : LLMNASError(.corruptFile, "the response cache '\(path)' was cut short by another program")
            }
            done += n
        }
        let keyEnd = Int(location.keyLength)
        guard let key = String(validating: bytes[..<keyEnd], as: UTF8.self),
            let value = String(validating: bytes[keyEnd...], as: UTF8.self)
        else { throw LLMNASError(.corruptFile, "the response cache '\(path)' was changed by another program") }
        return (key, value)
    }

    /// Indexes the records after the header; returns the length of the intact prefix of the file. A key stored twice
    /// (by processes sharing the file) keeps its first record.
    private func indexRecords(_ bytes: [UInt8]) -> Int {
        var offset = ResponseCache.headerBytes
        while offset + 8 <= bytes.count {
            let keyLength = Int(LittleEndian.u32(bytes, at: offset))
            let valueLength = Int(LittleEndian.u32(bytes, at: offset + 4))
            let end = offset + 8 + keyLength + valueLength
            guard end + 4 <= bytes.count, CRC32.checksum(bytes[offset..<end]) == LittleEndian.u32(bytes, at: end),
                let key = String(validating: bytes[(offset + 8)..<(offset + 8 + keyLength)], as: UTF8.self),
                let value = String(validating: bytes[(offset + 8 + keyLength)..<end], as: UTF8.self)
            else { break }
            let known = locations[key.hashValue]
            let repeated =
                known.map { bytes[$0.offset..<($0.offset + Int($0.keyLength))].elementsEqual(key.utf8) } ?? false
            if !repeated, collided[key] == nil {  // a key stored again by another process keeps its first record
                index(
                    key, Location(offset: offset + 8, keyLength: UInt32(keyLength), valueLength: UInt32(valueLength)),
                    value: value)
            }
            offset = end + 4
        }
        return offset
    }
}
