// libFuzzer target: the theme file reader. Any text is a theme or an error
// naming file and line.
// Compiled into the TruceConsole module itself (see bench/fuzz.sh).
import TruceEngine

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    switch ThemeFile.parse(text, file: "fuzz.theme") {
    case .success(let t): for r in Role.allCases { _ = t.style(r) }
    case .failure(let e): precondition(e.description.hasPrefix("fuzz.theme:"))
    }
    return 0
}
