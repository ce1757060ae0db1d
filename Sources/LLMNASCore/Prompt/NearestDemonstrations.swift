/// The demonstrations a prompt shows when it shows only the `count` nearest to the architecture judged: distance
/// is Euclidean over the space's features, each standardised over the demonstrations (a constant feature counts for
/// nothing); the nearest is shown last, next to the architecture judged; equally near ones keep the given order.
enum NearestDemonstrations {
    /// The `count` demonstrations nearest `architecture`, farthest first (all of them when there are no more); fails
    /// as the space's features do.
    static func choose(
        _ count: Int, of demonstrations: [Demonstration], for architecture: Architecture,
        in space: SearchSpace
    ) throws(LLMNASError) -> [Demonstration] {
        var rows: [[Double]] = []
        for demonstration in demonstrations {
            rows.append(try space.features(of: demonstration.architecture).map(Double.init))
        }
        let target = try space.features(of: architecture).map(Double.init)
        var distances = [Double](repeating: 0, count: rows.count)
        for j in target.indices {
            let deviation = Statistics.standardDeviation(rows.map { $0[j] })
            guard deviation > 0 else { continue }
            for (i, row) in rows.enumerated() {
                let gap = (row[j] - target[j]) / deviation
                distances[i] += gap * gap
            }
        }
        let farthestFirst = demonstrations.indices.sorted { a, b in
            distances[a] != distances[b] ? distances[a] > distances[b] : a < b
        }
        return farthestFirst.suffix(count).map { demonstrations[$0] }
    }
}
