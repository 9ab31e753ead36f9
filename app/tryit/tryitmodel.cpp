// The try-it console's text rules: operation URLs, query sync, auth headers, example bodies, JSON.
#include "tryitmodel.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QUrl>

namespace Gatehouse {

namespace {

constexpr int kMaxExampleDepth = 8;

// What stays readable in a query we write: braces so that {placeholders} survive a table edit, and
// the sub-delimiters that carry no meaning inside a query value. '&', '=', '#', '+' and '%' are
// always encoded, or the server would read a different query.
const QByteArray kQueryKeep = QByteArrayLiteral("{}/:@!$'()*,;");

QString decodeQueryPart(QStringView part)
{
    // Servers read '+' in a query as a space (HTML forms); show it the way they will read it.
    QByteArray bytes = part.toUtf8();
    bytes.replace('+', ' ');
    return QUrl::fromPercentEncoding(bytes);
}

QString encodeQueryPart(const QString &part)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(part, kQueryKeep));
}

QString scalarText(const QJsonValue &v)
{
    switch (v.type()) {
        case QJsonValue::String:
            return v.toString();
        case QJsonValue::Bool:
            return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        case QJsonValue::Double: {
            const double d = v.toDouble();
            return d == double(qint64(d)) ? QString::number(qint64(d)) : QString::number(d);
        }
        case QJsonValue::Array:
        case QJsonValue::Object:
            return QString::fromUtf8(
                v.isArray() ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)
                            : QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
        default:
            return {};
    }
}

QString schemaType(const QJsonObject &schema)
{
    const QJsonValue type = schema.value(QStringLiteral("type"));
    if (type.isString())
        return type.toString();
    // OpenAPI 3.1 allows a list of types ("string", "null"): take the first that is not null.
    for (const QJsonValue &t : type.toArray()) {
        if (t.toString() != QStringLiteral("null"))
            return t.toString();
    }
    if (schema.contains(QStringLiteral("properties")))
        return QStringLiteral("object");
    if (schema.contains(QStringLiteral("items")))
        return QStringLiteral("array");
    return {};
}

QJsonValue stringExample(const QJsonObject &schema)
{
    const QString format = schema.value(QStringLiteral("format")).toString();
    if (format == QStringLiteral("date-time"))
        return QStringLiteral("2024-01-01T12:00:00Z");
    if (format == QStringLiteral("date"))
        return QStringLiteral("2024-01-01");
    if (format == QStringLiteral("email"))
        return QStringLiteral("user@example.com");
    if (format == QStringLiteral("uuid"))
        return QStringLiteral("3fa85f64-5717-4562-b3fc-2c963f66afa6");
    if (format == QStringLiteral("uri") || format == QStringLiteral("url"))
        return QStringLiteral("https://example.com/");
    return QStringLiteral("string");
}

} // namespace

std::optional<std::pair<QByteArray, QByteArray>> authHeader(const AuthSettings &auth)
{
    switch (auth.kind) {
        case AuthKind::Bearer:
            if (auth.token.trimmed().isEmpty())
                return std::nullopt;
            return std::pair{QByteArrayLiteral("Authorization"),
                             "Bearer " + auth.token.trimmed().toUtf8()};
        case AuthKind::ApiKeyHeader:
            if (auth.apiKeyHeader.trimmed().isEmpty() || auth.apiKey.trimmed().isEmpty())
                return std::nullopt;
            return std::pair{auth.apiKeyHeader.trimmed().toLatin1(),
                             auth.apiKey.trimmed().toUtf8()};
        case AuthKind::Basic:
            if (auth.user.isEmpty())
                return std::nullopt;
            return std::pair{QByteArrayLiteral("Authorization"),
                             "Basic " + (auth.user + u':' + auth.password).toUtf8().toBase64()};
        case AuthKind::None:
            break;
    }
    return std::nullopt;
}

