import CLibPQ

#if canImport(Glibc)
import Glibc
#endif

/// One libpq connection, used synchronously (the shared journal's callers run
/// it off any UI loop). Errors are one line and never carry a password.
final class PGConnection {
    private var conn: OpaquePointer?
    /// libpq's functions (loaded with the first connection, not linked: see CLibPQ).
    private let pq: TruceLibPQ
    /// The connection string with any password masked, for messages.
    let shown: String

    /// Connects to a URL or `key=value` connection string. Defaults that the
    /// string may override: a 5 s connect timeout, TCP keepalives and a user
    /// timeout so a dead link fails in seconds, not minutes.
    init(_ conninfo: String, connectTimeout: Int = 5) throws(JournalError) {
        shown = PGConnection.redacted(conninfo)
        var why = [CChar](repeating: 0, count: 512)
        guard let table = truce_libpq_load(&why, why.count) else {
            throw JournalError("shared journal \(shown): \(String(decoding: why.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))")
        }
        pq = table.pointee
        let pairs: [(String, String)] = [
            ("connect_timeout", String(connectTimeout)), ("keepalives", "1"), ("keepalives_idle", "5"),
            ("keepalives_interval", "2"), ("keepalives_count", "2"), ("tcp_user_timeout", "10000"),
            ("application_name", "truce"), ("dbname", conninfo),
        ]
        let keys = pairs.map { strdup($0.0) } + [nil]
        let values = pairs.map { strdup($0.1) } + [nil]
        defer { for p in keys + values { free(p) } }
        conn = keys.map { UnsafePointer($0) }.withUnsafeBufferPointer { k in
            values.map { UnsafePointer($0) }.withUnsafeBufferPointer { v in pq.connectdbParams(k.baseAddress, v.baseAddress, 1) }
        }
        guard let conn, pq.status(conn) == CONNECTION_OK else {
            let m = conn.map { PGConnection.firstLine(PGConnection.text(pq.errorMessage($0))) } ?? "out of memory"
            pq.finish(conn)
            self.conn = nil
            let unreachable = ["Connection refused", "timeout expired", "could not translate host name", "No route to host",
                               "Network is unreachable", "server closed the connection", "Connection timed out",
                               "No such file or directory", "the database system is shutting down", "the database system is starting up"]
                .contains { m.contains($0) }
            throw JournalError("shared journal \(shown): \(m)", unreachable: unreachable)
        }
        // Server notices ("already exists, skipping") are not for the operator.
        _ = pq.setNoticeProcessor(conn, { _, _ in }, nil)
        // Statements that hang (a stalled server) fail instead of blocking forever;
        // a writer that stalls inside its transaction cannot hold the lock for long.
        _ = try exec("SET statement_timeout = '15s'; SET idle_in_transaction_session_timeout = '15s'; SET lock_timeout = '15s'")
    }

    deinit { pq.finish(conn) }

    /// The socket, to wait on for notifications.
    var socket: Int32 { pq.socket(conn) }

    var isOK: Bool { pq.status(conn) == CONNECTION_OK }

    /// A query's rows (text values, nil for NULL).
    struct Rows {
        var values: [[String?]]
        var affected: Int
    }

    /// A server error: its SQLSTATE and message.
    struct ServerError: Error {
        var state: String
        var message: String
    }

    /// Runs one statement with text parameters ($1, $2, …); several
    /// statements when there are no parameters.
    @discardableResult
    func exec(_ sql: String, _ params: [String?] = []) throws(JournalError) -> Rows {
        switch run(sql, params) {
        case .success(let r): return r
        case .failure(let e): throw JournalError("shared journal \(shown): \(e.message)")
        }
    }

