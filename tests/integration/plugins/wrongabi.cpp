// A deliberately broken test plugin: built for an interceptor ABI version gatehoused does not
// speak. gatehoused must refuse it before it looks at the declaration.
#include <gatehouse/interceptor.h>

extern "C" GATEHOUSE_INTERCEPTOR_EXPORT std::uint32_t gatehouse_interceptor_abi_version()
{
    return gatehouse::kInterceptorAbiVersion + 98;
}

// Deliberately garbage: gatehoused must never call this for a wrong ABI version.
extern "C" GATEHOUSE_INTERCEPTOR_EXPORT const gatehouse::InterceptorPlugin *gatehouse_interceptor_plugin()
{
    return reinterpret_cast<const gatehouse::InterceptorPlugin *>(0x1);
}
