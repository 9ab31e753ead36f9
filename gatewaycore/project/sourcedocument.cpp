// A YAML or JSON file turned into JSON values, remembering where each value was written.
#include "sourcedocument.h"

#include "sourcedocumentreaders.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <limits>

namespace Gatehouse {

// ---- JSON pointers -------------------------------------------------------------------------

QString JsonPointer::escape(QStringView segment)
{
    if (!segment.contains(u'~') && !segment.contains(u'/'))
        return segment.toString();
    QString out;
    out.reserve(segment.size() + 4);
    for (QChar c : segment) {
        if (c == u'~')
            out += QStringLiteral("~0");
        else if (c == u'/')
            out += QStringLiteral("~1");
        else
            out += c;
    }
    return out;
}

QString JsonPointer::child(const QString &pointer, QStringView key)
{
    return pointer + u'/' + escape(key);
}

QString JsonPointer::child(const QString &pointer, qsizetype index)
{
    return pointer + u'/' + QString::number(index);
}

std::optional<QStringList> JsonPointer::split(QStringView pointer)
{
    QStringList out;
    if (pointer.isEmpty())
        return out;
    if (pointer.front() != u'/')
        return std::nullopt;
    for (QStringView raw : pointer.mid(1).split(u'/')) {
        QString segment;
        segment.reserve(raw.size());
        for (qsizetype i = 0; i < raw.size(); ++i) {
            if (raw[i] != u'~') {
                segment += raw[i];
                continue;
            }
            if (i + 1 >= raw.size() || (raw[i + 1] != u'0' && raw[i + 1] != u'1'))
                return std::nullopt;
            segment += raw[++i] == u'0' ? u'~' : u'/';
        }
        out.append(segment);
    }
    return out;
}

QString jsonKindName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Bool: return QStringLiteral("true/false");
    case QJsonValue::Double: return QStringLiteral("a number");
    case QJsonValue::String: return QStringLiteral("a string");
    case QJsonValue::Array: return QStringLiteral("a list");
    case QJsonValue::Object: return QStringLiteral("a map");
    case QJsonValue::Undefined: break;
    }
    return QStringLiteral("nothing");
}

namespace {

bool looksLikeJson(const QByteArray &text, qsizetype &start)
{
    start = text.startsWith("\xEF\xBB\xBF") ? 3 : 0;
    qsizetype i = start;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
        ++i;
    return i < text.size() && (text[i] == '{' || text[i] == '[');
}

} // namespace

std::shared_ptr<const SourceDocument> SourceDocument::parse(const QByteArray &text,
                                                            const QString &displayPath,
                                                            Diagnostics &diagnostics, Syntax syntax)
{
    std::shared_ptr<SourceDocument> doc(new SourceDocument);
    doc->m_displayPath = displayPath;

    qsizetype start = 0;
    const bool jsonLike = looksLikeJson(text, start);
    std::optional<Diagnostic> jsonError;
    if (syntax == Syntax::Json || (syntax == Syntax::Auto && jsonLike)) {
        QJsonParseError error{};
        const QJsonDocument json = QJsonDocument::fromJson(start ? text.mid(start) : text, &error);
        if (error.error == QJsonParseError::NoError) {
            doc->m_root = json.isObject() ? QJsonValue(json.object()) : QJsonValue(json.array());
            for (const SourceReaders::DuplicateKey &key : SourceReaders::indexJson(text, start, doc->m_places)) {
                diagnostics.error({displayPath, key.line, key.column},
                                  QStringLiteral("duplicate key '%1': a key may appear only once in a map")
                                      .arg(key.name));
            }
            doc->m_syntax = Syntax::Json;
            return doc;
        }
        // Qt's offset is just past the character it choked on.
        const qsizetype at = start + std::max(0, error.offset - 1);
        jsonError = Diagnostic{Severity::Error, SourceReaders::locationAt(text, at, displayPath),
                               QStringLiteral("JSON syntax error: %1").arg(error.errorString())};
        if (syntax == Syntax::Json) {
            diagnostics.add(*jsonError);
            return nullptr;
        }
    }

    // YAML (also JSON-like text that strict JSON rejected: comments, single quotes ...).
    Diagnostics yamlDiagnostics;
    const std::optional<QJsonValue> root = SourceReaders::readYaml(text, displayPath, yamlDiagnostics,
                                                                   doc->m_places, doc->m_numberTexts);
    if (root) {
        doc->m_root = *root;
        doc->m_syntax = Syntax::Yaml;
        if (jsonError && displayPath.endsWith(u".json", Qt::CaseInsensitive)) {
            // Lenient YAML read it, but other JSON tools will not: say so.
            diagnostics.warning(jsonError->location, QStringLiteral("this file is not valid JSON (%1); it was "
                                                                    "read as YAML, which accepts it")
                                                         .arg(jsonError->message));
        }
        diagnostics.append(yamlDiagnostics);   // non-fatal findings such as duplicate keys
        return doc;
    }
    // Text that looked like JSON is best explained by the JSON parser, unless it is a .yaml file.
    if (jsonError && !displayPath.endsWith(u".yaml") && !displayPath.endsWith(u".yml"))
        diagnostics.add(*jsonError);
    else
        diagnostics.append(yamlDiagnostics);
    return nullptr;
}

const SourceDocument::Place *SourceDocument::find(QStringView pointer) const
{
    for (;;) {
        const auto it = m_places.constFind(pointer.toString());
        if (it != m_places.constEnd())
            return &*it;
        const qsizetype slash = pointer.lastIndexOf(u'/');
        if (slash < 0)
            return nullptr;
        pointer = pointer.left(slash);
    }
}

SourceLocation SourceDocument::locate(QStringView pointer) const
{
    const Place *place = find(pointer);
    if (!place)
        return {m_displayPath, 0, 0};
    if (place->line == 0)
        return {m_displayPath, place->keyLine, place->keyColumn};
    return {m_displayPath, place->line, place->column};
}

SourceLocation SourceDocument::locateKey(QStringView pointer) const
{
    const Place *place = find(pointer);
    if (!place)
        return {m_displayPath, 0, 0};
    if (place->keyLine == 0)
        return {m_displayPath, place->line, place->column};
    return {m_displayPath, place->keyLine, place->keyColumn};
}

QStringList SourceDocument::keysInSourceOrder(QStringView pointer, const QJsonObject &object) const
{
    QStringList keys = object.keys();
    if (keys.size() < 2)
        return keys;
    QHash<QString, qint64> order;
    order.reserve(keys.size());
    const QString base = pointer.toString();
    for (const QString &key : std::as_const(keys)) {
        const auto it = m_places.constFind(JsonPointer::child(base, key));
        const qint64 line = it == m_places.constEnd() ? std::numeric_limits<int>::max() : it->keyLine;
        order.insert(key, line << 32 | (it == m_places.constEnd() ? 0 : it->keyColumn));
    }
    std::stable_sort(keys.begin(), keys.end(),
                     [&](const QString &a, const QString &b) { return order.value(a) < order.value(b); });
    return keys;
}

QString SourceDocument::scalarText(QStringView pointer) const
{
    return m_numberTexts.value(pointer.toString());
}

QString SourceDocument::valueText(QStringView pointer) const
{
    const std::optional<QStringList> parts = JsonPointer::split(pointer);
    QJsonValue v = m_root;
    for (const QString &part : parts.value_or(QStringList()))
        v = v.isArray() ? v.toArray().at(part.toInt()) : v.toObject().value(part);
    return v.isString() ? v.toString() : scalarText(pointer);
}

} // namespace Gatehouse
