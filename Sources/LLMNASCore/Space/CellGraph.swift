import Synchronization

/// A cell of nodes that each take one input, as a space may declare it so that the encodings of one network share a
/// canonical form (NAS-Bench-Graph: 59,040 encodings of 26,206 networks). A scalar hyperparameter's string choices
/// ("0-0-1-2") name each node's input, 0 the cell's input and k the output of node k (node i's input comes before it);
/// a list hyperparameter of the same length holds each node's operation; the identity operation, if any, passes its
/// input on. The cell's output gathers the nodes that no node takes as input. Two encodings are one network when their
/// graphs are the same once identities are passed through: the same tree of operations rooted at the input, each
/// node feeding the output as many times; the input itself reaching the output adds nothing.
public struct CellGraph: Sendable, Equatable {
    /// The scalar hyperparameter whose choices name each node's input ("0-0-1-2").
    public let links: String
    /// The list hyperparameter holding each node's operation.
    public let ops: String
    /// The operation that passes its input on unchanged, if any.
    public let identity: Choice?

    /// The most nodes a cell may have: the canonical form compares an encoding with every ordering of its operations.
    public static let maximumNodes = 6

    /// A cell whose node inputs are named by `links` and whose operations are `ops`, `identity` passing its input on.
    public init(links: String, ops: String, identity: Choice? = nil) {
        self.links = links
        self.ops = ops
        self.identity = identity
    }

    /// Reads `{"links": ..., "ops": ..., "identity": ...}` (docs/formats.md, "search space / cell").
    init(json: JSONValue) throws(LLMNASError) {
        let reader = try JSONObjectReader(
            json, context: "cell", allowed: ["links", "ops", "identity"], kind: .invalidSpace)
        var identity: Choice?
        if let value = reader.value("identity") {
            guard let choice = Choice(json: value) else {
                throw LLMNASError(.invalidSpace, "cell: 'identity' must be a finite number or a string")
            }
            identity = choice
        }
        self.init(links: try reader.requiredString("links"), ops: try reader.requiredString("ops"), identity: identity)
    }
}

/// A space's cell resolved against its hyperparameters: where the cell's genes are, each link choice's node inputs,
/// and for every encoding seen so far its network's representative, the encoding of it whose genes come first in
/// order. Networks are found per multiset of operations (the encodings of one network hold the same operations in some
/// order), every encoding of a multiset at once, so each is keyed once per space and `canonicalize` is one look-up.
final class CellIsomorphism: Sendable {
    /// The link gene's position.
    private let linkGene: Int
    /// The operation genes' positions.
    private let opGenes: Range<Int>
    /// For each link choice, the input of each node (0 the cell's input, k node k).
    private let inputs: [[Int]]
    /// The identity operation's choice index, if the cell has one.
    private let identity: Int?
    /// How many operations there are to choose from.
    private let operations: Int
    /// For each encoding of a multiset of operations seen (the link choice, then the operations), its network's
    /// representative in the same form.
    private let representatives = Mutex<[[Int]: [Int]]>([:])

    /// The cell `cell` of a space whose hyperparameters are `hyperparameters`, with genes starting at `offsets`;
    /// `fail` makes the error when the declaration does not fit them.
    init(
        _ cell: CellGraph, hyperparameters: [Hyperparameter], offsets: [Int], fail: (String) -> LLMNASError
    ) throws(LLMNASError) {
        guard let l = hyperparameters.firstIndex(where: { $0.name == cell.links }), hyperparameters[l].shape == .scalar
        else { throw fail("the cell's links '\(cell.links)' must name a single-valued hyperparameter") }
        guard let o = hyperparameters.firstIndex(where: { $0.name == cell.ops }),
            case .list(let nodes) = hyperparameters[o].shape
        else { throw fail("the cell's ops '\(cell.ops)' must name a list hyperparameter") }
        guard nodes <= CellGraph.maximumNodes else {
            throw fail("a cell has at most \(CellGraph.maximumNodes) nodes, '\(cell.ops)' has \(nodes)")
        }
        var inputs: [[Int]] = []
        for choice in hyperparameters[l].choices {
            let entries = choice.label.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
            guard case .string = choice, entries.count == nodes,
                entries.enumerated().allSatisfy({ i, input in input.map { (0...i).contains($0) } ?? false })
            else {
                throw fail(
                    "link \(choice) of '\(cell.links)' must name \(nodes) inputs joined by '-', node i's from 0 to "
                        + "i - 1 (0 the cell's input)")
            }
            inputs.append(entries.map { $0! })
        }
        var identity: Int?
        if let value = cell.identity {
            guard let i = hyperparameters[o].choices.firstIndex(of: value) else {
                throw fail("the cell's identity \(value) is not a choice of '\(cell.ops)'")
            }
            identity = i
        }
        linkGene = offsets[l]
        opGenes = offsets[o]..<(offsets[o] + nodes)
        self.inputs = inputs
        self.identity = identity
        operations = hyperparameters[o].choices.count
    }

