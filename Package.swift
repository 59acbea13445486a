// swift-tools-version:6.0
// TribeLens: the package layout follows docs/architecture.md (one module per layer, arrows down).
import PackageDescription

// OpenCV 4.6 headers live under /usr/include/opencv4 on Debian. We link only the modules we use
// (platform notes: linking all 56 via pkg-config costs 0.5 s start-up and 55 MB RSS). imgcodecs is
// not linked but loaded on first use (Sources/CVision/codecs.hpp: its dependencies cost 0.1 s).
let openCVModules = ["opencv_core", "opencv_imgproc", "opencv_objdetect", "opencv_dnn"]

// Plugin contract (issue 5): the C header every backend implements, and the C test plugins the
// host is tested with (Tests/Plugins; real .so files, built next to the test bundle, which the
// app's own search skips: it looks for the shipping plugins' names only, PluginSearchPath).
// BackendPluginKit turns a Swift type into that C table (linked statically into each plugin).
let testPlugins = ["TestLinearBackend", "TestWrongABI", "TestNoEntry"]
// The real backends: NeuralKit networks behind the same C table. The ones that ship are also
// listed in PluginSearchPath.shippingPlugins (FaceKit), which the Makefile's PLUGINS reads.
let neuralPlugins = ["ScratchCNN", "VGG16Transfer"]
// Face embeddings through OpenCV's SFace (CVision), with a softmax classifier on top.
let embeddingPlugins = ["SFaceEmbedding"]
let pluginProducts: [Product] = (testPlugins + ["TestSwiftBackend"] + neuralPlugins + embeddingPlugins).map { .library(name: $0, type: .dynamic, targets: [$0]) }
let pluginTargets: [Target] = [
    .target(name: "BackendABI", path: "Sources/BackendABI"),
    .target(name: "BackendPluginKit", dependencies: ["BackendABI", "TrainingMetrics"], path: "Sources/BackendPluginKit"),
    .target(name: "TestSwiftBackend", dependencies: ["BackendPluginKit", "TrainingMetrics"], path: "Tests/Plugins/TestSwiftBackend"),
    .target(name: "NeuralPluginSupport", dependencies: ["BackendPluginKit", "NeuralKit", "TrainingMetrics"], path: "Sources/NeuralPluginSupport"),
    .target(name: "ScratchCNN", dependencies: ["NeuralPluginSupport", "BackendPluginKit", "NeuralKit", "TrainingMetrics"], path: "Plugins/ScratchCNN"),
    .target(name: "VGG16Transfer", dependencies: ["NeuralPluginSupport", "BackendPluginKit", "NeuralKit", "KerasWeights", "SafeFiles", "TrainingMetrics"],
            path: "Plugins/VGG16Transfer"),
    .target(name: "SFaceEmbedding", dependencies: ["NeuralPluginSupport", "BackendPluginKit", "NeuralKit", "CVision", "SafeFiles", "TrainingMetrics"],
            path: "Plugins/SFaceEmbedding"),
] + testPlugins.map { .target(name: $0, dependencies: ["BackendABI"], path: "Tests/Plugins/\($0)") }

