import Foundation
import ValidaProcess

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One headless Chromium driven over `--remote-debugging-pipe`: no port is opened, so no
/// other process on the machine can reach this browser, and Chromium exits by itself when
/// its end of the socket closes (a printer that dies does not leave it behind). It runs in
/// its own process group, with its own profile and HOME under a directory of its own.
final class ChromiumProcess: @unchecked Sendable {
    enum LaunchError: Error, CustomStringConvertible {
        case socket(Int32)
        case spawn(Int32)

        var description: String {
            switch self {
            case .socket(let code): "socketpair a échoué (errno \(code))"
            case .spawn(let code): "Chromium n'a pas pu être lancé (errno \(code))"
            }
        }
    }

    let pid: pid_t
    /// Our end of the socket: Chromium reads commands on its fd 3 and writes on its fd 4,
    /// both the other end of this socket.
    let socket: Int32
    let directory: URL
    private let lock = NSLock()
    private var reaped = false

    /// The switches that keep the browser to printing: no extensions, no background
    /// traffic, no crash uploads, every host name unresolvable.
    static func arguments(profile: URL) -> [String] {
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--remote-debugging-pipe",
            "--user-data-dir=\(profile.path)", "--no-first-run", "--no-default-browser-check",
            "--disable-extensions", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-default-apps", "--disable-breakpad", "--disable-crash-reporter", "--no-pings", "--mute-audio",
            "--hide-scrollbars", "--password-store=basic", "--use-mock-keychain", "--block-new-web-contents",
            "--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "about:blank",
        ]
    }

    /// Starts `executable` with a new profile under `directory` (created, and removed by `reap`).
    init(executable: String, directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.directory = directory
        var pair: [Int32] = [-1, -1]
        #if canImport(Glibc)
            let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        #else
            let type = SOCK_STREAM
        #endif
        guard socketpair(AF_UNIX, type, 0, &pair) == 0 else { throw LaunchError.socket(errno) }
        let (ours, theirs) = (pair[0], pair[1])
        defer { close(theirs) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let log = directory.appendingPathComponent("chromium.log").path
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // dup2 clears close-on-exec on the copies: Chromium gets fds 3 and 4, nothing else of ours.
        posix_spawn_file_actions_adddup2(&actions, theirs, 3)
        posix_spawn_file_actions_adddup2(&actions, theirs, 4)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group, to end its helper processes with it; default signals and an
        // empty mask, whatever the server's threads set for themselves.
        var defaults = sigset_t()
        var empty = sigset_t()
        sigemptyset(&empty)
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let profile = directory.appendingPathComponent("profile", isDirectory: true)
        let argv = [executable] + Self.arguments(profile: profile)
        var environment = ProcessInfo.processInfo.environment
        // Chromium writes caches under HOME: keep them in this printer's own directory.
        environment["HOME"] = directory.path
        let envp = environment.map { "\($0.key)=\($0.value)" }

        var child: pid_t = 0
        let status = withCStrings(argv) { cArgv in
            withCStrings(envp) { cEnv in
                posix_spawn(&child, executable, &actions, &attributes, cArgv, cEnv)
            }
        }
        guard status == 0 else {
            close(ours)
            throw LaunchError.spawn(status)
        }
        pid = child
        socket = ours
    }

    /// Sends bytes to Chromium; false when it is gone (never a SIGPIPE).
    func write(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { buffer in
                send(socket, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += sent
        }
        return true
    }

    /// Blocks until bytes arrive; an empty array at end of stream or on error.
    func read(into buffer: inout [UInt8]) -> Int {
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress!, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            return max(count, 0)
        }
    }

    /// The end of the browser: its socket shut (Chromium exits on its own), then, after
    /// `grace`, its whole process group killed; waits for it and removes its directory.
    /// Safe to call more than once, from several threads: each call returns once it is done.
    func reap(grace: Duration = .seconds(2)) {
        lock.lock()
        defer { lock.unlock() }
        if reaped { return }
        reaped = true
        shutdown(socket, Int32(SHUT_RDWR))
        let deadline = ContinuousClock.now + grace
        var status: Int32 = 0
        var exited = false
        while ContinuousClock.now < deadline {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid || (result < 0 && errno == ECHILD) {
                exited = true
                break
            }
            usleep(20_000)
        }
        // Helpers (renderers, zygote) live in the same group: end them too.
        kill(-pid, SIGKILL)
        if !exited { waitpid(pid, &status, 0) }
        close(socket)
        try? FileManager.default.removeItem(at: directory)
    }

    /// The last lines Chromium wrote, for the log when it fails.
    var logTail: String {
        let text = (try? String(contentsOf: directory.appendingPathComponent("chromium.log"), encoding: .utf8)) ?? ""
        return String(text.suffix(2000))
    }
}
