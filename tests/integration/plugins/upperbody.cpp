// Test plugin reading request bodies: upper-cases ASCII letters of the body sent upstream and
// answers 400 itself to an empty body.
#include <gatehouse/interceptor.h>

#include <string>

namespace {

class UpperBody final : public gatehouse::Interceptor
{
public:
    void onRequestBody(gatehouse::Exchange &x) override
    {
        std::string body(x.body().view());
        if (body.empty()) {
            x.respond(400, nullptr, 0, "a body, please");
            return;
        }
        for (char &c : body) {
            if (c >= 'a' && c <= 'z')
                c = char(c - 'a' + 'A');
        }
        x.setBody(body);
        x.setHeader("x-body-bytes", std::to_string(body.size()));
    }
};

gatehouse::Interceptor *create(gatehouse::Text, char *, std::size_t)
{
    return new UpperBody;
}

const gatehouse::InterceptorPlugin kPlugin = {
    "upperbody", "1.0.0", "Upper-cases request bodies.", nullptr,
    gatehouse::kHookRequestBody, 1024, &create,
};

} // namespace

GATEHOUSE_INTERCEPTOR_PLUGIN(kPlugin)
