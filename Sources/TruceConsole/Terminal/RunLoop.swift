/// Runs a console on a terminal: reads keys, turns them and the passing of
/// time into messages for `Console.update`, hands the effects to the
/// session and its answers back to the console, and draws a frame after
/// each burst. Pending input is drained before drawing (one frame per
/// burst, so a pasted flood of keys costs one frame, and `q` in it is
/// seen in order). The console decides how long to sleep.
public enum RunLoop {
    /// Most keys taken in one burst before a frame is drawn.
    public static let burstLimit = 4096

    /// Runs until `q` or a terminating signal; returns the signal (0 for `q`).
    public static func run(_ console: inout Console, terminal: TerminalBackend, clock: RunClock,
                           session: ConsoleSession? = nil) -> Int32 {
        var previous = Screen(width: 0, height: 0)
        var themeShown = console.themeIndex
        /// Reading the journal's past can take a while: the frame saying so is drawn first.
        var slow: [Effect] = []

        /// Applies a message and everything it leads to; false on quit.
        func send(_ message: Message) -> Bool {
            var queue = [message]
            while !queue.isEmpty {
                let m = queue.removeFirst()
                for effect in console.update(m) {
                    switch effect {
                    case .quit: return false
                    case .repaint:
                        terminal.invalidate()
                        previous = Screen(width: 0, height: 0)
                    case .bell:
                        terminal.bell()
                    case .review:
                        slow.append(effect)
                    default:
                        if let session { queue += session.perform(effect) }
                    }
                }
            }
            return true
        }

        /// Carries out the slow effects held back for a frame, then draws what they bring.
        func performSlow() -> Bool {
            while !slow.isEmpty {
                let held = slow
                slow = []
                for effect in held {
                    for m in session?.perform(effect) ?? [] where !send(m) { return false }
                }
                frame()
            }
            return true
        }

        func frame() {
            if console.themeIndex != themeShown {
                terminal.apply(console.theme)
                themeShown = console.themeIndex
                previous = Screen(width: 0, height: 0)
            }
            let (w, h) = terminal.size
            if w != console.width || h != console.height { _ = send(.resize(width: w, height: h)) }
            var s = Screen(width: w, height: h, unicode: terminal.unicode)
            BoardRenderer.render(console.view(), into: &s)
            if s != previous {
                terminal.draw(s)
                previous = s
            }
            _ = send(.frameShown)
        }

        let (w, h) = terminal.size
        _ = send(.resize(width: w, height: h))
        guard send(.tick(monotonic: clock.monotonic(), wall: clock.wall())) else { return 0 }
        frame()
        while terminal.pendingSignal == 0 {
            var key = terminal.readKey(milliseconds: console.wakeAfterMilliseconds)
            var taken = 0
            // Keys first: they answer the frame on screen.
            while let k = key, terminal.pendingSignal == 0 {
                if k == .resize {
                    let (w, h) = terminal.size
                    _ = send(.resize(width: w, height: h))
                } else if !send(.key(k)) {
                    return 0
                }
                taken += 1
                key = taken < burstLimit ? terminal.readKey(milliseconds: 0) : nil
            }
            if terminal.pendingSignal != 0 { break }
            guard send(.tick(monotonic: clock.monotonic(), wall: clock.wall())) else { return 0 }
            frame()
            guard performSlow() else { return 0 }
        }
        return terminal.pendingSignal
    }
}
