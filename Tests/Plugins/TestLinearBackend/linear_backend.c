/*
 * TestLinearBackend: a tiny but real backend for tests of the plugin host, the training session
 * and the model store. Softmax regression on average-pooled pixels (64x64x3 -> (64/pool)^2 x 3
 * features), mini-batch SGD on categorical cross-entropy. It learns separable data in a few
 * epochs, trains in milliseconds, and saves a real safetensors file.
 *
 * Hyper-parameters (JSON): {"pool": 8}  pooling window, one of 1, 2, 4, 8, 16, 32, 64.
 */
#include "tribelens_backend.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINEAR_VERSION "1.0.0"
#define WEIGHTS_FILE "weights.safetensors"

struct tl_model {
    uint32_t classes;
    uint32_t pool;
    uint32_t features;
    float input_scale;
    float *weights; /* classes x features, row-major */
    float *bias;    /* classes */
};

/* ---- small helpers ---- */

static void set_errorf(char *error, size_t capacity, const char *format, const char *detail) {
    char buffer[TL_ERROR_CAPACITY];
    snprintf(buffer, sizeof buffer, format, detail);
    tl_set_error(error, capacity, buffer);
}

/* Reads an integer value for `"key":` from a flat JSON object; returns 1 if present. Enough for
 * the one key this test backend knows; a real plugin would use a real JSON parser. */
static int json_int(const char *json, const char *key, long *value) {
    char needle[64];
    snprintf(needle, sizeof needle, "\"%s\"", key);
    const char *at = strstr(json, needle);
    if (!at) return 0;
    at += strlen(needle);
    while (*at == ' ' || *at == '\t' || *at == '\n' || *at == '\r') at++;
    if (*at != ':') return -1;
    at++;
    char *end = NULL;
    errno = 0;
    *value = strtol(at, &end, 10);
    if (end == at || errno) return -1;
    return 1;
}

static tl_model *alloc_model(uint32_t classes, uint32_t pool, float input_scale) {
    tl_model *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    uint32_t side = TL_IMAGE_SIDE / pool;
    m->classes = classes;
    m->pool = pool;
    m->features = side * side * TL_IMAGE_CHANNELS;
    m->input_scale = input_scale;
    m->weights = calloc((size_t)classes * m->features, sizeof(float));
    m->bias = calloc(classes, sizeof(float));
    if (!m->weights || !m->bias) {
        free(m->weights); free(m->bias); free(m);
        return NULL;
    }
    return m;
}

static void linear_free(tl_model *m) {
    if (!m) return;
    free(m->weights);
    free(m->bias);
    free(m);
}

/* Average-pools one image into `features`, scaled by input_scale. */
static void featurize(const tl_model *m, const uint8_t *pixels, float *features) {
    uint32_t side = TL_IMAGE_SIDE / m->pool;
    float norm = m->input_scale / (float)(m->pool * m->pool);
    for (uint32_t by = 0; by < side; by++)
        for (uint32_t bx = 0; bx < side; bx++)
            for (uint32_t c = 0; c < TL_IMAGE_CHANNELS; c++) {
                uint32_t sum = 0;
                for (uint32_t y = by * m->pool; y < (by + 1) * m->pool; y++)
                    for (uint32_t x = bx * m->pool; x < (bx + 1) * m->pool; x++)
                        sum += pixels[(y * TL_IMAGE_SIDE + x) * TL_IMAGE_CHANNELS + c];
                features[(by * side + bx) * TL_IMAGE_CHANNELS + c] = (float)sum * norm;
            }
}

/* Softmax probabilities of one feature vector; returns the log-sum-exp of the logits. */
static double forward(const tl_model *m, const float *features, float *probs) {
    double maxz = -INFINITY;
    for (uint32_t k = 0; k < m->classes; k++) {
        double z = m->bias[k];
        const float *w = m->weights + (size_t)k * m->features;
        for (uint32_t f = 0; f < m->features; f++) z += (double)w[f] * features[f];
        probs[k] = (float)z;
        if (z > maxz) maxz = z;
    }
    double sum = 0;
    for (uint32_t k = 0; k < m->classes; k++) sum += exp((double)probs[k] - maxz);
    double lse = maxz + log(sum);
    for (uint32_t k = 0; k < m->classes; k++) probs[k] = (float)exp((double)probs[k] - lse);
    return lse;
}

static uint32_t argmax(const float *v, uint32_t n) {
    uint32_t best = 0;
    for (uint32_t k = 1; k < n; k++) if (v[k] > v[best]) best = k;
    return best;
}

/* ---- the table's functions ---- */

