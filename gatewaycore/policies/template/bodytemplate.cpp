// Body templates: compile (variables, context per substitution, the skeleton checked) and render
// with escaping per content type.
#include "bodytemplate.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonParseError>
#include <QXmlStreamReader>

#include <algorithm>

namespace Gatehouse {

namespace {

struct Variable
{
    const char *name;     // exact name, or a prefix ending in '.' or '#'
    TemplateSource source;
    bool prefix;
};

constexpr Variable kVariables[] = {
    {"request.method", TemplateSource::Method, false},
    {"request.path", TemplateSource::Path, false},
    {"request.header.", TemplateSource::Header, true},
    {"request.query.", TemplateSource::Query, true},
    {"request.param.", TemplateSource::PathParam, true},
    {"request.body#", TemplateSource::RequestJson, true},
    {"request.body", TemplateSource::RequestBody, false},
    {"principal.subject", TemplateSource::Subject, false},
    {"principal.scopes", TemplateSource::Scopes, false},
    {"principal.issuer", TemplateSource::Issuer, false},
    {"principal.application", TemplateSource::Application, false},
    {"principal.claim.", TemplateSource::Claim, true},
    {"route.operationId", TemplateSource::OperationId, false},
    {"api.name", TemplateSource::ApiName, false},
    {"api.version", TemplateSource::ApiVersion, false},
    {"context.now", TemplateSource::Now, false},
    {"context.clientIp", TemplateSource::ClientIp, false},
    {"response.status", TemplateSource::Status, false},
    {"response.header.", TemplateSource::ResponseHeader, true},
    {"response.body#", TemplateSource::ResponseJson, true},
    {"response.body", TemplateSource::ResponseBody, false},
};

bool isResponseSource(TemplateSource s)
{
    return s == TemplateSource::Status || s == TemplateSource::ResponseHeader || s == TemplateSource::ResponseBody
           || s == TemplateSource::ResponseJson;
}

// XML scanning state between literals.
enum class XmlState { Text = 1, Tag, AttrSingle, AttrDouble, Comment, CData, Other };

void advanceXml(XmlState &state, QByteArrayView text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const QByteArrayView rest = text.sliced(i);
        switch (state) {
        case XmlState::Text:
            if (rest.startsWith("<!--"))
                state = XmlState::Comment, i += 3;
            else if (rest.startsWith("<![CDATA["))
                state = XmlState::CData, i += 8;
            else if (rest.startsWith("<?") || rest.startsWith("<!"))
                state = XmlState::Other;
            else if (c == '<')
                state = XmlState::Tag;
            break;
        case XmlState::Tag:
            if (c == '"')
                state = XmlState::AttrDouble;
            else if (c == '\'')
                state = XmlState::AttrSingle;
            else if (c == '>')
                state = XmlState::Text;
            break;
        case XmlState::AttrDouble:
            if (c == '"')
                state = XmlState::Tag;
            break;
        case XmlState::AttrSingle:
            if (c == '\'')
                state = XmlState::Tag;
            break;
        case XmlState::Comment:
            if (rest.startsWith("-->"))
                state = XmlState::Text, i += 2;
            break;
        case XmlState::CData:
            if (rest.startsWith("]]>"))
                state = XmlState::Text, i += 2;
            break;
        case XmlState::Other:
            if (c == '>')
                state = XmlState::Text;
            break;
        }
    }
}

// JSON: whether the text ends inside a string literal, given where it started.
void advanceJson(bool &inString, bool &escaped, QByteArrayView text)
{
    for (const char c : text) {
        if (!inString) {
            if (c == '"')
                inString = true;
        } else if (escaped) {
            escaped = false;
        } else if (c == '\\') {
            escaped = true;
        } else if (c == '"') {
            inString = false;
        }
    }
}

bool isJsonValueContext(const BodyTemplate::Part &p)
{
    return !p.inString;
}

} // namespace

BodyKind bodyKindOf(QByteArrayView contentType)
{
    QByteArray type = contentType.toByteArray().toLower();
    if (const qsizetype semi = type.indexOf(';'); semi >= 0)
        type.truncate(semi);
    type = type.trimmed();
    if (type == "application/json" || type.endsWith("+json"))
        return BodyKind::Json;
    if (type == "application/xml" || type == "text/xml" || type.endsWith("+xml"))
        return BodyKind::Xml;
    return BodyKind::Text;
}

