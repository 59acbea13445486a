/* TestNoEntry: a valid shared library WITHOUT the tribelens_backend_entry symbol; the host must
 * refuse it as "missing symbol". */
#include <stdint.h>

__attribute__((visibility("default"))) uint32_t tribelens_not_a_backend(void) { return 42; }
