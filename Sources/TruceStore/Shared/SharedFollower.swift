import Synchronization
import TruceEngine

#if canImport(Glibc)
import Glibc
#endif

/// Keeps a site's mirror at the shared journal's head, off the UI loop: a
/// thread of its own LISTENs for new records (a NOTIFY carries only the
/// seq: it is a wake-up, the records are read by query, in order) and also
/// pulls every few seconds, which notices a dead link. The console reads
/// the mirror as it reads any local journal, and asks `problem` for the header.
public final class SharedFollower: Sendable {
    private let state = Mutex<String?>(nil)
    private let pulls = Atomic<Int>(0)
    private let newConflicts = Mutex<[Journal.Queued]>([])
    /// A pipe whose read end the thread polls beside the server's socket:
    /// a byte written to it wakes the thread to push at once.
    private let wakeRead: Int32
    private let wakeWrite: Int32

    /// Records the push found rejected at the shared head since the last
    /// call (each with its key and `conflict`, the reason).
    public func takeConflicts() -> [Journal.Queued] { newConflicts.withLock { c in defer { c.removeAll() }; return c } }

    /// Why the shared journal cannot be reached now, or nil.
    public var problem: String? { state.withLock { $0 } }
    /// Pulls done (for tests and benchmarks).
    public var pullCount: Int { pulls.load(ordering: .relaxed) }

    /// Seconds between pulls when nothing is notified (the heartbeat).
    public static let heartbeat = 3.0

    private init() {
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
        } else {
            fds = [-1, -1]  // no wake-ups: pushes wait for the heartbeat
        }
        wakeRead = fds[0]
        wakeWrite = fds[1]
    }

    /// Wakes the thread to push the outbox now (a record was queued);
    /// never blocks (a full pipe already holds a wake-up).
    public func wake() {
        var b: UInt8 = 1
        _ = write(wakeWrite, &b, 1)
    }

    /// Waits until `fd` is readable (-1: none), a wake-up comes, or `seconds`
    /// pass; drains the wake-ups.
    func waitFor(_ fd: Int32, seconds: Double) throws(JournalError) {
        var p = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        let rc = poll(&p, 2, Int32(seconds * 1000))
        if rc < 0 && errno != EINTR { throw JournalError("shared journal follower: \(String(cString: strerror(errno)))") }
        var sink = [UInt8](repeating: 0, count: 64)
        while read(wakeRead, &sink, sink.count) > 0 {}
    }

    /// Starts following `url` into the mirror under `dataDirectory`; with a
    /// policy, it also pushes the site's outbox whenever the server is reachable.
    /// `problem`: why the server could not be reached already (the header says OFFLINE from the first frame).
    public static func start(url: String, site: String, dataDirectory: String, push policy: Policy? = nil, problem: String? = nil,
                             now: @escaping @Sendable () -> Instant = { Instant(seconds: 0) }) -> SharedFollower {
        let follower = SharedFollower()
        follower.state.withLock { $0 = problem }
        if let why = Detached.start({ follower.run(url: url, site: site, dataDirectory: dataDirectory, policy: policy, now: now) }) {
            // No thread, no following: the header says so for good.
            follower.state.withLock { $0 = "cannot follow the shared journal: no thread (\(why))" }
        }
        return follower
    }

    private func run(url: String, site: String, dataDirectory: String, policy: Policy?, now: @escaping @Sendable () -> Instant) {
        while true {
            do {
                let shared = try SharedJournal(url: url, site: site, dataDirectory: dataDirectory)
                try shared.listen()
                while true {
                    if let policy {
                        let (_, conflicts) = try shared.push(policy: policy, now: now)
                        if !conflicts.isEmpty {
                            newConflicts.withLock { $0 += conflicts }
                        }
                    }
                    try shared.pull()
                    pulls.add(1, ordering: .relaxed)
                    state.withLock { $0 = nil }
                    if try shared.connection.notifications().isEmpty {
                        try waitFor(shared.connection.socket, seconds: SharedFollower.heartbeat)
                        _ = try shared.connection.notifications()
                    }
                }
            } catch {
                state.withLock { $0 = error.message }
                try? waitFor(-1, seconds: 1)  // a queued record tries again at once
            }
        }
    }
}

extension SharedJournal {
    /// Asks the server to notify this connection of new records.
    func listen() throws(JournalError) {
        try connection.exec("LISTEN truce_records")
    }
}

/// A detached thread of its own (POSIX threads: the only threads truce
/// starts, so Foundation is not needed for them).
enum Detached {
    private final class Body: @unchecked Sendable {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    /// Starts `body` on a new thread; nil, or why it could not.
    static func start(_ body: @escaping @Sendable () -> Void) -> String? {
        let box = Unmanaged.passRetained(Body(body)).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { raw in
            let body = Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue()
            body.run()
            return nil
        }, box)
        guard rc == 0 else {
            Unmanaged<Body>.fromOpaque(box).release()
            return String(cString: strerror(rc))
        }
        pthread_detach(thread)
        return nil
    }
}