bool BodyTemplate::compile(const QString &text, BodyKind kind, bool response, const QStringList &pathParams,
                           QStringList &problems)
{
    m_parts.clear();
    m_kind = kind;
    m_readsRequestJson = m_readsResponseJson = false;
    const qsizetype before = problems.size();
    const QByteArray utf8 = text.toUtf8();
    QByteArray literal;
    bool jsonString = false;
    bool jsonEscaped = false;
    XmlState xml = XmlState::Text;
    auto flushLiteral = [&] {
        if (literal.isEmpty())
            return;
        advanceJson(jsonString, jsonEscaped, literal);
        advanceXml(xml, literal);
        m_parts.append({literal, {}, {}, false});
        literal.clear();
    };
    qsizetype i = 0;
    while (i < utf8.size()) {
        if (utf8.sliced(i).startsWith("$${")) {
            literal += "${";
            i += 3;
            continue;
        }
        if (!utf8.sliced(i).startsWith("${")) {
            literal += utf8[i++];
            continue;
        }
        const qsizetype close = utf8.indexOf('}', i + 2);
        if (close < 0) {
            problems.append(QStringLiteral("'${' at byte %1 is not closed with '}' (write $${ for a literal ${)").arg(i + 1));
            break;
        }
        const QByteArray name = utf8.mid(i + 2, close - i - 2);
        i = close + 1;
        flushLiteral();
        Part part;
        bool known = false;
        for (const Variable &v : kVariables) {
            const QByteArrayView vname(v.name);
            if (v.prefix ? name.startsWith(vname) && name.size() >= vname.size() : name == vname) {
                part.source = v.source;
                part.name = v.prefix ? name.sliced(vname.size()) : QByteArray();
                known = true;
                break;
            }
        }
        if (!known) {
            problems.append(QStringLiteral("unknown substitution '${%1}' (see the variables of body-template)")
                                .arg(QString::fromUtf8(name)));
            continue;
        }
        const bool prefixNeedsName = part.source == TemplateSource::Header || part.source == TemplateSource::Query
                                     || part.source == TemplateSource::PathParam || part.source == TemplateSource::Claim
                                     || part.source == TemplateSource::ResponseHeader;
        const bool plainName = std::all_of(part.name.cbegin(), part.name.cend(), [](char c) {
            return c > 0x20 && c < 0x7f && !QByteArrayView("\"<>{}\\").contains(c);
        });
        if (prefixNeedsName && !plainName) {
            problems.append(QStringLiteral("'${%1}': a name of printable ASCII without quotes, <, >, { or } expected")
                                .arg(QString::fromUtf8(name)));
            continue;
        }
        if (prefixNeedsName && part.name.isEmpty()) {
            problems.append(QStringLiteral("'${%1}' names nothing: add the name after the dot").arg(QString::fromUtf8(name)));
            continue;
        }
        if ((part.source == TemplateSource::RequestJson || part.source == TemplateSource::ResponseJson)
            && !part.name.isEmpty() && !part.name.startsWith('/')) {
            problems.append(QStringLiteral("'${%1}': a JSON pointer starts with '/' (or is empty for the whole body)")
                                .arg(QString::fromUtf8(name)));
            continue;
        }
        if (part.source == TemplateSource::PathParam && !pathParams.contains(QString::fromUtf8(part.name))) {
            problems.append(QStringLiteral("'${%1}': '%2' is not a path parameter of this operation (it has: %3)")
                                .arg(QString::fromUtf8(name), QString::fromUtf8(part.name),
                                     pathParams.isEmpty() ? QStringLiteral("none") : pathParams.join(QStringLiteral(", "))));
            continue;
        }
        if (!response && isResponseSource(part.source)) {
            problems.append(QStringLiteral("'${%1}' is only known in a response template").arg(QString::fromUtf8(name)));
            continue;
        }
        if (response && (part.source == TemplateSource::RequestBody || part.source == TemplateSource::RequestJson)) {
            problems.append(QStringLiteral("'${%1}': the request body is not kept for the response; use it in a "
                                           "request template").arg(QString::fromUtf8(name)));
            continue;
        }
        if (kind == BodyKind::Xml && xml != XmlState::Text && xml != XmlState::AttrDouble && xml != XmlState::AttrSingle) {
            problems.append(QStringLiteral("'${%1}' stands inside a tag, comment, CDATA section or declaration: "
                                           "substitutions go in element text or quoted attribute values")
                                .arg(QString::fromUtf8(name)));
            continue;
        }
        part.inString = kind == BodyKind::Json && jsonString;
        m_readsRequestJson = m_readsRequestJson || part.source == TemplateSource::RequestJson;
        m_readsResponseJson = m_readsResponseJson || part.source == TemplateSource::ResponseJson;
        m_parts.append(part);
    }
    flushLiteral();
    if (problems.size() > before)
        return false;

    // The skeleton (every substitution absent) must already be a document of its type: values
    // are escaped into it, so it keeps that shape whatever they hold.
    const QByteArray skeleton = render([](const Part &) { return TemplateValue{}; });
    if (kind == BodyKind::Json && !skeleton.trimmed().startsWith('{') && !skeleton.trimmed().startsWith('[')) {
        problems.append(QStringLiteral("the template must be a JSON object or array"));
    } else if (kind == BodyKind::Json) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(skeleton, &error);
        if (error.error != QJsonParseError::NoError)
            problems.append(QStringLiteral("the template is not JSON (with each substitution as null or \"\"): %1 at "
                                           "byte %2").arg(error.errorString()).arg(error.offset + 1));
        else if (!doc.isObject() && !doc.isArray())
            problems.append(QStringLiteral("the template must be a JSON object or array"));
    } else if (kind == BodyKind::Xml) {
        QXmlStreamReader reader(skeleton);
        while (!reader.atEnd()) {
            reader.readNext();
            if (reader.tokenType() == QXmlStreamReader::DTD) {
                problems.append(QStringLiteral("the template has a DTD, which the gateway never sends"));
                break;
            }
        }
        if (reader.hasError())
            problems.append(QStringLiteral("the template is not well-formed XML: %1 at line %2")
                                .arg(reader.errorString())
                                .arg(reader.lineNumber()));
    }
    return problems.size() == before;
}

