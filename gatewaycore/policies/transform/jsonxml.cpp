// JSON <-> XML conversion by fixed rules, bounded on hostile input.
#include "jsonxml.h"

#include "jsonxmlrules.h"
#include "xmlbytewriter.h"

#include <QJsonArray>
#include <QHash>
#include <QJsonObject>
#include <QXmlStreamReader>

#include <charconv>
#include <cmath>
#include <cstring>
#include <vector>

namespace Gatehouse {

namespace {

bool isNameStart(QChar c)
{
    return c.isLetter() || c == u'_';
}

bool isNameChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c == u'-' || c == u'.';
}

// Every byte-writer call below mirrors a QXmlStreamWriter call of the original converter; the
// output is the same (tst_jsonxml compares them), only faster.
class Writer
{
public:
    Writer(const JsonXmlLimits &limits) : m_limits(limits) {}

    Result<QByteArray> run(const QJsonValue &json, const QString &rootName)
    {
        m_xml.startDocument();
        const QJsonObject o = json.toObject();
        if (json.isObject() && o.size() == 1 && !o.begin().value().isArray() && !o.begin().key().startsWith(u'@')
            && o.begin().key() != u"#text")
            element(o.begin().key(), o.begin().value(), 1);
        else
            element(rootName, json, 1);
        if (!m_error.isEmpty())
            return Error::config(m_error);
        if (m_xml.failed())
            return Error::config(QStringLiteral("a string holds an unpaired UTF-16 surrogate, which XML cannot carry"));
        m_xml.endDocument();
        return m_xml.take();
    }

private:
    bool count(int depth)
    {
        if (!m_error.isEmpty())
            return false;
        if (depth > m_limits.maxDepth)
            m_error = QStringLiteral("nested deeper than %1 levels").arg(m_limits.maxDepth);
        else if (++m_nodes > m_limits.maxNodes)
            m_error = QStringLiteral("more than %1 nodes").arg(m_limits.maxNodes);
        return m_error.isEmpty();
    }

    // scalarText of the rules: strings as they are, numbers in JSON form, true/false, else empty.
    void text(const QJsonValue &v, const QByteArray *attribute)
    {
        QByteArray latin1;
        switch (v.type()) {
        case QJsonValue::String: {
            const QString s = v.toString();
            attribute ? m_xml.attribute(*attribute, QStringView(s)) : m_xml.characters(QStringView(s));
            return;
        }
        case QJsonValue::Bool: latin1 = v.toBool() ? QByteArrayLiteral("true") : QByteArrayLiteral("false"); break;
        case QJsonValue::Double: latin1 = jsonNumberText(v.toDouble()); break;
        default: break;
        }
        attribute ? m_xml.attribute(*attribute, QByteArrayView(latin1)) : m_xml.characters(QByteArrayView(latin1));
    }

    void element(const QString &name, const QJsonValue &value, int depth)
    {
        if (!count(depth))
            return;
        if (!isXmlName(name) || name.startsWith(QStringLiteral("xmlns"))) {
            m_error = QStringLiteral("'%1' is not an XML element name").arg(name);
            return;
        }
        const QByteArray name8 = name.toUtf8();
        m_xml.startElement(name8);
        if (value.isObject()) {
            const QJsonObject o = value.toObject();
            for (auto it = o.begin(); it != o.end() && m_error.isEmpty(); ++it) {   // attributes first
                if (!it.key().startsWith(u'@'))
                    continue;
                const QString attr = it.key().mid(1);
                if (!isXmlName(attr) || it.value().isObject() || it.value().isArray()) {
                    m_error = QStringLiteral("'%1' is not an attribute (an XML name with a scalar value)").arg(it.key());
                    return;
                }
                const QByteArray attr8 = attr.toUtf8();
                text(it.value(), &attr8);
            }
            for (auto it = o.begin(); it != o.end() && m_error.isEmpty(); ++it) {
                if (it.key().startsWith(u'@'))
                    continue;
                if (it.key() == u"#text") {
                    text(it.value(), nullptr);
                } else if (it.value().isArray()) {
                    const QJsonArray items = it.value().toArray();
                    for (const QJsonValue &item : items)
                        element(it.key(), item, depth + 1);
                } else {
                    element(it.key(), it.value(), depth + 1);
                }
            }
        } else if (value.isArray()) {
            const QJsonArray items = value.toArray();
            for (const QJsonValue &item : items)
                element(QStringLiteral("item"), item, depth + 1);
        } else {
            text(value, nullptr);
        }
        m_xml.endElement(name8);
    }

