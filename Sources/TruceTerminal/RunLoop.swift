import Synchronization
import TruceConsole
import TruceEngine

#if canImport(Glibc)
import Glibc
#endif

/// The last terminating signal received (SIGINT, SIGTERM, SIGHUP), or 0.
let pendingSignal = Atomic<Int32>(0)

/// Runs the console on the terminal until `q` or a terminating signal, then
/// restores the terminal. Returns the signal that ended it, or 0.
public enum RunLoop {
    /// What a live wake did.
    public struct LiveWake: Sendable {
        /// Something the board shows may have changed.
        public var changed: Bool
        /// Work is left over (a feed backlog): wake again at once, after a redraw.
        public var more: Bool
        public init(changed: Bool, more: Bool = false) { self.changed = changed; self.more = more }
    }

    /// `live`, when given, is called on every wake (at least once a second):
    /// it journals the console's outbox, feeds in what the journal gained and
    /// moves the wall clock, and says whether anything changed.
    public static func run(_ console: inout Console, environment: [String: String],
                           live: ((inout Console) -> LiveWake)? = nil) -> Int32 {
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { s in pendingSignal.store(s, ordering: .relaxed) }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0  // no SA_RESTART: a blocking read returns, and the loop sees the flag
            sigaction(sig, &action, nil)
        }
        let term = CursesTerminal(theme: console.theme, environment: environment)
        defer { term.shutdown() }
        var themeShown = console.themeIndex
        var last = monotonicSeconds()
        var screen = Screen(width: 0, height: 0)

        func render() {
            let (w, h) = term.size
            var s = Screen(width: w, height: h, unicode: term.unicode)
            BoardRenderer.render(console, into: &s)
            if s != screen {
                term.draw(s)
                screen = s
            }
        }

        render()
        var more = live != nil  // the first live wake comes at once, not at the next second
        while pendingSignal.load(ordering: .relaxed) == 0 {
            // Wake as often as something visible can change: the demo clock
            // while it runs, a second for countdowns, never while idle and paused.
            let running = console.demo.map { !$0.paused && !($0.finished && console.engine.nextTimerDue == nil) } ?? false
            let wait: Int32 = more ? 0 : running ? 100 : (console.demo != nil ? -1 : millisecondsToNextSecond())
            let key = term.readKey(milliseconds: wait)
            let now = monotonicSeconds()
            var dirty = console.tick(realSeconds: now - last)
            last = now
            if let live {
                let w = live(&console)
                if w.changed { dirty = true }
                more = w.more
            }
            if let key {
                switch console.handle(key) {
                case .quit: return 0
                case .redraw: dirty = true
                case .nothing: break
                }
                if let live, !console.outbox.isEmpty {
                    let w = live(&console)
                    if w.changed { dirty = true }
                    more = more || w.more
                }
                if key == .resize { dirty = true }
            }
            if console.themeIndex != themeShown {
                term.apply(console.theme)
                themeShown = console.themeIndex
                screen = Screen(width: 0, height: 0)
                dirty = true
            }
            if dirty || console.demo == nil { render() }
        }
        return pendingSignal.load(ordering: .relaxed)
    }

    static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func millisecondsToNextSecond() -> Int32 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int32(1000 - ts.tv_nsec / 1_000_000)
    }
}
