// swift-tools-version: 6.3
// llmnas: LLM-based neural architecture search as an embeddable library.
// The product `llmnas` is the shared library behind include/llmnas.h; `make` builds it in release mode with the
// Swift runtime linked in statically (see the Makefile).
import PackageDescription

/// The fault-injection hook (Sources/LLMNASCore/Support/FaultInjection.swift) exists in debug builds, which the tests
/// use, and never in the release library.
let faultInjection: [SwiftSetting] = [.define("LLMNAS_FAULT_INJECTION", .when(configuration: .debug))]

let package = Package(
    name: "llmnas",
    products: [
        .library(name: "llmnas", type: .dynamic, targets: ["LLMNAS"]),
        .executable(name: "llmnas-latency-models", targets: ["llmnas-latency-models"]),
        .executable(name: "llmnas-fuzz", targets: ["llmnas-fuzz"]),
    ],
    targets: [
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .systemLibrary(name: "CLLMNAS"),
        .target(name: "CKernels"),
        .target(
            name: "LLMNASCore",
            dependencies: ["CCurl", "COpenBLAS", "CKernels", "CLatencyModels"],
            swiftSettings: faultInjection
        ),
        .target(
            name: "CLatencyModels",
            cSettings: [.headerSearchPath("../../data/latency-predictors")]
        ),
        .target(
            name: "LLMNAS",
            dependencies: ["LLMNASCore", "CLLMNAS"]
        ),
        .executableTarget(
            name: "llmnas-latency-models",
            dependencies: ["LLMNASCore"]
        ),
        .executableTarget(
            name: "llmnas-fuzz",
            dependencies: ["LLMNASCore", "LLMNAS", "CLLMNAS"]
        ),
        .target(
            name: "LLMNASTestSupport",
            dependencies: ["LLMNASCore"],
            path: "Tests/Support"
        ),
        .testTarget(
            name: "LLMNASCoreTests",
            dependencies: ["LLMNASCore", "LLMNASTestSupport"]
        ),
        .testTarget(
            name: "LLMNASTests",
            dependencies: ["LLMNAS", "CLLMNAS", "LLMNASCore", "LLMNASTestSupport"],
            swiftSettings: faultInjection
        ),
    ]
)
