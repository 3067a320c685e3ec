import Foundation
import Testing
import ValidaProcess

/// Other programs through `posix_spawn` (Foundation's `Process.run()` can crash on Linux).
@Suite("ChildProcess: exit status, outputs apart, input, PATH, signals, nothing of ours inherited")
struct ChildProcessTests {
    @Test("the exit status, standard output and standard error apart, standard input fed")
    func outputs() throws {
        let result = try ChildProcess.run(
            "sh", ["-c", "read line; echo \"out:$line\"; echo err >&2; exit 3"], input: Data("bonjour\n".utf8))
        #expect(result.status == 3)
        #expect(String(decoding: result.output, as: UTF8.self) == "out:bonjour\n")
        #expect(String(decoding: result.errors, as: UTF8.self) == "err\n")
        #expect(result.text == "out:bonjour\nerr\n")
        let quiet = try ChildProcess.run("/bin/echo", ["dropped"], discardOutput: true)
        #expect(quiet.status == 0 && quiet.output.isEmpty)
    }

    @Test("a missing program is an error naming it; a signal reads as 128 + its number")
    func failures() throws {
        #expect(throws: ChildProcess.Failure.self) { try ChildProcess.run("valida-introuvable-\(UUID())", []) }
        let killed = try ChildProcess.run("sh", ["-c", "kill -TERM $$"])
        #expect(killed.status == 128 + SIGTERM)
    }

    @Test("a started program runs until terminated; it inherits no descriptor beyond 0, 1 and 2")
    func startAndTerminate() throws {
        // An open file of ours, not close-on-exec: the child must not see it.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("valida-fd-\(UUID())").path
        let fd = open(path, O_CREAT | O_RDWR, 0o600)
        defer {
            close(fd)
            unlink(path)
        }
        let listing = try ChildProcess.run("sh", ["-c", "ls /proc/$$/fd"])
        let fds = String(decoding: listing.output, as: UTF8.self).split(separator: "\n").compactMap { Int($0) }
        #expect(!fds.contains(Int(fd)), "inherited: \(fds)")

        let sleeper = try ChildProcess.start("sleep", ["30"], output: nil, errors: nil)
        #expect(sleeper.isRunning)
        sleeper.terminate()
        #expect(sleeper.wait() == 128 + SIGTERM)
        #expect(!sleeper.isRunning)
    }
}
