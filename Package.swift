// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Valida",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "valida", targets: ["valida"]),
        .library(name: "ValidaCore", targets: ["ValidaCore"]),
        .library(name: "ValidaFormats", targets: ["ValidaFormats"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
    ],
    targets: [
        // The domain: référentiel, scales, rules, results. Pure Swift, Foundation at most.
        .target(name: "ValidaCore"),
        // Files in and out: the référentiel YAML format, reports.
        .target(
            name: "ValidaFormats",
            dependencies: ["ValidaCore", .product(name: "Yams", package: "Yams")]
        ),
        .executableTarget(
            name: "valida",
            dependencies: [
                "ValidaCore", "ValidaFormats",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "ValidaCoreTests",
            dependencies: ["ValidaCore", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "ValidaFormatsTests",
            dependencies: ["ValidaFormats", "ValidaCore"],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
