// libFuzzer target: the HTTP/1.1 parser reading client requests (whole, split, byte by byte).
#include "fuzz_http1common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Gatehouse::Fuzz::fuzzOne(Gatehouse::Http1Role::Request, data, size);
    return 0;
}
