import Foundation
import TruceTestSupport

/// Runs a command in a detached tmux session of its own server, types into
/// it and reads its screen, as a person at the terminal would.
final class Tmux {
    let socket: String
    let session = "truce"

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts `command` in a `width`×`height` pane. When the command ends the
    /// pane prints `TRUCE-EXIT=<status>` and stays open, so tests can check
    /// that the terminal was left clean.
    init(width: Int, height: Int, command: String, environment: [String: String] = [:], directory: String? = nil) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") || Tmux.which("tmux") != nil else {
            throw Failure(description: "tmux is required for the console tests (apt-get install tmux)")
        }
        socket = "truce-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        var env = ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "tmux-256color"]
        env.merge(environment) { $1 }
        let exports = env.sorted { $0.key < $1.key }.map { "\($0.key)=\(Tmux.quote($0.value))" }.joined(separator: " ")
        let cd = directory.map { "cd \(Tmux.quote($0)) && " } ?? ""
        // Start from a known environment: the test runner may set NO_COLOR or COLORTERM.
        let unset = ["NO_COLOR", "COLORTERM", "TRUCE_THEME"].filter { env[$0] == nil }.map { "-u \($0)" }.joined(separator: " ")
        let script = "\(cd)env \(unset) \(exports) \(command); echo TRUCE-EXIT=$?; exec sleep 600"
        try run(["new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", "sh", "-c", script])
        try run(["set-option", "-t", session, "window-size", "manual"])
    }

    // kill-session, not kill-server: tmux 3.3 can keep serving after kill-server;
    // with no session left the server exits by itself.
    deinit { _ = try? run(["kill-session", "-t", session]) }

    /// Types keys: tmux key names (`Enter`, `Escape`, `BTab`, `Up`) or literal text.
    func send(_ keys: String..., literal: Bool = false) throws {
        try run(["send-keys", "-t", session] + (literal ? ["-l", "--"] : []) + keys)
    }

    /// Starts `command` in a second window, in the background (the first stays
    /// the current one), with the same environment as the first.
    func background(_ command: String) throws {
        try run(["new-window", "-d", "-t", "\(session):1", "sh", "-c",
                 "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=tmux-256color \(command); exec sleep 600"])
    }

    /// Whether a window has rung its bell (tmux flags a bell in a window that is not the current one).
    func bellRang(window: Int) throws -> Bool {
        try run(["display-message", "-p", "-t", "\(session):\(window)", "#{window_bell_flag}"])
            .trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }

    func resize(width: Int, height: Int) throws {
        try run(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"])
    }

    /// The visible screen as text; with `escapes`, including colour codes.
    func screen(escapes: Bool = false) throws -> String {
        try run(["capture-pane", "-p", "-t", session] + (escapes ? ["-e"] : []))
    }

    /// Waits until the screen contains `text` (or `predicate` holds) and returns it.
    @discardableResult
    func waitFor(_ text: String, timeout: Double = 15) throws -> String {
        try waitUntil(timeout: timeout, what: "\"\(text)\"") { $0.contains(text) }
    }

    /// Waits until every text is on the screen at once (never assert on a
    /// screen captured while still being painted).
    @discardableResult
    func waitForAll(_ texts: String..., timeout: Double = 15) throws -> String {
        try waitUntil(timeout: timeout, what: texts.map { "\"\($0)\"" }.joined(separator: " and ")) { screen in
            texts.allSatisfy { screen.contains($0) }
        }
    }

    @discardableResult
    func waitUntil(timeout: Double = 15, what: String, _ predicate: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if predicate(last) { return last }
            usleep(30_000)
        }
        throw Failure(description: "timed out waiting for \(what); the screen was:\n\(last)")
    }

    /// The pid of the process running in the pane's shell, for signals.
    func childPid(matching pattern: String) throws -> Int32? {
        let out = try Tmux.capture("/usr/bin/pgrep", ["-f", pattern])
        return out.split(separator: "\n").compactMap { Int32($0) }.first
    }

    @discardableResult
    private func run(_ args: [String]) throws -> String {
        try Tmux.capture(Tmux.which("tmux") ?? "/usr/bin/tmux", ["-L", socket] + args)
    }

    /// Runs a command and returns its output. Spawned with posix_spawn and
    /// reaped with waitpid, its output going through a file: Foundation's
    /// Process waits on a descriptor that a daemonising tmux server inherits,
    /// and would never see the client exit.
    static func capture(_ exe: String, _ args: [String]) throws -> String {
        let path = Scratch.directory + "truce-tmux-\(UUID().uuidString)"
        defer { unlink(path) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([exe] + args).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, exe, &actions, nil, argv, environ)
        guard rc == 0 else { throw Failure(description: "cannot run \(exe): \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
    }

    static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
