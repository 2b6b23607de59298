import TruceConsole

/// How many colours the terminal can show; themes step down to fit.
public enum ColorDepth: String, Sendable, Equatable {
    case trueColor = "true colour"
    case palette256 = "256 colours"
    case ansi8 = "8 colours"
    case attributesOnly = "no colour"

    /// Chooses a depth from what the terminal reports and the environment:
    /// `NO_COLOR` (non-empty) or a terminal without colour gets attributes only.
    public static func choose(hasColors: Bool, colors: Int, environment: [String: String]) -> ColorDepth {
        if let v = environment["NO_COLOR"], !v.isEmpty { return .attributesOnly }
        guard hasColors, colors >= 8 else { return .attributesOnly }
        if colors >= 0x1000000 { return .trueColor }
        if colors >= 256 { return .palette256 }
        return .ansi8
    }
}

/// Maps theme colours to terminal colour numbers for a depth.
public enum ColorMapping {
    /// The xterm RGB values of the 16 ANSI colours.
    static let ansiRGB: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    /// RGB of a 256-palette index (xterm's).
    static func rgb(ofIndex i: Int) -> (Int, Int, Int) {
        if i < 16 { return ansiRGB[i] }
        if i >= 232 { let v = 8 + (i - 232) * 10; return (v, v, v) }
        let n = i - 16
        let steps = [0, 95, 135, 175, 215, 255]
        return (steps[n / 36], steps[n / 6 % 6], steps[n % 6])
    }

    /// The terminal colour number for a theme colour (-1 = terminal default),
    /// and whether bold should stand in for "bright" on 8 colours.
    public static func number(_ c: ThemeColor, depth: ColorDepth) -> (color: Int, brighten: Bool) {
        switch (c, depth) {
        case (.terminalDefault, _), (_, .attributesOnly): return (-1, false)
        case (.ansi(let i), .ansi8): return (i % 8, i >= 8)
        case (.ansi(let i), .palette256): return (i, false)
        case (.ansi(let i), .trueColor):
            let (r, g, b) = ansiRGB[i]
            return (r << 16 | g << 8 | b, false)
        case (.indexed(let i), .palette256): return (i, false)
        case (.indexed(let i), .trueColor):
            let (r, g, b) = rgb(ofIndex: i)
            return (r << 16 | g << 8 | b, false)
        case (.indexed(let i), .ansi8):
            return nearestANSI(rgb(ofIndex: i))
        case (.rgb(let r, let g, let b), .trueColor): return (Int(r) << 16 | Int(g) << 8 | Int(b), false)
        case (.rgb(let r, let g, let b), .palette256): return (nearest256(Int(r), Int(g), Int(b)), false)
        case (.rgb(let r, let g, let b), .ansi8): return nearestANSI((Int(r), Int(g), Int(b)))
        }
    }

    static func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        let (dr, dg, db) = (a.0 - b.0, a.1 - b.1, a.2 - b.2)
        return dr * dr + dg * dg + db * db
    }

    static func nearest256(_ r: Int, _ g: Int, _ b: Int) -> Int {
        var best = 16, bestD = Int.max
        for i in 16..<256 {
            let d = distance(rgb(ofIndex: i), (r, g, b))
            if d < bestD { best = i; bestD = d }
        }
        return best
    }

    static func nearestANSI(_ c: (Int, Int, Int)) -> (Int, Bool) {
        var best = 0, bestD = Int.max
        for i in 0..<16 {
            let d = distance(ansiRGB[i], c)
            if d < bestD { best = i; bestD = d }
        }
        return (best % 8, best >= 8)
    }
}
