import Foundation
import Testing

/// The board in the README is a golden screen: what `truce snapshot` draws
/// for the example, compared with a committed file, and the README block
/// is that file. `TRUCE_UPDATE_GOLDEN=1` rewrites both after a change on purpose.
@Suite("README board")
struct ReadmeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let marker = "This is `examples/three-tiers.jsonl` at `+31h`:\n\n```\n"

    @Test func theReadmeBoardIsWhatSnapshotDraws() throws {
        let out = try truce(["snapshot", ReadmeTests.root + "/examples/three-tiers.jsonl", "--at", "+31h"])
        #expect(out.status == 0)
        let board = out.stdout.hasSuffix("\n") ? String(out.stdout.dropLast()) : out.stdout
        let goldenPath = ReadmeTests.root + "/Tests/TruceEndToEndTests/Golden/three-tiers-31h-120x40.txt"
        let readmePath = ReadmeTests.root + "/README.md"
        var readme = try String(contentsOfFile: readmePath, encoding: .utf8)
        let start = try #require(readme.range(of: ReadmeTests.marker), "README lost its board").upperBound
        let end = try #require(readme.range(of: "\n```", range: start..<readme.endIndex)).lowerBound
        if ProcessInfo.processInfo.environment["TRUCE_UPDATE_GOLDEN"] == "1" {
            try (board + "\n").write(toFile: goldenPath, atomically: true, encoding: .utf8)
            readme.replaceSubrange(start..<end, with: board)
            try readme.write(toFile: readmePath, atomically: true, encoding: .utf8)
            return
        }
        let golden = try String(contentsOfFile: goldenPath, encoding: .utf8)
        #expect(board + "\n" == golden, "truce snapshot no longer draws Golden/three-tiers-31h-120x40.txt")
        #expect(String(readme[start..<end]) == board, "the README board differs from what truce snapshot draws")
    }
}
