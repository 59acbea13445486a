/*
 * tribelens_backend.h — the TribeLens model-backend plugin contract (ABI 1.1).
 *
 * A plugin is a shared library exporting ONE symbol:
 *
 *     const tribelens_backend *tribelens_backend_entry(void);
 *
 * It returns a pointer to a constant table that lives as long as the library is loaded.
 * Only plain C types cross the boundary (no Swift or C++ objects), so a plugin can be written in
 * C, C++ or Swift (`@_cdecl`). docs/plugin-abi.md explains every rule; in short:
 *
 * - Versioning: the host refuses a table whose `abi_major` differs from TRIBELENS_ABI_MAJOR.
 *   Minor versions only ever APPEND fields, so `struct_size` tells the host which fields exist.
 * - Errors: every fallible function returns a tl_status and writes a one-line, NUL-terminated,
 *   UTF-8 message into the caller's buffer (`error`, `error_capacity` bytes). Never abort, never
 *   throw a C++ exception across the boundary, never write to stdout.
 * - Images: RGB, uint8, row-major HWC (pixel (y, x) channel c is at (y*side + x)*3 + c), square.
 *   ABI 1.0 plugins get 64x64 box crops; from ABI 1.1 a plugin declares its side and crop kind
 *   (`input_side`, `input_kind`). Pixel values arrive raw (0-255); scaling is the model's
 *   business (tl_model_config.input_scale).
 * - Threads: the host may call from any thread, but never two calls on the same model at once.
 *   Different models may be used concurrently from different threads.
 */
#ifndef TRIBELENS_BACKEND_H
#define TRIBELENS_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TRIBELENS_ABI_MAJOR 1
#define TRIBELENS_ABI_MINOR 1

/* The exported entry point's name, for dlsym. */
#define TRIBELENS_BACKEND_ENTRY_SYMBOL "tribelens_backend_entry"

#define TL_IMAGE_SIDE 64
#define TL_IMAGE_CHANNELS 3
#define TL_IMAGE_BYTES (TL_IMAGE_SIDE * TL_IMAGE_SIDE * TL_IMAGE_CHANNELS)
/* ABI 1.1: the largest side a plugin may ask for. */
#define TL_IMAGE_MAX_SIDE 512

/* ABI 1.1: how the host turns a detected face into a plugin's image. */
typedef enum tl_input_kind {
    TL_INPUT_BOX_CROP = 0,       /* the detector's box, clamped to the photo, resized (ABI 1.0) */
    TL_INPUT_ALIGNED_5POINT = 1  /* warped so that the five landmarks sit on the standard 112-px
                                    face template scaled to the side (what face recognisers use) */
} tl_input_kind;

/* Suggested capacity of error buffers; messages are truncated to what the caller provides. */
#define TL_ERROR_CAPACITY 512

typedef enum tl_status {
    TL_OK = 0,
    TL_ERR_INVALID_ARGUMENT = 1, /* bad hyper-parameters, label out of range, zero batch size... */
    TL_ERR_OUT_OF_MEMORY = 2,
    TL_ERR_IO = 3,               /* a file could not be read or written, or the source failed */
    TL_ERR_FORMAT = 4,           /* a saved model is corrupt or from an incompatible version */
    TL_ERR_CANCELLED = 5,        /* the progress callback asked to stop */
    TL_ERR_DIVERGED = 6,         /* loss became NaN or infinite */
    TL_ERR_UNSUPPORTED = 7,
    TL_ERR_INTERNAL = 8
} tl_status;

/* A model instance, opaque to the host. */
typedef struct tl_model tl_model;

/*
 * How to build a model. Hyper-parameters common to every backend are fields; the rest is a JSON
 * object (`hyperparameters_json`, never NULL, at least "{}") whose keys are the plugin's own and
 * whose defaults are `tribelens_backend.default_hyperparameters_json`. Plugins ignore keys they
 * do not know and reject known keys with bad values (TL_ERR_INVALID_ARGUMENT).
 */
typedef struct tl_model_config {
    uint32_t struct_size;      /* sizeof(tl_model_config) as the host compiled it */
    uint32_t class_count;      /* N >= 2 outputs of the softmax */
    uint64_t seed;             /* weight initialisation; same seed, same weights */
    float input_scale;         /* the model sees pixel * input_scale (1 = raw 0-255, 1/255 = [0,1]) */
    const char *hyperparameters_json;
    /* ABI 1.1 (read only when struct_size covers it): */
    const char *cache_directory; /* a folder only this plugin uses for derived data (may be NULL) */
    uint32_t host_abi_minor;     /* the host's TRIBELENS_ABI_MINOR: >= 1 means sources have fetch_keys */
} tl_model_config;