    const JsonXmlLimits &m_limits;
    XmlByteWriter m_xml;
    QString m_error;
    qint64 m_nodes = 0;
};

class Reader
{
public:
    Reader(const QByteArray &xml, const JsonXmlLimits &limits) : m_limits(limits), m_xml(xml)
    {
        m_xml.setNamespaceProcessing(false);   // names stay as written
    }

    Result<QJsonValue> run()
    {
        while (!m_xml.atEnd()) {
            const auto token = m_xml.readNext();
            if (token == QXmlStreamReader::DTD)
                return Error::config(QStringLiteral("a DTD is not accepted (entities could expand without bound)"));
            if (token == QXmlStreamReader::EntityReference)
                return Error::config(QStringLiteral("the entity '%1' is not accepted").arg(m_xml.name()));
            if (token == QXmlStreamReader::StartElement) {
                const QString name = m_xml.qualifiedName().toString();
                QJsonValue content = element(1);
                if (!m_error.isEmpty())
                    return Error::config(m_error);
                QJsonObject root;
                root.insert(name, content);
                return finish(root);
            }
        }
        if (m_xml.hasError())
            return Error::config(errorText());
        return Error::config(QStringLiteral("no root element"));
    }

private:
    Result<QJsonValue> finish(const QJsonObject &root)
    {
        while (!m_xml.atEnd())
            m_xml.readNext();   // only comments and PIs may follow; a second root is an error
        if (m_xml.hasError() && m_xml.error() != QXmlStreamReader::PrematureEndOfDocumentError)
            return Error::config(errorText());
        return QJsonValue(root);
    }

    QString errorText() const
    {
        return QStringLiteral("line %1, column %2: %3").arg(m_xml.lineNumber()).arg(m_xml.columnNumber()).arg(m_xml.errorString());
    }

    // Called after StartElement; returns after the matching EndElement.
    QJsonValue element(int depth)
    {
        if (depth > m_limits.maxDepth) {
            m_error = QStringLiteral("nested deeper than %1 levels").arg(m_limits.maxDepth);
            return {};
        }
        QJsonObject object;
        for (const QXmlStreamAttribute &a : m_xml.attributes())
            object.insert(u'@' + a.qualifiedName().toString(), a.value().toString());
        for (const QXmlStreamNamespaceDeclaration &ns : m_xml.namespaceDeclarations()) {
            const QString key = ns.prefix().isEmpty() ? QStringLiteral("@xmlns") : QStringLiteral("@xmlns:") + ns.prefix().toString();
            object.insert(key, ns.namespaceUri().toString());
        }
        m_nodes += object.size() + 1;
        QString text;
        std::vector<std::pair<QString, QJsonArray>> children;
        QHash<QString, qsizetype> index;
        while (!m_xml.atEnd() && m_error.isEmpty()) {
            if (m_nodes > m_limits.maxNodes) {
                m_error = QStringLiteral("more than %1 nodes").arg(m_limits.maxNodes);
                return {};
            }
            switch (m_xml.readNext()) {
            case QXmlStreamReader::StartElement: {
                const QString name = m_xml.qualifiedName().toString();
                const QJsonValue child = element(depth + 1);
                // Gathered per name and turned into the object at the end: appending to a
                // QJsonArray inside a QJsonObject would copy it each time (quadratic).
                const auto at = index.constFind(name);
                if (at == index.constEnd()) {
                    index.insert(name, children.size());
                    children.push_back({name, QJsonArray{child}});
                } else {
                    children[size_t(*at)].second.append(child);
                }
                break;
            }
            case QXmlStreamReader::Characters:
                text += m_xml.text();
                break;
            case QXmlStreamReader::EntityReference:
            case QXmlStreamReader::DTD:
                m_error = QStringLiteral("entities and DTDs are not accepted");
                return {};
            case QXmlStreamReader::EndElement: {
                const bool blank = text.trimmed().isEmpty();
                if (object.isEmpty() && children.empty())
                    return blank && text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
                for (const auto &[name, values] : children)
                    object.insert(name, values.size() == 1 ? values.first() : QJsonValue(values));
                if (!blank)
                    object.insert(QStringLiteral("#text"), text.trimmed());
                return object;
            }
            default:
                break;   // comments, processing instructions
            }
        }
        if (m_error.isEmpty())
            m_error = m_xml.hasError() ? errorText() : QStringLiteral("the document ends inside an element");
        return {};
    }

