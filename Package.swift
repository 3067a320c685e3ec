// swift-tools-version: 6.1

import Foundation
import PackageDescription

// `VALIDA_LIBRARIES_ONLY=1 swift test` builds and tests the libraries without the web app:
// a first build in a minute or two instead of ten, for work on the domain and the formats.
let librariesOnly = ProcessInfo.processInfo.environment["VALIDA_LIBRARIES_ONLY"] == "1"

let package = Package(
    name: "Valida",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "valida", targets: ["valida"]),
        .library(name: "ValidaCore", targets: ["ValidaCore"]),
        .library(name: "ValidaFormats", targets: ["ValidaFormats"]),
        .library(name: "ValidaCredentials", targets: ["ValidaCredentials"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
        .package(url: "https://github.com/vapor/vapor.git", from: "4.115.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.12.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.8.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.10.0"),
        .package(url: "https://github.com/JohnSundell/Plot.git", from: "0.14.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.65.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
    ],
    targets: [
        // The domain: référentiel, scales, rules, results. Pure Swift, Foundation at most.
        .target(name: "ValidaCore"),
        // Files in and out: the référentiel YAML format, reports.
        .target(
            name: "ValidaFormats",
            dependencies: [
                "ValidaCore", .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Verifiable credentials: Open Badges 3.0 signed as VC-JWT, keys, status lists.
        .target(
            name: "ValidaCredentials",
            dependencies: [
                "ValidaCore",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // Sending mail: a small SMTP client on SwiftNIO (STARTTLS, implicit TLS, AUTH) and the MIME message.
        .target(
            name: "ValidaMail",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // Running other programs (pg_dump, sqlite3, the tests' tools) with posix_spawn: Foundation's
        // Process.run() on Linux can crash the caller (swift-corelibs-foundation pull request 5472).
        .target(name: "ValidaProcess"),
        // The web app: Vapor, Fluent models and migrations, pages, JSON API.
        .target(
            name: "ValidaServer",
            dependencies: [
                "ValidaCore", "ValidaFormats", "ValidaCredentials", "ValidaMail", "ValidaProcess",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Plot", package: "Plot"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            // The seed référentiel, compiled into the binary: `valida serve` works from any directory.
            resources: [.embedInCode("Seed/marketing-digital.yaml")]
        ),
        .executableTarget(
            name: "valida",
            dependencies: [
                "ValidaCore", "ValidaFormats", "ValidaServer", "ValidaProcess",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "ValidaCoreTests",
            dependencies: [
                "ValidaCore", "ValidaProcess", .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "ValidaFormatsTests",
            dependencies: ["ValidaFormats", "ValidaCore", "ValidaProcess"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "ValidaCredentialsTests",
            dependencies: ["ValidaCredentials", "ValidaCore", "ValidaFormats", "ValidaProcess"]
        ),
        .testTarget(
            name: "ValidaServerTests",
            dependencies: [
                "ValidaServer", "ValidaCore", "ValidaMail", "ValidaProcess",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

if librariesOnly {
    let server: Set<String> = ["ValidaServer", "valida", "ValidaServerTests"]
    package.targets.removeAll { server.contains($0.name) }
    package.products.removeAll { $0.name == "valida" }
}
