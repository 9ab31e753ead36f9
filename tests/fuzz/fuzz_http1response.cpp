// libFuzzer target: the HTTP/1.1 parser reading upstream responses (whole, split, byte by byte),
// the request method (GET/HEAD/CONNECT/POST) chosen by the first byte.
#include "fuzz_http1common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Gatehouse::Fuzz::fuzzOne(Gatehouse::Http1Role::Response, data, size);
    return 0;
}
