/*
 * TestWrongABI: a plugin the host must refuse. By default its table claims ABI major 99; the
 * environment variable TRIBELENS_TEST_BROKEN_MODE picks another defect so one library covers
 * every refusal the host promises:
 *   "wrong-major" (default)  abi_major = 99
 *   "short-table"            struct_size smaller than an ABI 1.0 table
 *   "null-function"          a required function pointer is NULL
 *   "null-table"             the entry point returns NULL
 */
#include "tribelens_backend.h"

#include <stdlib.h>
#include <string.h>

static tl_model *never_create(const tl_model_config *config, char *error, size_t cap) {
    (void)config;
    tl_set_error(error, cap, "wrong-abi: this plugin never builds models");
    return NULL;
}

#define BROKEN_TABLE(major, size, create)                                       \
    {                                                                           \
        .abi_major = (major), .abi_minor = 0, .struct_size = (size),            \
        .id = "test-wrong-abi", .version = "0.0.1", .display_name = "Broken",   \
        .description = "Refused by the host.", .default_hyperparameters_json = "{}", \
        .create_model = (create)                                                \
    }

static const tribelens_backend wrong_major = BROKEN_TABLE(99, sizeof(tribelens_backend), never_create);
static const tribelens_backend short_table = BROKEN_TABLE(TRIBELENS_ABI_MAJOR, 40, never_create);
static const tribelens_backend null_function = BROKEN_TABLE(TRIBELENS_ABI_MAJOR, sizeof(tribelens_backend), NULL);

__attribute__((visibility("default"))) const tribelens_backend *tribelens_backend_entry(void) {
    const char *mode = getenv("TRIBELENS_TEST_BROKEN_MODE");
    if (mode && strcmp(mode, "short-table") == 0) return &short_table;
    if (mode && strcmp(mode, "null-function") == 0) return &null_function;
    if (mode && strcmp(mode, "null-table") == 0) return NULL;
    return &wrong_major;
}
