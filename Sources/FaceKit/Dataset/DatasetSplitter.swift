import Foundation

/// Assigns dataset samples to train / validation / test.
enum DatasetSplitter {
    /// `original`: the write-up's split. Per member (label order), the member's crops in a fixed
    /// order (photo path, then box) are shuffled with one seeded generator and the first
    /// `count / 5` go to test; the rest train. No validation set.
    ///
    /// `recommended`: the same per-member shuffle, but over clusters of crops that must stay
    /// together (crops of one photo, exact and near-duplicate photos); whole clusters go to test
    /// until it holds `count / 5` crops, then to validation until it holds `validationFraction`
    /// of what is left; augmentation later touches only the training part, so nothing leaks.
    static func split(_ samples: inout [DatasetSample], preset: DatasetPreset, seed: UInt64,
                      perceptualHashes: [String: PerceptualHash], nearDuplicateDistance: Int,
                      validationFraction: Double) {
        var generator = SeededGenerator(seed: seed)
        let labels = Set(samples.map(\.label)).sorted()
        for label in labels {
            let members = samples.indices.filter { samples[$0].label == label }
                .sorted { (samples[$0].photo, samples[$0].crop) < (samples[$1].photo, samples[$1].crop) }
            switch preset {
            case .original:
                var order = members
                generator.shuffle(&order)
                let testCount = order.count / 5
                for (position, index) in order.enumerated() { samples[index].split = position < testCount ? .test : .train }
            case .recommended:
                var clusters = cluster(members, samples: samples, hashes: perceptualHashes, distance: nearDuplicateDistance)
                generator.shuffle(&clusters)
                let testTarget = members.count / 5
                var test = 0, validation = 0
                var validationTarget = 0
                func validationShare(_ remaining: Int) -> Int { Int(Double(remaining) * validationFraction) }
                var testDone = testTarget == 0
                if testDone { validationTarget = validationShare(members.count) }
                for cluster in clusters {
                    let part: SplitPart
                    if !testDone {
                        part = .test
                        test += cluster.count
                        if test >= testTarget { testDone = true; validationTarget = validationShare(members.count - test) }
                    } else if validation < validationTarget {
                        part = .validation
                        validation += cluster.count
                    } else {
                        part = .train
                    }
                    for index in cluster { samples[index].split = part }
                }
            }
        }
    }

    /// Groups sample indices whose photos are the same content or near-duplicates (union-find),
    /// each group in the members' fixed order, groups ordered by their first sample.
    private static func cluster(_ indices: [Int], samples: [DatasetSample], hashes: [String: PerceptualHash], distance: Int) -> [[Int]] {
        var parent = Array(0..<indices.count)
        func find(_ i: Int) -> Int {
            var i = i
            while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }
            return i
        }
        for a in 0..<indices.count {
            for b in (a + 1)..<max(a + 1, indices.count) {
                let sa = samples[indices[a]], sb = samples[indices[b]]
                var together = sa.crop.photoHash == sb.crop.photoHash
                if !together, let ha = hashes[sa.crop.photoHash], let hb = hashes[sb.crop.photoHash] {
                    together = ha.distance(to: hb) <= distance
                }
                if together { parent[find(a)] = find(b) }
            }
        }
        var groups: [Int: [Int]] = [:]
        var order: [Int] = []
        for position in 0..<indices.count {
            let root = find(position)
            if groups[root] == nil { order.append(root) }
            groups[root, default: []].append(indices[position])
        }
        return order.map { groups[$0]! }
    }
}