QByteArray TryItResponse::header(const QByteArray &name) const
{
    for (const auto &[n, v] : headers) {
        if (n.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return {};
}

QByteArray TryItResponse::rawText() const
{
    QByteArray text = httpVersion + ' ' + QByteArray::number(status) + ' ' + reason + '\n';
    for (const auto &[n, v] : headers)
        text += n + ": " + v + '\n';
    return text + '\n' + body;
}

QString operationUrl(const QString &gatewayBase, const ApiSpec &api, const Operation &op)
{
    QString url = gatewayBase;
    while (url.endsWith(u'/'))
        url.chop(1);
    if (api.basePath != QStringLiteral("/"))
        url += api.basePath;
    url += op.pathTemplate.startsWith(u'/') ? op.pathTemplate : u'/' + op.pathTemplate;

    NameValueList query;
    for (const Parameter &p : op.parameters) {
        if (p.in == ParameterLocation::Query && p.required)
            query.append({p.name, scalarText(exampleFromSchema(p.schema))});
    }
    return query.isEmpty() ? url : withQueryItems(url, query);
}

QList<std::pair<int, int>> placeholderSpans(QStringView url)
{
    QList<std::pair<int, int>> spans;
    qsizetype end = url.indexOf(u'?');
    if (end < 0)
        end = url.indexOf(u'#');
    if (end < 0)
        end = url.size();
    for (qsizetype i = 0; i < end; ++i) {
        if (url[i] != u'{')
            continue;
        qsizetype j = i + 1;
        while (j < end && url[j] != u'}' && url[j] != u'/' && url[j] != u'{')
            ++j;
        if (j < end && url[j] == u'}' && j > i + 1) {
            spans.append({int(i), int(j - i + 1)});
            i = j;
        }
    }
    return spans;
}

QStringList placeholderNames(QStringView url)
{
    QStringList names;
    for (const auto &[start, length] : placeholderSpans(url))
        names.append(url.mid(start + 1, length - 2).toString());
    return names;
}

NameValueList queryItems(const QString &url)
{
    const qsizetype q = url.indexOf(u'?');
    if (q < 0)
        return {};
    qsizetype end = url.indexOf(u'#', q);
    if (end < 0)
        end = url.size();
    NameValueList items;
    const QStringView query = QStringView(url).mid(q + 1, end - q - 1);
    for (QStringView part : query.split(u'&', Qt::SkipEmptyParts)) {
        const qsizetype eq = part.indexOf(u'=');
        if (eq < 0)
            items.append({decodeQueryPart(part), QString()});
        else
            items.append({decodeQueryPart(part.left(eq)), decodeQueryPart(part.mid(eq + 1))});
    }
    return items;
}

QString withQueryItems(const QString &url, const NameValueList &items)
{
    qsizetype hash = url.indexOf(u'#');
    const QString fragment = hash < 0 ? QString() : url.mid(hash);
    QString base = hash < 0 ? url : url.left(hash);
    const qsizetype q = base.indexOf(u'?');
    if (q >= 0)
        base.truncate(q);
    QStringList parts;
    for (const NameValue &item : items) {
        if (!item.name.isEmpty())
            parts.append(encodeQueryPart(item.name) + u'=' + encodeQueryPart(item.value));
    }
    return parts.isEmpty() ? base + fragment : base + u'?' + parts.join(u'&') + fragment;
}

QJsonValue exampleFromSchema(const QJsonValue &schemaValue, int depth)
{
    if (!schemaValue.isObject() || depth > kMaxExampleDepth)
        return QJsonValue(QJsonValue::Undefined);
    const QJsonObject schema = schemaValue.toObject();
    for (const char *key : {"example", "default", "const"}) {
        if (schema.contains(QLatin1String(key)))
            return schema.value(QLatin1String(key));
    }
    for (const char *key : {"examples", "enum"}) {
        const QJsonArray list = schema.value(QLatin1String(key)).toArray();
        if (!list.isEmpty())
            return list.first();
    }
    if (const QJsonArray all = schema.value(QStringLiteral("allOf")).toArray(); !all.isEmpty()) {
        QJsonObject merged;
        for (const QJsonValue &part : all) {
            const QJsonObject obj = exampleFromSchema(part, depth + 1).toObject();
            for (auto it = obj.begin(); it != obj.end(); ++it)
                merged.insert(it.key(), it.value());
        }
        return merged;
    }
    for (const char *key : {"oneOf", "anyOf"}) {
        const QJsonArray choices = schema.value(QLatin1String(key)).toArray();
        if (!choices.isEmpty())
            return exampleFromSchema(choices.first(), depth + 1);
    }
    const QString type = schemaType(schema);
    if (type == QStringLiteral("object")) {
        QJsonObject obj;
        const QJsonObject props = schema.value(QStringLiteral("properties")).toObject();
        for (auto it = props.begin(); it != props.end(); ++it) {
            // The server fills read-only properties (ids, timestamps); a request does not send them.
            if (it.value().toObject().value(QStringLiteral("readOnly")).toBool())
                continue;
            const QJsonValue v = exampleFromSchema(it.value(), depth + 1);
            if (!v.isUndefined())
                obj.insert(it.key(), v);
        }
        return obj;
    }
    if (type == QStringLiteral("array")) {
        const QJsonValue item = exampleFromSchema(schema.value(QStringLiteral("items")), depth + 1);
        return item.isUndefined() ? QJsonArray() : QJsonArray{item};
    }
    if (type == QStringLiteral("string"))
        return stringExample(schema);
    if (type == QStringLiteral("integer") || type == QStringLiteral("number"))
        return schema.contains(QStringLiteral("minimum")) ? schema.value(QStringLiteral("minimum"))
                                                          : QJsonValue(0);
    if (type == QStringLiteral("boolean"))
        return false;
    return QJsonValue(QJsonValue::Undefined);
}

QByteArray exampleBody(const Operation &op, QString *contentType)
{
    if (!op.requestBody || op.requestBody->content.isEmpty())
        return {};
    const MediaType *chosen = &op.requestBody->content.first();
    for (const MediaType &m : op.requestBody->content) {
        if (m.contentType.contains(QStringLiteral("json"))) {
            chosen = &m;
            break;
        }
    }
    if (contentType)
        *contentType = chosen->contentType;
    if (!chosen->contentType.contains(QStringLiteral("json")))
        return {};
    const QJsonValue example = exampleFromSchema(chosen->schema);
    if (example.isObject())
        return QJsonDocument(example.toObject()).toJson(QJsonDocument::Indented);
    if (example.isArray())
        return QJsonDocument(example.toArray()).toJson(QJsonDocument::Indented);
    return example.isUndefined() ? QByteArray() : scalarText(example).toUtf8();
}

std::optional<QString> prettyJson(const QByteArray &bytes)
{
    QJsonParseError error;
    if (QJsonDocument::fromJson(bytes, &error).isNull() || error.error != QJsonParseError::NoError)
        return std::nullopt;
    // Re-indent the text itself rather than QJsonDocument::toJson: that would sort the keys, and
    // the order the server wrote them in is part of what the user is looking at.
    const QString text = QString::fromUtf8(bytes).trimmed();
    QString out;
    out.reserve(text.size() * 2);
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    auto newline = [&out, &depth] { out += u'\n' + QString(depth * 4, u' '); };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (inString) {
            out += c;
            if (escaped)
                escaped = false;
            else if (c == u'\\')
                escaped = true;
            else if (c == u'"')
                inString = false;
            continue;
        }
        switch (c.unicode()) {
            case u'"':
                inString = true;
                out += c;
                break;
            case u'{':
            case u'[': {
                qsizetype next = i + 1;
                while (next < text.size() && text[next].isSpace())
                    ++next;
                const QChar close = c == u'{' ? u'}' : u']';
                out += c;
                if (next < text.size() && text[next] == close) {   // {} and [] stay on one line
                    out += close;
                    i = next;
                } else {
                    ++depth;
                    newline();
                }
                break;
            }
            case u'}':
            case u']':
                --depth;
                newline();
                out += c;
                break;
            case u',':
                out += c;
                newline();
                break;
            case u':':
                out += QStringLiteral(": ");
                break;
            default:
                if (!c.isSpace())
                    out += c;
        }
    }
    return out;
}

QString formatSize(qint64 bytes)
{
    if (bytes < 1024)
        return QCoreApplication::translate("Gatehouse::TryIt", "%n B", nullptr, int(bytes));
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

} // namespace Gatehouse
