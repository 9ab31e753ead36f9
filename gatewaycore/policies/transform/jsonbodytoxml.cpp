// jsonBodyToXml: JSON body bytes straight to XML bytes, without building a QJsonDocument.
//
// The fast path parses the body into a flat list of nodes pointing into the bytes, then writes
// the XML by the rules of jsonToXml, with members in QJsonObject's order (sorted by name). It
// only takes documents it can convert exactly as parseJsonBody + jsonToXml would; whenever it
// meets something else (an error, a limit, escaped or non-ASCII member names, duplicate members,
// raw control characters, unpaired surrogates, numbers out of range) it gives up and the exact
// two-step route decides, so results and error messages are the same either way.
#include "jsonxml.h"

#include "jsonxmlrules.h"
#include "xmlbytewriter.h"

#include "policies/validate/operationschemas.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <vector>

namespace Gatehouse {

namespace {

enum class Kind : quint8 { Object = 1, Array, String, Number, True, False, Null };

struct Node
{
    Kind kind;
    bool escaped = false;   // String: holds backslash escapes
    quint32 begin = 0;      // String: first byte after the quote; Number: first byte
    quint32 size = 0;       // String: bytes up to the closing quote; Number: the literal's bytes
    quint32 end = 0;        // Object/Array: index one past the subtree (members: key, value, ...)
};

bool isSpace(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Bytes a string copies as they are: printable ASCII other than the quote and the backslash.
constexpr std::array<bool, 256> kPlainAscii = [] {
    std::array<bool, 256> t{};
    for (int c = 0x20; c < 0x80; ++c)
        t[size_t(c)] = c != '"' && c != '\\';
    return t;
}();

// The length of the well-formed UTF-8 sequence (of at least U+0080) at `at`, 0 if there is none:
// no overlong forms, no surrogates, nothing above U+10FFFF (what QJsonDocument accepts too).
qsizetype utf8Length(QByteArrayView in, qsizetype at)
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

// Bytes in XML names as the rules take them (isXmlName), for ASCII.
enum : quint8 { kNotInName, kNameStart, kNameChar, kColon, kNonAscii };
constexpr std::array<quint8, 256> kNameByte = [] {
    std::array<quint8, 256> t{};
    for (int c = 0; c < 256; ++c) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
            t[size_t(c)] = kNameStart;
        else if ((c >= '0' && c <= '9') || c == '-' || c == '.')
            t[size_t(c)] = kNameChar;
        else if (c >= 0x80)
            t[size_t(c)] = kNonAscii;
    }
    t[size_t(':')] = kColon;
    return t;
}();

// Plain byte order (the member names compared are ASCII: the same as QJsonObject's order);
// inline, since these names are short and std::memcmp through QByteArrayView costs more.
bool lessBytes(QByteArrayView a, QByteArrayView b)
{
    const qsizetype n = qMin(a.size(), b.size());
    for (qsizetype i = 0; i < n; ++i) {
        if (a[i] != b[i])
            return quint8(a[i]) < quint8(b[i]);
    }
    return a.size() < b.size();
}

bool sameBytes(QByteArrayView a, QByteArrayView b)   // the same, for the same reason
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a[i] != b[i])
            return false;
    }
    return true;
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
                    if (hexValue(data[pos + i]) < 0)
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

struct Member
{
    QByteArrayView key;
    quint32 value;
};

// The nodes as XML, by jsonToXml's rules. false: give up (the two-step route decides).
class Emitter
{
public:
    Emitter(QByteArrayView in, const std::vector<Node> &nodes, const JsonXmlLimits &limits)
        : m_in(in), m_nodes(nodes), m_limits(limits), m_xml(in.size() + in.size() / 2)
    {
    }

    bool run(const QString &rootName)
    {
        m_xml.startDocument();
        const Node &root = m_nodes.front();
        bool ok;
        if (root.kind == Kind::Object && root.end > 2 && m_nodes[1].kind == Kind::String && next(2) == root.end
            && m_nodes[2].kind != Kind::Array && !key(1).startsWith('@') && key(1) != "#text") {
            ok = element(key(1), 2, 1);
        } else {
            const QByteArray name = rootName.toUtf8();
            ok = element(name, 0, 1);
        }
        if (!ok || m_xml.failed())
            return false;
        m_xml.endDocument();
        return true;
    }

