import Foundation
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
    private let newConflicts = Mutex<[String]>([])

    /// Conflicts the push met since the last call (`MADE: reason`).
    public func takeConflicts() -> [String] { newConflicts.withLock { c in defer { c.removeAll() }; return c } }

    /// Why the shared journal cannot be reached now, or nil.
    public var problem: String? { state.withLock { $0 } }
    /// Pulls done (for tests and benchmarks).
    public var pullCount: Int { pulls.load(ordering: .relaxed) }

    /// Seconds between pulls when nothing is notified (the heartbeat).
    public static let heartbeat = 3.0

    private init() {}

    /// Starts following `url` into the mirror under `dataDirectory`; with a
    /// policy, it also pushes the site's outbox whenever the server is reachable.
    public static func start(url: String, site: String, dataDirectory: String, push policy: Policy? = nil,
                             now: @escaping @Sendable () -> Instant = { Instant(seconds: 0) }) -> SharedFollower {
        let follower = SharedFollower()
        let thread = Thread { follower.run(url: url, site: site, dataDirectory: dataDirectory, policy: policy, now: now) }
        thread.name = "truce-shared-follower"
        thread.start()
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
                            newConflicts.withLock { $0 += conflicts.map { "queued at \($0.madeAt): \($0.conflict ?? "")" } }
                        }
                    }
                    try shared.pull()
                    pulls.add(1, ordering: .relaxed)
                    state.withLock { $0 = nil }
                    try shared.waitForNotification(seconds: SharedFollower.heartbeat)
                }
            } catch {
                state.withLock { $0 = error.message }
                usleep(1_000_000)
            }
        }
    }
}

extension SharedJournal {
    /// Asks the server to notify this connection of new records.
    func listen() throws(JournalError) {
        try connection.exec("LISTEN truce_records")
    }

    /// Waits until a notification arrives or `seconds` pass.
    func waitForNotification(seconds: Double) throws(JournalError) {
        if !(try connection.notifications()).isEmpty { return }
        var p = pollfd(fd: connection.socket, events: Int16(POLLIN), revents: 0)
        let rc = poll(&p, 1, Int32(seconds * 1000))
        if rc < 0 && errno != EINTR { throw JournalError("shared journal \(shown): \(String(cString: strerror(errno)))") }
        _ = try connection.notifications()
    }
}
