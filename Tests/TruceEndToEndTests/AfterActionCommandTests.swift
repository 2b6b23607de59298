import Foundation
import Testing

#if canImport(Glibc)
import Glibc
import TruceTestSupport
#endif

/// `truce after-action` through the binary: from a walkthrough, a scenario
/// file and a journal; the page rendered by headless Chromium (Debian's
/// `chromium`; required under CI=true); bad arguments in one line.
@Suite("After-action report command")
struct AfterActionCommandTests {
    func dir() -> String {
        let d = Scratch.directory + "truce-aa-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    /// Chromium, if this machine has it; under CI=true its absence is a failure.
    static func chromium(_ sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        for path in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] where FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            Issue.record("CI=true and no chromium: apt-get install chromium", sourceLocation: sourceLocation)
        }
        return nil
    }

    /// Renders `html` to a PNG with headless Chromium; returns the PNG's bytes.
    static func render(_ html: String, to png: String, chromium: String) throws -> Data {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: chromium)
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                       "--user-data-dir=" + Scratch.directory + "truce-chromium-\(UUID().uuidString)",
                       "--window-size=1040,1500", "--screenshot=" + png, "file://" + html]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return try Data(contentsOf: URL(fileURLWithPath: png))
    }

    @Test func aWalkthroughsReportIsWrittenAndRenders() throws {
        let d = dir()
        let html = d + "/climb.html", svg = d + "/climb.svg"
        let r = try truce(["after-action", "--walkthrough", "climb", "-o", html, "--svg", svg])
        #expect(r.status == 0 && r.stdout.isEmpty, "\(r.stderr)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        let chart = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(page.contains(chart) && chart.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(page.contains("After-action report: Walkthrough: a breach climbs to tier 3"))
        #expect(page.contains("<th>Highest tier reached</th><td class=\"num\">tier 3</td>"))
        let json = try truce(["after-action", "--walkthrough", "climb", "--json"])
        #expect(json.status == 0 && json.stdout.hasPrefix(#"{"from":"2026-02-10T05:00:00Z","#), "\(json.stdout)")
        guard let chromium = Self.chromium() else { return }
        let png = try Self.render(html, to: d + "/climb.png", chromium: chromium)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "not a PNG")
        #expect(png.count > 20_000, "a blank page? \(png.count) bytes")
        // The README's picture is this run's (TRUCE_UPDATE_DOCS=1 writes it).
        if ProcessInfo.processInfo.environment["TRUCE_UPDATE_DOCS"] == "1" {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            try png.write(to: root.appendingPathComponent("docs/after-action-climb.png"))
        }
    }

    @Test func aJournalsReportNamesWhoAndWhen() throws {
        let d = dir()
        #expect(try truce(["report", "--data", d, "--sector", "Pokrovsk", "--status", "confirmed"]).status == 0)
        #expect(try truce(["act", "ack", "INC-0001", "--data", d, "--by", "alice"]).status == 0)
        #expect(try truce(["act", "warning", "INC-0001", "--data", d, "--by", "bob", "--note", "<delivered>"]).status == 0)
        let r = try truce(["after-action", "--data", d])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("journal ") && r.stdout.contains("records 1–3"))
        #expect(r.stdout.contains("<td>acknowledged by alice</td><td>alice</td>"))
        #expect(r.stdout.contains("&lt;delivered&gt;") && !r.stdout.contains("<delivered>"))
        #expect(r.stdout.contains("<g class=\"marker warning\">"))
        // A window with nothing in it, given relative to the end.
        let none = try truce(["after-action", "--data", d, "--from", "2020-01-01T00:00:00Z", "--to", "2020-01-02T00:00:00Z"])
        #expect(none.status == 0 && none.stdout.contains("No incident in this window."))
        #expect(try truce(["after-action", "--data", d, "--from", "-1h", "--json"]).stdout.contains(#""incidents_opened":1"#))
    }

    @Test func aScenarioFilesReportAndBadArguments() throws {
        let d = dir()
        let file = try temporaryFile(try truce(["generate", "--records", "400", "--sectors", "12", "--seed", "9"]).stdout)
        let r = try truce(["after-action", file, "--from", "+6h", "--to", "+30h", "--json"])
        #expect(r.status == 0 && r.stdout.contains(#""incidents_opened":"#), "\(r.stderr)")
        let cases: [([String], String)] = [
            (["after-action", file, "--walkthrough", "climb"], "give a scenario file or --walkthrough, not both"),
            (["after-action", "--walkthrough", "nope"], "no walkthrough nope (there are: climb, tier1, contested)"),
            (["after-action", file, "--from", "+30h", "--to", "+6h"], "is not before --to"),
            (["after-action", file, "--from", "soon"], "--from soon: "),
            (["after-action", d + "/missing.jsonl"], "missing.jsonl"),
            (["after-action", file, "-o", d + "/no/such/dir/x.html"], "x.html: No such file or directory"),
        ]
        for (args, says) in cases {
            let bad = try truce(args)
            #expect(bad.status == 2 && bad.stderr.contains(says) && bad.stderr.split(separator: "\n").count == 1, "\(args): \(bad.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: d + "/no/such/dir/x.html.tmp"))
    }
}
