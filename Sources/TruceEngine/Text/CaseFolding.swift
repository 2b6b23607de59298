/// Unicode case folding, for matching sector names (R2) without Foundation:
/// linking Foundation (and its ICU data) cost every command a few
/// milliseconds of start-up and made every protocol-conformance lookup scan
/// its tables. The table (`CaseFoldingTable.swift`) is generated from
/// Foundation's own folding by `scripts/gen-casefold.swift`, and a test checks
/// every scalar against Foundation, so keys stay exactly what they were.
public enum CaseFolding {
    /// `s` case-folded, scalar by scalar.
    public static func fold(_ s: String) -> String {
        // Most names are ASCII with a capital or two: only those bytes change.
        var plain = true
        for b in s.utf8 where b >= 0x80 || (b >= 0x41 && b <= 0x5A) {
            plain = false
            break
        }
        if plain { return s }
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                out.append(v >= 0x41 && v <= 0x5A ? Unicode.Scalar(UInt8(v + 0x20)) : scalar)
            } else if let i = index(of: v) {
                out.append(contentsOf: folded[i].unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// Where `v` is in the table (a binary search), if it folds to something else.
    static func index(of v: UInt32) -> Int? {
        var lo = 0, hi = scalars.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if scalars[mid] < v { lo = mid + 1 } else { hi = mid }
        }
        return lo < scalars.count && scalars[lo] == v ? lo : nil
    }
}
