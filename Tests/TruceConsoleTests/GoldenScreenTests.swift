import Foundation
import Testing
import TruceConsole
import TruceEngine

/// Whole screens, compared with files committed under `Golden/`: the text a
/// person reads and, below it, a letter per cell for the role that colours
/// it (tier badges, overdue, selection…). Any change to what the board shows
/// changes a file, on purpose or not. After a change on purpose:
/// `TRUCE_UPDATE_GOLDEN=1 swift test --filter Golden`, then read the diff.
@Suite("Golden screens")
struct GoldenScreenTests {
    static let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden").path

    /// A walkthrough on the demo board, paused at `+hours` from its start.
    static func board(_ w: Walkthrough, at seconds: Int64) -> Console {
        var c = Console(engine: Engine(), demo: DemoClock(text: w.text, speed: 1), operatorName: "golden")
        _ = c.update(.tick(monotonic: 0, wall: 0))
        _ = c.update(.tick(monotonic: Double(seconds), wall: 0))
        _ = c.update(.key(.char(" ")))
        return c
    }

    static let roleLetters: [Role: Character] = [
        .text: ".", .dim: "d", .border: "b", .borderFocus: "B", .title: "t", .header: "h", .clock: "c", .headerWarn: "y", .headerAlert: "Y",
        .tier1: "1", .tier2: "2", .tier3: "3", .overdue: "O", .unacked: "U", .acked: "a", .closed: "x",
        .selection: "S", .countdown: "n", .dueSoon: "N", .ok: "k", .warning: "w", .danger: "D", .caption: "C", .ticker: "e",
        .keyHint: "i", .key: "K", .overlay: "o", .prompt: "p", .error: "E", .selectedRow: "r",
    ]

    /// The screen as a golden file: its text, then its roles, then the
    /// selected row's cells (row and column span, counted from 0), if any.
    static func golden(_ s: Screen) -> String {
        var roles: [String] = []
        var selected: [String] = []
        for y in 0..<s.height {
            var line = String((0..<s.width).map { roleLetters[s[$0, y].role]! })
            while line.hasSuffix(".") { line.removeLast() }
            roles.append(line)
            let cols = (0..<s.width).filter { s[$0, y].selected }
            if let first = cols.first, let last = cols.last {
                selected.append("row \(y): columns \(first)-\(last)" + (cols.count == last - first + 1 ? "" : " (with gaps)"))
            }
        }
        var out = s.text + "\n--- roles ---\n" + roles.joined(separator: "\n") + "\n"
        if !selected.isEmpty { out += "--- selected ---\n" + selected.joined(separator: "\n") + "\n" }
        return out
    }

    static func check(_ name: String, _ s: Screen) throws {
        let path = "\(dir)/\(name).golden"
        let actual = golden(s)
        if ProcessInfo.processInfo.environment["TRUCE_UPDATE_GOLDEN"] == "1" {
            try actual.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        if actual != expected {
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let line = (0..<min(a.count, e.count)).first { a[$0] != e[$0] } ?? min(a.count, e.count)
            try actual.write(toFile: NSTemporaryDirectory() + "\(name).golden.actual", atomically: true, encoding: .utf8)
            Issue.record("""
                \(name) differs from Golden/\(name).golden at line \(line + 1):
                expected: \(line < e.count ? String(e[line]) : "(end)")
                actual:   \(line < a.count ? String(a[line]) : "(end)")
                (the whole screen: \(NSTemporaryDirectory())\(name).golden.actual)
                """)
        }
    }

    static let moments: [(Walkthrough, String, Int64)] = [
        (.climb, "31h", 31 * 3600), (.climb, "75h", 75 * 3600), (.tier1, "8h", 8 * 3600), (.contested, "12h", 12 * 3600),
    ]

    @Test(arguments: [(80, 24), (120, 40), (200, 60)])
    func walkthroughsAtFixedInstants(width: Int, height: Int) throws {
        for (w, label, seconds) in GoldenScreenTests.moments {
            let c = GoldenScreenTests.board(w, at: seconds)
            var s = Screen(width: width, height: height)
            BoardRenderer.render(c.view(width: width, height: height), into: &s)
            try GoldenScreenTests.check("\(w.name)-\(label)-\(width)x\(height)", s)
        }
    }

    @Test func overlaysAt80x24() throws {
        var c = GoldenScreenTests.board(.climb, at: 31 * 3600)
        _ = c.update(.resize(width: 80, height: 24))
        _ = c.update(.frameShown)
        for (name, keys) in [("help", [Key.char("?")]), ("confirm-escalate", [.char("E")]), ("detail", [.enter]),
                             ("note-prompt", [.char("n"), .char("O"), .char("K")])] {
            var d = c
            for k in keys { _ = d.update(.key(k)) }
            var s = Screen(width: 80, height: 24)
            BoardRenderer.render(d.view(), into: &s)
            try GoldenScreenTests.check("climb-31h-80x24-\(name)", s)
        }
    }

    /// Review mode: the board an hour back, its header saying so, at the smallest and a wide size.
    @Test func reviewAnHourBack() throws {
        for (w, h) in [(80, 24), (200, 60)] {
            var c = GoldenScreenTests.board(.climb, at: 31 * 3600)
            _ = c.update(.resize(width: w, height: h))
            _ = c.update(.frameShown)
            _ = c.update(.key(.char("{")))
            _ = c.update(.tick(monotonic: 31 * 3600, wall: 0))  // the end of the burst: the step is taken
            var s = Screen(width: w, height: h)
            BoardRenderer.render(c.view(), into: &s)
            try GoldenScreenTests.check("climb-31h-\(w)x\(h)-review-1h-back", s)
        }
    }
}

@Suite("Key map")
struct KeyMapTests {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("README.md").path

    /// The README's key table is the key map, word for word.
    @Test func readmeKeyTableIsTheKeyMap() throws {
        let text = try String(contentsOfFile: KeyMapTests.readme, encoding: .utf8)
        let table = KeyMap.markdownTable()
        if ProcessInfo.processInfo.environment["TRUCE_UPDATE_GOLDEN"] == "1", !text.contains(table) {
            print(table)
        }
        #expect(text.contains("\n" + table + "\n"), "README.md's key table differs from KeyMap; it should read:\n\(table)")
    }

    /// Every bound key reaches its command, and the help and footer name only bound keys.
    @Test func dispatchHelpAndHintsComeFromOneTable() {
        for b in KeyMap.bindings {
            for (k, c) in b.keys { #expect(KeyMap.command(for: k) == c) }
        }
        let hinted = Set(KeyMap.hints(demo: true).map(\.key))
        let labels = Set(KeyMap.bindings.compactMap { $0.hint?.key })
        #expect(hinted.isSubset(of: labels))
        var c = console(at: 30)
        c.press(.char("?"))
        let help = render(c, 120, 40).text
        for b in KeyMap.bindings.prefix(12) { #expect(help.contains(b.help), "help lacks \(b.help)") }
        #expect(KeyMap.command(for: .char("x")) == nil)
    }
}