/* Size of the ABI 1.0 config; a 1.1 plugin reads the later fields only when struct_size covers them. */
#define TL_MODEL_CONFIG_V1_0_SIZE (offsetof(tl_model_config, hyperparameters_json) + sizeof(const char *))

/*
 * A random-access set of labelled samples. The plugin asks for samples by index, in batches; the
 * host may keep them in memory or produce them on demand (decode, augment).
 * `fetch` fills `pixels` (count * TL_IMAGE_BYTES bytes) and `labels` (count entries, each in
 * [0, class_count)) for `indices[0..count)`, and returns 0 on success. On failure it returns
 * non-zero and writes a message into `error`; the plugin then returns TL_ERR_IO with that message.
 */
typedef struct tl_sample_source {
    uint64_t count;
    int32_t (*fetch)(void *context, const uint64_t *indices, size_t count,
                     uint8_t *pixels, int32_t *labels, char *error, size_t error_capacity);
    void *context;
    /*
     * ABI 1.1, present only when the model's config said host_abi_minor >= 1 (a 1.0 host's
     * source ends at `context`). Fills keys[2*i], keys[2*i+1] with a 128-bit content key of
     * sample indices[i] (equal keys: equal pixels, across runs) and its label, without the
     * pixels, so a plugin can reuse what it derived from a sample before (an embedding cache).
     */
    int32_t (*fetch_keys)(void *context, const uint64_t *indices, size_t count,
                          uint64_t *keys, int32_t *labels, char *error, size_t error_capacity);
} tl_sample_source;

/*
 * Called after every batch, with the batch count so far and the running sample-weighted mean
 * loss and accuracy of this pass. Returning non-zero asks the plugin to stop: it must return
 * TL_ERR_CANCELLED before starting another batch. May be NULL.
 */
typedef int32_t (*tl_progress_fn)(void *context, uint64_t batches_done, uint64_t batches_total,
                                  double running_loss, double running_accuracy);

/* Mean loss (categorical cross-entropy) and accuracy over all samples of one pass. */
typedef struct tl_metrics {
    double loss;
    double accuracy;
    uint64_t samples;
} tl_metrics;

/*
 * The table. Fields up to and including `free_model` are ABI 1.0; later minors append after it.
 */
