/// The paper's ground truth (data/llmpp-wmt): architectures of HAT's space trained from scratch on three tasks, with
/// the supernets' BLEU and the split seeds' demonstration/test splits.
public struct LabeledData {
    /// One architecture on one task.
    public struct Row {
        /// "a00" to "a29".
        public let archID: String
        /// "wmt14ende", "wmt14enfr" or "wmt19ende".
        public let task: String
        /// The architecture in the task's space.
        public let architecture: Architecture
        /// The numeric columns (`scratch_valid_bleu`, `hat_supernet_valid_bleu`, `params_no_emb`, …).
        public let values: [String: Double]
    }

    /// The folder the data was read from (it also holds the unlabelled pool, unlabeled_archs.jsonl).
    public let directory: String
    /// All rows.
    public let rows: [Row]
    /// Split membership: for each (split seed, task), the architecture ids of the demonstrations and of the test set.
    public let splits: [Int: [String: (train: [String], test: [String])]]

    /// The built-in space of each task.
    public static let spaceOfTask = [
        "wmt14ende": "hat-wmt14ende", "wmt14enfr": "hat-wmt14enfr", "wmt19ende": "hat-wmt19ende",
    ]

    /// Reads `labeled.csv` and `splits.csv` from `directory`.
    public init(directory: String) throws(LLMNASError) {
        let labeled = try CSVTable(path: directory + "/labeled.csv")
        let splitTable = try CSVTable(path: directory + "/splits.csv")
        var spaces: [String: SearchSpace] = [:]
        var rows: [Row] = []
        for (line, record) in labeled.rows.enumerated() {
            let source = "\(directory)/labeled.csv line \(line + 2)"
            guard let task = record["task"], let spaceName = LabeledData.spaceOfTask[task], let id = record["arch_id"],
                let archJSON = record["arch_json"]
            else {
                throw LLMNASError(.corruptFile, "\(source): unknown task or missing arch_id/arch_json")
            }
            if spaces[spaceName] == nil { spaces[spaceName] = try BuiltinSpaces.space(named: spaceName) }
            let architecture: Architecture
            do {
                architecture = try spaces[spaceName]!.architecture(fromJSON: archJSON)
            } catch {
                throw LLMNASError(.corruptFile, "\(source): \(error.message)")
            }
            var values: [String: Double] = [:]
            for (column, text) in record where column != "arch_json" { values[column] = Double(text) }
            rows.append(Row(archID: id, task: task, architecture: architecture, values: values))
        }
        var splits: [Int: [String: (train: [String], test: [String])]] = [:]
        for record in splitTable.rows {
            guard let seedText = record["split_seed"], let seed = Int(seedText), let task = record["task"],
                let id = record["arch_id"], let split = record["split"], split == "train" || split == "test"
            else {
                throw LLMNASError(
                    .corruptFile, "\(directory)/splits.csv: a row lacks split_seed, task, arch_id or split")
            }
            var entry = splits[seed, default: [:]][task, default: ([], [])]
            if split == "train" { entry.train.append(id) } else { entry.test.append(id) }
            splits[seed, default: [:]][task] = entry
        }
        self.directory = directory
        self.rows = rows
        self.splits = splits
    }

    /// The row of architecture `id` on `task`.
    public func row(_ id: String, task: String) throws(LLMNASError) -> Row {
        guard let row = rows.first(where: { $0.archID == id && $0.task == task }) else {
            throw LLMNASError(.corruptFile, "no labelled row for architecture \(id) on \(task)")
        }
        return row
    }
}
