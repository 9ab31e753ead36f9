// JSON -> XML from a QJsonValue by fixed rules, bounded on hostile input (XML -> JSON: xmltojson.cpp).
#include "jsonxml.h"

#include "jsonxmlrules.h"
#include "xmlbytewriter.h"

#include <QJsonArray>
#include <QJsonObject>

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

} // namespace Gatehouse
