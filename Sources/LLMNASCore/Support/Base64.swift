/// Base64 (RFC 4648, standard alphabet, padded), for binary blobs inside JSON documents such as checkpoints.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let values: [UInt8: UInt32] = Dictionary(
        uniqueKeysWithValues: alphabet.enumerated().map { ($1, UInt32($0)) })

    /// The text of `bytes`.
    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let count = min(3, bytes.count - i)
            var word: UInt32 = 0
            for k in 0..<3 { word = word << 8 | UInt32(k < count ? bytes[i + k] : 0) }
            for k in 0..<4 { out.append(k <= count ? alphabet[Int(word >> (18 - 6 * k) & 63)] : UInt8(ascii: "=")) }
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of `text`, or nil when it is not padded base64.
    static func decode(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 4 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 4 * 3)
        for start in stride(from: 0, to: chars.count, by: 4) {
            let group = chars[start..<(start + 4)]
            let padding = group.reversed().prefix { $0 == UInt8(ascii: "=") }.count
            guard padding <= 2, start + 4 == chars.count || padding == 0 else { return nil }
            var word: UInt32 = 0
            for c in group.prefix(4 - padding) {
                guard let value = values[c] else { return nil }
                word = word << 6 | value
            }
            word <<= UInt32(6 * padding)
            for k in 0..<(3 - padding) { out.append(UInt8(word >> (16 - 8 * k) & 255)) }
        }
        return out
    }
}
