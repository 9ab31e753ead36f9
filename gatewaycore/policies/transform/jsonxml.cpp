// JSON <-> XML conversion by fixed rules, bounded on hostile input.
#include "jsonxml.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>

#include <vector>

namespace Gatehouse {

namespace {

bool isNameStart(QChar c)
{
    return c.isLetter() || c == u'_';
}

bool isXmlName(const QString &name)
{
    if (name.isEmpty() || !isNameStart(name.front()) || name.startsWith(QStringLiteral("xml"), Qt::CaseInsensitive))
        return name.startsWith(QStringLiteral("xmlns"));   // namespace declarations only
    int colons = 0;
    for (QChar c : name) {
        if (c == u':')
            ++colons;
        else if (!(c.isLetterOrNumber() || c == u'_' || c == u'-' || c == u'.'))
            return false;
    }
    return colons <= 1 && !name.endsWith(u':');
}

QString scalarText(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::String: return v.toString();
    case QJsonValue::Bool: return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: {
        const double d = v.toDouble();
        return d == double(qint64(d)) && qAbs(d) < 1e15 ? QString::number(qint64(d)) : QString::number(d, 'g', 17);
    }
    default: return {};
    }
}

class Writer
{
public:
    Writer(const JsonXmlLimits &limits) : m_limits(limits), m_xml(&m_out) {}

    Result<QByteArray> run(const QJsonValue &json, const QString &rootName)
    {
        m_xml.writeStartDocument();
        const QJsonObject o = json.toObject();
        if (json.isObject() && o.size() == 1 && !o.begin().value().isArray() && !o.begin().key().startsWith(u'@')
            && o.begin().key() != u"#text")
            element(o.begin().key(), o.begin().value(), 1);
        else
            element(rootName, json, 1);
        if (!m_error.isEmpty())
            return Error::config(m_error);
        m_xml.writeEndDocument();
        return m_out;
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

    void element(const QString &name, const QJsonValue &value, int depth)
    {
        if (!count(depth))
            return;
        if (!isXmlName(name) || name.startsWith(QStringLiteral("xmlns"))) {
            m_error = QStringLiteral("'%1' is not an XML element name").arg(name);
            return;
        }
        m_xml.writeStartElement(name);
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
                m_xml.writeAttribute(attr, scalarText(it.value()));
            }
            for (auto it = o.begin(); it != o.end() && m_error.isEmpty(); ++it) {
                if (it.key().startsWith(u'@'))
                    continue;
                if (it.key() == u"#text") {
                    m_xml.writeCharacters(scalarText(it.value()));
                } else if (it.value().isArray()) {
                    for (const QJsonValue &item : it.value().toArray())
                        element(it.key(), item, depth + 1);
                } else {
                    element(it.key(), it.value(), depth + 1);
                }
            }
        } else if (value.isArray()) {
            for (const QJsonValue &item : value.toArray())
                element(QStringLiteral("item"), item, depth + 1);
        } else {
            m_xml.writeCharacters(scalarText(value));
        }
        m_xml.writeEndElement();
    }

    const JsonXmlLimits &m_limits;
    QByteArray m_out;
    QXmlStreamWriter m_xml;
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