    QByteArray take() { return m_xml.take(); }

private:
    quint32 next(quint32 i) const
    {
        const Node &n = m_nodes[i];
        return n.kind == Kind::Object || n.kind == Kind::Array ? n.end : i + 1;
    }

    QByteArrayView key(quint32 i) const { return m_in.sliced(m_nodes[i].begin, m_nodes[i].size); }

    // isXmlName: for ASCII names (all member names here) the same test on the bytes, where
    // QChar's letters and digits are [A-Za-z] and [0-9].
    static bool validName(QByteArrayView name)
    {
        if (name.isEmpty())
            return false;
        const quint8 first = kNameByte[quint8(name[0])];
        if (first == kNonAscii)
            return isXmlName(QString::fromUtf8(name));
        if (first != kNameStart)
            return false;
        if (name.size() >= 3 && (name[0] | 0x20) == 'x' && (name[1] | 0x20) == 'm' && (name[2] | 0x20) == 'l'
            && !name.startsWith("xmlns"))
            return false;
        int colons = 0;
        for (const char c : name) {
            switch (kNameByte[quint8(c)]) {
            case kNameStart:
            case kNameChar: break;
            case kColon: ++colons; break;
            case kNonAscii: return isXmlName(QString::fromUtf8(name));
            default: return false;
            }
        }
        return colons <= 1 && name.back() != ':';
    }

    bool element(QByteArrayView name, quint32 value, int depth)
    {
        if (depth > m_limits.maxDepth || ++m_elements > m_limits.maxNodes || !validName(name) || name.startsWith("xmlns"))
            return false;
        m_xml.startElement(name);
        const Node &node = m_nodes[value];
        if (node.kind == Kind::Object) {
            const size_t base = m_members.size();
            for (quint32 i = value + 1; i < node.end; i = next(i + 1))
                m_members.push_back({key(i), i + 1});
            const auto first = m_members.begin() + qsizetype(base);
            std::sort(first, m_members.end(), [](const Member &a, const Member &b) { return lessBytes(a.key, b.key); });
            if (std::adjacent_find(first, m_members.end(), [](const Member &a, const Member &b) { return sameBytes(a.key, b.key); })
                != m_members.end())
                return false;   // QJsonDocument keeps the last duplicate; rare enough to leave to it
            const size_t count = m_members.size() - base;
            for (size_t m = base; m < base + count; ++m) {   // attributes first
                const Member member = m_members[m];
                if (!member.key.startsWith('@'))
                    continue;
                const QByteArrayView attr = member.key.sliced(1);
                const Kind kind = m_nodes[member.value].kind;
                if (!validName(attr) || kind == Kind::Object || kind == Kind::Array)
                    return false;
                if (!text(member.value, &attr))
                    return false;
            }
            for (size_t m = base; m < base + count; ++m) {
                const Member member = m_members[m];   // a copy: nested elements grow m_members
                if (member.key.startsWith('@'))
                    continue;
                bool ok = true;
                const Node &child = m_nodes[member.value];
                if (member.key == "#text") {
                    ok = text(member.value, nullptr);
                } else if (child.kind == Kind::Array) {
                    for (quint32 i = member.value + 1; ok && i < child.end; i = next(i))
                        ok = element(member.key, i, depth + 1);
                } else {
                    ok = element(member.key, member.value, depth + 1);
                }
                if (!ok)
                    return false;
            }
            m_members.resize(base);
        } else if (node.kind == Kind::Array) {
            for (quint32 i = value + 1; i < node.end; i = next(i)) {
                if (!element("item", i, depth + 1))
                    return false;
            }
        } else if (!text(value, nullptr)) {
            return false;
        }
        m_xml.endElement(name);
        return true;
    }

    // A scalar as text or as the attribute's value; containers and null as empty text.
    bool text(quint32 value, const QByteArrayView *attribute)
    {
        const Node &node = m_nodes[value];
        QByteArrayView bytes;
        switch (node.kind) {
        case Kind::String:
            bytes = m_in.sliced(node.begin, node.size);
            if (node.escaped) {
                if (!unescape(bytes))
                    return false;
                bytes = m_scratch;
            }
            break;
        case Kind::Number: bytes = number(m_in.sliced(node.begin, node.size)); break;
        case Kind::True: bytes = "true"; break;
        case Kind::False: bytes = "false"; break;
        default: break;
        }
        if (attribute)
            m_xml.attribute(*attribute, bytes);
        else
            m_xml.characters(bytes);
        return true;
    }