    /// Like `exec`, keeping the server's error code for the caller to judge.
    func run(_ sql: String, _ params: [String?] = []) -> Result<Rows, ServerError> {
        let res: OpaquePointer?
        if params.isEmpty {
            res = pq.exec(conn, sql)
        } else {
            let copies = params.map { $0.map { strdup($0) } ?? nil }
            defer { for p in copies { free(p) } }
            res = copies.map { UnsafePointer($0) }.withUnsafeBufferPointer {
                pq.execParams(conn, sql, Int32(params.count), nil, $0.baseAddress, nil, nil, 0)
            }
        }
        defer { pq.clear(res) }
        let status = pq.resultStatus(res)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            let state = pq.resultErrorField(res, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? ""
            let message = res.flatMap { pq.resultErrorMessage($0) }.map { String(cString: $0) } ?? ""
            return .failure(ServerError(state: state, message: PGConnection.firstLine(message.isEmpty
                ? PGConnection.text(pq.errorMessage(conn)) : message)))
        }
        var rows: [[String?]] = []
        let n = pq.ntuples(res), f = pq.nfields(res)
        rows.reserveCapacity(Int(n))
        for i in 0..<n {
            var row: [String?] = []
            for j in 0..<f { row.append(pq.getisnull(res, i, j) == 1 ? nil : PGConnection.text(pq.getvalue(res, i, j))) }
            rows.append(row)
        }
        return .success(Rows(values: rows, affected: Int(PGConnection.text(pq.cmdTuples(res))) ?? 0))
    }

    /// Reads what has arrived on the socket and returns the payloads of the
    /// notifications received (a wake-up only: the data is read by query).
    func notifications() throws(JournalError) -> [String] {
        guard pq.consumeInput(conn) == 1 else {
            throw JournalError("shared journal \(shown): \(PGConnection.firstLine(PGConnection.text(pq.errorMessage(conn))))")
        }
        var out: [String] = []
        while let n = pq.notifies(conn) {
            out.append(String(cString: n.pointee.extra))
            pq.freemem(n)
        }
        return out
    }

    /// A C string libpq returned (nil, which it returns only out of memory, as empty).
    static func text(_ p: UnsafePointer<CChar>?) -> String { p.map { String(cString: $0) } ?? "" }

    /// "ERROR:  message\nDETAIL: …" → "message".
    static func firstLine(_ m: String) -> String {
        var line = m.split(separator: "\n").first.map(String.init) ?? m
        for tag in ["ERROR:  ", "FATAL:  "] { line = line.replacing(tag, with: "") }
        return line.trimmingSpaces()
    }

    /// The connection string with its password hidden: `postgres://u:***@h/db`,
    /// `password=***`.
    static func redacted(_ conninfo: String) -> String {
        if let scheme = conninfo.firstRange(of: "://") {
            let rest = conninfo[scheme.upperBound...]
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
            var out = String(conninfo[..<scheme.upperBound])
            let authority = rest[..<authorityEnd]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                out += authority[..<colon] + ":***" + authority[at...]
            } else {
                out += authority
            }
            var tail = String(rest[authorityEnd...])
            if let r = tail.firstRange(of: "password=") {
                let end = tail[r.upperBound...].firstIndex(of: "&") ?? tail.endIndex
                tail.replaceSubrange(r.upperBound..<end, with: "***")
            }
            return out + tail
        }
        // key = value pairs (libpq: spaces around "=" allowed, values quoted
        // with '…' and \-escapes): every password value becomes ***.
        let c = Array(conninfo)
        var out = ""
        var i = 0
        func skipSpaces() { while i < c.count, c[i].isWhitespace { out.append(c[i]); i += 1 } }
        while i < c.count {
            skipSpaces()
            var key = ""
            while i < c.count, !c[i].isWhitespace, c[i] != "=" { key.append(c[i]); i += 1 }
            out += key
            skipSpaces()
            guard i < c.count, c[i] == "=" else { continue }
            out.append("=")
            i += 1
            skipSpaces()
            var value = ""
            if i < c.count, c[i] == "'" {
                value.append(c[i]); i += 1
                while i < c.count, c[i] != "'" {
                    if c[i] == "\\", i + 1 < c.count { value.append(c[i]); i += 1 }
                    value.append(c[i]); i += 1
                }
                if i < c.count { value.append(c[i]); i += 1 }
            } else {
                while i < c.count, !c[i].isWhitespace { value.append(c[i]); i += 1 }
            }
            out += key == "password" ? "***" : value
        }
        return out
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return String(s)
    }
}
