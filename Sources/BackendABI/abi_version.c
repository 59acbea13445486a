/* SwiftPM needs one source file per C target; this one also lets the host report which header
 * version it was built with (useful in `tribelens-cli plugins --json`). */
#include "tribelens_backend.h"

uint32_t tribelens_host_abi_major(void) { return TRIBELENS_ABI_MAJOR; }
uint32_t tribelens_host_abi_minor(void) { return TRIBELENS_ABI_MINOR; }
