// xmlToJson / xmlBodyToJson: XML read once (QXmlStreamReader) into a flat tree, then written as a
// QJsonValue or straight as compact JSON text.
//
// The tree keeps every name and text in one UTF-16 arena and every element in pre-order, so
// reading allocates little; the JSON text is written from it in one pass, in QJsonObject's
// member order (sorted by name), without building QJsonObjects and then serialising them.
#include "jsonxml.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QXmlStreamReader>

#include <algorithm>
#include <string>
#include <vector>

namespace Gatehouse {

namespace {

struct Span
{
    quint32 begin = 0;
    quint32 size = 0;
};

struct Attribute
{
    Span key;   // "@" + qualified name
    Span value;
};

struct Element
{
    Span name;
    Span text;             // all character data, as read (trimmed when written as "#text")
    quint32 firstAttribute = 0;
    quint32 attributeCount = 0;
    quint32 end = 0;       // index one past this element's subtree
};

class Tree
{
public:
    std::u16string chars;   // the arena every Span points into
    std::vector<Element> elements;
    std::vector<Attribute> attributes;

    QStringView view(Span s) const { return QStringView(chars.data() + s.begin, qsizetype(s.size)); }
    Span store(QStringView s)
    {
        const Span span{quint32(chars.size()), quint32(s.size())};
        chars.append(s.utf16(), size_t(s.size()));
        return span;
    }
    Span store(char16_t prefix, QStringView s)
    {
        const Span span{quint32(chars.size()), quint32(s.size() + 1)};
        chars.push_back(prefix);
        chars.append(s.utf16(), size_t(s.size()));
        return span;
    }
    bool hasChildren(quint32 e) const { return elements[e].end > e + 1; }
    // A text-only element is its text (null when empty); anything else an object.
    bool isObject(quint32 e) const { return elements[e].attributeCount > 0 || hasChildren(e); }
};

// Reads the document into the tree, with the limits and refusals of the rules.
class Reader
{
public:
    Reader(const QByteArray &xml, const JsonXmlLimits &limits, Tree &tree) : m_limits(limits), m_xml(xml), m_tree(tree)
    {
        m_xml.setNamespaceProcessing(false);   // names stay as written
        m_tree.chars.reserve(size_t(xml.size()));
        m_tree.elements.reserve(size_t(xml.size() / 32 + 1));
    }

    Result<void> run()
    {
        while (!m_xml.atEnd()) {
            const auto token = m_xml.readNext();
            if (token == QXmlStreamReader::DTD)
                return Error::config(QStringLiteral("a DTD is not accepted (entities could expand without bound)"));
            if (token == QXmlStreamReader::EntityReference)
                return Error::config(QStringLiteral("the entity '%1' is not accepted").arg(m_xml.name()));
            if (token == QXmlStreamReader::StartElement) {
                if (!element(1))
                    return Error::config(m_error);
                return finish();
            }
        }
        if (m_xml.hasError())
            return Error::config(errorText());
        return Error::config(QStringLiteral("no root element"));
    }

private:
    Result<void> finish()
    {
        while (!m_xml.atEnd())
            m_xml.readNext();   // only comments and PIs may follow; a second root is an error
        if (m_xml.hasError() && m_xml.error() != QXmlStreamReader::PrematureEndOfDocumentError)
            return Error::config(errorText());
        return {};
    }

    QString errorText() const
    {
        return QStringLiteral("line %1, column %2: %3").arg(m_xml.lineNumber()).arg(m_xml.columnNumber()).arg(m_xml.errorString());
    }

    // An attribute as QJsonObject::insert would take it: a later one of the same key replaces.
    void attribute(Span key, QStringView value)
    {
        const Element &self = m_tree.elements.back();
        for (quint32 i = self.firstAttribute; i < self.firstAttribute + self.attributeCount; ++i) {
            if (m_tree.view(m_tree.attributes[i].key) == m_tree.view(key)) {
                m_tree.attributes[i].value = m_tree.store(value);
                return;
            }
        }
        m_tree.attributes.push_back({key, m_tree.store(value)});
        ++m_tree.elements.back().attributeCount;
    }

