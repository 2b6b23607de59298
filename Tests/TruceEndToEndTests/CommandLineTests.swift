import Foundation
import Testing
import TruceTestSupport

/// The built `truce` executable, next to the test bundle in the build folder.
let truceBinary: String = {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("truce").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
    return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("truce").path
}()

/// The package root, for fixtures in `examples/`.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

func example(_ name: String) -> String { packageRoot.appendingPathComponent("examples/\(name)").path }

struct Outcome {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `truce` with arguments and optional standard input.
func truce(_ args: [String], stdin: String? = nil, directory: String? = nil) throws -> Outcome {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: truceBinary)
    p.arguments = args
    if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
    // Standard error goes to a file, standard output to a pipe read to the end
    // before waiting, so neither can fill up and block the child.
    let errPath = Scratch.directory + "truce-stderr-\(UUID().uuidString)"
    try Data().write(to: URL(fileURLWithPath: errPath))
    defer { try? FileManager.default.removeItem(atPath: errPath) }
    let errFile = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    let out = Pipe()
    p.standardOutput = out
    p.standardError = errFile
    if let stdin {
        let inPath = try temporaryFile(stdin)
        p.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
    } else {
        p.standardInput = FileHandle.nullDevice
    }
    try p.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    try errFile.close()
    let errData = FileManager.default.contents(atPath: errPath) ?? Data()
    return Outcome(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                   stderr: String(decoding: errData, as: UTF8.self))
}

/// Starts `truce` in the background with its output discarded.
func startTruce(_ args: [String]) throws -> Process {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: truceBinary)
    p.arguments = args
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    return p
}