    /// Replaces the cell's genes of `genes` by those of the network's representative (leaves genes that are not
    /// choices of the cell as they are: what checks architectures reports them).
    func canonicalize(_ genes: inout [Int]) {
        guard genes.count > max(linkGene, opGenes.upperBound - 1), inputs.indices.contains(genes[linkGene]) else {
            return
        }
        let encoding = [genes[linkGene]] + genes[opGenes]
        guard encoding.dropFirst().allSatisfy({ (0..<operations).contains($0) }) else { return }
        var representative = representatives.withLock { $0[encoding] }
        if representative == nil {
            let found = representatives(of: encoding.dropFirst().sorted())
            representatives.withLock { $0.merge(found) { known, _ in known } }
            // Every encoding of the multiset was keyed, this one among them.
            representative = found[encoding]!
        }
        genes[linkGene] = representative![0]
        for (g, op) in zip(opGenes, representative!.dropFirst()) { genes[g] = op }
    }

    /// Every encoding the operations `multiset` (sorted) make with any link choice, and its network's first encoding.
    private func representatives(of multiset: [Int]) -> [[Int]: [Int]] {
        var first: [[Int]: [Int]] = [:]  // by network key
        var representative: [[Int]: [Int]] = [:]
        for (link, nodeInputs) in inputs.enumerated() {
            var ops = multiset
            repeat {
                let encoding = [link] + ops
                let key = self.key(inputs: nodeInputs, ops: ops)
                if first[key] == nil { first[key] = encoding }
                representative[encoding] = first[key]
            } while CellIsomorphism.nextPermutation(&ops)
        }
        return representative
    }

    /// The network's key: the tree of operations rooted at the cell's input once identities pass their input on, each
    /// node as its operation, how many times it feeds the output, its subtree count and the subtrees in order.
    private func key(inputs: [Int], ops: [Int]) -> [Int] {
        let n = ops.count
        // The node whose output each node's output is (0 the cell's input).
        var source = [Int](repeating: 0, count: n + 1)
        var consumed = [Bool](repeating: false, count: n + 1)
        var children = [[Int]](repeating: [], count: n + 1)
        for k in 1...n {
            let input = inputs[k - 1]
            consumed[input] = true
            if ops[k - 1] == identity {
                source[k] = source[input]
            } else {
                source[k] = k
                children[source[input]].append(k)
            }
        }
        var outputs = [Int](repeating: 0, count: n + 1)
        for k in 1...n where !consumed[k] { outputs[source[k]] += 1 }
        func subtree(_ node: Int) -> [Int] {
            let below = children[node].map(subtree).sorted { $0.lexicographicallyPrecedes($1) }
            var encoded = node == 0 ? [] : [ops[node - 1], outputs[node]]
            encoded.append(below.count)
            for tree in below { encoded += tree }
            return encoded
        }
        return subtree(0)
    }

    /// Rearranges `values` into the next larger ordering; false (leaving them sorted) after the largest.
    private static func nextPermutation(_ values: inout [Int]) -> Bool {
        guard values.count > 1 else { return false }
        var i = values.count - 2
        while i >= 0, values[i] >= values[i + 1] { i -= 1 }
        guard i >= 0 else {
            values.reverse()
            return false
        }
        var j = values.count - 1
        while values[j] <= values[i] { j -= 1 }
        values.swapAt(i, j)
        values[(i + 1)...].reverse()
        return true
    }
}
