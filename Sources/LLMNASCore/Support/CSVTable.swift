/// A CSV file (RFC 4180: quoted fields, doubled quotes) as rows keyed by the header's column names.
public struct CSVTable {
    /// The column names, in file order.
    public let columns: [String]
    /// The data rows, each with one value per column.
    public let rows: [[String: String]]

    /// Parses CSV text whose first record is the header; every row must have as many fields as the header.
    public init(text: String, source: String) throws(LLMNASError) {
        var records: [[String]] = []
        var record: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var bytes = Array(text.utf8).makeIterator()
        var pending = bytes.next()
        func endField() {
            record.append(String(decoding: field, as: UTF8.self))
            field = []
        }
        while let byte = pending {
            pending = bytes.next()
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if pending == UInt8(ascii: "\"") {
                        field.append(byte)
                        pending = bytes.next()
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): quoted = true
            case UInt8(ascii: ","): endField()
            case UInt8(ascii: "\r"): break
            case UInt8(ascii: "\n"):
                endField()
                records.append(record)
                record = []
            default: field.append(byte)
            }
        }
        guard !quoted else { throw LLMNASError(.corruptFile, "\(source): a quoted field is not closed") }
        if !field.isEmpty || !record.isEmpty {
            endField()
            records.append(record)
        }
        guard let header = records.first else { throw LLMNASError(.corruptFile, "\(source): no header line") }
        var rows: [[String: String]] = []
        for (i, values) in records.dropFirst().enumerated() {
            guard values.count == header.count else {
                throw LLMNASError(
                    .corruptFile, "\(source): line \(i + 2) has \(values.count) fields, the header \(header.count)")
            }
            rows.append(Dictionary(uniqueKeysWithValues: zip(header, values)))
        }
        columns = header
        self.rows = rows
    }

    /// Reads and parses the CSV file at `path`.
    public init(path: String) throws(LLMNASError) {
        try self.init(text: FileIO.readText(path), source: path)
    }
}
