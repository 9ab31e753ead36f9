// Byte classes of the HTTP/1.1 grammar (RFC 9110 §5.6, RFC 9112, RFC 3986) as one lookup table.
// Internal to the codec: one load and one mask per byte, no branches on ranges.
#pragma once

#include <array>
#include <cstdint>

namespace Gatehouse::Http1Chars {

enum : std::uint8_t {
    Token = 0x01,      // tchar: method, field name, transfer coding, chunk extension name
    FieldValue = 0x02, // field-vchar, SP, HTAB: field values and reason phrases
    Target = 0x04,     // visible ASCII except '#': request-target bytes
    Hex = 0x08,        // HEXDIG: chunk sizes
    Host = 0x10,       // reg-name, IPv4, IP-literal and ":" port bytes of a Host value
    QuotedText = 0x20, // qdtext of a quoted-string (RFC 9110 §5.6.4)
    Digit = 0x40,
};

constexpr std::array<std::uint8_t, 256> makeTable()
{
    std::array<std::uint8_t, 256> t{};
    auto isAlpha = [](int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    auto isDigit = [](int c) { return c >= '0' && c <= '9'; };
    auto in = [](int c, const char *set) {
        for (; *set; ++set) {
            if (*set == c)
                return true;
        }
        return false;
    };
    for (int c = 0; c < 256; ++c) {
        std::uint8_t v = 0;
        if (isAlpha(c) || isDigit(c) || in(c, "!#$%&'*+-.^_`|~"))
            v |= Token;
        if ((c >= 0x21 && c <= 0x7e) || c >= 0x80 || c == ' ' || c == '\t')
            v |= FieldValue;
        if (c >= 0x21 && c <= 0x7e && c != '#')
            v |= Target;
        if (isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))
            v |= Hex;
        if (isAlpha(c) || isDigit(c) || in(c, "-._~!$&'()*+,;=%:[]"))
            v |= Host;
        if (c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e)
            || c >= 0x80)
            v |= QuotedText;
        if (isDigit(c))
            v |= Digit;
        t[c] = v;
    }
    return t;
}

inline constexpr std::array<std::uint8_t, 256> kTable = makeTable();

inline bool is(char c, std::uint8_t cls)
{
    return (kTable[static_cast<unsigned char>(c)] & cls) != 0;
}

inline char toLower(char c)
{
    return (c >= 'A' && c <= 'Z') ? char(c + ('a' - 'A')) : c;
}

inline bool isOws(char c)
{
    return c == ' ' || c == '\t';
}

} // namespace Gatehouse::Http1Chars
