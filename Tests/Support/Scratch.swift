import Foundation

/// Where a test process keeps the files it makes: one directory under the
/// system's temporary one, removed with everything in it when the process
/// exits, so a run of the suite leaves nothing behind. (A file a developer
/// should look at after a failure, a golden screen's actual text, is written
/// beside it instead.)
public enum Scratch {
    /// `…/truce-tests-PID/`, made on first use. Short: the PostgreSQL tests
    /// put a server's Unix socket below it (at most 107 bytes of path).
    public static let directory: String = {
        let root = NSTemporaryDirectory() + "truce-tests-\(getpid())/"
        try? FileManager.default.removeItem(atPath: root)  // a PID reused after a crash
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: Scratch.directory) }
        return root
    }()
}
