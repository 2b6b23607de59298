import TruceConsole
import TruceTerminal

#if canImport(Glibc)
import Glibc
#endif

/// Loads the theme named by `--theme`, else `TRUCE_THEME`, else the built-in default.
func loadTheme(_ option: String?) throws -> Theme {
    let env = ProcessInfoLite.environment
    let name = option ?? env["TRUCE_THEME"] ?? "default"
    switch themeCatalog().load(name) {
    case .success(let t): return t
    case .failure(let e): throw fail(e.description)
    }
}

func themeCatalog() -> ThemeCatalog {
    ThemeCatalog.standard(executablePath: ProcessInfoLite.executablePath, environment: ProcessInfoLite.environment)
}

/// The bits of the process environment the CLI needs, without Foundation.
enum ProcessInfoLite {
    static var environment: [String: String] {
        var env: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") { env[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
            p += 1
        }
        return env
    }

    static var executablePath: String {
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buf, buf.count - 1)
        return n > 0 ? String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
    }
}
