/// The penalty of a masked symbol (ISO/IEC 18004, 7.8.3, Table 11); the mask of lowest
/// penalty is chosen. The finder-like rule (N3) is counted as the reference encoder we test
/// against counts it: a 1:1:3:1:1 run with four light modules on either side, or touching the
/// symbol's edge (the quiet zone is light).
enum QRPenalty {
    static func score(_ dark: [Bool], size: Int) -> Int {
        var n1 = 0
        var n2 = 0
        var n3 = 0
        var darkCount = 0
        var column = [Bool](repeating: false, count: size)
        for i in 0..<size {
            var rowRun = 0
            var columnRun = 0
            for j in 0..<size {
                let here = dark[i * size + j]
                let down = dark[j * size + i]
                column[j] = down
                if here { darkCount += 1 }
                if j > 0 && here == dark[i * size + j - 1] {
                    rowRun += 1
                } else {
                    if rowRun >= 5 { n1 += rowRun - 2 }
                    rowRun = 1
                }
                if j > 0 && down == dark[(j - 1) * size + i] {
                    columnRun += 1
                } else {
                    if columnRun >= 5 { n1 += columnRun - 2 }
                    columnRun = 1
                }
                if i > 0, j > 0, here == dark[i * size + j - 1], here == dark[(i - 1) * size + j],
                    here == dark[(i - 1) * size + j - 1]
                {
                    n2 += 3
                }
            }
            if rowRun >= 5 { n1 += rowRun - 2 }
            if columnRun >= 5 { n1 += columnRun - 2 }
            n3 += finderLike(Array(dark[i * size..<(i + 1) * size]))
            n3 += finderLike(column)
        }
        let percent = Double(darkCount) / Double(size * size)
        let n4 = 10 * Int(abs(percent * 100 - 50) / 5)
        return n1 + n2 + n3 + n4
    }

    private static let pattern: [Bool] = [true, false, true, true, true, false, true]

    /// 40 for each dark-light-dark-dark-dark-light-dark run with light modules (four, or up
    /// to the edge) before or after it.
    static func finderLike(_ line: [Bool]) -> Int {
        let size = line.count
        var count = 0
        var start = 0
        while let index = find(line, from: start) {
            let end = index + 7
            let lightBefore = !line[max(index - 4, 0)..<index].contains(true)
            let lightAfter = !line[min(end, size)..<min(end + 4, size)].contains(true)
            if index == 0 || index == size - 7 || lightBefore || lightAfter {
                count += 40
                start = end
            } else {
                start = index + 4
            }
        }
        return count
    }

    private static func find(_ line: [Bool], from start: Int) -> Int? {
        guard line.count >= 7, start <= line.count - 7 else { return nil }
        for index in start...(line.count - 7) where Array(line[index..<index + 7]) == pattern {
            return index
        }
        return nil
    }
}