    // Called after StartElement; returns after the matching EndElement.
    bool element(int depth)
    {
        if (depth > m_limits.maxDepth) {
            m_error = QStringLiteral("nested deeper than %1 levels").arg(m_limits.maxDepth);
            return false;
        }
        const auto self = quint32(m_tree.elements.size());
        Element e;
        e.name = m_tree.store(m_xml.qualifiedName());
        e.firstAttribute = quint32(m_tree.attributes.size());
        m_tree.elements.push_back(e);
        for (const QXmlStreamAttribute &a : m_xml.attributes())
            attribute(m_tree.store(u'@', a.qualifiedName()), a.value());
        for (const QXmlStreamNamespaceDeclaration &ns : m_xml.namespaceDeclarations()) {
            const QString key = ns.prefix().isEmpty() ? QStringLiteral("@xmlns") : QStringLiteral("@xmlns:") + ns.prefix().toString();
            attribute(m_tree.store(key), ns.namespaceUri());
        }
        m_nodes += m_tree.elements[self].attributeCount + 1;
        if (m_texts.size() <= size_t(depth))
            m_texts.resize(size_t(depth) + 1);
        m_texts[size_t(depth)].clear();   // reused per depth: keeps its capacity
        while (!m_xml.atEnd() && m_error.isEmpty()) {
            if (m_nodes > m_limits.maxNodes) {
                m_error = QStringLiteral("more than %1 nodes").arg(m_limits.maxNodes);
                return false;
            }
            switch (m_xml.readNext()) {
            case QXmlStreamReader::StartElement:
                if (!element(depth + 1))
                    return false;
                break;
            case QXmlStreamReader::Characters: {
                const QStringView text = m_xml.text();
                m_texts[size_t(depth)].append(text.utf16(), size_t(text.size()));
                break;
            }
            case QXmlStreamReader::EntityReference:
            case QXmlStreamReader::DTD:
                m_error = QStringLiteral("entities and DTDs are not accepted");
                return false;
            case QXmlStreamReader::EndElement: {
                const std::u16string &text = m_texts[size_t(depth)];
                m_tree.elements[self].text = m_tree.store(QStringView(text.data(), qsizetype(text.size())));
                m_tree.elements[self].end = quint32(m_tree.elements.size());
                return true;
            }
            default:
                break;   // comments, processing instructions
            }
        }
        if (m_error.isEmpty())
            m_error = m_xml.hasError() ? errorText() : QStringLiteral("the document ends inside an element");
        return false;
    }

    const JsonXmlLimits &m_limits;
    QXmlStreamReader m_xml;
    Tree &m_tree;
    std::vector<std::u16string> m_texts;   // the text of the open element at each depth
    QString m_error;
    qint64 m_nodes = 0;
};

// One member of an element's object: an attribute, the children of one name, or "#text".
struct JsonMember
{
    QStringView key;
    quint32 index;   // attribute index, or first child in m_children's run of this name
    quint32 count;   // children of this name (0: an attribute or "#text")
    bool text;
};

QJsonValue toValue(const Tree &tree, quint32 e)
{
    const Element &element = tree.elements[e];
    const QStringView text = tree.view(element.text);
    if (!tree.isObject(e))
        return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text.toString());
    QJsonObject object;
    for (quint32 a = element.firstAttribute; a < element.firstAttribute + element.attributeCount; ++a)
        object.insert(tree.view(tree.attributes[a].key), tree.view(tree.attributes[a].value).toString());
    // Children by name in document order, then into the object at once: appending to a
    // QJsonArray inside a QJsonObject would copy it each time (quadratic).
    std::vector<std::pair<QStringView, QJsonArray>> children;
    for (quint32 c = e + 1; c < element.end; c = tree.elements[c].end) {
        const QStringView name = tree.view(tree.elements[c].name);
        auto at = std::find_if(children.begin(), children.end(), [&](const auto &p) { return p.first == name; });
        if (at == children.end())
            children.push_back({name, QJsonArray{toValue(tree, c)}});
        else
            at->second.append(toValue(tree, c));
    }
    for (const auto &[name, values] : children)
        object.insert(name, values.size() == 1 ? values.first() : QJsonValue(values));
    if (!text.trimmed().isEmpty())
        object.insert(QStringLiteral("#text"), text.trimmed().toString());
    return object;
}

// Compact JSON text from the tree, byte for byte what QJsonDocument::toJson(Compact) writes for
// toValue()'s result. Gives up (false) on a member name that is not ASCII, whose place in
// QJsonObject's order is left to QJsonObject.
class JsonWriter
{
public:
    explicit JsonWriter(const Tree &tree) : m_tree(tree) { m_out.reserve(tree.chars.size() + tree.elements.size() * 8); }

