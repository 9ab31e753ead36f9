// Test plugin: sets a configured request header, answers 451 itself when a "deny" header is
// present, throws on paths ending in /throw, and reports the upstream's status on the response.
#include "flatjson.h"

#include <gatehouse/interceptor.h>

#include <cstdio>
#include <stdexcept>
#include <string>

namespace {

class AddHeader final : public gatehouse::Interceptor
{
public:
    AddHeader(std::string header, std::string value, std::string deny)
        : m_header(std::move(header)), m_value(std::move(value)), m_deny(std::move(deny))
    {
    }

    void onRequest(gatehouse::Exchange &x) override
    {
        const std::string_view path = x.path().view();
        if (path.size() >= 6 && path.substr(path.size() - 6) == "/throw")
            throw std::runtime_error("addheader exploded on purpose");
        gatehouse::Text ignored;
        if (x.header(m_deny, &ignored)) {
            const gatehouse::Header headers[] = {{"x-denied-by", "addheader"}, {"content-type", "text/plain"}};
            x.respond(451, headers, 2, "denied by a native plugin");
            return;
        }
        x.setHeader(m_header, m_value);
    }

    void onResponse(gatehouse::Exchange &x) override
    {
        x.setHeader("x-native-status", std::to_string(x.status()));
    }

private:
    std::string m_header;
    std::string m_value;
    std::string m_deny;
};

gatehouse::Interceptor *create(gatehouse::Text settings, char *error, std::size_t capacity)
{
    const std::string header = testplugin::stringMember(settings.view(), "header");
    if (header == "x-forbidden") {   // a check only the plugin can make
        std::snprintf(error, capacity, "header 'x-forbidden' is reserved by this plugin");
        return nullptr;
    }
    return new AddHeader(header, testplugin::stringMember(settings.view(), "value"),
                         testplugin::stringMember(settings.view(), "denyHeader"));
}

const gatehouse::InterceptorPlugin kPlugin = {
    "addheader",
    "1.0.0",
    "Adds a request header; answers 451 when the deny header is present.",
    R"({"type": "object",
        "properties": {
          "header": {"type": "string", "pattern": "^[A-Za-z0-9-]+$", "description": "The header to set"},
          "value": {"type": "string", "default": "native"},
          "denyHeader": {"type": "string", "default": "x-deny"}
        },
        "required": ["header"],
        "additionalProperties": false})",
    gatehouse::kHookRequest | gatehouse::kHookResponse,
    0,
    &create,
};

} // namespace

GATEHOUSE_INTERCEPTOR_PLUGIN(kPlugin)
