// jsonBodyToXml: JSON body bytes straight to XML bytes, without building a QJsonDocument.
//
// The fast path parses the body into a flat list of nodes pointing into the bytes, then writes
// the XML by the rules of jsonToXml, with members in QJsonObject's order (sorted by name). It
// only takes documents it can convert exactly as parseJsonBody + jsonToXml would; whenever it
// meets something else (an error, a limit, escaped or non-ASCII member names, duplicate members,
// raw control characters, unpaired surrogates, numbers out of range) it gives up and the exact
// two-step route decides, so results and error messages are the same either way.
#include "jsonxml.h"

#include "jsonbodyparser.h"
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

using namespace JsonBody;

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
        // One table lookup per byte, no branch: which classes occur, and how many colons.
        unsigned seen = 0;
        int colons = 0;
        for (const char c : name) {
            const quint8 kind = kNameByte[quint8(c)];
            seen |= 1u << kind;
            colons += kind == kColon;
        }
        if (seen & (1u << kNonAscii))
            return isXmlName(QString::fromUtf8(name));
        if (seen & (1u << kNotInName))
            return false;
        return colons <= 1 && name.back() != ':';
    }

    // validName() remembered: the member names of an array's objects repeat, and comparing a
    // name with one seen valid costs less than checking it again. A small direct-mapped table of
    // names (views into the body), replaced on collision.
    bool knownValidName(QByteArrayView name)
    {
        if (name.isEmpty())
            return false;
        const size_t hash = size_t(name.size()) * 7 + quint8(name.front()) + quint8(name.back()) * 3;
        QByteArrayView &slot = m_validNames[hash % m_validNames.size()];
        if (slot.size() == name.size() && (slot.data() == name.data() || sameBytes(slot, name)))
            return true;
        if (!validName(name))
            return false;
        slot = name;
        return true;
    }

    bool element(QByteArrayView name, quint32 value, int depth)
    {
        if (depth > m_limits.maxDepth || ++m_elements > m_limits.maxNodes || !knownValidName(name)
            || (name.front() == 'x' && name.startsWith("xmlns")))
            return false;
        m_xml.startElement(name);
        const Node &node = m_nodes[value];
        if (node.kind == Kind::Object) {
            const size_t base = m_members.size();
            for (quint32 i = value + 1; i < node.end; i = next(i + 1))
                m_members.push_back({key(i), i + 1});
            const auto first = m_members.begin() + qsizetype(base);
            // Members often come sorted (serialisers that sort keys, QJsonDocument among them):
            // strictly increasing is also free of duplicates, and needs no sort.
            const auto less = [](const Member &a, const Member &b) { return lessBytes(a.key, b.key); };
            if (std::adjacent_find(first, m_members.end(), [&](const Member &a, const Member &b) { return !less(a, b); })
                != m_members.end()) {
                std::sort(first, m_members.end(), less);
                if (std::adjacent_find(first, m_members.end(), [](const Member &a, const Member &b) { return sameBytes(a.key, b.key); })
                    != m_members.end())
                    return false;   // QJsonDocument keeps the last duplicate; rare enough to leave to it
            }
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
        if (const qsizetype n = writeShortDecimal(literal, m_number); n > 0)
            return QByteArrayView(m_number, n);
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
            v = v * 16 + char32_t(hexDigitValue(raw[at + k]));   // checked by the parser
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
    std::array<QByteArrayView, 32> m_validNames{};
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
