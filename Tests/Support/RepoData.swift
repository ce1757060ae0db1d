import Foundation
import LLMNASCore

/// The real data under data/ in the source tree, read the way the tests need it.
public enum RepoData {
    /// The repository's root folder.
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The first `count` wmt14ende architectures of the labelled data with their BLEU trained from scratch.
    public static func demonstrations(_ data: LabeledData, _ count: Int) -> [Demonstration] {
        data.rows.filter { $0.task == "wmt14ende" }.prefix(count).map {
            Demonstration(architecture: $0.architecture, score: $0.values["scratch_valid_bleu"]!)
        }
    }

    /// The text of a file under data/.
    public static func text(_ relativePath: String) throws -> String {
        try String(contentsOfFile: root + "/data/" + relativePath, encoding: .utf8)
    }

    /// The rows of a CSV file under data/ as dictionaries keyed by the header (RFC 4180 quoting).
    public static func csv(_ relativePath: String) throws -> [[String: String]] {
        var records: [[String]] = []
        var field = ""
        var record: [String] = []
        var quoted = false
        var previousWasQuote = false
        for character in try text(relativePath) {
            if quoted {
                if character == "\"" {
                    quoted = false
                    previousWasQuote = true
                } else {
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"":
                if previousWasQuote { field.append("\"") }
                quoted = true
            case ",":
                record.append(field)
                field = ""
            case "\n", "\r\n":
                record.append(field)
                records.append(record)
                record = []
                field = ""
            default: field.append(character)
            }
            previousWasQuote = false
        }
        if !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append(record)
        }
        let header = records.removeFirst()
        return records.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    /// One row of labeled.csv: a task, an architecture and its measured figures.
    public struct Labeled {
        public let task: String
        public let archJSON: String
        public let row: [String: String]
        public func number(_ column: String) -> Double { Double(row[column]!)! }
    }

    /// All 90 rows of llmpp-wmt/labeled.csv.
    public static func labeled() throws -> [Labeled] {
        try csv("llmpp-wmt/labeled.csv").map { Labeled(task: $0["task"]!, archJSON: $0["arch_json"]!, row: $0) }
    }

    /// The 8,500 lines of llmpp-wmt/unlabeled_archs.jsonl, parsed.
    public static func unlabeled() throws -> [JSONValue] {
        try text("llmpp-wmt/unlabeled_archs.jsonl").split(separator: "\n").map { try JSONParser.parse(String($0)) }
    }

    /// HAT's ten feature columns, in order.
    public static let hatFeatureColumns = [
        "encoder_embed_dim", "encoder_layer_num", "encoder_ffn_embed_dim_avg", "encoder_self_attention_heads_avg",
        "decoder_embed_dim", "decoder_layer_num", "decoder_ffn_embed_dim_avg", "decoder_self_attention_heads_avg",
        "decoder_ende_attention_heads_avg", "decoder_arbitrary_ende_attn_avg",
    ]
}