    // Integers of up to 15 digits are written as they are ("-0" as "0"), as jsonNumberText
    // writes them; anything else goes through the double, as QJsonValue holds it.
    QByteArrayView number(QByteArrayView literal)
    {
        const qsizetype digits = literal.size() - (literal.startsWith('-') ? 1 : 0);
        if (digits <= 15 && std::all_of(literal.end() - digits, literal.end(), isDigit))
            return literal == "-0" ? QByteArrayView("0") : literal;
        double d = 0;
        std::from_chars(literal.data(), literal.data() + literal.size(), d);   // checked when parsed
        return QByteArrayView(m_number, writeJsonNumber(d, m_number));
    }

    // The escapes of a string into m_scratch as UTF-8. false: an unpaired surrogate.
    bool unescape(QByteArrayView raw)
    {
        m_scratch.resize(0);
        m_scratch.reserve(raw.size());
        for (qsizetype i = 0; i < raw.size(); ++i) {
            if (raw[i] != '\\') {
                m_scratch.append(raw[i]);
                continue;
            }
            const char e = raw[++i];
            switch (e) {
            case 'b': m_scratch.append('\b'); break;
            case 'f': m_scratch.append('\f'); break;
            case 'n': m_scratch.append('\n'); break;
            case 'r': m_scratch.append('\r'); break;
            case 't': m_scratch.append('\t'); break;
            case 'u': {
                char32_t cp = hex4(raw, i + 1);
                i += 4;
                if (cp >= 0xDC00 && cp <= 0xDFFF)
                    return false;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    if (i + 6 >= raw.size() || raw[i + 1] != '\\' || raw[i + 2] != 'u')
                        return false;
                    const char32_t low = hex4(raw, i + 3);
                    if (low < 0xDC00 || low > 0xDFFF)
                        return false;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    i += 6;
                }
                appendUtf8(cp);
                break;
            }
            default: m_scratch.append(e); break;   // " \ /
            }
        }
        return true;
    }

    static char32_t hex4(QByteArrayView raw, qsizetype at)
    {
        char32_t v = 0;
        for (qsizetype k = 0; k < 4; ++k)
            v = v * 16 + char32_t(hexValue(raw[at + k]));   // checked by the parser
        return v;
    }

    void appendUtf8(char32_t cp)
    {
        if (cp < 0x80) {
            m_scratch.append(char(cp));
            return;
        }
        if (cp < 0x800) {
            m_scratch.append(char(0xC0 | (cp >> 6)));
        } else if (cp < 0x10000) {
            m_scratch.append(char(0xE0 | (cp >> 12)));
            m_scratch.append(char(0x80 | ((cp >> 6) & 0x3F)));
        } else {
            m_scratch.append(char(0xF0 | (cp >> 18)));
            m_scratch.append(char(0x80 | ((cp >> 12) & 0x3F)));
            m_scratch.append(char(0x80 | ((cp >> 6) & 0x3F)));
        }
        m_scratch.append(char(0x80 | (cp & 0x3F)));
    }

    QByteArrayView m_in;
    const std::vector<Node> &m_nodes;
    const JsonXmlLimits &m_limits;
    XmlByteWriter m_xml;
    std::vector<Member> m_members;   // the members of the objects being written, innermost last
    QByteArray m_scratch;
    char m_number[kJsonNumberMaxBytes];
    qint64 m_elements = 0;
};

} // namespace

Result<QByteArray> jsonBodyToXml(const QByteArray &body, const QString &rootName, const JsonXmlLimits &limits)
{
    if (body.size() < qsizetype(std::numeric_limits<quint32>::max())) {
        std::vector<Node> nodes;
        nodes.reserve(size_t(body.size() / 8 + 4));
        if (Parser(body, limits.maxDepth, nodes).run()) {
            Emitter emitter(body, nodes, limits);
            if (emitter.run(rootName))
                return emitter.take();
        }
    }
    const Result<QJsonValue> json = parseJsonBody(body, limits.maxDepth);
    if (!json)
        return json.error();
    return jsonToXml(*json, rootName, limits);
}

} // namespace Gatehouse
