import Testing
import TruceEngine

@Suite("Policy and roster files")
struct PolicyTests {
    @Test func builtInDefaultsMatchTheSpec() {
        let p = Policy.standard
        #expect(p.tier1Window == 24 * 3600)
        #expect(p.tier3After == 72 * 3600)
        #expect(p.ackReminder == 15 * 60)
        #expect(p.roster.map(\.code) == ["UA", "GB", "FR", "EU", "NO", "IS", "TR", "US"])
        #expect(p.roster.map(\.tier) == [1, 2, 2, 2, 2, 2, 2, 3])
    }

    /// due_soon sets how early the console marks a clock; it changes no rule,
    /// so snapshots made under one value restore under another.
    @Test func dueSoonIsDisplayOnly() throws {
        #expect(Policy.standard.dueSoon == 3600)
        let p = try PolicyFile.parse("due_soon = \"30m\"\n", file: "p.toml").get()
        #expect(p.dueSoon == 30 * 60)
        #expect(Engine.snapshotHeader(for: p) == Engine.snapshotHeader(for: .standard))
    }

    /// Windows line ends and a byte-order mark are how some editors save files.
    @Test func crlfAndAByteOrderMarkAreAccepted() throws {
        let text = "\u{FEFF}tier1_window = \"12h\"\r\n# comment\r\ntier3_after = \"2d\"\r\n\r\n[[member]]\r\ncode = \"UA\"\r\nname = \"Ukraine\"\r\ntier = 1\r\n"
        let p = try PolicyFile.parse(text, file: "p.toml").get()
        #expect(p.tier1Window == 12 * 3600)
        #expect(p.tier3After == 2 * 86_400)
        #expect(p.roster.map(\.code) == ["UA"])
        // Line numbers still count CRLF lines.
        guard case .failure(let e) = PolicyFile.parse("a = 1\r\nb = \"x\"\r\n", file: "p.toml") else { Issue.record("accepted"); return }
        #expect(e.description.hasPrefix("p.toml:1: a:"))
    }

    @Test func contradictoryClocksAreRefusedWithTheReason() {
        for (text, line, key) in [("tier1_window = \"80h\"\n", 1, "tier1_window"),
                                  ("tier1_window = \"24h\"\ntier3_after = \"24h\"\n", 2, "tier3_after"),
                                  ("tier3_after = \"12h\"\n", 1, "tier3_after")] {
            guard case .failure(let e) = PolicyFile.parse(text, file: "p.toml") else { Issue.record("accepted \(text)"); continue }
            #expect(e.description.hasPrefix("p.toml:\(line): \(key): tier1_window ("), "\(e.description)")
            #expect(e.description.hasSuffix("the tier-1 step has to end before tier 3 can come"))
        }
    }

    @Test func aFullFileOverridesEverything() throws {
        let text = """
            # exercise policy
            tier1_window = "12h"   # shorter
            tier3_after  = '2d'
            ack_reminder = "5m"

            [[member]]
            code = "UA"   # unique
            name = "Ukraine"
            tier = 1
            role = "national response"

            [[member]]
            code = "PL"
            name = "Poland"
            tier = 2
            """
        let p = try PolicyFile.parse(text, file: "p.toml").get()
        #expect(p.tier1Window == 12 * 3600)
        #expect(p.tier3After == 48 * 3600)
        #expect(p.ackReminder == 300)
        #expect(p.roster == [Member(code: "UA", name: "Ukraine", tier: 1, role: "national response"),
                             Member(code: "PL", name: "Poland", tier: 2)])
    }

    @Test func durationsOnlyKeepTheBuiltInRoster() throws {
        let p = try PolicyFile.parse("ack_reminder = \"1m\"\n", file: "p.toml").get()
        #expect(p.roster == Policy.builtInRoster)
        #expect(p.ackReminder == 60)
    }

    @Test(arguments: [
        ("tier1_windw = \"24h\"", "p.toml:1: tier1_windw: unknown key (expected tier1_window, tier3_after, ack_reminder, due_soon or [[member]] tables)"),
        ("tier1_window = \"0s\"", "p.toml:1: tier1_window: must be a positive duration"),
        ("tier3_after = \"367d\"", "p.toml:1: tier3_after: must be at most 366d"),
        ("ack_reminder = \"99999d\"", "p.toml:1: ack_reminder: must be at most 366d"),
        ("tier1_window = 24", "p.toml:1: tier1_window: must be a duration string like \"24h\", not an integer"),
        ("tier1_window = \"1 day\"", "p.toml:1: tier1_window: not a duration (expected like 90s, 15m, 24h or 1d2h30m)"),
        ("tier1_window = \"24h\"\ntier1_window = \"12h\"", "p.toml:2: tier1_window: duplicate key"),
        ("tier1_window = \"24h\" extra", "p.toml:1: tier1_window: unexpected text after the value"),
        ("tier1_window = \"24h", "p.toml:1: tier1_window: unterminated string"),
        ("tier1_window = [1]", "p.toml:1: tier1_window: unsupported value (strings, integers and booleans only)"),
        ("[roster]", "p.toml:1: unknown table [roster] (only [[member]] is allowed)"),
        ("= 3", "p.toml:1: expected a key (letters, digits, _ or -) followed by ="),
        ("a.b = 3", "p.toml:1: a.b: dotted keys are not supported"),
        ("[[member]]\ncode = \"UA\"\nname = \"Ukraine\"", "p.toml:1: tier: is required in every [[member]]"),
        ("[[member]]\ncode = \"UA\"\nname = \"Ukraine\"\ntier = 4", "p.toml:4: tier: must be 1, 2 or 3"),
        ("[[member]]\ncode = \"UA\"\nname = \"Ukraine\"\ntier = \"1\"", "p.toml:4: tier: must be 1, 2 or 3, not a string"),
        ("[[member]]\ncode = \"UA\"\nname = \"Ukraine\"\ntier = 1\nflag = true", "p.toml:5: flag: unknown key in [[member]] (expected code, name, tier, role)"),
        ("[[member]]\ncode = \" \"\nname = \"x\"\ntier = 1", "p.toml:2: code: must not be empty"),
        ("[[member]]\ncode = \"UA\"\nname = \"A\"\ntier = 1\n[[member]]\ncode = \"UA\"\nname = \"B\"\ntier = 2",
         "p.toml:6: code: duplicate code \"UA\" (first on line 2)"),
    ])
    func errorsNameFileLineAndKey(text: String, message: String) {
        switch PolicyFile.parse(text, file: "p.toml") {
        case .success: Issue.record("accepted: \(text)")
        case .failure(let e): #expect(e.description == message)
        }
    }

    @Test func aCustomRosterDrivesNotifications() throws {
        let p = try PolicyFile.parse("[[member]]\ncode = \"PL\"\nname = \"Poland\"\ntier = 1\n", file: "p.toml").get()
        let events = runEngine([report("R-1", at: "+0s")], policy: p, until: "+1m").1
        #expect(events.filter { $0.kind == .rosterNotified }.map(\.member) == ["PL"])
        let rejected = runEngine([report("R-1", at: "+0s"), action("commit", at: "+1m", member: "UA")], policy: p, until: "+2m").1
        #expect(rejected.last?.reason == "unknown roster member \"UA\"")
    }
}
