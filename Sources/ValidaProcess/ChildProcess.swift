import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Another program, run with `posix_spawn`. Foundation's `Process.run()` on Linux reads past
/// a buffer while it lists `/proc/self/fd` (swift-corelibs-foundation pull request 5472, not
/// in Swift 6.3.1): it crashed a whole test run, and could crash `valida backup` the same way.
/// Outputs go through temporary files rather than pipes, so nothing can fill up and block.
public final class ChildProcess: @unchecked Sendable {
    /// A finished program: its exit status (128 + the signal when one ended it) and outputs.
    public struct Result: Sendable {
        public var status: Int32
        public var output: Data
        public var errors: Data

        /// Standard output, then standard error, as text.
        public var text: String { String(decoding: output + errors, as: UTF8.self) }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let pid: pid_t
    private let lock = NSLock()
    private var exitStatus: Int32?

    private init(pid: pid_t) {
        self.pid = pid
    }

    /// Runs `executable` (a path, or a name looked up in PATH) to its end. `input` is its
    /// standard input (none: /dev/null); `discardOutput` drops standard output.
    public static func run(
        _ executable: String, _ arguments: [String], input: Data? = nil, environment: [String: String]? = nil,
        discardOutput: Bool = false
    ) throws -> Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "valida-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: directory) }
        let inputPath = directory.appendingPathComponent("in").path
        if let input { try input.write(to: URL(fileURLWithPath: inputPath)) }
        let outputPath = directory.appendingPathComponent("out").path
        let errorsPath = directory.appendingPathComponent("err").path
        let child = try start(
            executable, arguments, input: input == nil ? nil : inputPath,
            output: discardOutput ? nil : outputPath, errors: errorsPath, environment: environment)
        let status = child.wait()
        func read(_ path: String) -> Data { FileManager.default.contents(atPath: path) ?? Data() }
        return Result(status: status, output: read(outputPath), errors: read(errorsPath))
    }

    /// Starts `executable` without waiting: standard input from `input` (nil: /dev/null),
    /// output and errors into the files named (nil: /dev/null; `errors` nil and
    /// `errorsToOutput`: with the output). The program inherits no other descriptor.
    public static func start(
        _ executable: String, _ arguments: [String], input: String? = nil, output: String?, errors: String?,
        errorsToOutput: Bool = false, environment: [String: String]? = nil
    ) throws -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, input ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if errors == nil && errorsToOutput {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, errors ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        }
        #if canImport(Glibc)
            // Sockets and database files of ours stay ours: a server the tests start must not
            // keep a port of the test process open after it stops.
            _ = addCloseFrom?(&actions, 3)
        #endif

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Default signals and an empty mask, whatever the calling thread set for itself.
        var empty = sigset_t()
        var defaults = sigset_t()
        sigemptyset(&empty)
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let status = withCStrings([executable] + arguments) { argv in
            withCStrings(env) { envp in posix_spawnp(&pid, executable, &actions, &attributes, argv, envp) }
        }
        guard status == 0 else {
            throw Failure(description: "\(executable) : lancement impossible (\(String(cString: strerror(status))))")
        }
        return ChildProcess(pid: pid)
    }

    /// Waits for the end and returns the exit status (128 + the signal when one ended it).
    @discardableResult
    public func wait() -> Int32 {
        lock.lock()
        defer { lock.unlock() }
        if let exitStatus { return exitStatus }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        let status = Self.decode(raw)
        exitStatus = status
        return status
    }

    /// Whether the program still runs (reaping it if it has ended).
    public var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        if exitStatus != nil { return false }
        var raw: Int32 = 0
        let result = waitpid(pid, &raw, WNOHANG)
        if result == pid {
            exitStatus = Self.decode(raw)
            return false
        }
        return result == 0
    }

    /// Sends `signal` (SIGTERM by default) if the program still runs.
    public func terminate(_ signal: Int32 = SIGTERM) {
        if isRunning { kill(pid, signal) }
    }

    /// The wait status as a shell would say it: the exit code, or 128 + the signal.
    static func decode(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    }
}

#if canImport(Glibc)
    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which Swift's
    /// Glibc module does not declare: found at run time, skipped where missing.
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
    private let addCloseFrom: CloseFrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map {
        unsafeBitCast($0, to: CloseFrom.self)
    }
#endif

/// `strings` as a NULL-terminated array of C strings, for the duration of `body` (an argv or
/// an environment for `posix_spawn`).
public func withCStrings<T>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> T) -> T {
    var pointers = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for pointer in pointers { free(pointer) } }
    return body(pointers)
}
