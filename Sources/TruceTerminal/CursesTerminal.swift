import CNcurses
import Synchronization
import TruceConsole

#if canImport(Glibc)
import Glibc
#endif

/// The last terminating signal received (SIGINT, SIGTERM, SIGHUP, …), or 0.
let receivedSignal = Atomic<Int32>(0)
/// Ctrl-Z (SIGTSTP) arrived: suspend at the next read.
let suspendRequested = Atomic<Bool>(false)

/// The tty modes from before curses started, for the crash handler (a
/// pointer in a constant: the handler touches no Swift state that could
/// need initialising or an exclusivity check).
nonisolated(unsafe) let savedTTY: UnsafeMutablePointer<termios> = .allocate(capacity: 1)
let savedTTYValid = Atomic<Bool>(false)
let crashReset: [UInt8] = Array("\u{1B}[?2004l\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1006l\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l\r\n".utf8)

/// Crash signals (a Swift trap is SIGILL or SIGTRAP) restore the terminal
/// before the process dies: the saved tty modes, and the screen modes truce
/// turns on, with async-signal-safe calls only; the signal is then raised
/// again with its default action, so the exit status and any core dump stay
/// what they would have been. This replaces the Swift runtime's handlers,
/// whose crash banner would land on the board.
func installCrashRestore() {
    savedTTYValid.store(tcgetattr(0, savedTTY) == 0, ordering: .relaxed)
    _ = crashReset.count
    for sig in [SIGSEGV, SIGILL, SIGABRT, SIGBUS, SIGFPE, SIGTRAP] {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { s in
            if savedTTYValid.load(ordering: .relaxed) { tcsetattr(0, TCSANOW, savedTTY) }
            crashReset.withUnsafeBytes { _ = Glibc.write(1, $0.baseAddress, $0.count) }
            signal(s, SIG_DFL)
            raise(s)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = Int32(truncatingIfNeeded: SA_RESETHAND)
        sigaction(sig, &action, nil)
    }
}

/// The one place that talks to curses. It sets the terminal up, flushes only
/// the cells that changed since the last frame, reads keys, and restores
/// the terminal on `shutdown` (idempotent; called on every exit path).
///
/// Keys are read as bytes (`wgetch`; keypad decoding turns the terminfo keys
/// into codes) and assembled by `KeyDecoder`, in any locale: ncurses'
/// `get_wch` stops answering under `LANG=C` after one non-ASCII byte, and
/// in a UTF-8 locale keeps reading after an invalid byte, swallowing the
/// keys that follow (`q` among them).
public final class CursesTerminal: TerminalBackend {
    public private(set) var depth: ColorDepth = .attributesOnly
    public let unicode: Bool
    private var previous: Screen?
    private var attrs: [Role: (attr_t, Int32)] = [:]
    private var selectedAttrs: [Role: (attr_t, Int32)] = [:]
    private var active = false
    private var decoder = KeyDecoder()
    private let suspendable: Bool

    /// Signals that end the console (with the terminal restored).
    static let endingSignals = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM]

    static func catchSuspend() {
        Signals.handle([SIGTSTP]) { _ in suspendRequested.store(true, ordering: .relaxed) }
    }

    /// Gives the terminal back to the shell and stops; on `fg`, takes it again
    /// and repaints everything.
    private func suspend() {
        suspendRequested.store(false, ordering: .relaxed)
        emit(CursesTerminal.pasteOff)
        truce_mouse_off()
        curs_set(1)
        endwin()
        signal(SIGTSTP, SIG_DFL)
        raise(SIGTSTP)  // stopped here until SIGCONT
        CursesTerminal.catchSuspend()
        refresh()
        curs_set(0)
        emit(CursesTerminal.pasteOn)
        invalidate()
    }

    /// The next frame repaints every cell (Ctrl-L, or after a suspend).
    public func invalidate() {
        previous = nil
        truce_redraw_all()
    }

    public func bell() { _ = beep() }  // curses flashes the screen where the terminal has no bell
    private var queued: [Key] = []

    /// Bracketed paste on: a paste arrives as one `.paste`, never as keys.
    static let pasteOn = "\u{1B}[?2004h", pasteOff = "\u{1B}[?2004l"

    /// Why the board cannot start on this terminal, in one line, or nil if it
    /// can: an unknown TERM (curses would print its own error and exit) or a
    /// terminal that cannot place the cursor (TERM=dumb would draw one line).
    public static func unusable(environment: [String: String]) -> String? {
        let term = environment["TERM"] ?? ""
        switch truce_terminal_usable() {
        case 0: return nil
        case 1:
            return term.isEmpty ? "TERM is not set; set it to your terminal's type (like xterm-256color)"
                : "no terminfo entry for TERM=\(term) here; set TERM to a type this machine knows (like xterm-256color)"
        default:
            return "TERM=\(term) cannot place the cursor; the console needs a full-screen terminal "
                + "(for scripts: truce status, log, replay, snapshot)"
        }
    }

    /// Starts curses. The locale comes from the environment (`setlocale`
    /// before `initscr`); without a UTF-8 locale the board falls back to ASCII.
    public init(theme: Theme, environment: [String: String], mouse: Bool = true) {
        // Every catchable signal that would end the process ends the run loop
        // instead, so the terminal is restored on the way out; crashes restore
        // it in their own handler.
        installCrashRestore()
        Signals.handle(CursesTerminal.endingSignals) { s in receivedSignal.store(s, ordering: .relaxed) }
        // Ctrl-Z suspends to the shell, unless the shell has no job control
        // (it then gives us SIGTSTP ignored, and nothing could bring us back).
        suspendable = truce_signal_ignored(SIGTSTP) == 0
        if suspendable { CursesTerminal.catchSuspend() }
        setlocale(LC_ALL, "")
        unicode = truce_locale_is_utf8() != 0
        initscr()
        active = true
        cbreak()          // Ctrl-C still raises SIGINT, handled by the run loop
        noecho()
        nonl()
        _ = truce_keypad_on()
        if mouse { _ = truce_mouse_on() }
        set_escdelay(25)
        curs_set(0)
        if has_colors() {
            start_color()
            use_default_colors()
        }
        depth = ColorDepth.choose(hasColors: has_colors(), colors: Int(truce_colors()), environment: environment)
        apply(theme)
        refresh()
        emit(CursesTerminal.pasteOn)
    }

    public var pendingSignal: Int32 { receivedSignal.load(ordering: .relaxed) }

    /// Writes straight to the terminal (modes curses knows nothing of).
    private func emit(_ s: String) {
        var bytes = Array(s.utf8)
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Glibc.write(1, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            bytes.removeFirst(n)
        }
    }

    deinit { shutdown() }

    /// Restores the terminal. Safe to call more than once.
    public func shutdown() {
        guard active else { return }
        active = false
        emit(CursesTerminal.pasteOff)
        truce_mouse_off()
        curs_set(1)
        endwin()
    }

    public var size: (width: Int, height: Int) { (Int(truce_cols()), Int(truce_lines())) }

    /// Sets up colour pairs for a theme (each role, and each role on the
    /// selected row) and forces a full redraw.
    public func apply(_ theme: Theme) {
        attrs.removeAll()
        selectedAttrs.removeAll()
        var pair: Int32 = 1
        for role in Role.allCases {
            let plain = attributes(theme.style(role), role: role, pair: &pair)
            attrs[role] = plain
            if depth == .attributesOnly {
                // Without colour the selected row's background becomes an underline.
                selectedAttrs[role] = (plain.0 | truce_a_underline(), plain.1)
            } else {
                selectedAttrs[role] = attributes(theme.selectedStyle(role), role: role, pair: &pair)
            }
        }
        previous = nil
    }

    /// The curses attributes and colour pair for a style, taking the next free pair.
    private func attributes(_ style: Style, role: Role, pair: inout Int32) -> (attr_t, Int32) {
        var a = truce_a_normal()
        if style.bold { a |= truce_a_bold() }
        if style.dim { a |= truce_a_dim() }
        if style.underline { a |= truce_a_underline() }
        if style.reverse { a |= truce_a_reverse() }
        if depth == .attributesOnly {
            // No colour: keep the emphasis the colours carried.
            if style.bg != .terminalDefault && !style.reverse { a |= truce_a_reverse() }
            if [.tier1, .tier2, .tier3, .overdue, .unacked, .danger, .error].contains(role) { a |= truce_a_bold() }
            return (a, 0)
        }
        let fg = ColorMapping.number(style.fg, depth: depth)
        let bg = ColorMapping.number(style.bg, depth: depth)
        if fg.brighten { a |= truce_a_bold() }
        guard pair < truce_color_pairs(), init_extended_pair(pair, Int32(fg.color), Int32(bg.color)) != ERR else { return (a, 0) }
        pair += 1
        return (a, pair - 1)
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
                // A run of changed cells with one role, all selected or none.
                let role = cell.role
                let selected = cell.selected
                var text = ""
                let start = x
                while x < screen.width {
                    let c = screen[x, y]
                    guard c.role == role, c.selected == selected, prev == nil || prev![x, y] != c || c.text.isEmpty else { break }
                    text += c.text
                    x += 1
                }
                // Never start a run on the right half of a wide character.
                let (a, p) = (selected ? selectedAttrs[role] : attrs[role]) ?? (truce_a_normal(), 0)
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
        if !queued.isEmpty { return queued.removeFirst() }
        var wait = milliseconds
        while true {
            if suspendRequested.load(ordering: .relaxed) {
                suspend()
                return .resize  // the size may have changed meanwhile; the next frame repaints all
            }
            // Half a key read: wait briefly for the rest (longer inside a paste).
            if decoder.isPending { wait = decoder.isPasting ? 500 : 30 }
            truce_timeout(wait)
            let c = truce_getch()
            if c == ERR {
                guard decoder.isPending else { return nil }
                queued += decoder.flush()
            } else if c == truce_key_mouse() {
                var x: Int32 = 0, y: Int32 = 0
                switch truce_get_mouse(&x, &y) {
                case 1: queued.append(.mouse(MouseEvent(.press, x: Int(x), y: Int(y))))
                case 2: queued.append(.mouse(MouseEvent(.wheelUp, x: Int(x), y: Int(y))))
                case 3: queued.append(.mouse(MouseEvent(.wheelDown, x: Int(x), y: Int(y))))
                default: break
                }
            } else if c >= KEY_MIN {
                if let k = CursesTerminal.special(c) { queued.append(k) }
            } else if c >= 0 && c <= 0xFF {
                queued += decoder.feed(UInt8(c))
            }
            if !queued.isEmpty { return queued.removeFirst() }
            if c == ERR { return nil }
            wait = 0
        }
    }

    /// A key curses decoded from its terminfo entry.
    static func special(_ c: Int32) -> Key? {
        switch c {
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
        default: return nil  // function keys and the like: not bound
        }
    }
}
