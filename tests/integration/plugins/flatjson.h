// Reads one string member of a flat JSON object, as the test plugins get their settings: enough
// for them to need nothing but the standard library (gatehouse/interceptor.h requires no Qt).
#pragma once

#include <string>
#include <string_view>

namespace testplugin {

// The value of "key": "..." in `json` (escapes \" \\ \/ \n \t undone), or `fallback`.
inline std::string stringMember(std::string_view json, std::string_view key, std::string fallback = {})
{
    const std::string quoted = '"' + std::string(key) + "\":\"";
    const std::size_t at = json.find(quoted);
    if (at == std::string_view::npos)
        return fallback;
    std::string out;
    for (std::size_t i = at + quoted.size(); i < json.size(); ++i) {
        const char c = json[i];
        if (c == '"')
            return out;
        if (c == '\\' && i + 1 < json.size()) {
            const char e = json[++i];
            out += e == 'n' ? '\n' : e == 't' ? '\t' : e;
            continue;
        }
        out += c;
    }
    return fallback;
}

} // namespace testplugin
