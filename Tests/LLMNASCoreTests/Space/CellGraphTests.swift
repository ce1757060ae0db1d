import LLMNASTestSupport
import Testing

@testable import LLMNASCore

@Suite struct CellGraphTests {
    /// The architecture of `space` whose link is `link` and whose operations are `ops` (a cell space's genes).
    private func encoding(_ space: SearchSpace, _ link: String, _ ops: [String]) -> Architecture {
        let links = space.hyperparameters[0].choices
        let choices = space.hyperparameters[1].choices
        return Architecture(
            genes: [links.firstIndex(of: .string(link))!] + ops.map { choices.firstIndex(of: .string($0))! })
    }

    @Test func nasBenchGraphEncodingsAreOneArchitectureExactlyWhenTheBenchmarkTrainedOneNetwork() throws {
        let space = try BuiltinSpaces.space(named: "nas-bench-graph")
        let rows = try RepoData.csv("nas-bench-graph/arch_index.csv")
        #expect(rows.count == 59_040)
        var hashOf: [Architecture: String] = [:]
        var canonicalOf: [String: Architecture] = [:]
        var encodings: [Architecture: String] = [:]
        for row in rows {
            let architecture = encoding(space, row["link"]!, row["ops"]!.split(separator: "|").map(String.init))
            encodings[architecture] = row["arch_hash"]!
        }
        for (architecture, hash) in encodings {
            let canonical = space.canonical(architecture)
            #expect(space.canonical(canonical) == canonical)
            #expect(encodings[canonical] == hash, "the canonical form encodes the same network")
            #expect(hashOf.updateValue(hash, forKey: canonical) ?? hash == hash, "two networks share \(canonical)")
            #expect(canonicalOf.updateValue(canonical, forKey: hash) ?? canonical == canonical, "network \(hash) split")
        }
        #expect(hashOf.count == 26_206)
    }

    /// A three-node cell of operations a, b and the identity, with the link patterns `links`.
    private func cellSpace(links: [String] = ["0-0-0", "0-1-1", "0-1-2"], cell: String? = nil) throws(LLMNASError)
        -> SearchSpace
    {
        let declared = cell ?? #"{"links": "link", "ops": "ops", "identity": "id"}"#
        return try SearchSpace.fromJSON(
            #"""
            {"name": "cell", "task": "t", "metric": {"name": "acc", "min": 0, "max": 1},
             "hyperparameters": [
               {"name": "link", "meaning": "m", "choices": [\#(links.map { "\"\($0)\"" }.joined(separator: ","))]},
               {"name": "ops", "meaning": "m", "choices": ["a", "b", "id"], "length": 3},
               {"name": "width", "meaning": "m", "choices": [8, 16]}],
             "cell": \#(declared)}
            """#)
    }

    @Test func aUserSpaceWithACellMergesTheEncodingsOfOneNetworkOnly() throws {
        let space = try cellSpace()
        func same(_ x: (String, [String]), _ y: (String, [String])) -> Bool {
            space.canonical(encoding(space, x.0, x.1)) == space.canonical(encoding(space, y.0, y.1))
        }
        // Three nodes on the input: their order does not matter.
        #expect(same(("0-0-0", ["a", "b", "a"]), ("0-0-0", ["a", "a", "b"])))
        // A chain is not its reverse, nor the parallel nodes.
        #expect(!same(("0-1-2", ["a", "b", "a"]), ("0-1-2", ["b", "a", "a"])))
        #expect(!same(("0-1-2", ["a", "b", "a"]), ("0-0-0", ["a", "b", "a"])))
        // The identity passes its input on: a then b after an identity is a then b.
        #expect(same(("0-1-2", ["id", "a", "b"]), ("0-1-2", ["a", "id", "b"])))
        #expect(same(("0-1-2", ["id", "a", "b"]), ("0-1-2", ["a", "b", "id"])))
        // The input reaching the output adds nothing; a node feeding it twice is not two nodes.
        #expect(same(("0-0-0", ["a", "b", "id"]), ("0-1-1", ["id", "a", "b"])))
        #expect(!same(("0-1-1", ["a", "b", "id"]), ("0-0-0", ["a", "b", "a"])))
        // Other genes stay as they are.
        let wide = Architecture(genes: [0, 1, 0, 0, 1])
        #expect(space.canonical(wide).genes == [0, 0, 0, 1, 1])
        #expect(
            JSONWriter.write(try SearchSpace.fromJSON(JSONWriter.write(space.json)).json)
                == JSONWriter.write(space.json))
    }

    @Test(arguments: [
        (#"{"links": "nope", "ops": "ops"}"#, "links 'nope' must name a single-valued"),
        (#"{"links": "ops", "ops": "ops"}"#, "links 'ops' must name a single-valued"),
        (#"{"links": "width", "ops": "ops"}"#, "link 8 of 'width' must name 3 inputs"),
        (#"{"links": "link", "ops": "width"}"#, "ops 'width' must name a list"),
        (#"{"links": "link", "ops": "ops", "identity": "skip"}"#, "identity \"skip\" is not a choice"),
        (#"{"links": "link", "ops": "ops", "extra": 1}"#, "extra"),
        (#"{"links": "link"}"#, "ops"),
    ])
    func aCellThatDoesNotFitTheSpaceIsRefusedWithWhy(_ cell: String, _ why: String) throws {
        do {
            _ = try cellSpace(cell: cell)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .invalidSpace)
            #expect(error.message.contains(why), "\(error.message)")
        }
    }

    @Test func aCellOfMoreThanSixNodesIsRefused() throws {
        do {
            _ = try SearchSpace.fromJSON(
                #"""
                {"name": "big", "task": "t", "metric": {"name": "acc", "min": 0, "max": 1},
                 "hyperparameters": [
                   {"name": "link", "meaning": "m", "choices": ["0-0-0-0-0-0-0"]},
                   {"name": "ops", "meaning": "m", "choices": ["a", "b"], "length": 7}],
                 "cell": {"links": "link", "ops": "ops"}}
                """#)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .invalidSpace)
            #expect(error.message.contains("at most 6 nodes, 'ops' has 7"), "\(error.message)")
        }
    }

    @Test(arguments: ["0-2-1", "0-0", "0-x-1", "1-0-0"])
    func aLinkThatIsNotANodeInputListIsRefused(_ link: String) throws {
        do {
            _ = try cellSpace(links: ["0-0-0", link])
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .invalidSpace)
            #expect(error.message.contains("link \"\(link)\""), "\(error.message)")
        }
    }
}
