/*
 * tribelens-probe: loads one plugin file in a process of its own, so that a constructor that
 * aborts, writes to NULL, loops or calls exit, a malformed ELF, or an entry point that returns
 * garbage ends this process, not the app (docs/reliability.md). Started only by FaceKit's
 * IsolatedRun (PluginProbe):
 *
 *     tribelens-probe --cpu-seconds S --memory-mb M plugin FILE
 *
 * It does what the host's loader does that can crash or hang: dlopen (RTLD_NOW|RTLD_LOCAL, so
 * constructors run and every symbol is bound), dlsym, the entry call, reading the whole table
 * and its strings (bounded). The table's rules (versions, functions, id) are checked by the
 * host's own loader afterwards, in one place. Written in C because it runs for every new plugin
 * file at start-up: it starts in a millisecond, where a Swift helper linking FaceKit took 0.3 s.
 *
 * The report, one JSON object, goes to the original standard output; what the plugin prints
 * there is diverted and counted. The work runs in a forked worker (tl_probe_supervise), which
 * adds a "peak-kb N" line and ends the way the worker did. Exit status 0 with a report; 2 for
 * bad arguments; 124 when the limits cannot be set.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe_support.h"
#include "tribelens_backend.h"

/* PluginABI.maximumTextBytes: the host refuses a longer string without reading past it. */
#define MAX_TEXT 65536

static int verdict_fd = -1;

/* Appends `text` to `out` as a JSON string (escaped; at most `limit` bytes of it). */
static size_t json_string(char *out, size_t capacity, const char *text, size_t limit) {
    size_t n = 0;
#define PUT(c) do { if (n + 1 < capacity) out[n] = (c); n++; } while (0)
    PUT('"');
    for (size_t i = 0; text[i] && i < limit; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '"' || c == '\\') { PUT('\\'); PUT((char)c); }
        else if (c < 0x20) {
            char hex[8];
            snprintf(hex, sizeof hex, "\\u%04x", c);
            for (char *h = hex; *h; h++) PUT(*h);
        } else PUT((char)c);
    }
    PUT('"');
#undef PUT
    if (capacity) out[n < capacity ? n : capacity - 1] = '\0';
    return n;
}

/* Writes the report and exits normally, so the plugin's exit-time destructors run here too. */
static void report(const char *dlopen_ok, const char *entry, const char *table, const char *id, const char *abi) {
    static char line[4 * MAX_TEXT];
    char id_json[512] = "null";
    if (id) json_string(id_json, sizeof id_json, id, 128);
    int n = snprintf(line, sizeof line,
                     "{\"abi\":%s%s%s,\"dlopen\":%s,\"entry\":\"%s\",\"id\":%s,\"printed\":%lld,\"table\":%s}\n",
                     abi ? "\"" : "", abi ? abi : "null", abi ? "\"" : "", dlopen_ok, entry, id_json,
                     (long long)tl_probe_diverted_bytes(), table);
    tl_probe_write_all(verdict_fd, line, (uint64_t)n);
    close(verdict_fd);
    exit(0);
}

int main(int argc, char **argv) {
    char *end = NULL;
    if (argc != 7 || strcmp(argv[1], "--cpu-seconds") || strcmp(argv[3], "--memory-mb") || strcmp(argv[5], "plugin")) {
        fprintf(stderr, "usage: tribelens-probe --cpu-seconds S --memory-mb M plugin FILE\n");
        return 2;
    }
    unsigned long long cpu = strtoull(argv[2], &end, 10);
    if (*end || cpu == 0) return 2;
    unsigned long long memory = strtoull(argv[4], &end, 10);
    if (*end || memory == 0) return 2;
    if (tl_probe_confine(cpu, memory << 20) != 0) {
        fprintf(stderr, "tribelens-probe: cannot set resource limits: %s\n", strerror(errno));
        return 124;
    }
    verdict_fd = tl_probe_divert_stdout();
    if (verdict_fd < 0) {
        fprintf(stderr, "tribelens-probe: cannot divert standard output: %s\n", strerror(errno));
        return 124;
    }
    tl_probe_supervise(verdict_fd);
    const char *path = argv[6];

    void *library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!library) report("false", "unchecked", "null", NULL, NULL);  /* the host's loader says why, cleanly */
    void *symbol = dlsym(library, TRIBELENS_BACKEND_ENTRY_SYMBOL);
    if (!symbol) report("true", "missing", "null", NULL, NULL);

    /* A variable of that name would be "called": jump into data and crash. */
    Dl_info info;
    const ElfW(Sym) *entry_symbol = NULL;
    if (dladdr1(symbol, &info, (void **)&entry_symbol, RTLD_DL_SYMENT) && entry_symbol) {
        int type = ELF64_ST_TYPE(entry_symbol->st_info);
        if (type != STT_FUNC && type != STT_GNU_IFUNC) report("true", "variable", "null", NULL, NULL);
    }

    const tribelens_backend *table = ((tribelens_backend_entry_fn)symbol)();
    if (!table) report("true", "function", "false", NULL, NULL);
    /* The host copies the whole struct (its own ABI's size) whatever struct_size says. */
    tribelens_backend copy;
    memcpy(&copy, table, sizeof copy);
    static char abi[32];
    snprintf(abi, sizeof abi, "%u.%u", copy.abi_major, copy.abi_minor);
    /* The host reads the strings only of a table it would accept; so do we, bounded. */
    if (copy.abi_major == TRIBELENS_ABI_MAJOR && copy.struct_size >= TRIBELENS_BACKEND_V1_0_SIZE) {
        const char *texts[] = { copy.id, copy.version, copy.display_name, copy.description, copy.default_hyperparameters_json };
        volatile size_t total = 0;
        for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
            if (texts[i]) total += strnlen(texts[i], MAX_TEXT + 1);
        }
        (void)total;
        report("true", "function", "true", copy.id && strnlen(copy.id, MAX_TEXT + 1) <= MAX_TEXT ? copy.id : NULL, abi);
    }
    report("true", "function", "true", NULL, abi);
    return 0;
}