typedef struct tribelens_backend {
    uint32_t abi_major;        /* TRIBELENS_ABI_MAJOR the plugin was built against */
    uint32_t abi_minor;        /* TRIBELENS_ABI_MINOR the plugin was built against */
    uint32_t struct_size;      /* sizeof(tribelens_backend) as the plugin compiled it */
    uint32_t reserved;         /* zero */

    const char *id;            /* stable, [a-z0-9-]+, e.g. "scratch-cnn" */
    const char *version;       /* the plugin's own version, e.g. "1.0.0" (stored in model.json) */
    const char *display_name;  /* for menus, e.g. "Scratch CNN (write-up)" */
    const char *description;   /* one or two sentences */
    const char *default_hyperparameters_json; /* a JSON object, at least "{}" */

    /* Builds a fresh model. Returns NULL and fills `error` on failure. */
    tl_model *(*create_model)(const tl_model_config *config, char *error, size_t error_capacity);

    /* Number of classes the model predicts (config.class_count, or the saved one). */
    uint32_t (*class_count)(const tl_model *model);

    /*
     * One epoch of mini-batch training over every sample of `source` exactly once, visiting
     * them in the order tl_shuffle_indices(count, shuffle_seed) gives, `batch_size` at a time
     * (the last batch may be smaller), at `learning_rate`. Fills `result` with the mean training
     * loss and accuracy (over the samples seen). Same model state + same arguments = same result.
     */
    tl_status (*train_epoch)(tl_model *model, const tl_sample_source *source,
                             uint32_t batch_size, float learning_rate, uint64_t shuffle_seed,
                             tl_progress_fn progress, void *progress_context,
                             tl_metrics *result, char *error, size_t error_capacity);

    /* Mean loss and accuracy over `source` in index order, without changing the model. */
    tl_status (*evaluate)(tl_model *model, const tl_sample_source *source, uint32_t batch_size,
                          tl_progress_fn progress, void *progress_context,
                          tl_metrics *result, char *error, size_t error_capacity);

    /* Class probabilities (each row sums to 1) for `count` images: probabilities[i*N + k]. */
    tl_status (*predict)(tl_model *model, const uint8_t *pixels, size_t count,
                         float *probabilities, char *error, size_t error_capacity);

    /*
     * Writes the model into the EXISTING, empty directory `directory` (the host renames it into
     * place afterwards, so the plugin never needs to write atomically itself). By convention the
     * weights go to "weights.safetensors"; the plugin may add files but must not write
     * "model.json" (the host's).
     */
    tl_status (*save)(const tl_model *model, const char *directory, char *error, size_t error_capacity);

    /* Reads a model written by `save`. Returns NULL and fills `error` on failure. */
    tl_model *(*load)(const char *directory, char *error, size_t error_capacity);

    /* Frees a model from create_model or load. NULL is allowed. */
    void (*free_model)(tl_model *model);

    /* ---- ABI 1.1 (the host reads these only when struct_size covers them) ---- */

    uint32_t input_side;       /* images are input_side x input_side; 0 means 64 */
    uint32_t input_kind;       /* a tl_input_kind */
    uint32_t capabilities;     /* TL_CAP_* bits */
    uint32_t reserved_1_1;     /* zero */

    /*
     * Optional (NULL: the host calls `predict` on the pixels). Probabilities for every sample of
     * `source` in index order, `batch_size` at a time, into probabilities[i*N + k]; with
     * TL_CAP_SIMILARITIES and a non-NULL `similarity`, also how close each face is to each
     * class's training faces, similarity[i*N + k] in [-1, 1] (e.g. the cosine to the class's
     * prototype), which the host calibrates an "unknown" threshold on. Through the source a
     * plugin can reuse what it derived from a sample before (`fetch_keys`): the host's
     * evaluations and calibration then cost no second pass through an embedding network.
     */
    tl_status (*predict_source)(tl_model *model, const tl_sample_source *source, uint32_t batch_size,
                                float *probabilities, float *similarity,
                                char *error, size_t error_capacity);

    /*
     * Optional (NULL: the host calls `load`). Like `load`, with the host's configuration:
     * `hyperparameters_json` is the saved model's hyper-parameters with paths resolved now
     * (a model file that moved is found again), `cache_directory` and `host_abi_minor` as for
     * create_model; class_count is 0 and seed 0 (they come from the saved files).
     */
    tl_model *(*load_with_config)(const char *directory, const tl_model_config *config,
                                  char *error, size_t error_capacity);
} tribelens_backend;

/* tribelens_backend.capabilities (ABI 1.1). */
#define TL_CAP_SIMILARITIES 1u  /* predict_source fills `similarity` */

/* Size of the ABI 1.0 table: a table whose struct_size is smaller is refused as "short". */
#define TRIBELENS_BACKEND_V1_0_SIZE \
    (offsetof(tribelens_backend, free_model) + sizeof(void (*)(tl_model *)))
/* Size of the ABI 1.1 table. */
#define TRIBELENS_BACKEND_V1_1_SIZE \
    (offsetof(tribelens_backend, load_with_config) + sizeof(void *))

typedef const tribelens_backend *(*tribelens_backend_entry_fn)(void);

/* The ABI this header describes, compiled into the host (abi_version.c). */
uint32_t tribelens_host_abi_major(void);
uint32_t tribelens_host_abi_minor(void);

/* ---- Helpers every plugin should use, so that all backends agree on sample order ---- */

/* SplitMix64: the generator behind tl_shuffle_indices. */
static inline uint64_t tl_splitmix64(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/*
 * Fills order[0..count) with a permutation of 0..count-1: Fisher-Yates from the back, with
 * j = splitmix64() % (i + 1). The host's Swift code implements the same function, so a test can
 * check that a plugin visits samples in the promised order.
 */
static inline void tl_shuffle_indices(uint64_t *order, uint64_t count, uint64_t seed) {
    uint64_t state = seed;
    for (uint64_t i = 0; i < count; i++) order[i] = i;
    for (uint64_t i = count; i > 1; i--) {
        uint64_t j = tl_splitmix64(&state) % i;
        uint64_t t = order[i - 1];
        order[i - 1] = order[j];
        order[j] = t;
    }
}

/* Copies `message` into an error buffer, truncating at a UTF-8 boundary-agnostic byte limit. */
static inline void tl_set_error(char *error, size_t capacity, const char *message) {
    if (!error || capacity == 0) return;
    size_t i = 0;
    if (message) {
        for (; message[i] && i + 1 < capacity; i++) error[i] = message[i];
    }
    error[i] = '\0';
}

#ifdef __cplusplus
}
#endif

#endif /* TRIBELENS_BACKEND_H */
