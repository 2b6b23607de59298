#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where headless output goes: a file descriptor with a large buffer, or
/// memory (for tests).
public final class OutputSink {
    private let fd: Int32?
    public private(set) var captured: [UInt8] = []
    private var buffer: [UInt8] = []
    private let flushAt = 1 << 16

    /// Standard output.
    public static func stdout() -> OutputSink {
        widenPipe(1)
        return OutputSink(fd: 1)
    }
    /// Standard error.
    public static func stderr() -> OutputSink { OutputSink(fd: 2) }
    /// Keeps everything in memory; read it with `text`.
    public static func memory() -> OutputSink { OutputSink(fd: nil) }

    init(fd: Int32?) {
        self.fd = fd
        buffer.reserveCapacity(flushAt * 2)
    }

    deinit { flush() }

    public var text: String { flush(); return String(decoding: captured, as: UTF8.self) }

    public func write(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= flushAt { flush() }
    }

    /// Bytes lent for the call (a writer's own buffer): copied once, into
    /// the sink's buffer, or not at all when that is empty and they are many.
    public func write(_ bytes: UnsafeRawBufferPointer) {
        if buffer.isEmpty, bytes.count >= flushAt, let fd {
            writeAll(fd, bytes)
            return
        }
        buffer.append(contentsOf: bytes)
        if buffer.count >= flushAt { flush() }
    }

    public func write(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= flushAt { flush() }
    }

    public func line(_ s: String) { write(s); buffer.append(0x0A) }

    public func flush() {
        guard !buffer.isEmpty else { return }
        guard let fd else {
            captured.append(contentsOf: buffer)
            buffer.removeAll(keepingCapacity: true)
            return
        }
        buffer.withUnsafeBytes { writeAll(fd, $0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ fd: Int32, _ p: UnsafeRawBufferPointer) {
        var off = 0
        while off < p.count {
            let n = Glibc.write(fd, p.baseAddress! + off, p.count - off)
            if n < 0 {
                if errno == EINTR { continue }
                return  // EPIPE and the like: the reader has gone; nothing more to do
            }
            off += n
        }
    }
}
