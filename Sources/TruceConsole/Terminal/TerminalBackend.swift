/// A terminal the run loop draws on and reads keys from: ncurses in the
/// executable (`CursesTerminal`), an in-memory one in tests (`MemoryTerminal`).
public protocol TerminalBackend: AnyObject {
    /// Columns and rows now.
    var size: (width: Int, height: Int) { get }
    /// Whether text may use Unicode (a UTF-8 locale).
    var unicode: Bool { get }
    /// The next key, waiting up to `milliseconds` (-1: until a key or a
    /// signal, 0: only what is already there). nil when none came.
    func readKey(milliseconds: Int32) -> Key?
    /// Shows a frame (sending only what changed).
    func draw(_ screen: Screen)
    /// Uses a theme's styles from the next frame on.
    func apply(_ theme: Theme)
    /// The next frame repaints every cell, whatever the terminal shows now.
    func invalidate()
    /// The terminal's bell (or a flash of the screen where it has no bell).
    func bell()
    /// A terminating signal that arrived (SIGINT, SIGTERM, …), or 0.
    var pendingSignal: Int32 { get }
}

/// Where the run loop's time comes from: real clocks in the executable,
/// a hand-driven one in tests.
public protocol RunClock: AnyObject {
    /// Seconds on a clock that never jumps (for demo speed).
    func monotonic() -> Double
    /// Seconds since 1970 (for the live board and journal receipt times).
    func wall() -> Double
}