func temporaryFile(_ contents: String, suffix: String = ".jsonl") throws -> String {
    let path = Scratch.directory + "truce-test-\(UUID().uuidString)\(suffix)"
    try contents.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

@Suite("truce command line", .serialized)
struct CommandLineTests {
    /// Usage errors exit 2 like every other error, and never echo control
    /// characters from the command line to the terminal.
    @Test func usageErrorsExit2AndAreEscaped() throws {
        let r = try truce(["status", "--bogus\u{1B}[31mX\u{07}"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--bogus^[[31mX^G"))
        #expect(!r.stderr.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        let missing = try truce(["replay"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("Missing expected argument"))
        let v = try truce(["--version"])
        #expect(v.status == 0)
        #expect(v.stdout.hasPrefix("truce "))
        let help = try truce(["help", "replay"])
        #expect(help.status == 0 && help.stdout.contains("USAGE: truce replay"))
    }

    /// What spec §2 predicts for examples/three-tiers.jsonl, derived by hand.
    static let threeTiersJSON = """
        {"at":"2026-02-10T04:00:00Z","event":"report.pending","sector":"Pokrovsk","report":"R-1"}
        {"at":"2026-02-10T04:30:00Z","event":"incident.opened","incident":"INC-0001","tier":1,"sector":"Pokrovsk","report":"R-1"}
        {"at":"2026-02-10T04:30:00Z","event":"roster.notified","incident":"INC-0001","tier":1,"sector":"Pokrovsk","member":"UA"}
        {"at":"2026-02-10T04:35:00Z","event":"incident.acknowledged","incident":"INC-0001","sector":"Pokrovsk","by":"duty-a"}
        {"at":"2026-02-10T10:00:00Z","event":"action.recorded","incident":"INC-0001","sector":"Pokrovsk","action":"warning","by":"duty-a","note":"Démarche delivered"}
        {"at":"2026-02-10T14:00:00Z","event":"report.joined","incident":"INC-0001","tier":1,"sector":"Pokrovsk","report":"R-2"}
        {"at":"2026-02-10T14:00:00Z","event":"tier.escalated","incident":"INC-0001","tier":2,"sector":"Pokrovsk","report":"R-2"}
        {"at":"2026-02-10T14:00:00Z","event":"roster.notified","incident":"INC-0001","tier":2,"sector":"Pokrovsk","member":"GB"}
        {"at":"2026-02-10T14:00:00Z","event":"roster.notified","incident":"INC-0001","tier":2,"sector":"Pokrovsk","member":"FR"}
        {"at":"2026-02-10T14:00:00Z","event":"roster.notified","incident":"INC-0001","tier":2,"sector":"Pokrovsk","member":"EU"}
        {"at":"2026-02-10T14:00:00Z","event":"roster.notified","incident":"INC-0001","tier":2,"sector":"Pokrovsk","member":"NO"}
        {"at":"2026-02-10T14:00:00Z","event":"roster.notified","incident":"INC-0001","tier":2,"sector":"Pokrovsk","member":"IS"}
        {"at":"2026-02-10T14:00:00Z","event":"roster.notified","incident":"INC-0001","tier":2,"sector":"Pokrovsk","member":"TR"}
        {"at":"2026-02-10T14:05:00Z","event":"incident.acknowledged","incident":"INC-0001","sector":"Pokrovsk","by":"duty-b"}
        {"at":"2026-02-10T16:00:00Z","event":"action.recorded","incident":"INC-0001","sector":"Pokrovsk","action":"commit","member":"GB","by":"duty-b"}
        {"at":"2026-02-10T16:30:00Z","event":"action.recorded","incident":"INC-0001","sector":"Pokrovsk","action":"commit","member":"FR","by":"duty-b"}
        {"at":"2026-02-10T18:00:00Z","event":"action.recorded","incident":"INC-0001","sector":"Pokrovsk","action":"decline","member":"TR","by":"duty-b"}
        {"at":"2026-02-11T10:00:00Z","event":"report.joined","incident":"INC-0001","tier":2,"sector":"Pokrovsk","report":"R-3"}
        {"at":"2026-02-11T10:00:00Z","event":"narration","text":"The attack persists after coalition involvement; the 72-hour clock now decides."}
        {"at":"2026-02-13T04:00:00Z","event":"tier.escalated","incident":"INC-0001","tier":3,"sector":"Pokrovsk"}
        {"at":"2026-02-13T04:00:00Z","event":"roster.notified","incident":"INC-0001","tier":3,"sector":"Pokrovsk","member":"US"}
        {"at":"2026-02-13T04:10:00Z","event":"incident.acknowledged","incident":"INC-0001","sector":"Pokrovsk","by":"duty-c"}
        {"at":"2026-02-13T05:00:00Z","event":"action.recorded","incident":"INC-0001","sector":"Pokrovsk","action":"commit","member":"US","by":"duty-c"}

        """

    @Test func replayJSONIsTheTimelineTheSpecPredicts() throws {
        let r = try truce(["replay", example("three-tiers.jsonl"), "--json"])
        #expect(r.status == 0)
        #expect(r.stderr == "")
        #expect(r.stdout == Self.threeTiersJSON)
    }

    @Test func replayTextIsForPeople() throws {
        let r = try truce(["replay", example("three-tiers.jsonl")])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 15)
        #expect(lines[1] == "2026-02-10 04:30:00Z  +0h30m     INC-0001   opened at tier 1 in Pokrovsk on report R-1 — notified: UA")
        #expect(lines[5] == "2026-02-10 14:00:00Z  +10h00m    INC-0001   escalated to tier 2 — coalition of the willing notified: GB, FR, EU, NO, IS, TR (on report R-2)")
        #expect(lines[12] == "2026-02-13 04:00:00Z  +72h00m    INC-0001   escalated to tier 3 — Western-backed force with US assets notified: US (tier-3 clock: attack persists)")
    }

    @Test func replayReadsStandardInput() throws {
        let text = try String(contentsOfFile: example("three-tiers.jsonl"), encoding: .utf8)
        let r = try truce(["replay", "-", "--json"], stdin: text)
        #expect(r.status == 0)
        #expect(r.stdout == Self.threeTiersJSON)
    }

    @Test func untilIsInclusiveAndStopsReading() throws {
        let at = try truce(["replay", example("three-tiers.jsonl"), "--json", "--until", "+10h"])
        #expect(at.stdout.split(separator: "\n").count == 13)  // up to and including the tier-2 notifications
        #expect(at.stdout.hasSuffix("\"member\":\"TR\"}\n"))
        let before = try truce(["replay", example("three-tiers.jsonl"), "--json", "--until", "2026-02-10T13:59:59Z"])
        #expect(before.stdout.split(separator: "\n").count == 5)
        let bad = try truce(["replay", example("three-tiers.jsonl"), "--until", "tomorrow"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--until tomorrow: not an RFC 3339 time"))
    }

    @Test func rejectedRecordsAreReportedAndTheExitStatusSaysSo() throws {
        let path = try temporaryFile("""
            {"type":"scenario","start":"2026-02-10T00:00:00Z"}
            {"type":"report","id":"R-1","sector":"Lyman","status":"confirmed","at":"+1h"}
            {"type":"report","id":"R-2","sector":"Lyman","status":"maybe","at":"+2h"}
            # comment
            {"type":"action","action":"ack","incident":"INC-0009","at":"+3h"}
            not json
            {"type":"action","action":"ack","incident":"INC-0001","at":"+4h"}

            """)
        let v = try truce(["validate", path])
        #expect(v.status == 1)
        #expect(v.stdout == """
            \(path):3: "status" must be one of reported, confirmed, disputed, retracted
            \(path):5: unknown incident "INC-0009"
            \(path):6: not valid JSON: unexpected 'n' at column 1

            """)
        let r = try truce(["replay", path, "--json"])
        #expect(r.status == 1)
        #expect(r.stdout.contains(#"{"at":"2026-02-10T02:00:00Z","event":"input.rejected","line":3,"reason":"\"status\" must be one of reported, confirmed, disputed, retracted"}"#))
        #expect(r.stdout.contains(#""event":"incident.acknowledged""#))  // the good record after the bad ones is kept
        let good = try truce(["validate", example("three-tiers.jsonl")])
        #expect(good.status == 0)
        #expect(good.stdout == "")
    }

    @Test func stateAtATimeAsJSON() throws {
        let r = try truce(["state", example("three-tiers.jsonl"), "--at", "+31h", "--json"])
        #expect(r.status == 0)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(doc["at"] as? String == "2026-02-11T11:00:00Z")
        let inc = try #require((doc["incidents"] as? [[String: Any]])?.first)
        #expect(inc["id"] as? String == "INC-0001")
        #expect(inc["tier"] as? Int == 2)
        #expect(inc["status"] as? String == "open")
        #expect(inc["acknowledged"] as? Bool == true)
        #expect(inc["reports"] as? Int == 3)
        #expect(inc["tier1_step"] as? String == "warned")
        #expect(inc["tier3_at"] as? String == "2026-02-13T04:00:00Z")
        #expect(inc["armed"] as? Bool == true)
        #expect(inc["cohesion"] as? Double == 2.0 / 7.0)
        let roster = try #require(doc["roster"] as? [[String: Any]])
        #expect(roster.map { $0["code"] as? String } == ["UA", "GB", "FR", "EU", "NO", "IS", "TR", "US"])
        #expect((roster[6]["answers"] as? [String: String]) == ["INC-0001": "declined"])
        let text = try truce(["state", example("three-tiers.jsonl"), "--at", "+31h"])
        #expect(text.stdout.contains("INC-0001  Pokrovsk  2     open    yes"))
    }

    @Test func policyFileChangesTheClocksAndBadOnesStopEverything() throws {
        let policy = try temporaryFile("tier3_after = \"48h\"\n", suffix: ".toml")
        let r = try truce(["replay", example("three-tiers.jsonl"), "--json", "--policy", policy])
        #expect(r.stdout.contains(#"{"at":"2026-02-12T04:00:00Z","event":"tier.escalated","incident":"INC-0001","tier":3"#))
        let bad = try temporaryFile("tier3_after = \"48h\"\nescalate_faster = true\n", suffix: ".toml")
        let b = try truce(["replay", example("three-tiers.jsonl"), "--policy", bad])
        #expect(b.status == 2)
        #expect(b.stdout == "")
        #expect(b.stderr == "truce: \(bad):2: escalate_faster: unknown key (expected tier1_window, tier3_after, ack_reminder, due_soon or [[member]] tables)\n")
        let missing = try truce(["state", example("three-tiers.jsonl"), "--at", "+1h", "--policy", "/nonexistent.toml"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "truce: /nonexistent.toml: No such file or directory\n")
    }

    @Test func aPolicyLineTooLongToHoldIsAnErrorNotSkipped() throws {
        // A line that cannot be held must stop the command, not vanish: here it is a comment, but it could be a setting.
        let path = try temporaryFile("tier3_after = \"48h\"\n# " + String(repeating: "x", count: 17 << 20) + "\n", suffix: ".toml")
        let r = try truce(["replay", example("three-tiers.jsonl"), "--policy", path])
        #expect(r.status == 2)
        #expect(r.stdout == "")
        #expect(r.stderr.hasPrefix("truce: \(path):2: line is too long ("))
    }

    /// A byte that is not UTF-8 is never replaced unseen: a policy file or a
    /// walkthrough with one is refused, naming the line and byte (a comment's
    /// bytes are read by nobody, so a Latin-1 comment passes, as in a replay).
    @Test func filesReadWholeRefuseBadUTF8ButNotInComments() throws {
        func file(_ bytes: [UInt8], _ suffix: String) throws -> String {
            let path = Scratch.directory + "truce-test-\(UUID().uuidString)\(suffix)"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return path
        }
        let latin1Comment: [UInt8] = Array("# caf".utf8) + [0xE9] + [0x0A]
        let policy = try file(latin1Comment + Array("tier3_after = \"48h\"\nname = \"a".utf8) + [0xFF] + Array("\"\n".utf8), ".toml")
        let r = try truce(["replay", example("three-tiers.jsonl"), "--policy", policy])
        #expect(r.status == 2)
        #expect(r.stderr == "truce: \(policy):3: not valid UTF-8 (byte 10)\n")
        let fine = try file(latin1Comment + Array("tier3_after = \"48h\"\n".utf8), ".toml")
        #expect(try truce(["replay", example("three-tiers.jsonl"), "--policy", fine]).status == 0)
        let walk = try file(Array(#"{"type":"scenario","start":"2026-02-10T00:00:00Z"}"#.utf8) + [0x0A] + latin1Comment
                            + Array(#"{"type":"narrate","text":"a"#.utf8) + [0xC0, 0xAF] + Array("\"}\n".utf8), ".jsonl")
        let demo = try truce(["demo", walk])
        #expect(demo.status == 2)
        #expect(demo.stderr == "truce: \(walk):3: not valid UTF-8 (byte 28)\n")
    }

    /// Completion scripts for bash, zsh and fish complete files, actions,
    /// statuses, members, themes and walkthrough names.
    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScripts(shell: String) throws {
        let r = try truce(["--generate-completion-script", shell])
        #expect(r.status == 0)
        for word in ["escalate", "retracted", "offensive", "GB", "high-contrast", "contested", "feed", "data"] {
            #expect(r.stdout.contains(word), "\(shell) script lacks \(word)")
        }
    }

    /// `truce themes` lists what --theme can name; bundled themes load from
    /// any directory, with nothing installed beside the binary.
    @Test func themesAreFoundFromAnyDirectory() throws {
        let list = try truce(["themes"])
        #expect(list.status == 0)
        for name in ["default", "light", "high-contrast", "monochrome"] { #expect(list.stdout.contains(name + " ")) }
        let example = ReadmeTests.root + "/examples/three-tiers.jsonl"
        let snap = try truce(["snapshot", example, "--at", "+31h", "--theme", "light"], directory: Scratch.directory)
        #expect(snap.status == 0, "\(snap.stderr)")
        let bad = try truce(["snapshot", example, "--at", "+31h", "--theme", "nosuch"], directory: Scratch.directory)
        #expect(bad.status == 2 && bad.stderr.contains("no such theme"))
    }

    @Test func missingFilesAndBadArgumentsFailCleanly() throws {
        let r = try truce(["replay", "/no/such/file.jsonl"])
        #expect(r.status == 2)
        #expect(r.stderr == "truce: /no/such/file.jsonl: No such file or directory\n")
        let v = try truce(["validate", example("three-tiers.jsonl"), "/no/such/file.jsonl"])
        #expect(v.status == 2)
        let noStart = try temporaryFile(#"{"type":"report","id":"R","sector":"S","status":"confirmed","at":"2026-02-10T00:00:00Z"}"# + "\n")
        let rel = try truce(["replay", noStart, "--until", "+1h"])
        #expect(rel.status == 2)
        #expect(rel.stderr.contains("is relative but \(noStart) has no scenario start"))
        let help = try truce(["--help"])
        #expect(help.status == 0)
        for cmd in ["replay", "state", "validate", "generate"] { #expect(help.stdout.contains(cmd)) }
    }

    @Test func hostileTextNeverReachesTheTerminalRaw() throws {
        let path = try temporaryFile("""
            {"type":"scenario","start":"2026-02-10T00:00:00Z"}
            {"type":"report","id":"R-\\u001b[2J","sector":"\\u001b]0;pwned\\u0007Lyman\\u009b","status":"reported","at":"+1h"}
            {"type":"narrate","text":"\\u202eevil\\r\\n","at":"+2h"}
            {"type":"bogus\\u001b[31m","at":"+3h"}

            """)
        for args in [["replay", path], ["state", path, "--at", "+4h"], ["validate", path]] {
            let r = try truce(args)
            for u in r.stdout.unicodeScalars {
                #expect(u.value >= 0x20 && u.value != 0x7F && !(0x80...0x9F).contains(u.value) && u.value != 0x202E || u == "\n",
                        "\(args[0]) printed U+\(String(u.value, radix: 16))")
            }
        }
        let text = try truce(["replay", path]).stdout
        #expect(text.contains("report R-^[[2J in ^[]0;pwned^GLyman<U+009B> pending verification"))
    }

    @Test func generatePipesIntoReplayWithoutRejections() throws {
        let gen = try truce(["generate", "--records", "2000", "--sectors", "30", "--seed", "3"])
        #expect(gen.status == 0)
        #expect(gen.stdout.split(separator: "\n").count == 2001)
        let again = try truce(["generate", "--records", "2000", "--sectors", "30", "--seed", "3"])
        #expect(again.stdout == gen.stdout)
        let r = try truce(["replay", "-", "--json"], stdin: gen.stdout)
        #expect(r.status == 0)
        #expect(!r.stdout.contains("input.rejected"))
        let bad = try truce(["generate", "--sectors", "0"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--sectors must be at least 1"))
    }
}
