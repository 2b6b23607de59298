import CNcurses
import TruceConsole

#if canImport(Glibc)
import Glibc
#endif

/// The one place that talks to curses. It sets the terminal up, flushes only
/// the cells that changed since the last frame, decodes keys, and restores
/// the terminal on `shutdown` (idempotent; called on every exit path).
public final class CursesTerminal {
    public private(set) var depth: ColorDepth = .attributesOnly
    public let unicode: Bool
    private var previous: Screen?
    private var attrs: [Role: (attr_t, Int32)] = [:]
    private var active = false

    /// Starts curses. The locale comes from the environment (`setlocale`
    /// before `initscr`); without a UTF-8 locale the board falls back to ASCII.
    public init(theme: Theme, environment: [String: String]) {
        setlocale(LC_ALL, "")
        unicode = truce_locale_is_utf8() != 0
        initscr()
        active = true
        cbreak()          // Ctrl-C still raises SIGINT, handled by the run loop
        noecho()
        nonl()
        _ = truce_keypad_on()
        set_escdelay(25)
        curs_set(0)
        if has_colors() {
            start_color()
            use_default_colors()
        }
        depth = ColorDepth.choose(hasColors: has_colors(), colors: Int(truce_colors()), environment: environment)
        apply(theme)
    }

    deinit { shutdown() }

    /// Restores the terminal. Safe to call more than once.
    public func shutdown() {
        guard active else { return }
        active = false
        curs_set(1)
        endwin()
    }

    public var size: (width: Int, height: Int) { (Int(truce_cols()), Int(truce_lines())) }

    /// Sets up colour pairs for a theme and forces a full redraw.
    public func apply(_ theme: Theme) {
        attrs.removeAll()
        var pair: Int32 = 1
        for role in Role.allCases {
            let style = theme.style(role)
            var a = truce_a_normal()
            if style.bold { a |= truce_a_bold() }
            if style.dim { a |= truce_a_dim() }
            if style.underline { a |= truce_a_underline() }
            if style.reverse { a |= truce_a_reverse() }
            if depth == .attributesOnly {
                // No colour: keep the emphasis the colours carried.
                if style.bg != .terminalDefault && !style.reverse { a |= truce_a_reverse() }
                if [.tier1, .tier2, .tier3, .overdue, .unacked, .danger, .error].contains(role) { a |= truce_a_bold() }
                attrs[role] = (a, 0)
                continue
            }
            let fg = ColorMapping.number(style.fg, depth: depth)
            let bg = ColorMapping.number(style.bg, depth: depth)
            if fg.brighten { a |= truce_a_bold() }
            if pair < truce_color_pairs(), init_extended_pair(pair, Int32(fg.color), Int32(bg.color)) != ERR {
                attrs[role] = (a, pair)
                pair += 1
            } else {
                attrs[role] = (a, 0)
            }
        }
        previous = nil
    }

    /// Writes the cells that differ from the previous frame, then refreshes.
    /// A size change (or a new theme) redraws everything once.
    public func draw(_ screen: Screen) {
        let prev = (previous?.width == screen.width && previous?.height == screen.height) ? previous : nil
        if prev == nil { erase() }
        for y in 0..<screen.height {
            var x = 0
            while x < screen.width {
                let cell = screen[x, y]
                if let prev, prev[x, y] == cell { x += 1; continue }
                // A run of changed cells with one role.
                let role = cell.role
                var text = ""
                let start = x
                while x < screen.width {
                    let c = screen[x, y]
                    guard c.role == role, prev == nil || prev![x, y] != c || c.text.isEmpty else { break }
                    text += c.text
                    x += 1
                }
                // Never start a run on the right half of a wide character.
                let (a, p) = attrs[role] ?? (truce_a_normal(), 0)
                _ = truce_attr_set(a, p)
                _ = text.withCString { truce_mvaddnstr(Int32(y), Int32(start), $0, -1) }
            }
        }
        _ = truce_attr_set(truce_a_normal(), 0)
        refresh()
        previous = screen
    }

    /// Waits up to `milliseconds` (-1: until a key or a signal) for a key.
    public func readKey(milliseconds: Int32) -> Key? {
        truce_timeout(milliseconds)
        var ch: wint_t = 0
        let r = truce_get_wch(&ch)
        if r == ERR { return nil }
        if r == truce_key_code_yes() {
            switch Int32(ch) {
            case KEY_UP: return .up
            case KEY_DOWN: return .down
            case KEY_LEFT: return .left
            case KEY_RIGHT: return .right
            case KEY_PPAGE: return .pageUp
            case KEY_NPAGE: return .pageDown
            case KEY_HOME: return .home
            case KEY_END: return .end
            case KEY_BTAB: return .backTab
            case KEY_ENTER: return .enter
            case KEY_BACKSPACE: return .backspace
            case KEY_DC: return .delete
            case KEY_RESIZE: return .resize
            default: return nil
            }
        }
        switch ch {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(ch) + 96)))
        default:
            guard let u = Unicode.Scalar(UInt32(ch)) else { return nil }
            return .char(Character(u))
        }
    }
}
