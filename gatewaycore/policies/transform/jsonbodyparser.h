// The json-to-xml fast path's parser: RFC 8259 JSON body bytes into a flat list of nodes that
// point into the bytes (no QJsonDocument), for jsonbodytoxml.cpp. It takes only documents the
// direct conversion handles exactly; anything else (errors, limits, escaped or non-ASCII member
// names, raw control characters) makes run() false and the exact two-step route decides.
#pragma once

#include "base/hexdigit.h"
#include "bytescan.h"

#include <QByteArrayView>

#include <array>
#include <charconv>
#include <cmath>
#include <vector>

namespace Gatehouse::JsonBody {

enum class Kind : quint8 { Object = 1, Array, String, Number, True, False, Null };

struct Node
{
    Kind kind;
    bool escaped = false;   // String: holds backslash escapes
    quint32 begin = 0;      // String: first byte after the quote; Number: first byte
    quint32 size = 0;       // String: bytes up to the closing quote; Number: the literal's bytes
    quint32 end = 0;        // Object/Array: index one past the subtree (members: key, value, ...)
};

inline bool isSpace(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

inline bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// Bytes a string copies as they are: printable ASCII other than the quote and the backslash.
inline constexpr std::array<bool, 256> kPlainAscii = [] {
    std::array<bool, 256> t{};
    for (int c = 0x20; c < 0x80; ++c)
        t[size_t(c)] = c != '"' && c != '\\';
    return t;
}();

// The length of the well-formed UTF-8 sequence (of at least U+0080) at `at`, 0 if there is none:
// no overlong forms, no surrogates, nothing above U+10FFFF (what QJsonDocument accepts too).
inline qsizetype utf8Length(QByteArrayView in, qsizetype at)
{
    const auto byte = [&](qsizetype i) { return at + i < in.size() ? quint8(in[at + i]) : quint8(0); };
    const auto continuation = [](quint8 b) { return (b & 0xC0) == 0x80; };
    const quint8 lead = byte(0);
    if (lead >= 0xC2 && lead <= 0xDF)
        return continuation(byte(1)) ? 2 : 0;
    if (lead >= 0xE0 && lead <= 0xEF) {
        const quint8 b1 = byte(1);
        const bool ok = lead == 0xE0 ? b1 >= 0xA0 && b1 <= 0xBF : lead == 0xED ? b1 >= 0x80 && b1 <= 0x9F : continuation(b1);
        return ok && continuation(byte(2)) ? 3 : 0;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
        const quint8 b1 = byte(1);
        const bool ok = lead == 0xF0 ? b1 >= 0x90 && b1 <= 0xBF : lead == 0xF4 ? b1 >= 0x80 && b1 <= 0x8F : continuation(b1);
        return ok && continuation(byte(2)) && continuation(byte(3)) ? 4 : 0;
    }
    return 0;
}


// RFC 8259 JSON into nodes. false: not for the fast path (possibly valid; the caller falls back).
class Parser
{
public:
    Parser(QByteArrayView in, int maxDepth, std::vector<Node> &nodes) : m_in(in), m_maxDepth(maxDepth), m_nodes(nodes) {}

    bool run()
    {
        skipSpace();
        if (m_pos >= m_in.size() || (m_in[m_pos] != '{' && m_in[m_pos] != '['))
            return false;   // a bare scalar: parseJsonBody wraps it; rare, left to it
        if (!value(0))
            return false;
        skipSpace();
        return m_pos == m_in.size();
    }

private:
    void skipSpace()
    {
        while (m_pos < m_in.size() && isSpace(m_in[m_pos]))
            ++m_pos;
    }

    bool value(int depth)
    {
        if (m_pos >= m_in.size())
            return false;
        switch (m_in[m_pos]) {
        case '{': return container(Kind::Object, depth);
        case '[': return container(Kind::Array, depth);
        case '"': return string(false);
        case 't': return literal("true", Kind::True);
        case 'f': return literal("false", Kind::False);
        case 'n': return literal("null", Kind::Null);
        default: return number();
        }
    }

    bool container(Kind kind, int depth)
    {
        if (depth + 1 >= m_maxDepth)
            return false;   // parseJsonBody refuses at maxDepth; its message is the one to give
        const size_t self = m_nodes.size();
        m_nodes.push_back({kind});
        const char close = kind == Kind::Object ? '}' : ']';
        ++m_pos;
        skipSpace();
        if (m_pos < m_in.size() && m_in[m_pos] == close) {
            ++m_pos;
            m_nodes[self].end = quint32(m_nodes.size());
            return true;
        }
        for (;;) {
            if (kind == Kind::Object) {
                if (m_pos >= m_in.size() || m_in[m_pos] != '"' || !string(true))
                    return false;
                skipSpace();
                if (m_pos >= m_in.size() || m_in[m_pos] != ':')
                    return false;
                ++m_pos;
                skipSpace();
            }
            if (!value(depth + 1))
                return false;
            skipSpace();
            if (m_pos >= m_in.size())
                return false;
            if (m_in[m_pos] == close) {
                ++m_pos;
                m_nodes[self].end = quint32(m_nodes.size());
                return true;
            }
            if (m_in[m_pos] != ',')
                return false;
            ++m_pos;
            skipSpace();
        }
    }

    // Keys: plain ASCII only (their order and XML-name check are then simple byte matters).
    // Values: checked as UTF-8 here, decoded only when written.
    bool string(bool key)
    {
        Node node{Kind::String};
        qsizetype pos = m_pos + 1;   // a local: stores through char pointers could alias a member
        node.begin = quint32(pos);
        const char *const data = m_in.data();
        const qsizetype size = m_in.size();
        for (;;) {
            while (pos + 8 <= size && ByteScan::jsonStringPlain(ByteScan::load(data + pos)))
                pos += 8;
            while (pos < size && kPlainAscii[quint8(data[pos])])
                ++pos;
            if (pos >= size)
                return false;
            const quint8 c = quint8(data[pos]);
            if (c == '"')
                break;
            if (c < 0x20 || (key && (c >= 0x80 || c == '\\')))
                return false;
            if (c >= 0x80) {
                const qsizetype length = utf8Length(m_in, pos);
                if (length == 0)
                    return false;
                pos += length;
                continue;
            }
            node.escaped = true;   // a backslash
            if (++pos >= size)
                return false;
            switch (data[pos]) {
            case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't': break;
            case 'u':
                if (pos + 4 >= size)
                    return false;
                for (int i = 1; i <= 4; ++i) {
                    if (hexDigitValue(data[pos + i]) < 0)
                        return false;
                }
                pos += 4;
                break;
            default: return false;
            }
            ++pos;
        }
        node.size = quint32(pos - node.begin);
        m_pos = pos + 1;
        m_nodes.push_back(node);
        return true;
    }

    bool literal(QByteArrayView word, Kind kind)
    {
        if (!m_in.sliced(m_pos).startsWith(word))
            return false;
        m_pos += word.size();
        m_nodes.push_back({kind});
        return true;
    }

    bool number()
    {
        const qsizetype start = m_pos;
        if (m_in[m_pos] == '-')
            ++m_pos;
        if (m_pos >= m_in.size() || !isDigit(m_in[m_pos]))
            return false;
        if (m_in[m_pos] == '0')
            ++m_pos;
        else
            while (m_pos < m_in.size() && isDigit(m_in[m_pos]))
                ++m_pos;
        bool exponent = false;
        if (m_pos < m_in.size() && m_in[m_pos] == '.') {
            if (++m_pos >= m_in.size() || !isDigit(m_in[m_pos]))
                return false;
            while (m_pos < m_in.size() && isDigit(m_in[m_pos]))
                ++m_pos;
        }
        if (m_pos < m_in.size() && (m_in[m_pos] == 'e' || m_in[m_pos] == 'E')) {
            exponent = true;
            if (++m_pos < m_in.size() && (m_in[m_pos] == '+' || m_in[m_pos] == '-'))
                ++m_pos;
            if (m_pos >= m_in.size() || !isDigit(m_in[m_pos]))
                return false;
            while (m_pos < m_in.size() && isDigit(m_in[m_pos]))
                ++m_pos;
        }
        const qsizetype size = m_pos - start;
        // parseJsonBody refuses numbers beyond a double (anywhere, also under "#text"). Without
        // an exponent only a literal of more than 300 characters can get there.
        if (exponent || size > 300) {
            double d = 0;
            const auto [end, error] = std::from_chars(m_in.data() + start, m_in.data() + m_pos, d);
            if (error != std::errc() || end != m_in.data() + m_pos || !std::isfinite(d))
                return false;
        }
        Node node{Kind::Number};
        node.begin = quint32(start);
        node.size = quint32(size);
        m_nodes.push_back(node);
        return true;
    }

    QByteArrayView m_in;
    qsizetype m_pos = 0;
    int m_maxDepth;
    std::vector<Node> &m_nodes;
};

} // namespace Gatehouse::JsonBody
