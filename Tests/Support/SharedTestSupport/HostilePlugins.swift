import Foundation
import XCTest
import FaceKit

/// Plugins that misbehave in every way issue 16 lists, compiled from one C source at test time
/// (one `-D` per behaviour) into a folder, plus a truncated copy of a real plugin and a FIFO.
public enum HostilePlugins {
    /// File name -> the macro that selects its behaviour.
    public static let behaviours: [String: String] = [
        "libabort.so": "CTOR_ABORT", "libnull.so": "CTOR_NULL", "libloop.so": "CTOR_LOOP", "libexit.so": "CTOR_EXIT",
        "libprintf.so": "CTOR_PRINTF", "libhog.so": "CTOR_ALLOCATE", "libbogus.so": "ENTRY_BOGUS",
        "libvariable.so": "ENTRY_VARIABLE", "libdtor.so": "DTOR_ABORT", "libgood.so": "GOOD",
    ]

    public static let source = #"""
    #include "tribelens_backend.h"
    #include <stdint.h>
    #include <stdio.h>
    #include <stdlib.h>
    #include <string.h>

    static tl_model *create(const tl_model_config *c, char *e, size_t n) { (void)c; tl_set_error(e, n, "hostile: no models"); return NULL; }
    static uint32_t classes(const tl_model *m) { (void)m; return 0; }
    static tl_status train(tl_model *m, const tl_sample_source *s, uint32_t b, float lr, uint64_t seed, tl_progress_fn p,
                           void *c, tl_metrics *r, char *e, size_t n) {
        (void)m; (void)s; (void)b; (void)lr; (void)seed; (void)p; (void)c; (void)r; tl_set_error(e, n, "hostile"); return TL_ERR_UNSUPPORTED;
    }
    static tl_status evaluate(tl_model *m, const tl_sample_source *s, uint32_t b, tl_progress_fn p, void *c, tl_metrics *r,
                              char *e, size_t n) {
        (void)m; (void)s; (void)b; (void)p; (void)c; (void)r; tl_set_error(e, n, "hostile"); return TL_ERR_UNSUPPORTED;
    }
    static tl_status predict(tl_model *m, const uint8_t *px, size_t count, float *out, char *e, size_t n) {
        (void)m; (void)px; (void)count; (void)out; tl_set_error(e, n, "hostile"); return TL_ERR_UNSUPPORTED;
    }
    static tl_status save(const tl_model *m, const char *d, char *e, size_t n) { (void)m; (void)d; tl_set_error(e, n, "hostile"); return TL_ERR_UNSUPPORTED; }
    static tl_model *load(const char *d, char *e, size_t n) { (void)d; tl_set_error(e, n, "hostile"); return NULL; }
    static void free_model(tl_model *m) { (void)m; }

    static const tribelens_backend table = {
        .abi_major = TRIBELENS_ABI_MAJOR, .abi_minor = 0, .struct_size = TRIBELENS_BACKEND_V1_0_SIZE,
        .id = PLUGIN_ID, .version = "1.0.0", .display_name = "Hostile", .description = "A test plugin.",
        .default_hyperparameters_json = "{}",
        .create_model = create, .class_count = classes, .train_epoch = train, .evaluate = evaluate,
        .predict = predict, .save = save, .load = load, .free_model = free_model,
    };

    #if defined(CTOR_ABORT)
    __attribute__((constructor)) static void hostile(void) { abort(); }
    #elif defined(CTOR_NULL)
    /* Volatile both ways: a plain store to NULL is undefined behaviour that GCC deletes. */
    __attribute__((constructor)) static void hostile(void) { volatile int *volatile nowhere = NULL; *nowhere = 1; }
    #elif defined(CTOR_LOOP)
    __attribute__((constructor)) static void hostile(void) { for (volatile unsigned long i = 0;; i++) {} }
    #elif defined(CTOR_EXIT)
    __attribute__((constructor)) static void hostile(void) { exit(3); }
    #elif defined(CTOR_PRINTF)
    __attribute__((constructor)) static void hostile(void) { printf("hello from a plugin constructor\n"); }
    #elif defined(CTOR_ALLOCATE)
    __attribute__((constructor)) static void hostile(void) {
        for (;;) {
            char *p = malloc(1 << 20);
            if (!p) abort();
            memset(p, 1, 1 << 20);
        }
    }
    #elif defined(DTOR_ABORT)
    __attribute__((destructor)) static void hostile(void) { abort(); }
    #endif

