/// A terminal in memory, for tests: keys come from a script, frames are
/// kept, and waiting moves a hand-driven clock instead of sleeping.
public final class MemoryTerminal: TerminalBackend, RunClock {
    public var size: (width: Int, height: Int)
    public let unicode: Bool
    /// Keys still to type; `nil` entries mean "let time pass" (one wait).
    public var script: [Key?]
    /// Called before each key is typed (to change the world mid-run).
    public var beforeKey: ((Key?) -> Void)?
    public private(set) var frames: [Screen] = []
    public private(set) var themesApplied: [String] = []
    /// Every wait the run loop asked for (milliseconds; -1 is "until a key").
    public private(set) var waits: [Int32] = []
    public var pendingSignal: Int32 = 0
    /// Seconds on the hand-driven clocks.
    public var monotonicNow: Double
    public var wallNow: Double
    /// Raised when the script runs dry: the run loop then gets SIGTERM.
    public private(set) var ranDry = false

    public init(width: Int = 120, height: Int = 40, unicode: Bool = true, script: [Key?] = [], wall: Double = 1_770_000_000) {
        size = (width, height)
        self.unicode = unicode
        self.script = script
        monotonicNow = 1000
        wallNow = wall
    }

    public var lastFrame: Screen? { frames.last }

    public func readKey(milliseconds: Int32) -> Key? {
        if milliseconds != 0 { waits.append(milliseconds) }
        guard !script.isEmpty else {
            ranDry = true
            pendingSignal = 15
            return nil
        }
        if milliseconds == 0, script.first! == nil { return nil }  // a pause ends the burst
        let next = script.removeFirst()
        beforeKey?(next)
        if next == nil {
            // Nothing typed: the wait runs out.
            let seconds = milliseconds < 0 ? 1.0 : Double(milliseconds) / 1000
            monotonicNow += seconds
            wallNow += seconds
        }
        return next
    }

    public func draw(_ screen: Screen) { frames.append(screen) }
    public func apply(_ theme: Theme) { themesApplied.append(theme.name) }
    /// How many times a full repaint was asked for.
    public private(set) var invalidations = 0
    public func invalidate() { invalidations += 1 }
    public private(set) var bells = 0
    public func bell() { bells += 1 }
    public func monotonic() -> Double { monotonicNow }
    public func wall() -> Double { wallNow }
}
