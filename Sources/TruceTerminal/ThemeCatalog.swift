import TruceConsole

#if canImport(Glibc)
import Glibc
#endif

/// Finds and loads themes: `--theme NAME|PATH`, else `TRUCE_THEME`; names are
/// searched in `./themes`, `$XDG_CONFIG_HOME/truce/themes` (or
/// `~/.config/truce/themes`) and the install location (`../share/truce/themes`
/// beside the executable), then among the bundled themes compiled in
/// (`BundledThemes`), so a file of the same name overrides a bundled one.
public struct ThemeCatalog: Sendable {
    public var searchPaths: [String]

    public init(searchPaths: [String]) { self.searchPaths = searchPaths }

    public static func standard(executablePath: String, environment: [String: String]) -> ThemeCatalog {
        var paths = ["themes"]
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
            paths.append(xdg + "/truce/themes")
        } else if let home = environment["HOME"], !home.isEmpty {
            paths.append(home + "/.config/truce/themes")
        }
        let binDir = executablePath.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        paths.append((binDir.isEmpty ? "." : binDir) + "/../share/truce/themes")
        return ThemeCatalog(searchPaths: paths)
    }

    /// Where a theme comes from: a file, or the binary itself.
    public func origin(of name: String) -> String {
        for dir in searchPaths where readFile("\(dir)/\(name).theme") != .missing { return "\(dir)/\(name).theme" }
        return "built in"
    }

    /// Names of the themes found, `default` first, then the bundled ones, then the rest.
    public func available() -> [String] {
        var names = BundledThemes.files.map(\.name)
        for dir in searchPaths {
            guard let d = opendir(dir) else { continue }
            defer { closedir(d) }
            while let e = readdir(d) {
                let name = withUnsafeBytes(of: e.pointee.d_name) { p in
                    String(decoding: p.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name.hasSuffix(".theme") {
                    let n = String(name.dropLast(6))
                    if !names.contains(n) { names.append(n) }
                }
            }
        }
        return names
    }

    /// Loads a theme by name or path. A name that is not found, or a file with
    /// an error, is reported; nothing is guessed.
    public func load(_ nameOrPath: String) -> Result<Theme, ThemeError> {
        let isPath = nameOrPath.contains("/") || nameOrPath.hasSuffix(".theme")
        let candidates = isPath ? [nameOrPath] : searchPaths.map { "\($0)/\(nameOrPath).theme" }
        for path in candidates {
            switch readFile(path) {
            case .missing: continue
            case .failure(let why): return .failure(ThemeError(file: path, line: 0, message: why))
            case .text(let text):
                return ThemeFile.parse(text, file: path).map { t in
                    var t = t
                    if t.name == path { t.name = isPath ? path : nameOrPath }
                    return t
                }
            }
        }
        if !isPath {
            if nameOrPath == "default" || nameOrPath.isEmpty { return .success(.builtIn) }
            if let bundled = BundledThemes.files.first(where: { $0.name == nameOrPath }) {
                return ThemeFile.parse(bundled.text, file: "(built in) \(nameOrPath).theme")
            }
        }
        let looked = isPath ? nameOrPath : candidates.joined(separator: ", ") + " and the built-in themes"
        return .failure(ThemeError(file: nameOrPath, line: 0,
                                   message: "no such theme (looked in \(looked); available: \(available().joined(separator: ", ")))"))
    }

    enum FileText: Equatable {
        case missing
        case text(String)
        /// There, but not a theme file that can be read: why.
        case failure(String)
    }

    static let maxFileBytes = 1 << 20

    func readFile(_ path: String) -> FileText {
        guard let f = fopen(path, "rb") else {
            return errno == ENOENT || errno == ENOTDIR ? .missing : .failure(String(cString: strerror(errno)))
        }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buf, 1, buf.count, f)
            if n <= 0 {
                if ferror(f) != 0 { return .failure(String(cString: strerror(errno))) }  // a directory, say
                break
            }
            bytes += buf[0..<n]
            if bytes.count > ThemeCatalog.maxFileBytes {
                return .failure("too large for a theme file (over \(ThemeCatalog.maxFileBytes >> 20) MiB)")
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { return .failure("not valid UTF-8") }
        return .text(text)
    }
}
