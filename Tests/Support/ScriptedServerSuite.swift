import LLMNASCore

/// What the suites that ask an LLM about HAT's architectures share: a scripted loopback server of their own,
/// the hat-wmt14ende space and the paper's labelled data. A suite subclasses it and inherits its init.
open class ScriptedServerSuite {
    /// The suite's scripted OpenAI-compatible server on 127.0.0.1.
    public let server: ScriptedServer
    /// HAT's WMT'14 English-German space.
    public let space: SearchSpace
    /// The paper's 30 trained architectures per task, with their splits.
    public let data: LabeledData

    /// Starts the server and reads the space and the data.
    public init() throws {
        server = try ScriptedServer()
        space = try BuiltinSpaces.space(named: "hat-wmt14ende")
        data = try LabeledData(directory: RepoData.root + "/data/llmpp-wmt")
    }
}