void BodyTemplate::appendJsonStringContent(QByteArray &out, QByteArrayView utf8)
{
    // Through QString: invalid UTF-8 becomes U+FFFD instead of reaching the JSON as is.
    const QString text = QString::fromUtf8(utf8);
    static const char hex[] = "0123456789abcdef";
    for (const QChar ch : text) {
        const char16_t c = ch.unicode();
        if (c == u'"' || c == u'\\') {
            out += '\\';
            out += char(c);
        } else if (c < 0x20) {
            switch (c) {
            case u'\n': out += "\\n"; break;
            case u'\r': out += "\\r"; break;
            case u'\t': out += "\\t"; break;
            default:
                out += "\\u00";
                out += hex[(c >> 4) & 0xf];
                out += hex[c & 0xf];
            }
        } else if (c == 0x2028 || c == 0x2029) {
            out += c == 0x2028 ? "\\u2028" : "\\u2029";   // valid JSON, but not JavaScript
        } else {
            out += QString(ch).toUtf8();
        }
    }
}

void BodyTemplate::appendXmlEscaped(QByteArray &out, QByteArrayView utf8)
{
    const QString text = QString::fromUtf8(utf8);
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        switch (c) {
        case u'&': out += "&amp;"; continue;
        case u'<': out += "&lt;"; continue;
        case u'>': out += "&gt;"; continue;
        case u'"': out += "&quot;"; continue;
        case u'\'': out += "&apos;"; continue;
        case u'\t': out += "&#9;"; continue;
        case u'\n': out += "&#10;"; continue;
        case u'\r': out += "&#13;"; continue;
        default: break;
        }
        // Characters XML 1.0 cannot carry are dropped (other controls, U+FFFE, U+FFFF, lone surrogates).
        if (c < 0x20 || c == 0xFFFE || c == 0xFFFF)
            continue;
        if (QChar::isHighSurrogate(c)) {
            if (i + 1 < text.size() && QChar::isLowSurrogate(text[i + 1].unicode())) {
                out += text.mid(i, 2).toUtf8();
                ++i;
            }
            continue;
        }
        if (QChar::isLowSurrogate(c))
            continue;
        out += QString(QChar(c)).toUtf8();
    }
}