static tl_model *linear_create(const tl_model_config *config, char *error, size_t cap) {
    if (!config || config->struct_size < TL_MODEL_CONFIG_V1_0_SIZE) {
        tl_set_error(error, cap, "linear: model config is missing or too short");
        return NULL;
    }
    if (config->class_count < 2) {
        tl_set_error(error, cap, "linear: need at least 2 classes");
        return NULL;
    }
    if (!(config->input_scale > 0) || !isfinite(config->input_scale)) {
        tl_set_error(error, cap, "linear: input_scale must be a positive number");
        return NULL;
    }
    long pool = 8;
    int found = json_int(config->hyperparameters_json ? config->hyperparameters_json : "{}", "pool", &pool);
    if (found < 0 || pool < 1 || pool > 64 || (64 % pool) != 0) {
        tl_set_error(error, cap, "linear: hyper-parameter \"pool\" must be 1, 2, 4, 8, 16, 32 or 64");
        return NULL;
    }
    tl_model *m = alloc_model(config->class_count, (uint32_t)pool, config->input_scale);
    if (!m) {
        tl_set_error(error, cap, "linear: out of memory");
        return NULL;
    }
    uint64_t state = config->seed;
    size_t n = (size_t)m->classes * m->features;
    for (size_t i = 0; i < n; i++) {
        /* uniform in [-0.01, 0.01) from the top 24 bits */
        double u = (double)(tl_splitmix64(&state) >> 40) / 16777216.0;
        m->weights[i] = (float)((u * 2.0 - 1.0) * 0.01);
    }
    return m;
}

static uint32_t linear_class_count(const tl_model *m) { return m ? m->classes : 0; }

/* One pass over `source`; trains when learning_rate > 0 (in shuffled order), else evaluates. */
static tl_status run_pass(tl_model *m, const tl_sample_source *source, uint32_t batch_size,
                          float learning_rate, int training, uint64_t seed,
                          tl_progress_fn progress, void *progress_context,
                          tl_metrics *result, char *error, size_t cap) {
    if (!m || !source || !source->fetch || !result) {
        tl_set_error(error, cap, "linear: NULL argument");
        return TL_ERR_INVALID_ARGUMENT;
    }
    if (batch_size == 0) {
        tl_set_error(error, cap, "linear: batch size must be at least 1");
        return TL_ERR_INVALID_ARGUMENT;
    }
    uint64_t count = source->count;
    uint64_t batches = (count + batch_size - 1) / batch_size;
    uint64_t *order = malloc((count ? count : 1) * sizeof *order);
    uint8_t *pixels = malloc((size_t)batch_size * TL_IMAGE_BYTES);
    int32_t *labels = malloc((size_t)batch_size * sizeof *labels);
    float *features = malloc((size_t)batch_size * m->features * sizeof(float));
    float *probs = malloc((size_t)batch_size * m->classes * sizeof(float));
    float *grad_w = training ? calloc((size_t)m->classes * m->features, sizeof(float)) : NULL;
    float *grad_b = training ? calloc(m->classes, sizeof(float)) : NULL;
    tl_status status = TL_OK;
    if (!order || !pixels || !labels || !features || !probs || (training && (!grad_w || !grad_b))) {
        tl_set_error(error, cap, "linear: out of memory");
        status = TL_ERR_OUT_OF_MEMORY;
        goto done;
    }
    if (training) tl_shuffle_indices(order, count, seed);
    else for (uint64_t i = 0; i < count; i++) order[i] = i;

    double loss_sum = 0, correct = 0;
    uint64_t seen = 0;
    for (uint64_t b = 0; b < batches; b++) {
        uint64_t start = b * batch_size;
        size_t n = (size_t)((count - start) < batch_size ? (count - start) : batch_size);
        char fetch_error[TL_ERROR_CAPACITY] = "";
        if (source->fetch(source->context, order + start, n, pixels, labels, fetch_error, sizeof fetch_error) != 0) {
            set_errorf(error, cap, "linear: sample source failed: %s", fetch_error);
            status = TL_ERR_IO;
            goto done;
        }
        for (size_t i = 0; i < n; i++) {
            if (labels[i] < 0 || (uint32_t)labels[i] >= m->classes) {
                tl_set_error(error, cap, "linear: label out of range");
                status = TL_ERR_INVALID_ARGUMENT;
                goto done;
            }
            float *f = features + i * m->features;
            float *p = probs + i * m->classes;
            featurize(m, pixels + i * TL_IMAGE_BYTES, f);
            double lse = forward(m, f, p);
            /* -log softmax_y computed from the logits; p[y] alone would underflow to 0 */
            double logit = m->bias[labels[i]];
            const float *w = m->weights + (size_t)labels[i] * m->features;
            for (uint32_t k = 0; k < m->features; k++) logit += (double)w[k] * f[k];
            loss_sum += lse - logit;
            correct += argmax(p, m->classes) == (uint32_t)labels[i];
        }
        seen += n;
        if (!isfinite(loss_sum)) {
            tl_set_error(error, cap, "linear: loss is not finite (diverged); lower the learning rate");
            status = TL_ERR_DIVERGED;
            goto done;
        }
        if (training) {
            memset(grad_w, 0, (size_t)m->classes * m->features * sizeof(float));
            memset(grad_b, 0, m->classes * sizeof(float));
            for (size_t i = 0; i < n; i++) {
                const float *f = features + i * m->features;
                for (uint32_t k = 0; k < m->classes; k++) {
                    float g = probs[i * m->classes + k] - ((uint32_t)labels[i] == k ? 1.0f : 0.0f);
                    float *gw = grad_w + (size_t)k * m->features;
                    for (uint32_t j = 0; j < m->features; j++) gw[j] += g * f[j];
                    grad_b[k] += g;
                }
            }
            float step = learning_rate / (float)n;
            size_t total = (size_t)m->classes * m->features;
            for (size_t j = 0; j < total; j++) m->weights[j] -= step * grad_w[j];
            for (uint32_t k = 0; k < m->classes; k++) m->bias[k] -= step * grad_b[k];
        }
        if (progress && progress(progress_context, b + 1, batches, loss_sum / seen, correct / seen) != 0) {
            tl_set_error(error, cap, "linear: cancelled");
            status = TL_ERR_CANCELLED;
            goto done;
        }
    }
    result->loss = seen ? loss_sum / seen : 0;
    result->accuracy = seen ? correct / seen : 0;
    result->samples = seen;
done:
    free(order); free(pixels); free(labels); free(features); free(probs); free(grad_w); free(grad_b);
    return status;
}