    bool run()
    {
        m_out.push_back('{');
        if (!key(m_tree.view(m_tree.elements[0].name)))
            return false;
        if (!value(0))
            return false;
        m_out.push_back('}');
        return true;
    }

    QByteArray take() const { return QByteArray(m_out.data(), qsizetype(m_out.size())); }

private:
    bool key(QStringView name)
    {
        for (const QChar c : name) {
            if (c.unicode() >= 0x80)
                return false;
        }
        string(name);
        m_out.push_back(':');
        return true;
    }

    bool value(quint32 e)
    {
        const Element &element = m_tree.elements[e];
        const QStringView text = m_tree.view(element.text);
        if (!m_tree.isObject(e)) {
            if (text.isEmpty())
                m_out.append("null");
            else
                string(text);
            return true;
        }
        // Children of one name stay in document order (stable sort); names then sort with the
        // attributes and "#text" (no clash: XML names start with neither '@' nor '#').
        const size_t base = m_members.size();
        const size_t childBase = m_children.size();
        for (quint32 c = e + 1; c < element.end; c = m_tree.elements[c].end)
            m_children.push_back(c);
        const auto nameOf = [this](quint32 c) { return m_tree.view(m_tree.elements[c].name); };
        std::stable_sort(m_children.begin() + qsizetype(childBase), m_children.end(),
                         [&](quint32 a, quint32 b) { return nameOf(a) < nameOf(b); });
        for (size_t i = childBase; i < m_children.size();) {
            size_t j = i + 1;
            while (j < m_children.size() && nameOf(m_children[j]) == nameOf(m_children[i]))
                ++j;
            m_members.push_back({nameOf(m_children[i]), quint32(i), quint32(j - i), false});
            i = j;
        }
        for (quint32 a = element.firstAttribute; a < element.firstAttribute + element.attributeCount; ++a)
            m_members.push_back({m_tree.view(m_tree.attributes[a].key), a, 0, false});
        const QStringView trimmed = text.trimmed();
        if (!trimmed.isEmpty())
            m_members.push_back({u"#text", 0, 0, true});
        std::sort(m_members.begin() + qsizetype(base), m_members.end(),
                  [](const JsonMember &a, const JsonMember &b) { return a.key < b.key; });
        m_out.push_back('{');
        const size_t end = m_members.size();
        for (size_t m = base; m < end; ++m) {
            const JsonMember member = m_members[m];   // a copy: nested values grow m_members
            if (m > base)
                m_out.push_back(',');
            if (!key(member.key))
                return false;
            if (member.text) {
                string(trimmed);
            } else if (member.count == 0) {
                string(m_tree.view(m_tree.attributes[member.index].value));
            } else if (member.count == 1) {
                if (!value(m_children[member.index]))
                    return false;
            } else {
                m_out.push_back('[');
                for (quint32 i = 0; i < member.count; ++i) {
                    if (i > 0)
                        m_out.push_back(',');
                    if (!value(m_children[member.index + i]))
                        return false;
                }
                m_out.push_back(']');
            }
        }
        m_out.push_back('}');
        m_members.resize(base);
        m_children.resize(childBase);
        return true;
    }

