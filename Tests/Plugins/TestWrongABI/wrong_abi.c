/*
 * TestWrongABI: a plugin the host must refuse. By default its table claims ABI major 99; the
 * environment variable TRIBELENS_TEST_BROKEN_MODE picks another defect so one library covers
 * every refusal the host promises:
 *   "wrong-major" (default)  abi_major = 99
 *   "short-table"            struct_size smaller than an ABI 1.0 table
 *   "null-function"          a required function pointer is NULL
 *   "null-table"             the entry point returns NULL
 *   "bad-id"                 an id with characters outside [a-z0-9-]
 *   "bad-defaults"           default hyper-parameters that are not a JSON object
 * and one table the host must ACCEPT although it is newer than the host:
 *   "newer-minor"            ABI 1.7 with a longer table (fields a future minor appended)
 */
#include "tribelens_backend.h"

#include <stdlib.h>
#include <string.h>

static tl_model *never_create(const tl_model_config *config, char *error, size_t cap) {
    (void)config;
    tl_set_error(error, cap, "wrong-abi: this plugin never builds models");
    return NULL;
}

static uint32_t no_classes(const tl_model *model) { (void)model; return 0; }
static tl_status unsupported_train(tl_model *m, const tl_sample_source *s, uint32_t b, float lr, uint64_t seed,
                                   tl_progress_fn p, void *c, tl_metrics *r, char *error, size_t cap) {
    (void)m; (void)s; (void)b; (void)lr; (void)seed; (void)p; (void)c; (void)r;
    tl_set_error(error, cap, "wrong-abi: unsupported");
    return TL_ERR_UNSUPPORTED;
}
static tl_status unsupported_evaluate(tl_model *m, const tl_sample_source *s, uint32_t b, tl_progress_fn p, void *c,
                                      tl_metrics *r, char *error, size_t cap) {
    (void)m; (void)s; (void)b; (void)p; (void)c; (void)r;
    tl_set_error(error, cap, "wrong-abi: unsupported");
    return TL_ERR_UNSUPPORTED;
}
static tl_status unsupported_predict(tl_model *m, const uint8_t *px, size_t n, float *out, char *error, size_t cap) {
    (void)m; (void)px; (void)n; (void)out;
    tl_set_error(error, cap, "wrong-abi: unsupported");
    return TL_ERR_UNSUPPORTED;
}
static tl_status unsupported_save(const tl_model *m, const char *dir, char *error, size_t cap) {
    (void)m; (void)dir;
    tl_set_error(error, cap, "wrong-abi: unsupported");
    return TL_ERR_UNSUPPORTED;
}
static tl_model *never_load(const char *dir, char *error, size_t cap) {
    (void)dir;
    tl_set_error(error, cap, "wrong-abi: this plugin never loads models");
    return NULL;
}
static void free_nothing(tl_model *model) { (void)model; }

/* A table from a hypothetical ABI 1.7: the 1.0 fields, then fields this host does not know. */
static const struct {
    tribelens_backend v1_0;
    void *appended_by_later_minors[6];
} newer_minor = {
    .v1_0 = {
        .abi_major = TRIBELENS_ABI_MAJOR, .abi_minor = 7, .struct_size = sizeof(tribelens_backend) + 6 * sizeof(void *),
        .id = "test-newer-minor", .version = "1.7.0", .display_name = "Newer minor", .description = "From ABI 1.7.",
        .default_hyperparameters_json = "{}",
        .create_model = never_create, .class_count = no_classes, .train_epoch = unsupported_train,
        .evaluate = unsupported_evaluate, .predict = unsupported_predict, .save = unsupported_save,
        .load = never_load, .free_model = free_nothing,
    },
};

#define BROKEN_TABLE(major, size, create)                                       \
    {                                                                           \
        .abi_major = (major), .abi_minor = 0, .struct_size = (size),            \
        .id = "test-wrong-abi", .version = "0.0.1", .display_name = "Broken",   \
        .description = "Refused by the host.", .default_hyperparameters_json = "{}", \
        .create_model = (create)                                                \
    }

static const tribelens_backend wrong_major = BROKEN_TABLE(99, sizeof(tribelens_backend), never_create);
static const tribelens_backend short_table = BROKEN_TABLE(TRIBELENS_ABI_MAJOR, 40, never_create);
static const tribelens_backend bad_id = {
    .abi_major = TRIBELENS_ABI_MAJOR, .struct_size = sizeof(tribelens_backend), .id = "Bad ID!", .version = "1",
    .default_hyperparameters_json = "{}", .create_model = never_create, .class_count = no_classes,
    .train_epoch = unsupported_train, .evaluate = unsupported_evaluate, .predict = unsupported_predict,
    .save = unsupported_save, .load = never_load, .free_model = free_nothing,
};
static const tribelens_backend bad_defaults = {
    .abi_major = TRIBELENS_ABI_MAJOR, .struct_size = sizeof(tribelens_backend), .id = "test-bad-defaults", .version = "1",
    .default_hyperparameters_json = "[1, 2", .create_model = never_create, .class_count = no_classes,
    .train_epoch = unsupported_train, .evaluate = unsupported_evaluate, .predict = unsupported_predict,
    .save = unsupported_save, .load = never_load, .free_model = free_nothing,
};
static const tribelens_backend null_function = BROKEN_TABLE(TRIBELENS_ABI_MAJOR, sizeof(tribelens_backend), NULL);

__attribute__((visibility("default"))) const tribelens_backend *tribelens_backend_entry(void) {
    const char *mode = getenv("TRIBELENS_TEST_BROKEN_MODE");
    if (mode && strcmp(mode, "short-table") == 0) return &short_table;
    if (mode && strcmp(mode, "null-function") == 0) return &null_function;
    if (mode && strcmp(mode, "null-table") == 0) return NULL;
    if (mode && strcmp(mode, "bad-id") == 0) return &bad_id;
    if (mode && strcmp(mode, "bad-defaults") == 0) return &bad_defaults;
    if (mode && strcmp(mode, "newer-minor") == 0) return &newer_minor.v1_0;
    return &wrong_major;
}