static tl_status linear_train_epoch(tl_model *m, const tl_sample_source *source, uint32_t batch_size,
                                    float learning_rate, uint64_t shuffle_seed,
                                    tl_progress_fn progress, void *progress_context,
                                    tl_metrics *result, char *error, size_t cap) {
    if (!(learning_rate > 0) || !isfinite(learning_rate)) {
        tl_set_error(error, cap, "linear: learning rate must be a positive number");
        return TL_ERR_INVALID_ARGUMENT;
    }
    return run_pass(m, source, batch_size, learning_rate, 1, shuffle_seed, progress, progress_context,
                    result, error, cap);
}

static tl_status linear_evaluate(tl_model *m, const tl_sample_source *source, uint32_t batch_size,
                                 tl_progress_fn progress, void *progress_context,
                                 tl_metrics *result, char *error, size_t cap) {
    return run_pass(m, source, batch_size, 0, 0, 0, progress, progress_context, result, error, cap);
}

static tl_status linear_predict(tl_model *m, const uint8_t *pixels, size_t count, float *probabilities,
                                char *error, size_t cap) {
    if (!m || (count && (!pixels || !probabilities))) {
        tl_set_error(error, cap, "linear: NULL argument");
        return TL_ERR_INVALID_ARGUMENT;
    }
    float *features = malloc(m->features * sizeof(float));
    if (!features) {
        tl_set_error(error, cap, "linear: out of memory");
        return TL_ERR_OUT_OF_MEMORY;
    }
    for (size_t i = 0; i < count; i++) {
        featurize(m, pixels + i * TL_IMAGE_BYTES, features);
        forward(m, features, probabilities + i * m->classes);
    }
    free(features);
    return TL_OK;
}

/* ---- safetensors: 8-byte little-endian header length, JSON header, raw little-endian data ---- */