    // As QJsonDocument writes strings: '"' and '\' escaped, control characters as \b \f \n \r \t
    // or \u00xx, an unpaired surrogate as \udxxx, everything else as UTF-8.
    void string(QStringView s)
    {
        static constexpr char kHex[] = "0123456789abcdef";
        m_out.push_back('"');
        const char16_t *p = s.utf16();
        const char16_t *const end = p + s.size();
        while (p != end) {
            const char16_t c = *p++;
            if (c >= 0x20 && c < 0x80) {
                if (c == '"' || c == '\\')
                    m_out.push_back('\\');
                m_out.push_back(char(c));
            } else if (c < 0x20) {
                switch (c) {
                case '\b': m_out.append("\\b"); break;
                case '\f': m_out.append("\\f"); break;
                case '\n': m_out.append("\\n"); break;
                case '\r': m_out.append("\\r"); break;
                case '\t': m_out.append("\\t"); break;
                default: m_out.append("\\u00"); m_out.push_back(kHex[c >> 4]); m_out.push_back(kHex[c & 0xF]); break;
                }
            } else if (c < 0x800) {
                m_out.push_back(char(0xC0 | (c >> 6)));
                m_out.push_back(char(0x80 | (c & 0x3F)));
            } else if (c >= 0xD800 && c <= 0xDFFF) {
                if (c < 0xDC00 && p != end && *p >= 0xDC00 && *p <= 0xDFFF) {
                    const char32_t cp = 0x10000 + ((char32_t(c) - 0xD800) << 10) + (char32_t(*p++) - 0xDC00);
                    m_out.push_back(char(0xF0 | (cp >> 18)));
                    m_out.push_back(char(0x80 | ((cp >> 12) & 0x3F)));
                    m_out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
                    m_out.push_back(char(0x80 | (cp & 0x3F)));
                } else {
                    m_out.append("\\u");
                    for (int shift = 12; shift >= 0; shift -= 4)
                        m_out.push_back(kHex[(c >> shift) & 0xF]);
                }
            } else {
                m_out.push_back(char(0xE0 | (c >> 12)));
                m_out.push_back(char(0x80 | ((c >> 6) & 0x3F)));
                m_out.push_back(char(0x80 | (c & 0x3F)));
            }
        }
        m_out.push_back('"');
    }

    const Tree &m_tree;
    std::string m_out;
    std::vector<JsonMember> m_members;    // the members of the objects being written, innermost last
    std::vector<quint32> m_children;  // their children, sorted by name
};

Result<void> read(const QByteArray &xml, const JsonXmlLimits &limits, Tree &tree)
{
    if (xml.size() > limits.maxInputBytes)
        return Error::config(QStringLiteral("the document has %1 bytes, more than %2").arg(xml.size()).arg(limits.maxInputBytes));
    return Reader(xml, limits, tree).run();
}

QJsonValue rootValue(const Tree &tree)
{
    QJsonObject root;
    root.insert(tree.view(tree.elements[0].name), toValue(tree, 0));
    return root;
}

} // namespace

Result<QJsonValue> xmlToJson(const QByteArray &xml, const JsonXmlLimits &limits)
{
    Tree tree;
    const Result<void> r = read(xml, limits, tree);
    if (!r)
        return r.error();
    return rootValue(tree);
}

Result<QByteArray> xmlBodyToJson(const QByteArray &xml, const JsonXmlLimits &limits)
{
    Tree tree;
    const Result<void> r = read(xml, limits, tree);
    if (!r)
        return r.error();
    JsonWriter writer(tree);
    if (writer.run())
        return writer.take();
    return QJsonDocument(rootValue(tree).toObject()).toJson(QJsonDocument::Compact);
}

} // namespace Gatehouse
