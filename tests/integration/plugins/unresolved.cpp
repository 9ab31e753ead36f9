// A deliberately broken test plugin: it needs a symbol nothing provides, so loading it with every
// symbol resolved fails (and gatehoused must say so instead of failing on the first request).
#include <gatehouse/interceptor.h>

extern "C" void gatehouse_test_symbol_nobody_defines();

namespace {

class Missing final : public gatehouse::Interceptor
{
public:
    void onRequest(gatehouse::Exchange &) override { gatehouse_test_symbol_nobody_defines(); }
};

gatehouse::Interceptor *create(gatehouse::Text, char *, std::size_t)
{
    return new Missing;
}

const gatehouse::InterceptorPlugin kPlugin = {"unresolved", "1.0.0", "Cannot load.", nullptr,
                                              gatehouse::kHookRequest, 0, &create};

} // namespace

GATEHOUSE_INTERCEPTOR_PLUGIN(kPlugin)
