// A deliberately broken test plugin: a shared library that is not an interceptor (no entry points).
#include <gatehouse/interceptor.h>

extern "C" GATEHOUSE_INTERCEPTOR_EXPORT int gatehouse_test_not_an_interceptor()
{
    return 42;
}