static tl_status linear_save(const tl_model *m, const char *directory, char *error, size_t cap) {
    if (!m || !directory) {
        tl_set_error(error, cap, "linear: NULL argument");
        return TL_ERR_INVALID_ARGUMENT;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", directory, WEIGHTS_FILE);
    size_t wbytes = (size_t)m->classes * m->features * sizeof(float);
    size_t bbytes = (size_t)m->classes * sizeof(float);
    char header[1024];
    int len = snprintf(header, sizeof header,
        "{\"__metadata__\":{\"backend\":\"test-linear\",\"classes\":\"%u\",\"pool\":\"%u\",\"input_scale\":\"%.9g\"},"
        "\"bias\":{\"dtype\":\"F32\",\"shape\":[%u],\"data_offsets\":[0,%zu]},"
        "\"weights\":{\"dtype\":\"F32\",\"shape\":[%u,%u],\"data_offsets\":[%zu,%zu]}}",
        m->classes, m->pool, (double)m->input_scale, m->classes, bbytes, m->classes, m->features,
        bbytes, bbytes + wbytes);
    while (len % 8) header[len++] = ' '; /* safetensors pads the header to 8 bytes with spaces */
    header[len] = '\0';
    FILE *file = fopen(path, "wb");
    if (!file) {
        set_errorf(error, cap, "linear: cannot write %s", path);
        return TL_ERR_IO;
    }
    uint64_t n = (uint64_t)len;
    uint8_t le[8];
    for (int i = 0; i < 8; i++) le[i] = (uint8_t)(n >> (8 * i));
    int ok = fwrite(le, 1, 8, file) == 8 && fwrite(header, 1, (size_t)len, file) == (size_t)len &&
             fwrite(m->bias, 1, bbytes, file) == bbytes && fwrite(m->weights, 1, wbytes, file) == wbytes;
    ok = (fclose(file) == 0) && ok;
    if (!ok) {
        set_errorf(error, cap, "linear: write failed for %s (disk full?)", path);
        return TL_ERR_IO;
    }
    return TL_OK;
}

static int metadata_value(const char *header, const char *key, char *out, size_t cap) {
    char needle[64];
    snprintf(needle, sizeof needle, "\"%s\":\"", key);
    const char *at = strstr(header, needle);
    if (!at) return 0;
    at += strlen(needle);
    size_t i = 0;
    while (at[i] && at[i] != '"' && i + 1 < cap) { out[i] = at[i]; i++; }
    out[i] = '\0';
    return at[i] == '"';
}

static tl_model *linear_load(const char *directory, char *error, size_t cap) {
    if (!directory) {
        tl_set_error(error, cap, "linear: NULL directory");
        return NULL;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", directory, WEIGHTS_FILE);
    FILE *file = fopen(path, "rb");
    if (!file) {
        set_errorf(error, cap, "linear: cannot open %s", path);
        return NULL;
    }
    tl_model *m = NULL;
    char *header = NULL;
    uint8_t le[8];
    if (fread(le, 1, 8, file) != 8) goto corrupt;
    uint64_t len = 0;
    for (int i = 0; i < 8; i++) len |= (uint64_t)le[i] << (8 * i);
    if (len == 0 || len > 65536) goto corrupt;
    header = malloc(len + 1);
    if (!header || fread(header, 1, len, file) != len) goto corrupt;
    header[len] = '\0';
    char value[64];
    if (!metadata_value(header, "backend", value, sizeof value) || strcmp(value, "test-linear") != 0) goto corrupt;
    if (!metadata_value(header, "classes", value, sizeof value)) goto corrupt;
    long classes = strtol(value, NULL, 10);
    if (!metadata_value(header, "pool", value, sizeof value)) goto corrupt;
    long pool = strtol(value, NULL, 10);
    if (!metadata_value(header, "input_scale", value, sizeof value)) goto corrupt;
    float scale = strtof(value, NULL);
    if (classes < 2 || classes > 1000000 || pool < 1 || pool > 64 || 64 % pool || !(scale > 0)) goto corrupt;
    m = alloc_model((uint32_t)classes, (uint32_t)pool, scale);
    if (!m) {
        tl_set_error(error, cap, "linear: out of memory");
        free(header);
        fclose(file);
        return NULL;
    }
    size_t bcount = m->classes, wcount = (size_t)m->classes * m->features;
    if (fread(m->bias, sizeof(float), bcount, file) != bcount) goto corrupt;
    if (fread(m->weights, sizeof(float), wcount, file) != wcount) goto corrupt;
    if (fgetc(file) != EOF) goto corrupt; /* trailing bytes: not our file */
    free(header);
    fclose(file);
    return m;
corrupt:
    set_errorf(error, cap, "linear: %s is truncated or not a test-linear weights file", path);
    linear_free(m);
    free(header);
    fclose(file);
    return NULL;
}

/* Deliberately an ABI 1.0 table (the 1.0 size and minor), as a plugin built against the 1.0
 * header has: the host's tests check that such plugins still load and get 64x64 box crops. */
static const tribelens_backend table = {
    .abi_major = TRIBELENS_ABI_MAJOR,
    .abi_minor = 0,
    .struct_size = TRIBELENS_BACKEND_V1_0_SIZE,
    .id = "test-linear",
    .version = LINEAR_VERSION,
    .display_name = "Test linear (softmax regression)",
    .description = "Softmax regression on average-pooled pixels; a fast, real backend for tests.",
    .default_hyperparameters_json = "{\"pool\": 8}",
    .create_model = linear_create,
    .class_count = linear_class_count,
    .train_epoch = linear_train_epoch,
    .evaluate = linear_evaluate,
    .predict = linear_predict,
    .save = linear_save,
    .load = linear_load,
    .free_model = linear_free,
};

__attribute__((visibility("default"))) const tribelens_backend *tribelens_backend_entry(void) { return &table; }