QJsonValue BodyTemplate::resolvePointer(const QJsonDocument &doc, QByteArrayView pointer)
{
    QJsonValue current = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    if (pointer.isEmpty())
        return current;
    const QList<QByteArray> tokens = pointer.sliced(1).toByteArray().split('/');
    for (QByteArray token : tokens) {
        token.replace("~1", "/").replace("~0", "~");
        if (current.isObject()) {
            const QJsonObject o = current.toObject();
            const QString key = QString::fromUtf8(token);
            if (!o.contains(key))
                return QJsonValue(QJsonValue::Undefined);
            current = o.value(key);
        } else if (current.isArray()) {
            bool ok = false;
            const qsizetype index = token.toLongLong(&ok);
            const QJsonArray a = current.toArray();
            if (!ok || index < 0 || index >= a.size() || (token.size() > 1 && token.startsWith('0')))
                return QJsonValue(QJsonValue::Undefined);
            current = a.at(index);
        } else {
            return QJsonValue(QJsonValue::Undefined);
        }
    }
    return current;
}

QByteArray BodyTemplate::render(const std::function<TemplateValue(const Part &)> &value) const
{
    QByteArray out;
    for (const Part &p : m_parts) {
        if (p.source == TemplateSource{}) {
            out += p.literal;
            continue;
        }
        const TemplateValue v = value(p);
        QByteArray text;
        if (v.present) {
            if (!v.isJson)
                text = v.text;
            else if (v.json.isString())
                text = v.json.toString().toUtf8();
            else if (v.json.isObject())
                text = QJsonDocument(v.json.toObject()).toJson(QJsonDocument::Compact);
            else if (v.json.isArray())
                text = QJsonDocument(v.json.toArray()).toJson(QJsonDocument::Compact);
            else   // a scalar: its JSON text
                text = QJsonDocument(QJsonArray{v.json}).toJson(QJsonDocument::Compact).chopped(1).sliced(1);
        }
        switch (m_kind) {
        case BodyKind::Json:
            if (isJsonValueContext(p)) {
                if (!v.present) {
                    out += "null";
                } else if (v.isJson && !v.json.isString()) {
                    out += text;   // QJsonDocument wrote it: a complete, well-formed value
                } else {
                    out += '"';
                    appendJsonStringContent(out, text);
                    out += '"';
                }
            } else {
                appendJsonStringContent(out, text);
            }
            break;
        case BodyKind::Xml:
            appendXmlEscaped(out, text);
            break;
        case BodyKind::Text:
            out += text;
            break;
        }
    }
    return out;
}

QString BodyTemplate::variablesHelp()
{
    return QStringLiteral(
        "| variable | value |\n"
        "|---|---|\n"
        "| `${request.method}`, `${request.path}` | the request's method and path |\n"
        "| `${request.header.NAME}` | the first value of the request header NAME |\n"
        "| `${request.query.NAME}` | the query parameter NAME, percent-decoded |\n"
        "| `${request.param.NAME}` | the path parameter NAME, percent-decoded |\n"
        "| `${request.body}` | the request body as text (request templates) |\n"
        "| `${request.body#/a/0/b}` | a JSON pointer into the request's JSON body; `${request.body#}` the whole document |\n"
        "| `${principal.subject}`, `${principal.scopes}`, `${principal.issuer}`, `${principal.application}` | the caller |\n"
        "| `${principal.claim.NAME}` | a verified claim of the caller (JSON value) |\n"
        "| `${route.operationId}`, `${api.name}`, `${api.version}` | the operation and its API |\n"
        "| `${context.now}` | the time of the request, RFC 3339 UTC |\n"
        "| `${context.clientIp}` | the client's address |\n"
        "| `${response.status}` | the upstream's status (response templates) |\n"
        "| `${response.header.NAME}` | a header of the upstream's response (response templates) |\n"
        "| `${response.body}`, `${response.body#/pointer}` | the upstream's body, as text or a JSON pointer into it (response templates) |\n");
}

} // namespace Gatehouse