let package = Package(
    name: "TribeLens",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tribelens", targets: ["TribeLens"]),
        .executable(name: "tribelens-cli", targets: ["TribeLensCLI"]),
        .executable(name: "tribelens-probe", targets: ["TribeLensProbe"]),
        .executable(name: "tribelens-convert", targets: ["TribeLensConvert"]),
        .library(name: "FaceKit", targets: ["FaceKit"]),
        .library(name: "NeuralKit", targets: ["NeuralKit"]),
    ] + pluginProducts,
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System libraries: module maps only.
        .systemLibrary(name: "CGtk", path: "Sources/CGtk", pkgConfig: "gtk4"),
        .systemLibrary(name: "CHDF5", path: "Sources/CHDF5", pkgConfig: "hdf5"),
        .systemLibrary(name: "CDNNL", path: "Sources/CDNNL"),  // oneDNN convolutions and matmuls (NeuralKit)

        // C++ shim over OpenCV with a plain C API; every entry point catches C++ exceptions.
        .target(
            name: "CVision",
            path: "Sources/CVision",
            cxxSettings: [.unsafeFlags(["-I/usr/include/opencv4"])],
            // libjpeg and libpng directly too: CVision decodes JPEG and PNG itself (decode.cpp);
            // oneDNN (on GNU OpenMP) runs SFace's network (sface_chain.cpp).
            linkerSettings: (openCVModules + ["jpeg", "png16", "dnnl", "gomp"]).map { .linkedLibrary($0) }
        ),

        // Replacing a file safely (temporary file, fsync, rename, fsync the folder): the one
        // implementation every module below and above uses, so it depends on nothing.
        .target(name: "SafeFiles", path: "Sources/SafeFiles"),

        // Loss and accuracy of a pass: the one value type NeuralKit, the plugins and FaceKit share.
        .target(name: "TrainingMetrics", path: "Sources/TrainingMetrics"),

        // Tensors, layers, optimisers, weight files.
        .target(name: "NeuralKit", dependencies: ["CDNNL", "CNeuralKernels", "SafeFiles", "TrainingMetrics"], path: "Sources/NeuralKit"),
        // NeuralKit's AVX-512 inner loops with portable fallbacks, chosen at run time (C: Swift
        // has no per-function target attributes and the package builds for baseline x86-64).
        .target(name: "CNeuralKernels", path: "Sources/CNeuralKernels"),

        // Keras' legacy HDF5 weight files (libhdf5), for pretrained backbones such as VGG16.
        // (NeuralKit for safetensors: the copy a Keras file of unknown origin is converted into.)
        .target(name: "KerasWeights", dependencies: ["CHDF5", "SafeFiles", "NeuralKit"], path: "Sources/KerasWeights"),

        // UI-free application logic.
        .target(name: "FaceKit", dependencies: ["CVision", "BackendABI", "SafeFiles", "TrainingMetrics"], path: "Sources/FaceKit"),

        .executableTarget(
            name: "TribeLens",
            dependencies: ["FaceKit", "SafeFiles", "CGtk"],
            path: "Sources/TribeLens",
            // The stylesheet, compiled into the binary: nothing to find at run time, installed or not.
            resources: [.embedInCode("Desktop/style.css")]
        ),
        .executableTarget(
            name: "TribeLensCLI",
            dependencies: [
                "FaceKit", "NeuralKit", "SafeFiles",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/tribelens-cli"
        ),

        // Helpers that open untrusted files in a child process with limits, for FaceKit's
        // IsolatedRun (docs/reliability.md): plugins (C, so that it starts in a millisecond) and
        // Keras .h5 files. CProbeSupport: how both limit themselves and keep their stdout for the report.
        .target(name: "CProbeSupport", path: "Sources/CProbeSupport"),
        .executableTarget(name: "TribeLensProbe", dependencies: ["CProbeSupport", "BackendABI"], path: "Sources/tribelens-probe"),
        .executableTarget(name: "TribeLensConvert", dependencies: ["KerasWeights", "CProbeSupport"], path: "Sources/tribelens-convert"),

        .testTarget(name: "FaceKitTests", dependencies: ["FaceKit", "SharedTestSupport", "TrainingMetrics"], path: "Tests/FaceKitTests",
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "TribeLensTests", dependencies: ["TribeLens", "SharedTestSupport"], path: "Tests/TribeLensTests"),
        .testTarget(name: "KerasWeightsTests", dependencies: ["KerasWeights"], path: "Tests/KerasWeightsTests",
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "VGG16TransferTests", dependencies: ["VGG16Transfer", "NeuralKit", "KerasWeights", "BackendPluginKit", "FaceKit"],
                    path: "Tests/VGG16TransferTests", resources: [.copy("Fixtures")]),
        .testTarget(name: "SafeFilesTests", dependencies: ["SafeFiles"], path: "Tests/SafeFilesTests"),
        .testTarget(name: "NeuralKitTests", dependencies: ["NeuralKit", "TrainingMetrics"], path: "Tests/NeuralKitTests",
                    resources: [.copy("Fixtures")]),

        // Helpers several test targets share: the built test plugins, ../shared data, temporary
        // folders, synthetic faces and models, a loopback HTTP server, and the fakes (a detector,
        // a backend). Only test targets use it.
        .target(name: "SharedTestSupport", dependencies: ["FaceKit", "TrainingMetrics"], path: "Tests/Support/SharedTestSupport"),
        // They run the built tribelens-cli as a subprocess (the binary next to the test bundle), so
        // they need FaceKit for the files they check, not the CLI's module.
        .testTarget(name: "TribeLensCLITests", dependencies: ["FaceKit", "SharedTestSupport"], path: "Tests/TribeLensCLITests"),
        // These load the built plugins (.so) through FaceKit's host, as the app does, instead of
        // linking them: BackendPluginKit through TestSwiftBackend, then the real backends.
        .testTarget(name: "BackendPluginKitTests", dependencies: ["FaceKit", "SharedTestSupport"], path: "Tests/BackendPluginKitTests"),
        .testTarget(name: "ScratchCNNTests", dependencies: ["FaceKit", "SharedTestSupport"], path: "Tests/ScratchCNNTests"),
        .testTarget(name: "SFaceEmbeddingTests", dependencies: ["FaceKit", "CVision", "SharedTestSupport"],
                    path: "Tests/SFaceEmbeddingTests"),
        .testTarget(name: "NeuralPluginSupportTests", dependencies: ["NeuralPluginSupport", "BackendPluginKit"],
                    path: "Tests/NeuralPluginSupportTests"),
    ] + pluginTargets,
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)
