/// The scores a screen is told as the JSON text of a list of demonstrations (`Demonstration.list`), read so that a
/// text beginning with the elements of the text read before reads only the elements after them: a host that appends
/// a score per call and sends the whole list each time pays for the new scores alone. Scores are on any scale.
struct ScoredText {
    /// The text read last, the offset just past each of its elements, and the demonstrations they hold.
    private var bytes: [UInt8] = []
    private var ends: [Int] = []
    private var read: [Demonstration] = []

    /// The demonstrations of `text`, whose architectures belong to `space` (the same space every call); the errors
    /// are those of `Demonstration.list(fromJSON:in:anyScale:)`.
    mutating func demonstrations(of text: String, in space: SearchSpace) throws(LLMNASError) -> [Demonstration] {
        let new = Array(text.utf8)
        var common = 0
        new.withUnsafeBufferPointer { new in
            bytes.withUnsafeBufferPointer { old in
                let limit = min(new.count, old.count)
                while common < limit, new[common] == old[common] { common += 1 }
            }
        }
        // The elements kept end inside the common beginning, where the new text goes on with a separator (a number
        // could otherwise go on with more digits).
        var kept = ends.count
        while kept > 0, ends[kept - 1] > common || !ScoredText.separates(new, at: ends[kept - 1]) { kept -= 1 }
        do throws(LLMNASError) {
            let elements = try JSONParser.arrayElements(of: new, resuming: kept > 0 ? ends[kept - 1] : nil)
            guard kept + elements.count <= Demonstration.listBound else {
                throw LLMNASError(.invalidArgument, "more demonstrations than the bound of \(Demonstration.listBound)")
            }
            var demonstrations = Array(read.prefix(kept))
            for (k, element) in elements.enumerated() {
                demonstrations.append(try Demonstration(element.value, at: kept + k, in: space, anyScale: true))
            }
            (bytes, ends, read) = (new, Array(ends.prefix(kept)) + elements.map(\.end), demonstrations)
            return demonstrations
        } catch {
            // The whole list read anew says what is wrong in the words every other reader of demonstrations uses.
            _ = try Demonstration.list(fromJSON: text, in: space, anyScale: true)
            throw error
        }
    }

    /// Whether the byte at `offset` of `bytes` separates an array's element from what follows.
    private static func separates(_ bytes: [UInt8], at offset: Int) -> Bool {
        guard offset < bytes.count else { return false }
        switch bytes[offset] {
        case UInt8(ascii: ","), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D: return true
        default: return false
        }
    }
}