    const JsonXmlLimits &m_limits;
    QXmlStreamReader m_xml;
    QString m_error;
    qint64 m_nodes = 0;
};

} // namespace

bool isXmlName(const QString &name)
{
    // "xmlns" and "xmlns:p" declare namespaces; other names starting with "xml" are reserved.
    const bool xmlns = name.startsWith(QStringLiteral("xmlns"));
    if (name.isEmpty() || !isNameStart(name.front()) || (name.startsWith(QStringLiteral("xml"), Qt::CaseInsensitive) && !xmlns))
        return false;
    int colons = 0;
    for (QChar c : name) {
        if (c == u':')
            ++colons;
        else if (!isNameChar(c))
            return false;
    }
    return colons <= 1 && !name.endsWith(u':');
}

namespace {

// Whether d's exact decimal expansion has exactly 18 significant digits (the last one then is a
// 5): a tie when rounded to 17, which Qt rounds up and std::to_chars to even. d = n * 2^e with n
// odd has the digits of n * 5^-e when e < 0, and an integer (e >= 0) below 2^53 has at most 16.
bool tieAt17Digits(double d)
{
    int exponent = 0;
    const double mantissa = std::frexp(std::fabs(d), &exponent);   // [0.5, 1) * 2^exponent
    quint64 n = quint64(std::ldexp(mantissa, 53));
    int e = exponent - 53;
    if (n == 0)
        return false;
    while ((n & 1) == 0) {
        n >>= 1;
        ++e;
    }
    if (e >= 0 || e < -27)   // 5^28 alone has 20 digits
        return false;
    quint64 digits = n;   // below 2^53, and kept below 10^18: never overflows
    for (int i = 0; i < -e; ++i) {
        if (digits >= 200'000'000'000'000'000ULL)
            return false;   // 19 digits or more once multiplied
        digits *= 5;
    }
    return digits >= 100'000'000'000'000'000ULL;
}

} // namespace

qsizetype writeJsonNumber(double d, char *out)
{
    // The range test first: converting a double outside qint64's range is undefined.
    if (qAbs(d) < 1e15 && d == double(qint64(d)))
        return std::to_chars(out, out + kJsonNumberMaxBytes, qint64(d)).ptr - out;
    if (tieAt17Digits(d)) {   // rare: Qt's formatting, exactly as before
        const QByteArray text = QByteArray::number(d, 'g', 17);
        std::memcpy(out, text.constData(), size_t(text.size()));
        return text.size();
    }
    // The same text as QByteArray::number(d, 'g', 17) (tst_jsonxml checks), without allocating.
    return std::to_chars(out, out + kJsonNumberMaxBytes, d, std::chars_format::general, 17).ptr - out;
}

QByteArray jsonNumberText(double d)
{
    char text[kJsonNumberMaxBytes];
    return QByteArray(text, writeJsonNumber(d, text));
}

Result<QByteArray> jsonToXml(const QJsonValue &json, const QString &rootName, const JsonXmlLimits &limits)
{
    return Writer(limits).run(json, rootName);
}

Result<QJsonValue> xmlToJson(const QByteArray &xml, const JsonXmlLimits &limits)
{
    if (xml.size() > limits.maxInputBytes)
        return Error::config(QStringLiteral("the document has %1 bytes, more than %2").arg(xml.size()).arg(limits.maxInputBytes));
    return Reader(xml, limits).run();
}

} // namespace Gatehouse
