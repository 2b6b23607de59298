/// What a key asks the console to do.
public enum Command: String, CaseIterable, Sendable {
    case up, down, pageUp, pageDown, first, last, nextPane, previousPane, detail
    case ack, warning, response, escalate, resolve, note, commit, decline
    case filter, escape, sort, reverseSort, theme, localTime, bell, help, redraw, quit
    case pause, faster, slower, step
    case reviewBack, reviewForward, reviewHourBack, reviewHourForward, reviewAt
}

/// One line of the key map: the keys, what they do, and (for the footer) a
/// short hint. The same table drives dispatch, the `?` overlay, the footer
/// and the README's key table, so they can never disagree.
public struct Binding: Sendable {
    public enum Section: String, CaseIterable, Sendable {
        case move = "Move"
        case incident = "Incident (the selected one, on screen)"
        case roster = "Roster pane (the selected member)"
        case view = "View"
        case review = "Review (the board in the past; nothing can be recorded there)"
        case demo = "Demo"
    }

    public let section: Section
    /// The keys as people write them (`↑`, `PgUp`, `S-Tab`, `a`).
    public let labels: [String]
    public let help: String
    /// Each key and its command.
    public let keys: [(Key, Command)]
    /// Footer hint: the key as shown there and one word.
    public let hint: (key: String, text: String)?

    init(_ section: Section, _ labels: [String], _ help: String, _ keys: [(Key, Command)], hint: (String, String)? = nil) {
        self.section = section
        self.labels = labels
        self.help = help
        self.keys = keys
        self.hint = hint.map { (key: $0.0, text: $0.1) }
    }
}

/// The console's keys.
public enum KeyMap {
    public static let bindings: [Binding] = [
        Binding(.move, ["↑", "↓", "j", "k"], "select previous / next in the focused pane",
                [(.up, .up), (.down, .down), (.char("k"), .up), (.char("j"), .down)]),
        Binding(.move, ["PgUp", "PgDn"], "a page up / down", [(.pageUp, .pageUp), (.pageDown, .pageDown)]),
        Binding(.move, ["g", "G", "Home", "End"], "first / last",
                [(.char("g"), .first), (.char("G"), .last), (.home, .first), (.end, .last)]),
        Binding(.move, ["Tab", "S-Tab"], "next / previous pane (incidents, roster, pending, events)",
                [(.tab, .nextPane), (.backTab, .previousPane)], hint: ("Tab", "pane")),
        Binding(.move, ["Enter"], "full detail of the selected incident; in another pane, its lines in full (Esc closes)",
                [(.enter, .detail)]),
        Binding(.incident, ["a"], "acknowledge its alert", [(.char("a"), .ack)], hint: ("a", "ack")),
        Binding(.incident, ["w"], "record the diplomatic warning (asks first)", [(.char("w"), .warning)], hint: ("w", "warn")),
        Binding(.incident, ["r"], "record a response (asks first)", [(.char("r"), .response)], hint: ("r", "resp")),
        Binding(.incident, ["E"], "escalate one tier (asks first)", [(.char("E"), .escalate)], hint: ("E", "escal")),
        Binding(.incident, ["R"], "resolve (asks first)", [(.char("R"), .resolve)], hint: ("R", "resolve")),
        Binding(.incident, ["n"], "add a note (a prompt; Esc cancels)", [(.char("n"), .note)], hint: ("n", "note")),
        Binding(.roster, ["c"], "the member commits to the incident (asks first)", [(.char("c"), .commit)],
                hint: ("c", "commit")),
        Binding(.roster, ["d"], "the member declines (asks first)", [(.char("d"), .decline)], hint: ("d", "decline")),
        Binding(.view, ["/"], "filter incidents by id or sector", [(.char("/"), .filter)], hint: ("/", "filter")),
        Binding(.view, ["Esc"], "close a window; on the board, clear the filter", [(.escape, .escape)],
                hint: ("Esc", "unfilter")),
        Binding(.view, ["s"], "cycle sort: urgency, id, sector, tier", [(.char("s"), .sort)]),
        Binding(.view, ["S"], "reverse the sort", [(.char("S"), .reverseSort)]),
        Binding(.view, ["t"], "cycle theme", [(.char("t"), .theme)]),
        Binding(.view, ["L"], "times in local time / UTC", [(.char("L"), .localTime)]),
        Binding(.view, ["b"], "bell on every new alert: on / off (off at start unless --bell)", [(.char("b"), .bell)]),
        Binding(.view, ["?"], "this help", [(.char("?"), .help)], hint: ("?", "help")),
        Binding(.view, ["C-l"], "repaint the whole screen", [(.ctrl("l"), .redraw)]),
        Binding(.view, ["q"], "quit", [(.char("q"), .quit)], hint: ("q", "quit")),
        Binding(.review, ["[", "]"], "previous / next event of the selected incident (of the whole board when another pane has the focus)",
                [(.char("["), .reviewBack), (.char("]"), .reviewForward)], hint: ("[", "past")),
        Binding(.review, ["{", "}"], "an hour back / forward", [(.char("{"), .reviewHourBack), (.char("}"), .reviewHourForward)]),
        Binding(.review, ["@"], "go to a time: 2026-02-15T03:40:00Z, or -2h, -1d6h, -90m (before now)", [(.char("@"), .reviewAt)]),
        Binding(.review, ["Esc"], "back to now (the live board)", []),
        Binding(.demo, ["Space"], "pause / resume", [(.char(" "), .pause)], hint: ("Space", "pause")),
        Binding(.demo, ["+", "-"], "faster / slower", [(.char("+"), .faster), (.char("="), .faster), (.char("-"), .slower)],
                hint: ("+/-", "speed")),
        Binding(.demo, ["."], "step to the next record", [(.char("."), .step)], hint: (".", "step")),
    ]

    private static let table: [Key: Command] = {
        var t: [Key: Command] = [:]
        for b in bindings { for (k, c) in b.keys { precondition(t[k] == nil, "key bound twice"); t[k] = c } }
        return t
    }()

    /// The command a key is bound to on the board.
    public static func command(for key: Key) -> Command? { table[key] }

    /// The footer hints, in the order of the footer: Esc while a filter is on,
    /// the roster pane's own keys when it has the focus, the demo's only in a
    /// demo, and Space saying what it will do (pause or resume).
    public static func hints(demo: Bool, paused: Bool = false, pane: Pane = .incidents,
                             filtered: Bool = false) -> [(key: String, text: String)] {
        let order: [Command] = [.quit, .help] + (filtered ? [.escape] : []) + (pane == .roster ? [.commit, .decline] : [])
            + [.ack, .warning, .response, .escalate, .resolve, .note, .filter, .nextPane]
            + (demo ? [.pause, .faster, .step] : [])
        return order.compactMap { c in
            guard var h = bindings.first(where: { b in b.keys.contains { $0.1 == c } })?.hint else { return nil }
            if c == .pause && paused { h.text = "resume" }
            return h
        }
    }

    /// The key table as the README writes it (a test keeps the README equal to it).
    public static func markdownTable() -> String {
        var lines = ["| key | does |", "|---|---|"]
        for section in Binding.Section.allCases {
            for b in bindings where b.section == section {
                let keys = b.labels.map { $0 == "`" ? "`` ` ``" : "`\($0)`" }.joined(separator: " ")
                let prefix = section == .demo ? "demo: " : section == .roster ? "roster pane: " : section == .review ? "review: " : ""
                lines.append("| \(keys) | \(prefix)\(b.help) |")
            }
        }
        return lines.joined(separator: "\n")
    }
}
