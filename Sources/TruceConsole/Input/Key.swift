/// A key press, decoded from the terminal by the backend (`KeyDecoder`).
public enum Key: Hashable, Sendable {
    case char(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case tab, backTab, enter, escape, backspace, delete
    /// Ctrl plus a letter (`ctrl("u")`).
    case ctrl(Character)
    /// Text pasted while the terminal's bracketed paste mode was on: never
    /// taken as keys, only as text for a prompt.
    case paste(String)
    /// The terminal changed size.
    case resize
    /// A mouse press or a turn of the wheel, at a cell (column, row from 0).
    case mouse(MouseEvent)

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

/// What the mouse did, where.
public struct MouseEvent: Hashable, Sendable {
    public enum Kind: Hashable, Sendable { case press, wheelUp, wheelDown }
    public var kind: Kind
    public var x: Int
    public var y: Int
    public init(_ kind: Kind, x: Int, y: Int) { self.kind = kind; self.x = x; self.y = y }
}
