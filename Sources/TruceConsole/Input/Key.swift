/// A key press, decoded from the terminal by the backend.
public enum Key: Equatable, Sendable {
    case char(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case tab, backTab, enter, escape, backspace, delete
    /// Ctrl plus a letter (`ctrl("u")`).
    case ctrl(Character)
    case resize

    /// Parses a readable key name, as tests and key scripts write them:
    /// `q`, `Up`, `PgDn`, `S-Tab`, `C-u`, `Space`, `Enter`, `Esc`.
    public init?(name: String) {
        switch name {
        case "Up": self = .up
        case "Down": self = .down
        case "Left": self = .left
        case "Right": self = .right
        case "PgUp", "PageUp": self = .pageUp
        case "PgDn", "PageDown": self = .pageDown
        case "Home": self = .home
        case "End": self = .end
        case "Tab": self = .tab
        case "S-Tab", "BTab": self = .backTab
        case "Enter": self = .enter
        case "Esc", "Escape": self = .escape
        case "BSpace", "Backspace": self = .backspace
        case "Delete", "DC": self = .delete
        case "Space": self = .char(" ")
        default:
            if name.hasPrefix("C-"), name.count == 3 { self = .ctrl(name.last!); return }
            guard name.count == 1 else { return nil }
            self = .char(name.first!)
        }
    }
}

/// Every key the console knows, for the help overlay and the README.
public enum KeyHelp {
    public static let sections: [(String, [(String, String)])] = [
        ("Move", [
            ("↑ ↓  j k", "select previous / next"),
            ("PgUp PgDn", "page up / down"),
            ("g  G", "first / last"),
            ("Tab  S-Tab", "next / previous pane"),
            ("Enter", "incident detail (Esc closes)"),
        ]),
        ("Incident (selected)", [
            ("a", "acknowledge the alert"),
            ("w", "record the diplomatic warning"),
            ("r", "record a response"),
            ("E", "escalate one tier (asks first)"),
            ("R", "resolve (asks first)"),
            ("n", "add a note"),
        ]),
        ("Roster pane (selected member)", [
            ("c", "member commits to the incident"),
            ("d", "member declines"),
        ]),
        ("View", [
            ("/", "filter incidents by id or sector"),
            ("s", "cycle sort: urgency, id, sector, tier"),
            ("t", "cycle theme"),
            ("L", "local time / UTC"),
            ("?", "this help"),
            ("q", "quit"),
        ]),
        ("Demo", [
            ("Space", "pause / resume"),
            ("+  -", "faster / slower"),
            (".", "step to the next record"),
        ]),
    ]
}