    #if defined(ENTRY_BOGUS)
    const tribelens_backend *tribelens_backend_entry(void) { return (const tribelens_backend *)(uintptr_t)0x10; }
    #elif defined(ENTRY_VARIABLE)
    const tribelens_backend *tribelens_backend_entry = &table;
    #else
    const tribelens_backend *tribelens_backend_entry(void) { return &table; }
    #endif
    """#

    public static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func compiler() throws -> String {
        guard let cc = ["/usr/bin/cc", "/usr/bin/gcc", "/usr/bin/clang"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("no C compiler at /usr/bin/cc, gcc or clang")
        }
        return cc
    }

    /// Compiles `macro`'s behaviour into `output` (plugin id `id`).
    public static func build(_ macro: String, id: String, to output: URL) throws {
        let folder = output.deletingLastPathComponent()
        let sourceFile = folder.appendingPathComponent("hostile.c")
        if !FileManager.default.fileExists(atPath: sourceFile.path) {
            try source.write(to: sourceFile, atomically: true, encoding: .utf8)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try compiler())
        process.arguments = ["-shared", "-fPIC", "-O1", "-D\(macro)", "-DPLUGIN_ID=\"\(id)\"",
                             "-I", repository.appendingPathComponent("Sources/BackendABI/include").path,
                             sourceFile.path, "-o", output.path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let messages = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(process.terminationStatus, 0, messages)
    }

    /// Every behaviour in `folder`, plus `libtruncated.so` (the first third of a real plugin) and
    /// `libfifo.so` (a FIFO).
    public static func make(in folder: URL) throws {
        for (name, macro) in behaviours {
            try build(macro, id: "hostile-\(macro.lowercased().replacingOccurrences(of: "_", with: "-"))",
                      to: folder.appendingPathComponent(name))
        }
        let real = try Data(contentsOf: TestPlugins.url("TestLinearBackend"))
        try real.prefix(real.count / 3).write(to: folder.appendingPathComponent("libtruncated.so"))
        XCTAssertEqual(mkfifo(folder.appendingPathComponent("libfifo.so").path, 0o644), 0)
    }

    /// The reason each file must be refused for, and a fragment of its message.
    public static let expected: [String: (PluginLoadError.Reason, String)] = [
        "libabort.so": (.crashed, "crashed (SIGABRT) while loading"),
        "libnull.so": (.crashed, "crashed (SIGSEGV) while loading"),
        "libbogus.so": (.crashed, "crashed (SIGSEGV) while loading"),
        "libloop.so": (.timedOut, "took longer than"),
        "libexit.so": (.exitedWhileLoading, "exited with status 3 while loading"),
        "libprintf.so": (.writesToStdout, "wrote 32 bytes to standard output"),
        "libhog.so": (.outOfMemory, "needs more than"),
        "libvariable.so": (.notAFunction, "tribelens_backend_entry is not a function but a variable"),
        // Loads fine; the host would die at exit, when destructors run (the probe exits normally for that).
        "libdtor.so": (.crashed, "crashed (SIGABRT) when unloaded at exit"),
        // The dynamic loader maps the missing part and dies of SIGBUS touching it.
        "libtruncated.so": (.crashed, "crashed (SIGBUS) while loading"),
        "libfifo.so": (.notRegularFile, "not a regular file (a FIFO)"),
    ]

    /// The built helper (a failure, not a skip: CI must never pass without it).
    public static func runner() throws -> IsolatedRun {
        let url = TestPlugins.directory.appendingPathComponent(HelperExecutable.probe)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw BackendError(.io, "\(HelperExecutable.probe) not found in \(TestPlugins.directory.path); build all products first")
        }
        return IsolatedRun(executable: url)
    }
}
