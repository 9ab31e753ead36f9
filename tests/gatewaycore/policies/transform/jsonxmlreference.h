// The JSON <-> XML converter as first written on QXmlStreamWriter / QJsonObject, kept for the
// tests only: the fast byte writer and reader must give exactly what these give.
#pragma once

#include "policies/transform/jsonxml.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>

#include <vector>

namespace JsonXmlReference {

// The converter as it was first written on QXmlStreamWriter: the byte writer must produce the
// same bytes for everything this accepts (names valid, depth and size within limits).
class ReferenceWriter
{
public:
    QByteArray run(const QJsonValue &json, const QString &rootName)
    {
        QXmlStreamWriter xml(&m_out);
        m_xml = &xml;
        xml.writeStartDocument();
        const QJsonObject o = json.toObject();
        if (json.isObject() && o.size() == 1 && !o.begin().value().isArray() && !o.begin().key().startsWith(u'@')
            && o.begin().key() != u"#text")
            element(o.begin().key(), o.begin().value());
        else
            element(rootName, json);
        xml.writeEndDocument();
        return m_out;
    }

private:
    static QString scalarText(const QJsonValue &v)
    {
        switch (v.type()) {
        case QJsonValue::String: return v.toString();
        case QJsonValue::Bool: return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        case QJsonValue::Double: {
            const double d = v.toDouble();
            return qAbs(d) < 1e15 && d == double(qint64(d)) ? QString::number(qint64(d)) : QString::number(d, 'g', 17);
        }
        default: return {};
        }
    }

    void element(const QString &name, const QJsonValue &value)
    {
        m_xml->writeStartElement(name);
        if (value.isObject()) {
            const QJsonObject o = value.toObject();
            for (auto it = o.begin(); it != o.end(); ++it) {
                if (it.key().startsWith(u'@'))
                    m_xml->writeAttribute(it.key().mid(1), scalarText(it.value()));
            }
            for (auto it = o.begin(); it != o.end(); ++it) {
                if (it.key().startsWith(u'@'))
                    continue;
                if (it.key() == u"#text") {
                    m_xml->writeCharacters(scalarText(it.value()));
                } else if (it.value().isArray()) {
                    const QJsonArray items = it.value().toArray();
                    for (const QJsonValue &item : items)
                        element(it.key(), item);
                } else {
                    element(it.key(), it.value());
                }
            }
        } else if (value.isArray()) {
            const QJsonArray items = value.toArray();
            for (const QJsonValue &item : items)
                element(QStringLiteral("item"), item);
        } else {
            m_xml->writeCharacters(scalarText(value));
        }
        m_xml->writeEndElement();
    }

    QByteArray m_out;
    QXmlStreamWriter *m_xml = nullptr;
};

// A 10 KiB order, as tests/bench/body_policies.cpp builds it.
inline QByteArray orderBody()
{
    QByteArray items;
    for (int i = 0; i < 40; ++i) {
        items += QStringLiteral(R"(%1{"gift":%2,"name":"Item number %3 with a name","price":%4,"quantity":%5,"sku":"SKU-%6"})")
                     .arg(i ? QStringLiteral(",") : QString())
                     .arg(i % 3 == 0 ? QStringLiteral("true") : QStringLiteral("false"))
                     .arg(i)
                     .arg(9.99 + i, 0, 'g', 17)
                     .arg(i % 7 + 1)
                     .arg(100000 + i)
                     .toUtf8();
    }
    return R"({"created":"2026-11-26T18:40:00Z","customer":"jane.doe@example.com","id":"123e4567","items":[)" + items
        + R"(],"status":"placed"})";
}

// The reader as first written (QJsonObject per element); errors as messages.
class ReferenceReader
{
public:
    ReferenceReader(const QByteArray &xml, const Gatehouse::JsonXmlLimits &limits) : m_limits(limits), m_xml(xml)
    {
        m_xml.setNamespaceProcessing(false);   // names stay as written
    }

    Gatehouse::Result<QJsonValue> run()
    {
        while (!m_xml.atEnd()) {
            const auto token = m_xml.readNext();
            if (token == QXmlStreamReader::DTD)
                return Gatehouse::Error::config(QStringLiteral("a DTD is not accepted (entities could expand without bound)"));
            if (token == QXmlStreamReader::EntityReference)
                return Gatehouse::Error::config(QStringLiteral("the entity '%1' is not accepted").arg(m_xml.name()));
            if (token == QXmlStreamReader::StartElement) {
                const QString name = m_xml.qualifiedName().toString();
                QJsonValue content = element(1);
                if (!m_error.isEmpty())
                    return Gatehouse::Error::config(m_error);
                QJsonObject root;
                root.insert(name, content);
                return finish(root);
            }
        }
        if (m_xml.hasError())
            return Gatehouse::Error::config(errorText());
        return Gatehouse::Error::config(QStringLiteral("no root element"));
    }

private:
    Gatehouse::Result<QJsonValue> finish(const QJsonObject &root)
    {
        while (!m_xml.atEnd())
            m_xml.readNext();   // only comments and PIs may follow; a second root is an error
        if (m_xml.hasError() && m_xml.error() != QXmlStreamReader::PrematureEndOfDocumentError)
            return Gatehouse::Error::config(errorText());
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

    const Gatehouse::JsonXmlLimits &m_limits;
    QXmlStreamReader m_xml;
    QString m_error;
    qint64 m_nodes = 0;
};


} // namespace JsonXmlReference
